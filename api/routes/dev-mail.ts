import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { requireRole } from '../plugins/auth';
import { notFound } from '../problem';
import { listCaughtMail, readCaughtMail } from '../../messaging/mail-catcher';

/**
 * The mails the embedded default's mail catcher kept (messaging/mail-catcher.ts), for the supervisors' page
 * /console/supervise/mail. Registered only when `npm start` runs the catcher (MAIL_CATCHER_DIR), so never in production
 * and not in the OpenAPI document.
 */
export const devMailRoutes: FastifyPluginAsyncZod<{ dir: string }> = async (app, { dir }) => {
  app.get('/v1/dev/mail', { preValidation: requireRole('supervisor'), schema: { hide: true } }, async () => ({
    items: (await listCaughtMail(dir)).slice(0, 200),
  }));
  app.get(
    '/v1/dev/mail/:id',
    { preValidation: requireRole('supervisor'), schema: { hide: true, params: z.object({ id: z.string().max(64) }) } },
    async (request) => {
      const mail = await readCaughtMail(dir, request.params.id);
      if (!mail) throw notFound({ zh: `没有邮件 ${request.params.id}`, en: `no mail ${request.params.id}` });
      return {
        ...mail,
        attachments: mail.attachments.map((a) => ({
          filename: a.filename,
          contentType: a.contentType,
          content: a.content.toString('utf8'),
        })),
      };
    },
  );
};
