/** 电子送达地址: the officer records a case subject's consented address; the subject gives and withdraws their own. */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ServiceAddressView } from '../../contract/service-addresses';
import { MOBILE_RE } from '../../contract/service-addresses';
import type { CaseView } from '../../workflows/common/case-types';
import type { Principal } from '../../contract/principal';
import { apiUnavailable, refusalOf, type Problem } from '../api-client';
import { formBody, keptValues } from '../form-fields';
import { signedInOfficer, signedInSubject, type Officer } from '../guards';
import type { ConsoleKit } from '../kit';
import {
  myAddressCheckPage,
  myAddressesPage,
  myWithdrawCheckPage,
  officerAddressCheckPage,
  officerAddressPage,
  type AddressFormState,
} from '../pages/service-addresses';
import { shanghaiDate } from '../time';
import { formKeyOf } from './records';

const caseParams = z.object({ id: z.string().max(64) });
const addressParams = z.object({ id: z.string().regex(/^SVA-\d{8}-[0-9A-Z]{10}$/) });
const notFoundConfig = { notFound: { title: '未找到', text: '没有这项内容，或您无权查看。' } };
const addressesUrl = (subjectId: string) => `/v1/subjects/${encodeURIComponent(subjectId)}/service-addresses`;

/** The console's own check of what the API will check again, in words a person reads at the field. */
function problemsOf(values: Record<string, string>, { officer, today }: { officer: boolean; today: string }) {
  const errors: { path: string; message: string }[] = [];
  const channel = values.channel;
  const address = values.address?.trim() ?? '';
  if (channel !== 'email' && channel !== 'sms') errors.push({ path: 'channel', message: '请选择送达方式' });
  if (!address) errors.push({ path: 'address', message: '请填写电子邮箱或手机号码' });
  else if (channel === 'sms' && !MOBILE_RE.test(address)) errors.push({ path: 'address', message: '手机号码应为11位数字，以13至19开头' });
  else if (channel === 'email' && !z.email().safeParse(address).success)
    errors.push({ path: 'address', message: '电子邮箱格式不正确，如 name@example.com' });
  if (officer) {
    const on = values.consentedOn ?? '';
    if (!/^\d{4}-\d{2}-\d{2}$/.test(on)) errors.push({ path: 'consentedOn', message: '请填写同意日期' });
    else if (on > today) errors.push({ path: 'consentedOn', message: '同意日期不能晚于今天' });
    if (!values.consentDocument?.trim()) errors.push({ path: 'consentDocument', message: '请填写确认文书的编号或名称' });
  }
  return errors;
}

const LABELS: Record<string, string> = {
  channel: '送达方式',
  address: '电子送达地址',
  consentedOn: '同意日期',
  consentDocument: '确认文书',
};
const labelled = (errors: { path: string; message: string }[]) =>
  errors.map((e) => ({ ...e, label: LABELS[e.path.replace(/^body\./, '')] ?? '地址' }));

/** Under /console/cases (officers): the form of a case subject's address, its check step, and the API's answer. */
export function officerServiceAddressRoutes(scope: FastifyInstance, k: ConsoleKit): void {
  const app = scope.withTypeProvider<ZodTypeProvider>();

  async function caseOf(user: Officer, id: string): Promise<CaseView | null> {
    const r = await k.api<CaseView>(user, 'GET', `/v1/cases/${encodeURIComponent(id)}`);
    if (r.status === 404 || r.status === 400) return null;
    if (r.status !== 200) throw apiUnavailable('case read', r.status);
    return r.body;
  }

  app.get('/:id/service-address', { schema: { hide: true, params: caseParams }, config: notFoundConfig }, async (request, reply) => {
    const c = await caseOf(signedInOfficer(request), request.params.id);
    if (!c) return k.notFound(request, reply, '案件不存在', '没有这个案件，或您无权查看。');
    return k.html(reply, officerAddressPage(k.ctxOf(request, reply), { c, state: { values: {} }, formKey: randomUUID() }));
  });

  app.post(
    '/:id/service-address',
    { schema: { hide: true, params: caseParams, body: formBody }, config: notFoundConfig },
    async (request, reply) => {
      const user = signedInOfficer(request);
      const c = await caseOf(user, request.params.id);
      if (!c) return k.notFound(request, reply, '案件不存在', '没有这个案件，或您无权查看。');
      const form = request.body;
      const key = formKeyOf(form._key);
      const values: Record<string, string> = { ...keptValues(form), _key: key };
      const again = (state: AddressFormState, status: number) =>
        k.html(reply, officerAddressPage(k.ctxOf(request, reply), { c, state, formKey: key }), status);
      if (form._confirm === 'change') return again({ values }, 200);
      const errors = problemsOf(values, { officer: true, today: shanghaiDate(k.o.clock()) });
      if (errors.length) return again({ values, error: { title: '请更正以下内容', detail: '', errors: labelled(errors) } }, 400);
      if (form._confirm !== 'yes') return k.html(reply, officerAddressCheckPage(k.ctxOf(request, reply), { c, values }));
      const r = await k.api<Problem & ServiceAddressView>(user, 'POST', addressesUrl(c.subject.id), {
        payload: {
          channel: values.channel,
          address: values.address?.trim(),
          consentedOn: values.consentedOn,
          consentDocument: values.consentDocument?.trim(),
        },
        headers: { 'idempotency-key': key },
      });
      if (r.status === 201) return reply.redirect(`/console/cases/${encodeURIComponent(c.id)}?done=service_address`, 303);
      const refused = refusalOf(r, '未能登记', { 409: '未能登记' });
      return again({ values, error: { ...refused.error, errors: labelled(refused.error.errors ?? []) } }, refused.status);
    },
  );
}

/** Under /console/me (subjects): 电子送达地址. */
export function subjectServiceAddressRoutes(scope: FastifyInstance, k: ConsoleKit): void {
  const app = scope.withTypeProvider<ZodTypeProvider>();

  async function render(
    request: FastifyRequest,
    reply: FastifyReply,
    opts: { state: AddressFormState; formKey: string; done?: string; status?: number },
  ) {
    const user = signedInSubject(request);
    const r = await k.api<{ items: ServiceAddressView[] }>(user, 'GET', addressesUrl(user.subjectId));
    if (r.status !== 200) throw apiUnavailable('service addresses read', r.status);
    return k.html(reply, myAddressesPage(k.ctxOf(request, reply), { items: r.body.items, ...opts }), opts.status ?? 200);
  }

  app.get(
    '/service-addresses',
    { schema: { hide: true, querystring: z.object({ done: z.enum(['recorded', 'withdrawn']).optional() }) } },
    async (request, reply) => {
      const done =
        request.query.done === 'recorded'
          ? '已确认电子送达地址。'
          : request.query.done === 'withdrawn'
            ? '已撤回对该地址的同意。'
            : undefined;
      return render(request, reply, { state: { values: {} }, formKey: randomUUID(), ...(done ? { done } : {}) });
    },
  );

  app.post('/service-addresses', { schema: { hide: true, body: formBody } }, async (request, reply) => {
    const user = signedInSubject(request);
    const form = request.body;
    const key = formKeyOf(form._key);
    const values: Record<string, string> = { ...keptValues(form), _key: key };
    if (form._confirm === 'change') return render(request, reply, { state: { values }, formKey: key });
    const errors = problemsOf(values, { officer: false, today: shanghaiDate(k.o.clock()) });
    if (errors.length)
      return render(request, reply, {
        state: { values, error: { title: '请更正以下内容', detail: '', errors: labelled(errors) } },
        formKey: key,
        status: 400,
      });
    if (form._confirm !== 'yes') return k.html(reply, myAddressCheckPage(k.ctxOf(request, reply), { values }));
    const r = await k.api<Problem & ServiceAddressView>(user, 'POST', addressesUrl(user.subjectId), {
      payload: { channel: values.channel, address: values.address?.trim() },
      headers: { 'idempotency-key': key },
    });
    if (r.status === 201) return reply.redirect('/console/me/service-addresses?done=recorded', 303);
    const refused = refusalOf(r, '未能确认');
    return render(request, reply, {
      state: { values, error: { ...refused.error, errors: labelled(refused.error.errors ?? []) } },
      formKey: key,
      status: refused.status,
    });
  });

  app.post(
    '/service-addresses/:id/withdraw',
    { schema: { hide: true, params: addressParams, body: formBody }, config: notFoundConfig },
    async (request, reply) => {
      const user = signedInSubject(request);
      const form = request.body;
      if (form._confirm === 'change') return reply.redirect('/console/me/service-addresses', 303);
      const list = await k.api<{ items: ServiceAddressView[] }>(user, 'GET', addressesUrl(user.subjectId));
      if (list.status !== 200) throw apiUnavailable('service addresses read', list.status);
      const a = list.body.items.find((x) => x.id === request.params.id);
      if (!a) return k.notFound(request, reply, '未找到', '没有这个电子送达地址。');
      if (form._confirm !== 'yes') return k.html(reply, myWithdrawCheckPage(k.ctxOf(request, reply), { a }));
      const r = await k.api<Problem>(user, 'POST', `${addressesUrl(user.subjectId)}/${encodeURIComponent(a.id)}/withdraw`);
      if (r.status === 200) return reply.redirect('/console/me/service-addresses?done=withdrawn', 303);
      const refused = refusalOf(r, '未能撤回');
      return render(request, reply, { state: { values: {}, error: refused.error }, formKey: randomUUID(), status: refused.status });
    },
  );
}

/**
 * What the case page shows of electronic service: for an officer, the subject's consented addresses and the link to
 * record one; for every official, the services that did not reach the address. Subjects see their own on /console/me.
 */
export async function serviceOf(
  k: ConsoleKit,
  user: Principal,
  c: CaseView,
): Promise<{ addresses: ServiceAddressView[] | null; canRecord: boolean } | undefined> {
  if (user.role === 'subject') return undefined;
  const failed = c.timeline.some((t) => t.action === 'electronic_service_failed');
  if (user.role !== 'officer' || c.closed || c.procedure !== 'listing') return failed ? { addresses: null, canRecord: false } : undefined;
  const r = await k.api<{ items: ServiceAddressView[] }>(user, 'GET', addressesUrl(c.subject.id));
  return { addresses: r.status === 200 ? r.body.items : null, canRecord: true };
}
