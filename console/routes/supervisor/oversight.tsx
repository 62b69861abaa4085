/** A supervisor's oversight: the deadline dashboard and the deadlines behind it, breaches and escalations, the audit log. */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Principal } from '../../../contract/principal';
import type { AuditEntryViewOf, AuditVerifyResult, DeadlineSummary, EscalationView } from '../../../contract/oversight';
import { escalationStates } from '../../../contract/oversight';
import { departments } from '../../../domain/reference-data';
import { addDays } from '../../../domain/calendar/dates';
import { apiUnavailable, refusalOf, type Problem } from '../../api-client';
import { formBody } from '../../form-fields';
import { signedInSupervisor } from '../../guards';
import type { ConsoleKit } from '../../kit';
import { auditPage, type AuditPageData, type AuditQuery } from '../../pages/supervisor/audit';
import { dashboardPage, type DashboardState } from '../../pages/supervisor/dashboard';
import { deadlineListPage, type ListedDeadline } from '../../pages/supervisor/deadlines';
import { escalationsPage, type EscalationPageState, type EscalationQuery } from '../../pages/supervisor/escalations';
import { fromLocalInput, shanghaiDate } from '../../time';
import { formKeyOf } from '../records';

/** A query parameter as text; given twice, its first value. */
const param = z
  .union([z.string(), z.array(z.string())])
  .transform((v) => (Array.isArray(v) ? (v[0] ?? '') : v).trim())
  .optional();

const isDate = (v: string | undefined): v is string => v !== undefined && /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(v));

const DASHBOARD_DAYS = 30;
const PAGE = 50;

const listStatuses = ['open', 'due_soon', 'overdue', 'met', 'met_on_time', 'met_late', 'breached'] as const;

export function supervisorOversightRoutes(scope: FastifyInstance, k: ConsoleKit): void {
  const app = scope.withTypeProvider<ZodTypeProvider>();

  // 期限看板: the period defaults to the last 30 days, today included.
  app.get('/deadlines', { schema: { hide: true, querystring: z.object({ from: param, to: param }) } }, async (request, reply) => {
    const user = signedInSupervisor(request);
    const today = shanghaiDate(k.o.clock());
    const from = request.query.from || addDays(today, -(DASHBOARD_DAYS - 1));
    const to = request.query.to || today;
    const problems = [
      ...(isDate(from) ? [] : [{ path: 'from', message: '请填写有效的日期', label: '统计期间自' }]),
      ...(isDate(to) ? [] : [{ path: 'to', message: '请填写有效的日期', label: '统计期间至' }]),
    ];
    if (!problems.length && from > to) problems.push({ path: 'to', message: '结束日期不能早于开始日期', label: '统计期间至' });
    const state: DashboardState = { from, to, summary: null };
    if (problems.length) {
      return k.html(
        reply,
        dashboardPage(k.ctxOf(request, reply), { ...state, error: { title: '请更正统计期间', detail: '', errors: problems } }),
        400,
      );
    }
    const r = await k.api<DeadlineSummary & Problem>(user, 'GET', `/v1/deadlines/summary?${new URLSearchParams({ from, to }).toString()}`);
    if (r.status === 400) {
      const refused = refusalOf(r, '请更正统计期间');
      return k.html(reply, dashboardPage(k.ctxOf(request, reply), { ...state, error: refused.error }), 400);
    }
    if (r.status !== 200) throw apiUnavailable('deadline summary', r.status);
    return k.html(reply, dashboardPage(k.ctxOf(request, reply), { ...state, summary: r.body }));
  });

  // The deadlines behind a figure of the dashboard.
  app.get(
    '/deadlines/list',
    {
      schema: {
        hide: true,
        querystring: z.object({ status: param, department: param, closedFrom: param, closedTo: param, cursor: param }),
      },
    },
    async (request, reply) => {
      const user = signedInSupervisor(request);
      const q = request.query;
      const status = (listStatuses as readonly string[]).includes(q.status ?? '') ? (q.status as string) : 'open';
      const query = {
        status,
        department: q.department || undefined,
        closedFrom: isDate(q.closedFrom) ? q.closedFrom : undefined,
        closedTo: isDate(q.closedTo) ? q.closedTo : undefined,
        cursor: q.cursor || undefined,
      };
      const params = new URLSearchParams({ status, limit: String(PAGE) });
      for (const key of ['department', 'closedFrom', 'closedTo', 'cursor'] as const) {
        const v = query[key];
        if (v) params.set(key, v);
      }
      const r = await k.api<{ items: ListedDeadline[]; nextCursor: string | null }>(user, 'GET', `/v1/deadlines?${params.toString()}`);
      if (r.status === 400 || r.status === 422) return k.notFound(request, reply, '页面不存在', '筛选条件无效。');
      if (r.status !== 200) throw apiUnavailable('deadline list', r.status);
      const now = k.o.clock();
      return k.html(
        reply,
        deadlineListPage(k.ctxOf(request, reply), {
          q: query,
          items: r.body.items,
          nextCursor: r.body.nextCursor,
          now,
          today: shanghaiDate(now),
        }),
      );
    },
  );

  // 超期与督办.
  const escalationQuery = z.object({ state: param, department: param, cursor: param, done: param, id: param });
  async function renderEscalations(
    request: FastifyRequest,
    reply: FastifyReply,
    { q, state, status = 200 }: { q: EscalationQuery; state: EscalationPageState; status?: number },
  ) {
    const user = signedInSupervisor(request);
    const params = new URLSearchParams({ limit: String(PAGE) });
    if (q.state && (escalationStates as readonly string[]).includes(q.state)) params.set('state', q.state);
    if (q.department) params.set('department', q.department);
    if (q.cursor) params.set('cursor', q.cursor);
    const r = await k.api<{ items: EscalationView[]; nextCursor: string | null }>(user, 'GET', `/v1/escalations?${params.toString()}`);
    if (r.status === 400 || r.status === 422) return k.notFound(request, reply, '页面不存在', '筛选条件无效。');
    if (r.status !== 200) throw apiUnavailable('escalations', r.status);
    return k.html(
      reply,
      escalationsPage(k.ctxOf(request, reply), {
        q,
        items: r.body.items,
        nextCursor: r.body.nextCursor,
        departments: departments.map((d): [string, string] => [d.code, d.name]),
        state,
        formKey: () => randomUUID(),
      }),
      status,
    );
  }

  app.get('/escalations', { schema: { hide: true, querystring: escalationQuery } }, async (request, reply) => {
    const { done, id, ...q } = request.query;
    const state: EscalationPageState = done && id && (done === 'acknowledge' || done === 'follow_up') ? { done: { id, what: done } } : {};
    return renderEscalations(request, reply, { q, state });
  });

  const escalationParams = z.object({ id: z.string().min(1).max(300), action: z.enum(['acknowledge', 'follow-ups']) });
  app.post(
    '/escalations/:id/:action',
    {
      schema: { hide: true, params: escalationParams, body: formBody },
      config: { notFound: { title: '未找到', text: '没有这个督办事项。' } },
    },
    async (request, reply) => {
      const user = signedInSupervisor(request);
      const { id, action } = request.params;
      const form = request.body;
      const note = typeof form.note === 'string' ? form.note : undefined;
      const r = await k.api<Problem>(user, 'POST', `/v1/escalations/${encodeURIComponent(id)}/${action}`, {
        ...(action === 'follow-ups' ? { payload: { note: note ?? '' } } : {}),
        headers: { 'idempotency-key': formKeyOf(form._key) },
      });
      const what = action === 'acknowledge' ? 'acknowledge' : 'follow_up';
      if (r.status === 200 || r.status === 201) {
        return reply.redirect(`/console/supervise/escalations?${new URLSearchParams({ done: what, id }).toString()}`, 303);
      }
      const refused = refusalOf(r, action === 'acknowledge' ? '未能确认' : '未能记录督办情况', {
        409: action === 'acknowledge' ? '此事项已确认' : '请先确认此事项',
        404: '没有这个督办事项',
      });
      const detail =
        refused.error.errors?.some((e) => e.path.includes('note')) === true
          ? '请填写督办情况（不超过2000字）。'
          : r.status === 409 && action === 'follow-ups'
            ? '督办前须先确认该事项。'
            : r.status === 409
              ? '该事项已由其他审核人员确认。'
              : refused.error.detail;
      return renderEscalations(request, reply, {
        q: {},
        state: { error: { id, title: refused.error.title, detail, ...(note !== undefined ? { note } : {}) } },
        status: refused.status,
      });
    },
  );

  // 审计日志.
  app.get(
    '/audit',
    {
      schema: {
        hide: true,
        querystring: z.object({
          caseId: param,
          subjectId: param,
          actor: param,
          after: param,
          before: param,
          order: param,
          cursor: param,
          highlight: param,
          verify: param,
        }),
      },
    },
    async (request, reply) => {
      const user = signedInSupervisor(request);
      const raw = request.query;
      const q: AuditQuery = {
        caseId: raw.caseId || undefined,
        subjectId: raw.subjectId || undefined,
        actor: raw.actor || undefined,
        after: raw.after || undefined,
        before: raw.before || undefined,
        order: raw.order === 'asc' ? 'asc' : 'desc',
        cursor: raw.cursor && /^\d{1,19}$/.test(raw.cursor) ? raw.cursor : undefined,
        highlight: raw.highlight || undefined,
      };
      const problems: { path: string; message: string; label: string }[] = [];
      const after = q.after ? fromLocalInput(q.after) : undefined;
      const before = q.before ? fromLocalInput(q.before) : undefined;
      if (q.after && !after) problems.push({ path: 'after', message: '请填写有效的时间', label: '起始时间' });
      if (q.before && !before) problems.push({ path: 'before', message: '请填写有效的时间', label: '截止时间' });
      const verify = raw.verify === '1' ? await verifyChain(k, user) : null;
      const data: AuditPageData = { q, items: [], nextCursor: null, verify };
      if (problems.length) {
        return k.html(
          reply,
          auditPage(k.ctxOf(request, reply), { ...data, error: { title: '请更正查询条件', detail: '', errors: problems } }),
          400,
        );
      }
      const params = new URLSearchParams({ limit: String(PAGE), order: q.order ?? 'desc' });
      if (q.caseId) params.set('caseId', q.caseId);
      if (q.subjectId) params.set('subjectId', q.subjectId);
      if (q.actor) params.set('actor', q.actor);
      if (after) params.set('after', after);
      if (before) params.set('before', before);
      if (q.cursor) params.set('cursor', q.cursor);
      const r = await k.api<{ items: AuditEntryViewOf[]; nextCursor: string | null } & Problem>(
        user,
        'GET',
        `/v1/audit?${params.toString()}`,
      );
      if (r.status === 400 || r.status === 422) {
        const refused = refusalOf(r, '请更正查询条件');
        return k.html(reply, auditPage(k.ctxOf(request, reply), { ...data, error: refused.error }), 400);
      }
      if (r.status !== 200) throw apiUnavailable('audit log', r.status);
      return k.html(reply, auditPage(k.ctxOf(request, reply), { ...data, items: r.body.items, nextCursor: r.body.nextCursor }));
    },
  );
}

async function verifyChain(k: ConsoleKit, user: Principal): Promise<AuditVerifyResult> {
  const r = await k.api<AuditVerifyResult>(user, 'GET', '/v1/audit/verify');
  if (r.status !== 200) throw apiUnavailable('audit verify', r.status);
  return r.body;
}
