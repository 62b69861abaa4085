/** A supervisor's work: approvals, calendar and policy, imports, case search. */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { refusalOf, type Problem } from '../../api-client';
import { formBody, keptValues } from '../../form-fields';
import { signedInSupervisor, type Supervisor } from '../../guards';
import type { ConsoleKit } from '../../kit';
import {
  approvalsPage,
  proposalCheckPage,
  proposalPage,
  type DecisionRow,
  type ProposalState,
  type ProposalView,
} from '../../pages/supervisor/approvals';
import { formKeyOf } from '../records';
import { importRoutes } from './work-imports';
import { calendarPolicyRoutes, caseSearchRoutes } from './work-settings';

/** A proposal's id as the API makes them; anything else is the not-found page. */
const proposalParams = z.object({ id: z.string().regex(/^SP-[0-9a-f-]{36}$/) });
const decisionParams = proposalParams.extend({ decision: z.enum(['approve', 'reject']) });
const NOT_FOUND = { notFound: { title: '未找到', text: '没有这项待审批事项。' } };

export function supervisorWorkRoutes(scope: FastifyInstance, k: ConsoleKit): void {
  const app = scope.withTypeProvider<ZodTypeProvider>();

  app.get('/approvals', { schema: { hide: true } }, async (request, reply) => {
    const user = signedInSupervisor(request);
    const [proposals, decisions] = await Promise.all([
      k.api<{ items: ProposalView[] }>(user, 'GET', '/v1/settings/proposals?status=proposed&limit=500'),
      k.api<{ items: DecisionRow[] }>(user, 'GET', '/v1/cases?procedure=listing&state=awaiting_approval&limit=500'),
    ]);
    if (proposals.status !== 200) throw new Error(`the proposals could not be read (${proposals.status})`);
    if (decisions.status !== 200) throw new Error(`the decisions awaiting approval could not be read (${decisions.status})`);
    return k.html(
      reply,
      approvalsPage(k.ctxOf(request, reply), { me: user.sub, proposals: proposals.body.items, decisions: decisions.body.items }),
    );
  });

  /** The proposal as the API holds it now; null when there is none. */
  async function proposalOf(user: Supervisor, id: string): Promise<ProposalView | null> {
    const r = await k.api<ProposalView>(user, 'GET', `/v1/settings/proposals/${id}`);
    if (r.status === 404) return null;
    if (r.status !== 200) throw new Error(`proposal ${id} could not be read (${r.status})`);
    return r.body;
  }

  /**
   * A calendar year's proposal with its dry run made again now: approval applies the year to the deadlines as they
   * are then, not as they were when it was proposed, so the page shows what approving now would move.
   */
  async function withCurrentDryRun(user: Supervisor, p: ProposalView): Promise<ProposalView> {
    if (p.kind !== 'calendar_year' || p.status !== 'proposed') return p;
    const { year, source, holidays, workdays } = p.payload as { year: number; source: string; holidays: string[]; workdays: string[] };
    const r = await k.api<{ moved: unknown[] }>(user, 'PUT', `/v1/calendar/years/${year}?dryRun=true`, {
      payload: { source, holidays, workdays },
    });
    // A year the checks now refuse keeps its stored preview; approving it is then refused with the reason.
    return r.status === 200 ? { ...p, preview: { ...(p.preview as object), moved: r.body.moved } } : p;
  }

  async function showProposal(
    request: FastifyRequest,
    reply: FastifyReply,
    { user, p, state, status = 200 }: { user: Supervisor; p: ProposalView; state: Partial<ProposalState>; status?: number },
  ) {
    return k.html(
      reply,
      proposalPage(k.ctxOf(request, reply), {
        p: await withCurrentDryRun(user, p),
        me: user.sub,
        state: { approveKey: randomUUID(), rejectKey: randomUUID(), ...state },
      }),
      status,
    );
  }

  app.get('/approvals/:id', { schema: { hide: true, params: proposalParams }, config: NOT_FOUND }, async (request, reply) => {
    const user = signedInSupervisor(request);
    const p = await proposalOf(user, request.params.id);
    if (!p) return k.notFound(request, reply, NOT_FOUND.notFound.title, NOT_FOUND.notFound.text);
    return showProposal(request, reply, { user, p, state: {} });
  });

  app.post(
    '/approvals/:id/:decision',
    { schema: { hide: true, params: decisionParams, body: formBody }, config: NOT_FOUND },
    async (request, reply) => {
      const user = signedInSupervisor(request);
      const { id, decision } = request.params;
      const form = request.body;
      const values = keptValues(form);
      const key = formKeyOf(form._key);
      const reasons = values.reasons?.trim() ?? '';
      const p = await proposalOf(user, id);
      if (!p) return k.notFound(request, reply, NOT_FOUND.notFound.title, NOT_FOUND.notFound.text);
      const keys = decision === 'approve' ? { approveKey: key } : { rejectKey: key };
      if (form._confirm === 'change') return showProposal(request, reply, { user, p, state: { ...keys, reasons } });
      if (decision === 'reject' && !reasons) {
        return showProposal(request, reply, {
          user,
          p,
          state: {
            ...keys,
            error: { title: '请更正以下内容', detail: '', errors: [{ path: 'reasons', message: '请填写退回意见', label: '退回意见' }] },
          },
          status: 400,
        });
      }
      if (form._confirm !== 'yes') {
        const current = await withCurrentDryRun(user, p);
        return k.html(reply, proposalCheckPage(k.ctxOf(request, reply), { p: current, decision, values: { ...values, _key: key } }));
      }
      const r = await k.api<Problem & ProposalView>(user, 'POST', `/v1/settings/proposals/${id}/${decision}`, {
        ...(decision === 'reject' ? { payload: { reasons: [reasons] } } : {}),
        headers: { 'idempotency-key': key },
      });
      if (r.status === 200) {
        return showProposal(request, reply, { user, p: r.body, state: { done: decision === 'approve' ? 'approved' : 'rejected' } });
      }
      const refused = refusalOf(r, decision === 'approve' ? '未能批准' : '未能退回', { 409: '此事项不能由您批准或已被处理' });
      const now = (await proposalOf(user, id)) ?? p;
      return showProposal(request, reply, {
        user,
        p: now,
        state: {
          ...keys,
          reasons,
          error: { ...refused.error, errors: refused.error.errors?.map((e) => ({ ...e, path: 'reasons', label: '退回意见' })) },
        },
        status: refused.status,
      });
    },
  );

  calendarPolicyRoutes(scope, k);
  importRoutes(scope, k);
  caseSearchRoutes(scope, k);
}
