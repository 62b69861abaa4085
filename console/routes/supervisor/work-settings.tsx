/** 日历与时限 and 案件查询 of the supervisors' work (routes registered by work.tsx). */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Principal } from '../../../contract/principal';
import { refusalOf, type Problem } from '../../api-client';
import { expandDates } from '../../date-lists';
import { formBody, keptValues } from '../../form-fields';
import type { ConsoleKit } from '../../kit';
import type { MovedDeadline } from '../../pages/supervisor/approvals';
import { caseSearchPage, type CaseRow } from '../../pages/supervisor/cases';
import {
  calendarCheckPage,
  settingsPage,
  type CalendarFormState,
  type CalendarStatus,
  type CalendarYearView,
  type PolicyEntry,
  type PolicyQuery,
} from '../../pages/supervisor/settings';
import { shanghaiDate } from '../../time';
import { formKeyOf } from '../records';
import { signedInSupervisor } from '../../guards';

/** A filter that does not fit is ignored rather than refused: the page shows its default. */
const policyQuery = z.object({
  procedure: z.enum(['listing', 'objection', 'repair']).catch('listing'),
  department: z.string().max(40).optional().catch(undefined),
  on: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .optional()
    .catch(undefined),
});

const CALENDAR_FIELD: Record<string, string> = { year: '年度', source: '依据', holidays: '放假日期', workdays: '调休上班日期' };

/** The API's problem path as the calendar form's field: `body.holidays.3` → `holidays`, `params.year` → `year`. */
function calendarField(path: string): string {
  const p = path.replace(/^(body|params|querystring)\.?/, '');
  const head = p.split('.')[0] ?? '';
  return ['year', 'source', 'holidays', 'workdays'].includes(head) ? head : 'holidays';
}

export function calendarPolicyRoutes(scope: FastifyInstance, k: ConsoleKit): void {
  const app = scope.withTypeProvider<ZodTypeProvider>();
  async function show(
    request: FastifyRequest,
    reply: FastifyReply,
    { user, q, form, status = 200 }: { user: Principal; q: z.infer<typeof policyQuery>; form: CalendarFormState; status?: number },
  ) {
    const today = shanghaiDate(k.o.clock());
    const pq: PolicyQuery = {
      procedure: q.procedure,
      department: q.department ?? (user.role === 'subject' ? '' : user.dept),
      on: q.on ?? today,
    };
    const [years, calStatus, policy, overrides] = await Promise.all([
      k.api<{ items: CalendarYearView[] }>(user, 'GET', '/v1/calendar/years'),
      k.api<CalendarStatus>(user, 'GET', '/v1/calendar/status'),
      k.api<Record<string, PolicyEntry>>(user, 'GET', `/v1/policy?${new URLSearchParams({ ...pq }).toString()}`),
      k.api<{ items: Record<string, unknown>[] }>(user, 'GET', '/v1/policy/overrides'),
    ]);
    for (const [what, r] of [
      ['calendar years', years],
      ['calendar status', calStatus],
      ['policy overrides', overrides],
    ] as const) {
      if (r.status !== 200) throw new Error(`${what} could not be read (${r.status})`);
    }
    return k.html(
      reply,
      settingsPage(k.ctxOf(request, reply), {
        years: years.body.items,
        status: calStatus.body,
        policy: policy.status === 200 ? policy.body : null,
        overrides: overrides.body.items,
        q: pq,
        today,
        form,
      }),
      status,
    );
  }

  app.get('/settings', { schema: { hide: true, querystring: policyQuery } }, async (request, reply) =>
    show(request, reply, { user: signedInSupervisor(request), q: request.query, form: { values: {}, formKey: randomUUID() } }),
  );

  app.post('/settings/calendar', { schema: { hide: true, body: formBody } }, async (request, reply) => {
    const user = signedInSupervisor(request);
    const form = request.body;
    const values = keptValues(form);
    const key = formKeyOf(form._key);
    const q = policyQuery.parse({});
    const again = (error: CalendarFormState['error'], status: number) =>
      show(request, reply, { user, q, form: { values, formKey: key, ...(error ? { error } : {}) }, status });
    if (form._confirm === 'change') return again(undefined, 200);
    const year = values.year?.trim() ?? '';
    if (!/^\d{4}$/.test(year)) {
      return again(
        { title: '请更正以下内容', detail: '', errors: [{ path: 'year', message: '请填写四位数的年度，如 2027', label: '年度' }] },
        400,
      );
    }
    const holidays = expandDates(values.holidays ?? '');
    const workdays = expandDates(values.workdays ?? '');
    const body = { source: values.source?.trim() ?? '', holidays, workdays };
    const refused = (r: { status: number; body: unknown }, title: string) => {
      const { error, status } = refusalOf(r as { status: number; body: Partial<Problem> }, title);
      return again(
        {
          ...error,
          // The field errors say it all; the API's summary sentence would only repeat them.
          detail: error.errors?.length ? '' : error.detail,
          errors: (error.errors ?? []).map((e) => ({
            ...e,
            path: calendarField(e.path),
            label: CALENDAR_FIELD[calendarField(e.path)] ?? '',
          })),
        },
        status,
      );
    };

    if (form._confirm !== 'yes') {
      const r = await k.api<{ moved: MovedDeadline[]; version: string } & Problem>(user, 'PUT', `/v1/calendar/years/${year}?dryRun=true`, {
        payload: body,
      });
      if (r.status !== 200) return refused(r, '该安排不能载入');
      return k.html(
        reply,
        calendarCheckPage(k.ctxOf(request, reply), {
          values: { ...values, _key: key },
          holidays,
          workdays,
          moved: r.body.moved,
          version: r.body.version,
        }),
      );
    }
    const r = await k.api<{ id: string } & Problem>(user, 'PUT', `/v1/calendar/years/${year}`, {
      payload: body,
      headers: { 'idempotency-key': key },
    });
    if (r.status !== 202) return refused(r, '未能提出载入申请');
    return show(request, reply, { user, q, form: { values: {}, formKey: randomUUID(), proposed: { id: r.body.id } } });
  });
}

const caseQuery = z.object({
  procedure: z.enum(['listing', 'objection', 'repair']).optional().catch(undefined),
  state: z.string().max(40).optional().catch(undefined),
  subjectId: z.string().trim().max(32).optional().catch(undefined),
  department: z.string().max(40).optional().catch(undefined),
  cursor: z.string().max(200).optional().catch(undefined),
});

export function caseSearchRoutes(scope: FastifyInstance, k: ConsoleKit): void {
  const app = scope.withTypeProvider<ZodTypeProvider>();
  app.get('/cases', { schema: { hide: true, querystring: caseQuery } }, async (request, reply) => {
    const user = signedInSupervisor(request);
    const q = Object.fromEntries(Object.entries(request.query).filter(([, v]) => typeof v === 'string' && v !== '')) as Record<
      string,
      string
    >;
    const r = await k.api<{ items: CaseRow[]; nextCursor: string | null } & Problem>(
      user,
      'GET',
      `/v1/cases?${new URLSearchParams({ ...q, limit: '50' }).toString()}`,
    );
    if (r.status === 200) {
      return k.html(reply, caseSearchPage(k.ctxOf(request, reply), { q, items: r.body.items, nextCursor: r.body.nextCursor }));
    }
    if (r.status >= 500) throw new Error(`the cases could not be read (${r.status})`);
    return k.html(
      reply,
      caseSearchPage(k.ctxOf(request, reply), { q, items: [], nextCursor: null, error: '查询条件无效（如翻页链接已过期），请重新查询。' }),
      400,
    );
  });
}
