import { z } from 'zod';

const MAX_BIGINT = 9_223_372_036_854_775_807n;
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppDeps } from '../app';
import { requireRole } from '../plugins/auth';
import { toView, verifyAuditChain } from '../../db/audit';
import { foreignCursor, instant, pageOf, problemSchema } from '../schemas/common';

const entry = z.object({
  seq: z.number().int(),
  at: z.string(),
  actor: z.string(),
  /** The actor's display name as the identity provider gave it when they acted; null when none was given. */
  actorName: z.string().nullable(),
  role: z.string(),
  action: z.string(),
  target: z.string(),
  caseId: z.string().nullable(),
  subjectId: z.string().nullable(),
  detail: z.unknown(),
  prevHash: z.string(),
  hash: z.string(),
});

export const auditRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, { db }) => {
  app.get(
    '/v1/audit',
    {
      preValidation: requireRole('supervisor'),
      schema: {
        tags: ['audit'],
        summary: 'The audit log by case, subject, actor and time (after < at < before), paged by seq',
        security: [{ bearer: [] }],
        querystring: z.object({
          caseId: z.string().max(40).optional(),
          subjectId: z.string().trim().toUpperCase().max(32).optional(),
          actor: z.string().max(200).optional(),
          after: instant.optional(),
          before: instant.optional(),
          /** `asc`: the chain's order (the default); `desc`: newest first. The cursor continues in the same order. */
          order: z.enum(['asc', 'desc']).default('asc'),
          limit: z.coerce.number().int().min(1).max(500).default(50),
          // The last seq shown: a Postgres bigint, so at most 19 digits and 2^63 - 1 (a larger one was a 500).
          cursor: z
            .string()
            .regex(/^\d{1,19}$/, 'is not a cursor this API issued')
            .optional(),
        }),
        response: {
          200: z.object({ items: z.array(entry), nextCursor: z.string().nullable() }),
          400: problemSchema,
          401: problemSchema,
          403: problemSchema,
        },
      },
    },
    async (request) => {
      const q = request.query;
      if (q.cursor && BigInt(q.cursor) > MAX_BIGINT) throw foreignCursor();
      const rows = await db.auditEntry.findMany({
        where: {
          ...(q.caseId ? { caseId: q.caseId } : {}),
          ...(q.subjectId ? { subjectId: q.subjectId } : {}),
          ...(q.actor ? { actor: q.actor } : {}),
          ...(q.after || q.before
            ? { at: { ...(q.after ? { gt: new Date(q.after) } : {}), ...(q.before ? { lt: new Date(q.before) } : {}) } }
            : {}),
          ...(q.cursor ? { seq: q.order === 'asc' ? { gt: BigInt(q.cursor) } : { lt: BigInt(q.cursor) } } : {}),
        },
        orderBy: { seq: q.order },
        take: q.limit + 1,
      });
      const { page, nextCursor } = pageOf(rows, q.limit, (last) => String(last.seq));
      return { items: page.map(toView), nextCursor };
    },
  );

  app.get(
    '/v1/audit/verify',
    {
      preValidation: requireRole('supervisor'),
      schema: {
        tags: ['audit'],
        security: [{ bearer: [] }],
        response: {
          200: z.object({ ok: z.boolean(), checked: z.number().int(), firstBrokenSeq: z.number().int().optional() }),
          401: problemSchema,
          403: problemSchema,
        },
      },
    },
    async () => verifyAuditChain(db),
  );
};
