/** The officer's case work: the workbench, the agency's queues, a case with its actions, its documents. */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Principal } from '../../contract/principal';
import type { WorkbenchItem } from '../../contract/workbench';
import { workingDaysLeft } from '../../domain/calendar/working-days-left';
import { PROCEDURE_ACTIONS } from '../../workflows/procedure-actions';
import type { CaseView, Procedure } from '../../workflows/common/case-types';
import { unavailableReason } from '../action-availability';
import { apiUnavailable, refusalOf, type Problem } from '../api-client';
import { calendarOf } from '../api-reads';
import { evidenceOf, keptFieldName, withEvidence, type EvidenceFile } from '../evidence';
import { bodyOf, fieldsOf, formBody, keptValues, parseZh, type FormValues } from '../form-fields';
import { signedInOfficer, signedInUser } from '../guards';
import type { ConsoleKit } from '../kit';
import { FIELD, label } from '../labels';
import { casePage, checkPage, type ActionOffer, type FormState } from '../pages/case';
import { queuesOf, queuesPage } from '../pages/queues';
import { workbenchPage } from '../pages/workbench';
import { shanghaiDate } from '../time';
import { answerText } from '../ui';
import { formKeyOf } from './records';
import { serviceOf } from './service-addresses';

// A document is the printable page it was issued as, with its own inline print style; it runs no script.
export const DOCUMENT_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** Rows on a workbench page, and the deepest page the API will give (its offset limit). */
const WORKBENCH_PAGE = 50;
const MAX_OFFSET = 100_000;
/** The most urgent rows a queue shows; the rest are counted and found through the workbench's filters. */
const QUEUE_ROWS = 100;

const TITLES: Record<string, string> = {
  open: '立案',
  import_listed: '导入列入决定',
  import_expired: '导入（已届满）',
  statement_window_lapsed: '陈述申辩期限届满',
  deadline_lapsed: '期限届满',
  deadline_breached: '期限超期',
  deadline_blocked: '期限暂无法计算',
  deadline_unblocked: '期限恢复计算',
  deadlines_recomputed: '期限按节假日安排重算',
  effects_applied: '修复决定已执行',
  remove: '移出名单',
  electronic_service_failed: '电子送达未成功',
  service_address: '登记电子送达地址',
};

/** A timeline entry's or an action's title in Chinese: the action's declared title, else the lifecycle's own words. */
export function actionTitle(procedure: string, action: string): string {
  const declared = Object.hasOwn(PROCEDURE_ACTIONS, procedure) ? PROCEDURE_ACTIONS[procedure as Procedure][action] : undefined;
  return declared?.title ?? TITLES[action] ?? action;
}

/** The form of each action definition, derived once (a JSON Schema walk) rather than on every page. */
const forms = new WeakMap<object, ReturnType<typeof fieldsOf>>();
function formOf(def: Parameters<typeof fieldsOf>[0]): ReturnType<typeof fieldsOf> {
  let f = forms.get(def);
  if (!f) forms.set(def, (f = fieldsOf(def)));
  return f;
}

/**
 * A query parameter as text: a parameter given twice reads as its values joined, as URLSearchParams would send it on,
 * so the API judges it as it did before the console validated its queries.
 */
const queryText = z
  .union([z.string(), z.array(z.string())])
  .transform((v) => (Array.isArray(v) ? v.join(',') : v))
  .optional();

const workbenchQuery = z.object({ procedure: queryText, state: queryText, due: queryText, q: queryText, page: queryText });
type WorkbenchFilter = Omit<z.infer<typeof workbenchQuery>, 'page'>;

/** The workbench's rows as the API gives them; a filter the API refuses is said, a failure is a 503 page. */
async function workbenchData(k: ConsoleKit, user: Principal, q: WorkbenchFilter, page: { limit: number; offset: number }) {
  const params = new URLSearchParams();
  for (const key of ['procedure', 'state', 'due', 'q'] as const) {
    const value = q[key];
    if (value) params.set(key, value);
  }
  params.set('limit', String(page.limit));
  params.set('offset', String(page.offset));
  const r = await k.api<{ items: WorkbenchItem[]; total: number } & Problem>(user, 'GET', `/v1/workbench?${params.toString()}`);
  if (r.status === 200) return { items: r.body.items, total: r.body.total, refused: null };
  if (r.status === 400) return { items: [], total: 0, refused: '筛选条件无效，请重新选择。' };
  throw apiUnavailable('workbench read', r.status);
}

/** 工作台, for anyone signed in: an officer's open cases; the others' pages are still to come. */
export function workbenchRoutes(scope: FastifyInstance, k: ConsoleKit): void {
  const app = scope.withTypeProvider<ZodTypeProvider>();
  app.get('/', { schema: { hide: true, querystring: workbenchQuery } }, async (request, reply) => {
    const user = signedInUser(request);
    // Each user group has its own first page; the workbench is the officers'.
    if (user.role === 'subject') return reply.redirect('/console/me/records', 303);
    if (user.role === 'supervisor') return reply.redirect('/console/supervise/approvals', 303);
    const q = request.query;
    const pageNo = Math.min(Math.max(1, Number.parseInt(q.page ?? '1', 10) || 1), Math.floor(MAX_OFFSET / WORKBENCH_PAGE) + 1);
    const data = await workbenchData(k, user, q, { limit: WORKBENCH_PAGE, offset: (pageNo - 1) * WORKBENCH_PAGE });
    const now = k.o.clock();
    return k.html(
      reply,
      workbenchPage(k.ctxOf(request, reply), {
        q,
        data: { ...data, page: pageNo, pageSize: WORKBENCH_PAGE },
        now,
        today: shanghaiDate(now),
        actionTitle,
      }),
    );
  });
}

/** 受理队列, for officers. */
export function queueRoutes(app: FastifyInstance, k: ConsoleKit): void {
  app.get('/', { schema: { hide: true } }, async (request, reply) => {
    const user = signedInOfficer(request);
    // Each queue is its own read, so none is cut short by another's length.
    const queues = await Promise.all(
      queuesOf(user.dept).map(async (queue) => ({
        ...queue,
        ...(await workbenchData(k, user, { procedure: queue.procedure, state: queue.state }, { limit: QUEUE_ROWS, offset: 0 })),
      })),
    );
    const now = k.o.clock();
    return k.html(reply, queuesPage(k.ctxOf(request, reply), queues, now, shanghaiDate(now)));
  });
}

/**
 * What the user could do in the case now, and for the rest why not and when (from the case's allowed actions, its
 * deadlines and the definitions: console/action-availability.ts).
 */
function offersFor(user: Principal, c: CaseView, now: Date): ActionOffer[] {
  const defs = PROCEDURE_ACTIONS[c.procedure];
  return Object.entries(defs)
    .filter(([, def]) => def.roles.includes(user.role))
    .map(([name, def]) => ({
      name,
      def,
      fields: formOf(def),
      unavailable: unavailableReason(c, name, { viewer: user, now }),
    }));
}

// Any id is passed on to the API, which answers what it does not know as not found, as it answers a case id's reader.
const caseParams = z.object({ id: z.string() });

/** A case with its actions and its documents, for anyone signed in (the API says what each may see and do). */
export function caseRoutes(scope: FastifyInstance, k: ConsoleKit): void {
  const app = scope.withTypeProvider<ZodTypeProvider>();

  async function renderCase(
    request: FastifyRequest,
    reply: FastifyReply,
    { user, id, ...extra }: { user: Principal; id: string; form?: FormState; done?: string; status?: number },
  ) {
    const r = await k.api<CaseView & { evidenceFiles?: EvidenceFile[] }>(user, 'GET', `/v1/cases/${encodeURIComponent(id)}`);
    if (r.status === 404 || r.status === 400) return k.notFound(request, reply, '案件不存在', '没有这个案件，或您无权查看。');
    if (r.status !== 200) throw apiUnavailable('case read', r.status);
    const now = k.o.clock();
    const today = shanghaiDate(now);
    const service = await serviceOf(k, user, r.body);
    // Working days left, for the tags of the periods still running.
    const calendar = r.body.deadlines.some((d) => d.status === 'open') ? await calendarOf(k.api, user) : null;
    const view: CaseView = {
      ...r.body,
      deadlines: r.body.deadlines.map((d) =>
        d.status === 'open' && calendar ? { ...d, workingDaysLeft: workingDaysLeft(calendar, today, d.dueDate) } : d,
      ),
    };
    return k.html(
      reply,
      casePage(k.ctxOf(request, reply), view, offersFor(user, r.body, now), {
        now,
        today,
        files: r.body.evidenceFiles ?? [],
        ...(extra.form ? { form: extra.form } : {}),
        ...(extra.done ? { done: extra.done } : {}),
        formKey: () => randomUUID(),
        actionTitle: (a) => actionTitle(r.body.procedure, a),
        ...(service ? { service } : {}),
      }),
      extra.status ?? 200,
    );
  }

  app.get('/:id', { schema: { hide: true, params: caseParams, querystring: z.object({ done: queryText }) } }, async (request, reply) => {
    const { done } = request.query;
    return renderCase(request, reply, { user: signedInUser(request), id: request.params.id, ...(done ? { done } : {}) });
  });

  app.post(
    '/:id/actions/:action',
    { schema: { hide: true, params: caseParams.extend({ action: z.string() }), body: formBody } },
    async (request, reply) => {
      const user = signedInUser(request);
      const { id, action } = request.params;
      let form: FormValues = request.body;
      const key = formKeyOf(form._key);
      let values: Record<string, string> = { ...keptValues(form), _key: key };
      const c = await k.api<CaseView>(user, 'GET', `/v1/cases/${encodeURIComponent(id)}`);
      if (c.status !== 200) return renderCase(request, reply, { user, id });
      const offer = offersFor(user, c.body, k.o.clock()).find((x) => x.name === action);
      if (!offer) return renderCase(request, reply, { user, id, status: 404 });
      // The files chosen are uploaded first and kept on the form (hidden) from then on, whatever happens next.
      for (const f of offer.fields.filter((x) => x.kind === 'files')) {
        const evidence = await evidenceOf(k, request, { user, field: f.name, formKey: key });
        values = withEvidence(values, f.name, evidence.files);
        form = { ...form, [keptFieldName(f.name)]: JSON.stringify(evidence.files) };
        if (evidence.problem) {
          const error = { title: '请更正以下内容', detail: '', errors: [evidence.problem] };
          return renderCase(request, reply, { user, id, form: { action, values, error }, status: 400 });
        }
      }
      const confirm = form._confirm;
      if (confirm === 'change') return renderCase(request, reply, { user, id, form: { action, values } });
      const body = bodyOf(offer.fields, form);
      if (offer.def.significant && confirm !== 'yes') {
        // Check the body before the check step, so what cannot be taken is said on the form, not after confirming.
        const errors = parseZh(offer.def.body, body).problems;
        if (errors) {
          return renderCase(request, reply, {
            user,
            id,
            form: { action, values, error: { title: '请更正以下内容', detail: '', errors } },
            status: 400,
          });
        }
        const answers = offer.fields.map((f): [string, string] => [label(FIELD, f.name), answerText(f, values)]);
        return k.html(reply, checkPage(k.ctxOf(request, reply), { case: c.body, offer, values, answers }));
      }
      const r = await k.api<Problem>(user, 'POST', `/v1/cases/${encodeURIComponent(id)}/actions/${action}`, {
        payload: body,
        headers: { 'idempotency-key': key },
      });
      if (r.status === 200) {
        // A document the mail server refused was not served: the case page says so where electronic service is shown.
        const failures = (v: Partial<CaseView>) => (v.timeline ?? []).filter((e) => e.action === 'electronic_service_failed').length;
        if (failures(r.body as Partial<CaseView>) > failures(c.body))
          return reply.redirect(`/console/cases/${encodeURIComponent(id)}#h-service`, 303);
        return reply.redirect(`/console/cases/${encodeURIComponent(id)}?done=${encodeURIComponent(action)}`, 303);
      }
      const refused = refusalOf(r, '请更正以下内容', { 409: '此事项未能办理', 403: '您无权办理此事项' });
      return renderCase(request, reply, {
        user,
        id,
        form: { action, values, error: refused.error },
        status: refused.status,
      });
    },
  );

  // A case's evidence file, passed through from the API as it answers (attachment, nosniff, its type; the API audits it).
  app.get('/:id/files/:fileId', { schema: { hide: true, params: caseParams.extend({ fileId: z.string() }) } }, async (request, reply) => {
    const { id, fileId } = request.params;
    const r = await k.api<Buffer>(signedInUser(request), 'GET', `/v1/cases/${encodeURIComponent(id)}/files/${encodeURIComponent(fileId)}`, {
      raw: true,
    });
    // A failure of ours is a 503 (the console's error page), not a file that is not there.
    if (r.status >= 500) throw apiUnavailable('file read', r.status);
    if (r.status !== 200) return k.notFound(request, reply, '文件不存在', '没有这个文件，或您无权查看。');
    for (const h of ['content-type', 'content-disposition', 'x-content-type-options', 'content-security-policy', 'cache-control']) {
      const v = r.headers[h];
      if (v !== undefined) reply.header(h, v);
    }
    return reply.code(200).send(r.body);
  });

  app.get(
    '/:id/documents/:documentId',
    { schema: { hide: true, params: caseParams.extend({ documentId: z.string() }) } },
    async (request, reply) => {
      const { id, documentId } = request.params;
      const r = await k.api<{ html: string }>(
        signedInUser(request),
        'GET',
        `/v1/cases/${encodeURIComponent(id)}/documents/${encodeURIComponent(documentId)}`,
      );
      if (r.status >= 500) throw apiUnavailable('document read', r.status);
      if (r.status !== 200) return k.notFound(request, reply, '文书不存在', '没有这份文书，或您无权查看。');
      reply.header('content-security-policy', DOCUMENT_CSP);
      return k.html(reply, r.body.html);
    },
  );
}
