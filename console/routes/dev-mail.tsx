/**
 * /console/supervise/mail: the mails the embedded default's mail catcher kept (`npm start`), each with its text and its
 * attachment, so a newcomer sees what electronic service sends. Elsewhere the API has no such route and the page says so.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { apiUnavailable } from '../api-client';
import { signedInSupervisor } from '../guards';
import type { ConsoleKit } from '../kit';
import { dateTimeText, page } from '../ui';
import { DOCUMENT_CSP } from './cases';

interface MailSummary {
  id: string;
  receivedAt: string;
  from: string;
  to: string[];
  subject: string;
}
interface Mail extends MailSummary {
  text: string;
  attachments: { filename: string; contentType: string; content: string }[];
}

const mailParams = z.object({ id: z.string().regex(/^[0-9TZ]+-[0-9a-f]{8}$/) });
const notFoundConfig = { notFound: { title: '邮件不存在', text: '没有这封邮件。' } };

export function devMailRoutes(scope: FastifyInstance, k: ConsoleKit): void {
  const app = scope.withTypeProvider<ZodTypeProvider>();

  app.get('/mail', { schema: { hide: true } }, async (request, reply) => {
    const r = await k.api<{ items: MailSummary[] }>(signedInSupervisor(request), 'GET', '/v1/dev/mail');
    const ctx = k.ctxOf(request, reply);
    if (r.status === 404)
      return k.html(
        reply,
        page(
          '已发送邮件',
          ctx,
          <p>本环境未运行邮件捕获器：此页面仅在内置默认环境（npm start）中可用，邮件由 SMTP_URL 指向的邮件服务器发送。</p>,
        ),
      );
    if (r.status !== 200) throw apiUnavailable('mail list', r.status);
    return k.html(
      reply,
      page(
        '已发送邮件',
        ctx,
        <>
          <p>内置默认环境的邮件捕获器收到的邮件（保存在 .data/mail/），最新的在前。发往 bounce.test 域的地址会被拒收，用于演示退信。</p>
          {r.body.items.length === 0 ? (
            <p>尚未收到邮件。</p>
          ) : (
            <table>
              <caption class="visually-hidden">已发送邮件</caption>
              <thead>
                <tr>
                  <th scope="col">时间</th>
                  <th scope="col">收件人</th>
                  <th scope="col">主题</th>
                </tr>
              </thead>
              <tbody>
                {r.body.items.map((m) => (
                  <tr>
                    <td>{dateTimeText(m.receivedAt)}</td>
                    <td>{m.to.join('，')}</td>
                    <td>
                      <a href={`/console/supervise/mail/${m.id}`}>{m.subject || '（无主题）'}</a>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>,
      ),
    );
  });

  const read = async (user: ReturnType<typeof signedInSupervisor>, id: string) => {
    const r = await k.api<Mail>(user, 'GET', `/v1/dev/mail/${id}`);
    if (r.status === 404) return null;
    if (r.status !== 200) throw apiUnavailable('mail read', r.status);
    return r.body;
  };

  app.get('/mail/:id', { schema: { hide: true, params: mailParams }, config: notFoundConfig }, async (request, reply) => {
    const mail = await read(signedInSupervisor(request), request.params.id);
    if (!mail) return k.notFound(request, reply, '邮件不存在', '没有这封邮件。');
    return k.html(
      reply,
      page(
        mail.subject || '邮件',
        k.ctxOf(request, reply),
        <>
          <dl class="summary">
            <dt>时间</dt>
            <dd>{dateTimeText(mail.receivedAt)}</dd>
            <dt>发件人</dt>
            <dd>{mail.from}</dd>
            <dt>收件人</dt>
            <dd>{mail.to.join('，')}</dd>
          </dl>
          <h2>正文</h2>
          <pre class="mail-text">{mail.text}</pre>
          <h2>附件</h2>
          {mail.attachments.length === 0 ? (
            <p>无附件。</p>
          ) : (
            <ul>
              {mail.attachments.map((a, i) => (
                <li>
                  <a href={`/console/supervise/mail/${mail.id}/attachments/${i}`}>{a.filename}</a>
                  {`（${a.contentType}）`}
                </li>
              ))}
            </ul>
          )}
          <p>
            <a href="/console/supervise/mail">返回邮件列表</a>
          </p>
        </>,
      ),
    );
  });

  // The attachment is the printable document as issued: shown as the documents are, under their CSP (no script runs).
  app.get(
    '/mail/:id/attachments/:n',
    { schema: { hide: true, params: mailParams.extend({ n: z.coerce.number().int().min(0).max(20) }) }, config: notFoundConfig },
    async (request, reply) => {
      const mail = await read(signedInSupervisor(request), request.params.id);
      const a = mail?.attachments[request.params.n];
      if (!a) return k.notFound(request, reply, '附件不存在', '没有这个附件。');
      reply.header('content-security-policy', DOCUMENT_CSP);
      if (a.contentType === 'text/html') return k.html(reply, a.content);
      return reply.type('text/plain; charset=utf-8').send(a.content);
    },
  );
}
