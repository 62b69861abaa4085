/** 部门提醒邮件: each department's digest address and last digest, and setting an address (with check-your-answers). */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Principal } from '../../../contract/principal';
import { digestAddress, type DepartmentContactView } from '../../../contract/department-contacts';
import { apiUnavailable, refusalOf, type Problem } from '../../api-client';
import { formBody, keptValues } from '../../form-fields';
import { signedInSupervisor } from '../../guards';
import type { ConsoleKit } from '../../kit';
import { contactCheckPage, contactFormPage, remindersPage, type ContactFormState } from '../../pages/supervisor/reminders';
import { formKeyOf } from '../records';

const codeParams = z.object({ code: z.string().min(1).max(40) });
const NO_DEPARTMENT = { title: '页面不存在', text: '没有这个部门。' };
const EMAIL_LABEL = '收件地址';

export function supervisorReminderRoutes(scope: FastifyInstance, k: ConsoleKit): void {
  const app = scope.withTypeProvider<ZodTypeProvider>();

  async function contacts(user: Principal): Promise<DepartmentContactView[]> {
    const r = await k.api<{ items: DepartmentContactView[] }>(user, 'GET', '/v1/departments/contacts');
    if (r.status !== 200) throw apiUnavailable('department contacts', r.status);
    return r.body.items;
  }

  app.get(
    '/reminders',
    { schema: { hide: true, querystring: z.object({ done: z.string().max(40).optional().catch(undefined) }) } },
    async (request, reply) => {
      const items = await contacts(signedInSupervisor(request));
      const done = request.query.done ? items.find((d) => d.code === request.query.done) : undefined;
      return k.html(reply, remindersPage(k.ctxOf(request, reply), { items, done }));
    },
  );

  app.get(
    '/reminders/:code/contact',
    { schema: { hide: true, params: codeParams }, config: { notFound: NO_DEPARTMENT } },
    async (request, reply) => {
      const dept = (await contacts(signedInSupervisor(request))).find((d) => d.code === request.params.code);
      if (!dept) return k.notFound(request, reply, NO_DEPARTMENT.title, NO_DEPARTMENT.text);
      return k.html(reply, contactFormPage(k.ctxOf(request, reply), { dept, values: { email: dept.email ?? '' }, formKey: randomUUID() }));
    },
  );

  app.post(
    '/reminders/:code/contact',
    { schema: { hide: true, params: codeParams, body: formBody }, config: { notFound: NO_DEPARTMENT } },
    async (request, reply) => {
      const user = signedInSupervisor(request);
      const dept = (await contacts(user)).find((d) => d.code === request.params.code);
      if (!dept) return k.notFound(request, reply, NO_DEPARTMENT.title, NO_DEPARTMENT.text);
      const form = request.body;
      const values = keptValues(form);
      const key = formKeyOf(form._key);
      const again = (error: ContactFormState['error'], status: number) =>
        k.html(reply, contactFormPage(k.ctxOf(request, reply), { dept, values, formKey: key, ...(error ? { error } : {}) }), status);
      if (form._confirm === 'change') return again(undefined, 200);
      const email = values.email?.trim() ?? '';
      if (email && (email.length > 254 || !digestAddress.safeParse(email).success)) {
        return again(
          {
            title: '请更正以下内容',
            detail: '',
            errors: [{ path: 'email', message: '请填写有效的电子邮箱地址，如 name@example.gov.cn', label: EMAIL_LABEL }],
          },
          400,
        );
      }
      if (form._confirm !== 'yes') {
        return k.html(reply, contactCheckPage(k.ctxOf(request, reply), { dept, values: { ...values, email, _key: key } }));
      }
      const r = await k.api<Problem>(user, 'PUT', `/v1/departments/${encodeURIComponent(dept.code)}/contact`, {
        payload: { email: email || null },
        headers: { 'idempotency-key': key },
      });
      if (r.status === 200)
        return reply.redirect(`/console/supervise/reminders?${new URLSearchParams({ done: dept.code }).toString()}`, 303);
      const refused = refusalOf(r, '未能保存收件地址', { 404: '没有这个部门' });
      return again(
        {
          ...refused.error,
          errors: (refused.error.errors ?? []).map((e) => ({ path: 'email', message: e.message, label: EMAIL_LABEL })),
        },
        refused.status,
      );
    },
  );
}
