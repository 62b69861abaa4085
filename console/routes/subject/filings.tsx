/** What a subject files: objections, statements on a listing case, repair applications. */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { RecordView } from '../../../contract/records';
import { workingDaysLeft } from '../../../domain/calendar/working-days-left';
import { listingActions } from '../../../workflows/listing/actions';
import type { CaseView, ListingCaseView, ObjectionCaseView, RepairCaseView } from '../../../workflows/common/case-types';
import { OBJECTION_GROUNDS } from '../../../workflows/objection/vocabulary';
import { evidence, isoDate, text } from '../../../workflows/common/schema-parts';
import { unavailableReason } from '../../action-availability';
import { apiUnavailable, refusalOf, type Problem } from '../../api-client';
import { calendarOf } from '../../api-reads';
import { evidenceBody, evidenceOf, evidenceText, keptFieldName, withEvidence, type EvidenceFile } from '../../evidence';
import { bodyOf, fieldsOf, formBody, keptValues, parseZh, type FormValues } from '../../form-fields';
import type { ConsoleKit } from '../../kit';
import { FIELD, label } from '../../labels';
import { objectionCheckPage, objectionFiledPage, objectionFormPage, type FilingError } from '../../pages/subject/objection';
import { GROUNDS, evidenceOf as evidenceRowsOf, evidenceRowsText } from '../../pages/subject/parts';
import { objectable, recordTitle, repairable } from '../../pages/subject/records';
import {
  COMMITMENT_TEXT,
  repairCheckPage,
  repairFiledPage,
  repairFormPage,
  type RepairEligibility,
  type RepairOption,
} from '../../pages/subject/repair';
import { statementCheckPage, statementPage } from '../../pages/subject/statement';
import { shanghaiDate } from '../../time';
import { answerText, dateText } from '../../ui';
import { formKeyOf } from '../records';
import { myRecords, recordIdParam } from './records';
import { signedInSubject, type Subject } from '../../guards';

/** The words of each field a filing's errors name, for the error summary. */
const FIELD_WORDS: Record<string, string> = {
  recordId: '异议的信息',
  grounds: '异议理由',
  statement: '陈述',
  evidence: '证据材料',
  target: '申请修复的信息或名单',
  'commitment.text': '承诺内容',
  'commitment.signedOn': '签署日期',
  'commitment.signed': '信用承诺',
};

function labelled(errors: { path: string; message: string }[] | undefined) {
  return (errors ?? []).map((e) => {
    const path = e.path.replace(/^body\./, '');
    const key = Object.keys(FIELD_WORDS).find((k) => path === k || path.startsWith(`${k}.`));
    return { ...e, path, label: key ? FIELD_WORDS[key] : label(FIELD, path.split('.')[0] ?? '') };
  });
}

const correct = (errors: { path: string; message: string }[]): FilingError => ({
  title: '请更正以下内容',
  detail: '',
  errors: labelled(errors),
});

/** What the console checks before its check step; the API judges the body again with its own schema and rules. */
const objectionForm = z.object({ recordId: recordIdParam, grounds: z.enum(OBJECTION_GROUNDS), statement: text(20_000), evidence });
const repairForm = z.object({
  statement: text(20_000),
  evidence,
  commitment: z.object({ text: text(20_000), signedOn: isoDate }),
});

const caseIdParam = z.object({ id: z.string().regex(/^[A-Z]{3}-\d{8}-[0-9A-Z]{10}$/) });
const CASE_NOT_FOUND = { title: '案件不存在', text: '没有这个案件，或您无权查看。' };
const queryText = z
  .union([z.string(), z.array(z.string())])
  .transform((v) => (Array.isArray(v) ? (v[0] ?? '') : v))
  .optional();

const FILES = 'evidenceFiles';

/**
 * The form's values with its evidence files: those kept from earlier renders and those just chosen, uploaded through
 * the API as the subject. A refused file (type, size, count) is a problem at the files' field; everything else typed stays.
 */
async function filesOf(k: ConsoleKit, request: FastifyRequest, user: Subject) {
  const form = request.body as FormValues;
  const key = formKeyOf(form._key);
  const up = await evidenceOf(k, request, { user, field: FILES, formKey: key });
  const values = withEvidence({ ...keptValues(form), _key: key }, FILES, up.files);
  return { form: { ...form, [keptFieldName(FILES)]: JSON.stringify(up.files) }, values, key, files: up.files, problem: up.problem };
}

/** A case of mine through the API, or null where the API does not show it to me (another subject's is not found). */
async function myCase(k: ConsoleKit, user: Subject, id: string): Promise<CaseView | null> {
  const r = await k.api<CaseView>(user, 'GET', `/v1/cases/${encodeURIComponent(id)}`);
  if (r.status === 404 || r.status === 400) return null;
  if (r.status !== 200) throw apiUnavailable('case read', r.status);
  return r.body;
}

/** Working days left on each open period, for the tags. */
async function withDaysLeft<C extends CaseView>(k: ConsoleKit, user: Subject, c: C, today: string): Promise<C> {
  if (!c.deadlines.some((d) => d.status === 'open')) return c;
  const calendar = await calendarOf(k.api, user);
  return {
    ...c,
    deadlines: c.deadlines.map((d) => (d.status === 'open' ? { ...d, workingDaysLeft: workingDaysLeft(calendar, today, d.dueDate) } : d)),
  };
}

/** A repair target as the forms carry it: `record:REC-…` or `listing:LST-…`. */
function targetOf(q: {
  target?: string | undefined;
  recordId?: string | undefined;
  listingCaseId?: string | undefined;
}): string | undefined {
  if (q.target) return q.target;
  if (q.recordId) return `record:${q.recordId}`;
  if (q.listingCaseId) return `listing:${q.listingCaseId}`;
  return undefined;
}

function targetBody(target: string): { recordId: string } | { listingCaseId: string } | null {
  const m = /^(record|listing):([A-Z0-9-]{1,80})$/.exec(target);
  if (!m?.[2]) return null;
  return m[1] === 'record' ? { recordId: m[2] } : { listingCaseId: m[2] };
}

export function subjectFilingRoutes(scope: FastifyInstance, k: ConsoleKit): void {
  const app = scope.withTypeProvider<ZodTypeProvider>();

  // ---- 提出异议 ----

  async function objectionForm_(
    request: FastifyRequest,
    reply: FastifyReply,
    { user, values, error, status = 200 }: { user: Subject; values: Record<string, string>; error?: FilingError; status?: number },
  ) {
    const records = (await myRecords(k, user)).items.filter(objectable);
    return k.html(
      reply,
      objectionFormPage(k.ctxOf(request, reply), { records, state: { values, ...(error ? { error } : {}) }, formKey: randomUUID() }),
      status,
    );
  }

  app.get('/objections/new', { schema: { hide: true, querystring: z.object({ recordId: queryText }) } }, async (request, reply) => {
    const user = signedInSubject(request);
    const { recordId } = request.query;
    if (!recordId) return objectionForm_(request, reply, { user, values: {} });
    const mine = (await myRecords(k, user)).items.find((r) => r.id === recordId.toUpperCase());
    // Another subject's record is not found, as if it did not exist.
    if (!mine) return k.notFound(request, reply, '信用信息不存在', '没有这条信用信息，或它不是您的。');
    if (!objectable(mine)) {
      const why = mine.objection
        ? `该信息的异议正在处理中（案件 ${mine.objection.caseId}）`
        : `该信息${label({ deleted: '已删除', pending_review: '尚未发布', returned: '已退回报送单位' }, mine.disclosure)}`;
      return objectionForm_(request, reply, { user, values: {}, error: { title: '此信息当前不能提出异议', detail: `${why}。` } });
    }
    return objectionForm_(request, reply, { user, values: { recordId: mine.id } });
  });

  app.post('/objections', { schema: { hide: true, body: formBody } }, async (request, reply) => {
    const user = signedInSubject(request);
    const { form, values, key, files, problem } = await filesOf(k, request, user);
    if (problem) return objectionForm_(request, reply, { user, values, error: correct([problem]), status: 400 });
    if (form._confirm === 'change') return objectionForm_(request, reply, { user, values });
    const v = (n: string) => values[n]?.trim() || undefined;
    const body = {
      recordId: v('recordId'),
      grounds: v('grounds'),
      statement: v('statement'),
      evidence: evidenceRowsOf(values),
      ...evidenceBody(files),
    };
    if (form._confirm !== 'yes') {
      const { data, problems } = parseZh(objectionForm, body);
      if (!data) return objectionForm_(request, reply, { user, values, error: correct(problems), status: 400 });
      const record = (await myRecords(k, user)).items.find((r) => r.id === data.recordId);
      if (!record)
        return objectionForm_(request, reply, {
          user,
          values,
          error: correct([{ path: 'recordId', message: '请选择您的信用信息' }]),
          status: 400,
        });
      const answers: [string, string][] = [
        ['异议的信息', `${recordTitle(record)}（${record.documentNumber}，${dateText(record.decidedOn)}）`],
        ['异议理由', GROUNDS.find(([g]) => g === data.grounds)?.[1] ?? data.grounds],
        ['异议陈述', data.statement],
        ['证据材料', evidenceRowsText(data.evidence)],
        ['证据文件', evidenceText(files)],
      ];
      return k.html(reply, objectionCheckPage(k.ctxOf(request, reply), { values, answers }));
    }
    const r = await k.api<Problem & { id: string }>(user, 'POST', '/v1/cases', {
      payload: { procedure: 'objection', ...body },
      headers: { 'idempotency-key': key },
    });
    if (r.status === 201 || r.status === 200) return reply.redirect(`/console/me/objections/${encodeURIComponent(r.body.id)}`, 303);
    const refused = refusalOf(r, '异议未能提交', { 409: '此信息当前不能提出异议' });
    return objectionForm_(request, reply, {
      user,
      values,
      error: { ...refused.error, errors: labelled(refused.error.errors) },
      status: refused.status,
    });
  });

  app.get(
    '/objections/:id',
    { schema: { hide: true, params: caseIdParam }, config: { notFound: CASE_NOT_FOUND } },
    async (request, reply) => {
      const user = signedInSubject(request);
      const found = await myCase(k, user, request.params.id);
      if (found?.procedure !== 'objection') return k.notFound(request, reply, CASE_NOT_FOUND.title, CASE_NOT_FOUND.text);
      const now = k.o.clock();
      const today = shanghaiDate(now);
      const c: ObjectionCaseView & { evidenceFiles?: EvidenceFile[] } = await withDaysLeft(k, user, found, today);
      const record: RecordView | null = (await myRecords(k, user)).items.find((x) => x.id === c.details.record.id) ?? null;
      return k.html(reply, objectionFiledPage(k.ctxOf(request, reply), { c, record, today, now }));
    },
  );

  // ---- 陈述申辩 ----

  const statementDef = listingActions.submit_statement;
  const statementFields = fieldsOf(statementDef);

  async function statement(
    request: FastifyRequest,
    reply: FastifyReply,
    {
      user,
      id,
      values = {},
      error,
      status = 200,
      done = false,
    }: { user: Subject; id: string; values?: Record<string, string>; error?: FilingError; status?: number; done?: boolean },
  ) {
    const found = await myCase(k, user, id);
    if (found?.procedure !== 'listing') return k.notFound(request, reply, CASE_NOT_FOUND.title, CASE_NOT_FOUND.text);
    const now = k.o.clock();
    const today = shanghaiDate(now);
    const c: ListingCaseView = await withDaysLeft(k, user, found, today);
    const window = c.deadlines.filter((d) => d.kind === 'statement_window').pop();
    return k.html(
      reply,
      statementPage(k.ctxOf(request, reply), {
        c,
        window,
        unavailable: unavailableReason(c, 'submit_statement', { viewer: user, now }),
        fields: statementFields,
        state: { values, ...(error ? { error } : {}) },
        formKey: randomUUID(),
        today,
        now,
        done,
      }),
      status,
    );
  }

  app.get(
    '/cases/:id/statement',
    { schema: { hide: true, params: caseIdParam, querystring: z.object({ done: queryText }) }, config: { notFound: CASE_NOT_FOUND } },
    async (request, reply) =>
      statement(request, reply, { user: signedInSubject(request), id: request.params.id, done: request.query.done === '1' }),
  );

  app.post(
    '/cases/:id/statement',
    { schema: { hide: true, params: caseIdParam, body: formBody }, config: { notFound: CASE_NOT_FOUND } },
    async (request, reply) => {
      const user = signedInSubject(request);
      const { id } = request.params;
      const { form, values, key, problem } = await filesOf(k, request, user);
      if (problem) return statement(request, reply, { user, id, values, error: correct([problem]), status: 400 });
      if (form._confirm === 'change') return statement(request, reply, { user, id, values });
      const body = bodyOf(statementFields, form);
      if (form._confirm !== 'yes') {
        const { problems } = parseZh(statementDef.body, body);
        if (problems) return statement(request, reply, { user, id, values, error: correct(problems), status: 400 });
        const c = await myCase(k, user, id);
        if (c?.procedure !== 'listing') return k.notFound(request, reply, CASE_NOT_FOUND.title, CASE_NOT_FOUND.text);
        const answers = statementFields.map((f): [string, string] => [label(FIELD, f.name), answerText(f, values)]);
        return k.html(reply, statementCheckPage(k.ctxOf(request, reply), { c, values, answers }));
      }
      const r = await k.api<Problem>(user, 'POST', `/v1/cases/${encodeURIComponent(id)}/actions/submit_statement`, {
        payload: body,
        headers: { 'idempotency-key': key },
      });
      if (r.status === 200) return reply.redirect(`/console/me/cases/${encodeURIComponent(id)}/statement?done=1`, 303);
      if (r.status === 404) return k.notFound(request, reply, CASE_NOT_FOUND.title, CASE_NOT_FOUND.text);
      const refused = refusalOf(r, '陈述申辩未能提交', { 409: '陈述申辩未能提交' });
      return statement(request, reply, {
        user,
        id,
        values,
        error: { ...refused.error, errors: labelled(refused.error.errors) },
        status: refused.status,
      });
    },
  );

  // ---- 申请信用修复 ----

  /** The records and listings of mine a repair could be for. */
  async function repairOptions(user: Subject): Promise<{ options: RepairOption[]; mine: Set<string> }> {
    const data = await myRecords(k, user);
    const options: RepairOption[] = [
      ...data.items
        .filter(repairable)
        .map((r): RepairOption => [`record:${r.id}`, `${recordTitle(r)}，${r.documentNumber}，${dateText(r.decidedOn)}`]),
      ...data.listings.map(
        (l): RepairOption => [`listing:${l.caseId}`, `严重失信主体名单（提前移出），${l.decisionNumber}，${dateText(l.listedFrom)}列入`],
      ),
    ];
    const mine = new Set([...data.items.map((r) => `record:${r.id}`), ...data.listings.map((l) => `listing:${l.caseId}`)]);
    return { options, mine };
  }

  async function eligibilityOf(user: Subject, target: string): Promise<RepairEligibility | null> {
    const t = targetBody(target);
    if (!t) return null;
    const q = new URLSearchParams(t).toString();
    const r = await k.api<RepairEligibility>(user, 'GET', `/v1/subjects/${encodeURIComponent(user.subjectId)}/repair-eligibility?${q}`);
    if (r.status === 404 || r.status === 400) return null;
    if (r.status !== 200) throw apiUnavailable('repair eligibility read', r.status);
    return r.body;
  }

  async function repairForm_(
    request: FastifyRequest,
    reply: FastifyReply,
    {
      user,
      target,
      values,
      error,
      status = 200,
    }: { user: Subject; target: string | undefined; values: Record<string, string>; error?: FilingError; status?: number },
  ) {
    const { options, mine } = await repairOptions(user);
    const wanted = target?.toUpperCase().replace(/^(RECORD|LISTING):/, (m) => m.toLowerCase());
    if (wanted && !mine.has(wanted)) return k.notFound(request, reply, '信用信息不存在', '没有这条信用信息或名单，或它不是您的。');
    const eligibility = wanted ? await eligibilityOf(user, wanted) : null;
    if (wanted && !eligibility) return k.notFound(request, reply, '信用信息不存在', '没有这条信用信息或名单，或它不是您的。');
    const today = shanghaiDate(k.o.clock());
    return k.html(
      reply,
      repairFormPage(k.ctxOf(request, reply), {
        options,
        target: wanted,
        eligibility,
        state: { values: { 'commitment.signedOn': today, 'commitment.text': COMMITMENT_TEXT, ...values }, ...(error ? { error } : {}) },
        formKey: randomUUID(),
      }),
      status,
    );
  }

  app.get(
    '/repairs/new',
    { schema: { hide: true, querystring: z.object({ target: queryText, recordId: queryText, listingCaseId: queryText }) } },
    async (request, reply) => repairForm_(request, reply, { user: signedInSubject(request), target: targetOf(request.query), values: {} }),
  );

  app.post('/repairs', { schema: { hide: true, body: formBody } }, async (request, reply) => {
    const user = signedInSubject(request);
    const { form, values, key, files, problem } = await filesOf(k, request, user);
    const target = values.target;
    const again = (error: FilingError | undefined, status = 200) =>
      repairForm_(request, reply, { user, target, values, ...(error ? { error } : {}), status });
    if (problem) return again(correct([problem]), 400);
    if (form._confirm === 'change') return again(undefined);
    const t = target ? targetBody(target) : null;
    if (!t) return again(correct([{ path: 'target', message: '请选择申请修复的信息或名单' }]), 400);
    const v = (n: string) => values[n]?.trim() || undefined;
    const body = {
      statement: v('statement'),
      evidence: evidenceRowsOf(values),
      commitment: { text: v('commitment.text'), signedOn: v('commitment.signedOn') },
      ...evidenceBody(files),
    };
    if (form._confirm !== 'yes') {
      const { data, problems } = parseZh(repairForm, body);
      const today = shanghaiDate(k.o.clock());
      const more = [
        // Text items, files or both, as the API takes them: at least one.
        ...(body.evidence.length + files.length > 0 ? [] : [{ path: 'evidence', message: '请至少提供一项履行义务的证明材料或证据文件' }]),
        ...(values['commitment.signed'] === 'on' ? [] : [{ path: 'commitment.signed', message: '请确认签署信用承诺' }]),
        ...(data && data.commitment.signedOn > today ? [{ path: 'commitment.signedOn', message: '签署日期不能晚于今天' }] : []),
      ];
      if (!data || more.length) return again(correct([...(problems ?? []), ...more]), 400);
      const e = await eligibilityOf(user, target ?? '');
      if (!e) return k.notFound(request, reply, '信用信息不存在', '没有这条信用信息或名单，或它不是您的。');
      const answers: [string, string][] = [
        [
          '申请修复',
          e.target.kind === 'record'
            ? `信用信息 ${e.target.id}（${e.target.documentNumber}）`
            : `严重失信主体名单 ${e.target.id}（${e.target.documentNumber}），申请提前移出`,
        ],
        ['受理单位', e.receivingDepartment.name],
        ['决定单位', e.decidingDepartment.name],
        ['申请理由', data.statement],
        ['证明材料', evidenceRowsText(data.evidence)],
        ['证据文件', evidenceText(files)],
        ['信用承诺', data.commitment.text],
        ['签署日期', dateText(data.commitment.signedOn)],
      ];
      return k.html(reply, repairCheckPage(k.ctxOf(request, reply), { values, answers }));
    }
    const r = await k.api<Problem & { id: string }>(user, 'POST', '/v1/cases', {
      payload: { procedure: 'repair', target: t, ...body },
      headers: { 'idempotency-key': key },
    });
    if (r.status === 201 || r.status === 200) return reply.redirect(`/console/me/repairs/${encodeURIComponent(r.body.id)}`, 303);
    const refused = refusalOf(r, '修复申请未能提交', { 409: '修复申请未能提交' });
    return again({ ...refused.error, errors: labelled(refused.error.errors) }, refused.status);
  });

  app.get('/repairs/:id', { schema: { hide: true, params: caseIdParam }, config: { notFound: CASE_NOT_FOUND } }, async (request, reply) => {
    const user = signedInSubject(request);
    const found = await myCase(k, user, request.params.id);
    if (found?.procedure !== 'repair') return k.notFound(request, reply, CASE_NOT_FOUND.title, CASE_NOT_FOUND.text);
    const now = k.o.clock();
    const today = shanghaiDate(now);
    const c: RepairCaseView = await withDaysLeft(k, user, found, today);
    return k.html(reply, repairFiledPage(k.ctxOf(request, reply), { c, today, now }));
  });
}
