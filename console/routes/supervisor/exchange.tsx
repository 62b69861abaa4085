/** 省平台报送: the exchange's status for the supervisors, and the correction of an entry the platform refused. */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ExchangeEntryView, ExchangeStatusView, RefusedEntryView } from '../../../contract/exchange';
import type { Principal } from '../../../contract/principal';
import { apiUnavailable, refusalOf, type Problem } from '../../api-client';
import { formBody, keptValues } from '../../form-fields';
import { signedInSupervisor } from '../../guards';
import type { ConsoleKit } from '../../kit';
import { exchangePage, resendCheckPage, resendFormPage, type ResendFormState } from '../../pages/supervisor/exchange';
import { formKeyOf } from '../records';

const NOT_REFUSED = { title: '没有待改正的条目', text: '没有这个条目，或它未被省平台退回（可能已重新报送）。' };
const entryParams = z.object({ id: z.string().min(1).max(300) });
const doneQuery = z.object({ done: z.string().max(300).optional().catch(undefined) });

export function supervisorExchangeRoutes(scope: FastifyInstance, k: ConsoleKit): void {
  const app = scope.withTypeProvider<ZodTypeProvider>();

  async function statusFor(user: Principal): Promise<ExchangeStatusView> {
    const r = await k.api<ExchangeStatusView>(user, 'GET', '/v1/exchange/status');
    if (r.status !== 200) throw apiUnavailable('exchange status', r.status);
    return r.body;
  }

  /** The refused entry a correction is for, or null when it is not (or no longer) refused. */
  async function refusedEntry(user: Principal, id: string): Promise<RefusedEntryView | null> {
    return (await statusFor(user)).refusedEntries.find((e) => e.id === id) ?? null;
  }

  app.get('/exchange', { schema: { hide: true, querystring: doneQuery } }, async (request, reply) => {
    const user = signedInSupervisor(request);
    return k.html(reply, exchangePage(k.ctxOf(request, reply), { s: await statusFor(user), done: request.query.done }));
  });

  const form = (request: FastifyRequest, reply: FastifyReply, st: ResendFormState, status = 200) =>
    k.html(reply, resendFormPage(k.ctxOf(request, reply), st), status);

  app.get(
    '/exchange/entries/:id/resend',
    { schema: { hide: true, params: entryParams }, config: { notFound: NOT_REFUSED } },
    async (request, reply) => {
      const user = signedInSupervisor(request);
      const entry = await refusedEntry(user, request.params.id);
      if (!entry) return k.notFound(request, reply, NOT_REFUSED.title, NOT_REFUSED.text);
      return form(request, reply, { entry, values: {}, formKey: randomUUID() });
    },
  );

  app.post(
    '/exchange/entries/:id/resend',
    { schema: { hide: true, params: entryParams, body: formBody }, config: { notFound: NOT_REFUSED } },
    async (request, reply) => {
      const user = signedInSupervisor(request);
      const { id } = request.params;
      const sent = request.body;
      const values = keptValues(sent);
      const formKey = formKeyOf(sent._key);
      const entry = await refusedEntry(user, id);
      if (!entry) return k.notFound(request, reply, NOT_REFUSED.title, NOT_REFUSED.text);
      const st: ResendFormState = { entry, values, formKey };
      if (sent._confirm === 'change') return form(request, reply, st);
      const reason = values.reason?.trim() ?? '';
      if (!reason) {
        const errors = [{ path: 'reason', message: '请说明改正情况及重新报送的理由', label: '改正情况及重新报送理由' }];
        return form(request, reply, { ...st, error: { title: '请更正以下内容', detail: '', errors } }, 400);
      }
      if (sent._confirm !== 'yes') return k.html(reply, resendCheckPage(k.ctxOf(request, reply), st));
      const r = await k.api<ExchangeEntryView & Problem>(user, 'POST', `/v1/exchange/entries/${encodeURIComponent(id)}/resend`, {
        payload: { reason },
        headers: { 'idempotency-key': formKey },
      });
      if (r.status === 200) return reply.redirect(`/console/supervise/exchange?${new URLSearchParams({ done: id }).toString()}`, 303);
      const refused = refusalOf(r, '未能重新报送', { 409: '该条目不能重新报送', 404: '没有这个条目' });
      const errors = (refused.error.errors ?? [])
        .filter((e) => e.path.includes('reason'))
        .map((e) => ({ path: 'reason', message: e.message, label: '改正情况及重新报送理由' }));
      return form(request, reply, { ...st, error: { ...refused.error, errors } }, refused.status);
    },
  );
}
