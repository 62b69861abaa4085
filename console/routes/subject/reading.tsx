/** What a subject reads: their cases' timelines, the notices served on them, their credit reports. */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { workingDaysLeft } from '../../../domain/calendar/working-days-left';
import type { CaseView } from '../../../workflows/common/case-types';
import { unavailableReason } from '../../action-availability';
import { apiUnavailable, refusalOf, type Problem } from '../../api-client';
import { calendarOf } from '../../api-reads';
import { formBody } from '../../form-fields';
import { signedInSubject, type Subject } from '../../guards';
import type { ConsoleKit } from '../../kit';
import { myCasePage, myCasesPage, type CaseSummary, type StatementOffer } from '../../pages/subject/cases';
import { noticesPage, type NoticeItem } from '../../pages/subject/notices';
import { reportCheckPage, reportsPage, type ReportQuota, type ReportSummary } from '../../pages/subject/reports';
import { dateText, dateTimeText, shanghaiDate } from '../../time';
import { DOCUMENT_CSP, actionTitle } from '../cases';
import { formKeyOf } from '../records';

/** Rows a list page shows; the subject's own notices, reports and cases are few. */
const PAGE_SIZE = 50;
/** The most notices read to find those of one case: more than any case serves on one subject. */
const CASE_NOTICES = 500;

/** A query parameter given twice reads as its first value; a cursor is the API's to judge. */
const oneText = z
  .union([z.string(), z.array(z.string())])
  .transform((v) => (Array.isArray(v) ? (v[0] ?? '') : v))
  .optional();
const pageQuery = z.object({ cursor: oneText });
const idParams = z.object({ id: z.string().min(1).max(200) });

const listUrl = (path: string, cursor: string | undefined) =>
  `${path}?${new URLSearchParams({ limit: String(PAGE_SIZE), ...(cursor ? { cursor } : {}) }).toString()}`;

interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/**
 * The subject's statement on a listing case: while the case takes it, a link to the statement form; otherwise the
 * statement already given, or when the window closed, or why it cannot be given yet.
 */
function statementOf(c: CaseView, viewer: Subject, now: Date): StatementOffer | null {
  if (c.procedure !== 'listing') return null;
  const window = c.deadlines.filter((d) => d.kind === 'statement_window').pop();
  const reason = unavailableReason(c, 'submit_statement', { viewer, now });
  if (reason === null) return { open: true, due: window };
  const { statement, notice } = c.details;
  if (statement) return { open: false, reason: `您已于${dateTimeText(statement.submittedAt)}提交陈述申辩。` };
  if (window?.status === 'lapsed') return { open: false, reason: `陈述申辩期限已于${dateText(window.dueDate)}24时届满，未提交陈述申辩。` };
  if (c.state === 'opened') return { open: false, reason: '拟列入告知书送达后，可在陈述申辩期限内提交陈述申辩。' };
  // A listing imported as decided before go-live had its statement outside this system.
  if (!notice) return null;
  return { open: false, reason: `目前不能提交陈述申辩：${reason}。` };
}

export function subjectReadingRoutes(scope: FastifyInstance, k: ConsoleKit): void {
  const app = scope.withTypeProvider<ZodTypeProvider>();
  const notFoundConfig = (title: string) => ({ notFound: { title, text: '没有这项内容，或您无权查看。' } });

  // ---- 我的文书 ----

  app.get('/notices', { schema: { hide: true, querystring: pageQuery } }, async (request, reply) => {
    const user = signedInSubject(request);
    const { cursor } = request.query;
    const r = await k.api<Page<NoticeItem>>(user, 'GET', listUrl('/v1/me/notices', cursor));
    // A cursor the API did not issue (typed or stale) starts the list again.
    if ((r.status === 400 || r.status === 422) && cursor) return reply.redirect('/console/me/notices', 303);
    if (r.status !== 200) throw apiUnavailable('notices read', r.status);
    return k.html(reply, noticesPage(k.ctxOf(request, reply), { ...r.body, paged: Boolean(cursor) }));
  });

  // The notice opens as the printable document it is; the API records the first opening.
  app.get('/notices/:id', { schema: { hide: true, params: idParams }, config: notFoundConfig('文书不存在') }, async (request, reply) => {
    const r = await k.api<{ html: string }>(signedInSubject(request), 'GET', `/v1/me/notices/${encodeURIComponent(request.params.id)}`);
    if (r.status === 404 || r.status === 400) return k.notFound(request, reply, '文书不存在', '没有这份文书，或您无权查看。');
    if (r.status !== 200) throw apiUnavailable('notice read', r.status);
    reply.header('content-security-policy', DOCUMENT_CSP);
    return k.html(reply, r.body.html);
  });

  // ---- 信用报告 ----

  const reportsUrl = (user: Subject) => `/v1/subjects/${encodeURIComponent(user.subjectId)}/reports`;
  const readReports = async (user: Subject, cursor: string | undefined) =>
    k.api<Page<ReportSummary> & { quota: ReportQuota }>(user, 'GET', listUrl(reportsUrl(user), cursor));

  async function renderReports(
    request: FastifyRequest,
    reply: FastifyReply,
    opts: {
      user: Subject;
      cursor?: string | undefined;
      done?: string | undefined;
      error?: { title: string; detail: string };
      status?: number;
    },
  ) {
    const r = await readReports(opts.user, opts.cursor);
    if ((r.status === 400 || r.status === 422) && opts.cursor) return reply.redirect('/console/me/reports', 303);
    if (r.status !== 200) throw apiUnavailable('reports read', r.status);
    return k.html(
      reply,
      reportsPage(k.ctxOf(request, reply), {
        ...r.body,
        paged: Boolean(opts.cursor),
        formKey: randomUUID(),
        done: opts.done,
        error: opts.error,
      }),
      opts.status ?? 200,
    );
  }

  app.get('/reports', { schema: { hide: true, querystring: pageQuery.extend({ done: oneText }) } }, async (request, reply) => {
    const { cursor, done } = request.query;
    return renderReports(request, reply, {
      user: signedInSubject(request),
      cursor,
      done: done && /^RPT-[\w-]{1,40}$/.test(done) ? done : undefined,
    });
  });

  // A report is issued only after its check step: it uses one of the year's free reports (Art 50).
  app.post('/reports', { schema: { hide: true, body: formBody } }, async (request, reply) => {
    const user = signedInSubject(request);
    const form = request.body;
    const confirm = form._confirm;
    if (confirm === 'change') return reply.redirect('/console/me/reports', 303);
    const key = formKeyOf(form._key);
    if (confirm !== 'yes') {
      const r = await readReports(user, undefined);
      if (r.status !== 200) throw apiUnavailable('reports read', r.status);
      const { quota } = r.body;
      if (quota.remaining <= 0) return renderReports(request, reply, { user, error: quotaUsed(quota), status: 409 });
      return k.html(reply, reportCheckPage(k.ctxOf(request, reply), { subjectId: user.subjectId, quota, values: { _key: key } }));
    }
    const r = await k.api<{ id: string } & Problem & { resetsOn?: string; quota?: number }>(user, 'POST', reportsUrl(user), {
      headers: { 'idempotency-key': key },
    });
    if (r.status === 201) return reply.redirect(`/console/me/reports?done=${encodeURIComponent(r.body.id)}`, 303);
    if (r.status === 409 && r.body.resetsOn) {
      const year = Number(r.body.resetsOn.slice(0, 4)) - 1;
      return renderReports(request, reply, {
        user,
        error: quotaUsed({ year, of: r.body.quota ?? 0, resetsOn: r.body.resetsOn }),
        status: 409,
      });
    }
    const refused = refusalOf(r, '未能出具信用报告');
    return renderReports(request, reply, { user, error: refused.error, status: refused.status });
  });

  app.get(
    '/reports/:id',
    { schema: { hide: true, params: idParams }, config: notFoundConfig('信用报告不存在') },
    async (request, reply) => {
      const user = signedInSubject(request);
      const r = await k.api<{ document: { html: string } }>(user, 'GET', `${reportsUrl(user)}/${encodeURIComponent(request.params.id)}`);
      if (r.status === 404 || r.status === 400) return k.notFound(request, reply, '信用报告不存在', '没有这份信用报告，或您无权查看。');
      if (r.status !== 200) throw apiUnavailable('report read', r.status);
      reply.header('content-security-policy', DOCUMENT_CSP);
      return k.html(reply, r.body.document.html);
    },
  );

  // ---- 我的案件 ----

  app.get('/cases', { schema: { hide: true, querystring: pageQuery } }, async (request, reply) => {
    const user = signedInSubject(request);
    const { cursor } = request.query;
    const r = await k.api<Page<CaseSummary>>(user, 'GET', listUrl('/v1/cases', cursor));
    if ((r.status === 400 || r.status === 422) && cursor) return reply.redirect('/console/me/cases', 303);
    if (r.status !== 200) throw apiUnavailable('cases read', r.status);
    return k.html(reply, myCasesPage(k.ctxOf(request, reply), { ...r.body, paged: Boolean(cursor) }));
  });

  app.get('/cases/:id', { schema: { hide: true, params: idParams }, config: notFoundConfig('案件不存在') }, async (request, reply) => {
    const user = signedInSubject(request);
    const r = await k.api<CaseView>(user, 'GET', `/v1/cases/${encodeURIComponent(request.params.id)}`);
    if (r.status === 404 || r.status === 400) return k.notFound(request, reply, '案件不存在', '没有这个案件，或您无权查看。');
    if (r.status !== 200) throw apiUnavailable('case read', r.status);
    const c = r.body;
    const now = k.o.clock();
    const today = shanghaiDate(now);
    const [calendar, notices] = await Promise.all([
      c.deadlines.some((d) => d.status === 'open') ? calendarOf(k.api, user) : null,
      c.documents.length > 0 ? k.api<Page<NoticeItem>>(user, 'GET', `/v1/me/notices?limit=${CASE_NOTICES}`) : null,
    ]);
    if (notices && notices.status !== 200) throw apiUnavailable('notices read', notices.status);
    const view: CaseView = {
      ...c,
      deadlines: c.deadlines.map((d) =>
        d.status === 'open' && calendar ? { ...d, workingDaysLeft: workingDaysLeft(calendar, today, d.dueDate) } : d,
      ),
    };
    return k.html(
      reply,
      myCasePage(k.ctxOf(request, reply), view, {
        now,
        today,
        notices: notices ? notices.body.items.filter((n) => n.caseId === c.id) : [],
        statement: statementOf(c, user, now),
        actionTitle: (a) => actionTitle(c.procedure, a),
      }),
    );
  });
}

/** The year's free reports are used: how many, and the day they are renewed. */
function quotaUsed(q: Pick<ReportQuota, 'year' | 'of' | 'resetsOn'>): { title: string; detail: string } {
  return {
    title: '本年度的免费信用报告已用完',
    detail: `${q.year}年度的${q.of}份免费信用报告已全部申请，${dateText(q.resetsOn)}起可再次申请。`,
  };
}
