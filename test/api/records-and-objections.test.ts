import { apiAs, quietCases, settledCase, startSystem, subjectOf, type Claims, type Reply as Res, type System } from '../support/system';
import {
  AGENCY_OFFICER,
  OFFICER,
  OTHER_OFFICER,
  REVIEWER,
  SUPERVISOR,
  randomResidentId,
  randomUscc,
  recordBody,
} from '../support/fixtures';
import { maskResidentId } from '../../domain/identity';
import { addMonthsClamped } from '../../domain/calendar/dates';
import { shanghaiToday } from '../support/test-calendar';
import { ifStarted } from '../support/teardown';
import { policyShape, startInputOf } from '../support/start-input';
import { OBJECTION_POLICY_TERMS, type ObjectionInput } from '../../workflows/objection/definitions';

/**
 * Credit records, the queries the law allows on them, and the objection procedure, through the API against
 * the dev server and Postgres. Paths that take working days are covered on the time-skipping server
 * (test/workflows/objection.workflow.test.ts). After every refusal nothing has changed.
 */
let sys: System;
beforeAll(async () => {
  sys = await startSystem();
});
afterAll(async () => {
  await ifStarted(sys)?.stop();
});
const post = (url: string, c: Claims, payload: unknown) => apiAs(sys).post(url, c, payload);
const get = (url: string, c: Claims) => apiAs(sys).get(url, c);
const act = (id: string, action: string, c: Claims, payload: unknown) => apiAs(sys).act(id, action, c, payload);
const purpose = (p: string) => `purpose=${encodeURIComponent(p)}`;

async function supply(overrides: Record<string, unknown> = {}, by: Claims = OFFICER) {
  const res = await post('/v1/records', by, recordBody(overrides));
  expect(res.statusCode).toBe(201);
  return res.json();
}

/** Everything a refused request could have changed. */
async function snapshot(recordId: string, caseId?: string) {
  const [record, events, cases, audit, deadlines] = await Promise.all([
    sys.db.creditRecord.findUnique({ where: { id: recordId } }),
    sys.db.recordEvent.count({ where: { recordId, NOT: { action: 'queried' } } }),
    sys.db.case.findMany({
      where: { procedure: 'objection', details: { path: ['record', 'id'], equals: recordId } },
      select: { id: true, state: true, version: true },
    }),
    sys.db.auditEntry.count({
      where: {
        OR: [{ target: `record:${recordId}` }, ...(caseId ? [{ caseId }] : [])],
        NOT: { action: { in: ['case.read', 'record.history.read'] } },
      },
    }),
    caseId ? sys.db.deadline.findMany({ where: { caseId }, orderBy: { id: 'asc' } }) : Promise.resolve([]),
  ]);
  return { record, events, cases, audit, deadlines };
}

/** `res` refused with `status` and a detail matching `detail`, leaving the record (and the case acted on) as they were. */
async function expectRefused(
  res: Promise<Res>,
  status: number,
  detail: RegExp,
  { recordId, caseId }: { recordId: string; caseId?: string },
) {
  const before = await snapshot(recordId, caseId);
  const r = await res;
  expect(r.statusCode).toBe(status);
  expect(r.headers['content-type']).toMatch(/problem\+json/);
  expect(r.json().detail).toMatch(detail);
  // At rest: every case of the record (and the one acted on) has no step running and is recorded whole.
  await quietCases(sys, [...before.cases.map((c) => c.id), ...(caseId ? [caseId] : [])]);
  expect(await snapshot(recordId, caseId)).toEqual(before);
}

const recorded = (id: string, state: string) => settledCase(sys, id, state);

describe('credit records', () => {
  it('are supplied with their legal document and a publicity period by severity counted from the decision date', async () => {
    const decidedOn = shanghaiToday(-60);
    const r = await supply({ severity: 'general', decidedOn });
    expect(r).toMatchObject({
      id: expect.stringMatching(/^REC-\d{8}-[0-9A-Z]{10}$/),
      department: 'ZY-SAMR',
      disclosure: 'published',
      publicUntil: addMonthsClamped(decidedOn, 12).date,
      publicMinUntil: addMonthsClamped(decidedOn, 3).date,
      objection: null,
    });
    expect(r.publicity.explanation.join('')).toContain('最长公示1年');
    const basic = await supply({ category: 'basic', type: 'registration', severity: undefined });
    expect(basic).toMatchObject({ publicUntil: null, disclosure: 'published' });
    const events = await sys.db.recordEvent.findMany({ where: { recordId: r.id } });
    // Reviewed in the department's own system: the reviewer it named releases it in the same moment (Art 36).
    expect(events).toEqual([
      expect.objectContaining({ action: 'supplied', actor: OFFICER.sub, department: 'ZY-SAMR' }),
      expect.objectContaining({ action: 'released', actor: REVIEWER.sub, department: 'ZY-SAMR' }),
    ]);
    expect(await sys.db.auditEntry.count({ where: { target: `record:${r.id}`, action: 'record.create' } })).toBe(1);
  });

  it('refuses what breaks a rule, and roles that do not supply records', async () => {
    const bad = await post('/v1/records', OFFICER, recordBody({ subject: { kind: 'legal_person', id: '91620700MA71Y00241', name: 'x' } }));
    expect(bad.statusCode).toBe(422);
    expect(bad.json().errors).toEqual([expect.objectContaining({ path: 'body.subject.id' })]);
    const noSeverity = await post('/v1/records', OFFICER, recordBody({ severity: undefined }));
    expect(noSeverity.statusCode).toBe(422);
    expect(noSeverity.json().errors[0].path).toBe('body.severity');
    expect((await post('/v1/records', OFFICER, recordBody({ decidedOn: '2099-01-01' }))).statusCode).toBe(422);
    expect((await post('/v1/records', OFFICER, recordBody({ category: 'rumour' }))).statusCode).toBe(400);
    expect((await post('/v1/records', SUPERVISOR, recordBody())).statusCode).toBe(403);
    expect((await post('/v1/records', subjectOf(randomUscc()), recordBody())).statusCode).toBe(403);
  });

  it('end their disclosure on their own when the maximum period is over', async () => {
    const old = await supply({ severity: 'minor', decidedOn: '2025-01-10' });
    expect(old).toMatchObject({ publicUntil: '2025-04-10', disclosure: 'publicity_ended' });
    const history = (await get(`/v1/subjects/${old.subject.id}/records/${old.id}/history`, subjectOf(old.subject.id))).json().items;
    expect(history.map((e: { action: string }) => e.action)).toEqual(['supplied', 'released', 'publicity_ended']);
    expect(history[2]).toMatchObject({
      at: '2025-04-10T16:00:00.000Z',
      actor: 'system',
      detail: { publicUntil: '2025-04-10' },
    });
  });

  it('are read by the subject freely, by officials only with a purpose and within their duty, masked, and every read is audited', async () => {
    const person = randomResidentId();
    const subject = { kind: 'natural_person', id: person, name: '李某' };
    const published = await supply({ subject });
    const ended = await supply({ subject, severity: 'minor', decidedOn: '2025-01-10' });
    const self = subjectOf(person);

    const own = (await get(`/v1/subjects/${person}/records`, self)).json();
    expect(own.subjectId).toBe(person);
    expect(own.items.map((i: { id: string }) => i.id).sort()).toEqual([published.id, ended.id].sort());
    expect(own.items[0].subject.id).toBe(person);
    expect((await get(`/v1/subjects/${person}/records`, subjectOf(randomResidentId()))).statusCode).toBe(404);

    // Well-formed, but an official's query without a purpose breaks Art 39: a 422 (the schema cannot know the caller's role).
    expect((await get(`/v1/subjects/${person}/records`, OTHER_OFFICER)).statusCode).toBe(422);
    const housing = (await get(`/v1/subjects/${person}/records?${purpose('住房保障资格审核')}`, OTHER_OFFICER)).json();
    // Another department sees only what is disclosed; the ID number is masked for anyone but the person.
    expect(housing.items.map((i: { id: string }) => i.id)).toEqual([published.id]);
    expect(housing.subjectId).toBe(maskResidentId(person));
    expect(housing.items[0].subject.id).toBe(maskResidentId(person));
    const samr = (await get(`/v1/subjects/${person}/records?${purpose('双随机抽查')}`, OFFICER)).json();
    expect(samr.items).toHaveLength(2);

    const audits = await sys.db.auditEntry.findMany({
      where: { subjectId: person, action: 'records.read' },
      orderBy: { id: 'asc' },
    });
    expect(audits.map((a) => (a.detail as { purpose: string }).purpose)).toEqual(['own records', '住房保障资格审核', '双随机抽查']);

    const history = (await get(`/v1/subjects/${person}/records/${published.id}/history`, self)).json();
    expect(history.items.map((e: { action: string; actor: string }) => [e.action, e.actor])).toEqual([
      ['supplied', OFFICER.sub],
      ['released', REVIEWER.sub],
      ['queried', OTHER_OFFICER.sub],
      ['queried', OFFICER.sub],
    ]);
    expect(history.items[2].detail).toEqual({ purpose: '住房保障资格审核' });
    expect((await get(`/v1/subjects/${person}/records/${ended.id}/history?${purpose('x')}`, OTHER_OFFICER)).statusCode).toBe(404);
    expect((await get(`/v1/subjects/${person}/records/${published.id}/history`, OFFICER)).statusCode).toBe(422);
  });
});

describe('objections', () => {
  it('mark the record at once, refuse a second one naming the first, and run acceptance, forwarding and the supplier’s decision to a corrected record', async () => {
    const r = await supply();
    const company = r.subject.id as string;
    const subject = subjectOf(company);
    const filing = {
      procedure: 'objection',
      recordId: r.id,
      grounds: 'error_or_omission',
      statement: '罚款金额记载错误，应为五千元。',
      evidence: [{ title: '缴款凭证', description: '五千元' }],
    };

    await expectRefused(post('/v1/cases', subjectOf(randomUscc()), filing), 404, /no record/, { recordId: r.id });
    await expectRefused(post('/v1/cases', SUPERVISOR, filing), 403, /filed by the subject/, { recordId: r.id });
    await expectRefused(post('/v1/cases', OTHER_OFFICER, filing), 404, /no record/, { recordId: r.id });

    const created = await post('/v1/cases', subject, filing);
    expect(created.statusCode).toBe(201);
    const c = created.json();
    // The agency's entries the objection reads, not the whole policy table.
    const { input: started } = await startInputOf(sys.temporal.workflow.getHandle(c.id));
    const input = started as ObjectionInput;
    expect(policyShape(input.policy).entries).toEqual([...OBJECTION_POLICY_TERMS].sort());
    expect(policyShape(input.policy).fields).not.toContain('label');
    expect(c).toMatchObject({
      procedure: 'objection',
      state: 'submitted',
      department: 'ZY-DRC',
      subject: { id: company },
    });
    const marked = (await get(`/v1/subjects/${company}/records`, subject)).json().items[0];
    expect(marked).toMatchObject({ id: r.id, disclosure: 'under_objection', objection: { caseId: c.id } });
    expect((await get(`/v1/subjects/${company}/records?${purpose('招投标审查')}`, OTHER_OFFICER)).json().items[0].disclosure).toBe(
      'under_objection',
    );

    const second = await post('/v1/cases', subject, { ...filing, statement: '再次' });
    expect(second.statusCode).toBe(409);
    expect(second.json()).toMatchObject({ openCaseId: c.id });
    expect(second.json().detail).toContain(c.id);

    await recorded(c.id, 'submitted');
    await expectRefused(act(c.id, 'accept', OFFICER, {}), 403, /only an officer of ZY-DRC may accept/, { recordId: r.id, caseId: c.id });
    await expectRefused(act(c.id, 'accept', subject, {}), 403, /role subject may not accept/, { recordId: r.id, caseId: c.id });
    await expectRefused(act(c.id, 'decide', AGENCY_OFFICER, { outcome: 'correct', reasons: 'x' }), 400, /does not match/, {
      recordId: r.id,
      caseId: c.id,
    });
    await expectRefused(
      act(c.id, 'decide', AGENCY_OFFICER, { outcome: 'keep', reasons: 'x' }),
      409,
      /not allowed while the case is submitted/,
      { recordId: r.id, caseId: c.id },
    );
    expect((await act(c.id, 'accept', AGENCY_OFFICER, { reasons: '材料齐全' })).statusCode).toBe(200);
    await recorded(c.id, 'verifying');
    await expectRefused(act(c.id, 'forward', AGENCY_OFFICER, { department: 'ZY-NOPE' }), 422, /no department/, {
      recordId: r.id,
      caseId: c.id,
    });
    // A real supplying department, but not the one that supplied this record (ZY-SAMR).
    await expectRefused(act(c.id, 'forward', AGENCY_OFFICER, { department: 'ZY-HOUSING' }), 422, /did not supply/, {
      recordId: r.id,
      caseId: c.id,
    });
    await expectRefused(act(c.id, 'decide', AGENCY_OFFICER, { outcome: 'remove_from_list', reasons: 'x' }), 422, /reports no listing/, {
      recordId: r.id,
      caseId: c.id,
    });
    const forwarded = (await act(c.id, 'forward', AGENCY_OFFICER, { department: 'ZY-SAMR' })).json();
    expect(forwarded).toMatchObject({ state: 'forwarded', allowedActions: ['decide', 'extend'] });
    await recorded(c.id, 'forwarded');

    // The supplying department sees the case and its deadline in the registry; the agency may no longer decide.
    expect((await get(`/v1/cases/${c.id}`, OFFICER)).statusCode).toBe(200);
    expect((await get(`/v1/cases/${c.id}`, OTHER_OFFICER)).statusCode).toBe(404);
    const registry = (await get('/v1/deadlines?procedure=objection&status=open&limit=500', OFFICER)).json();
    expect(registry.items).toEqual(expect.arrayContaining([expect.objectContaining({ caseId: c.id, kind: 'objection_decide' })]));
    await expectRefused(
      act(c.id, 'decide', AGENCY_OFFICER, { outcome: 'keep', reasons: 'x' }),
      403,
      /only an officer of ZY-SAMR may decide/,
      { recordId: r.id, caseId: c.id },
    );
    await expectRefused(act(c.id, 'extend', OFFICER, { reason: 'x', workingDays: 3 }), 403, /role officer may not extend/, {
      recordId: r.id,
      caseId: c.id,
    });

    const decided = await act(c.id, 'decide', OFFICER, {
      outcome: 'correct',
      reasons: '经核实金额记载错误',
      correctedContent: '因销售过期食品被处罚款五千元。',
    });
    expect(decided.statusCode).toBe(200);
    expect(decided.json()).toMatchObject({ state: 'decided', closed: true, outcome: 'correct' });
    await recorded(c.id, 'decided');
    await expectRefused(act(c.id, 'extend', SUPERVISOR, { reason: 'x', workingDays: 3 }), 409, /case is decided/, {
      recordId: r.id,
      caseId: c.id,
    });

    // The correction is information the department supplies: out of disclosure until a second officer releases it (Art 36).
    const after = (await get(`/v1/subjects/${company}/records`, subject)).json().items[0];
    expect(after).toMatchObject({
      content: '因销售过期食品被处罚款五千元。',
      disclosure: 'pending_review',
      objection: null,
      review: null,
    });
    expect((await get(`/v1/subjects/${company}/records?${purpose('招投标审查')}`, OTHER_OFFICER)).json().items).toEqual([]);
    expect((await post(`/v1/records/${r.id}/release`, OFFICER, undefined)).statusCode).toBe(403);
    expect((await post(`/v1/records/${r.id}/release`, AGENCY_OFFICER, undefined)).statusCode).toBe(404);
    const queue = (await get('/v1/records/pending-review?limit=200', REVIEWER)).json().items;
    expect(queue).toEqual(expect.arrayContaining([expect.objectContaining({ id: r.id, suppliedBy: OFFICER.sub })]));
    const released = await post(`/v1/records/${r.id}/release`, REVIEWER, undefined);
    expect(released.statusCode).toBe(200);
    expect(released.json()).toMatchObject({
      content: '因销售过期食品被处罚款五千元。',
      disclosure: 'published',
      review: { by: REVIEWER.sub },
    });
    const history = (await get(`/v1/subjects/${company}/records/${r.id}/history`, subject)).json().items;
    expect(history.map((e: { action: string }) => e.action)).toEqual([
      'supplied',
      'released',
      'objection_marked',
      'queried',
      'corrected',
      'released',
    ]);
    expect(history[4]).toMatchObject({
      department: 'ZY-SAMR',
      detail: {
        before: '因销售过期食品被处罚款五万元。',
        after: '因销售过期食品被处罚款五千元。',
        caseId: c.id,
        review: 'pending',
      },
    });
    expect(history[5]).toMatchObject({ actor: REVIEWER.sub, detail: { suppliedBy: OFFICER.sub, revision: true } });

    const notices = (await get('/v1/me/notices', subject)).json().items;
    expect(notices).toEqual(expect.arrayContaining([expect.objectContaining({ caseId: c.id, kind: 'objection_result_notice' })]));
    const audit = await sys.db.auditEntry.findMany({ where: { caseId: c.id }, select: { action: true } });
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining(['record.objection_marked', 'case.open', 'case.accept', 'case.forward', 'case.decide']),
    );

    // A new objection is possible once the first has ended.
    const again = await post('/v1/cases', subject, { ...filing, statement: '对更正后的内容仍有异议' });
    expect(again.statusCode).toBe(201);
    await recorded(again.json().id, 'submitted');
  });

  it('takes one of two objections filed at once against one record, refusing the other naming it', async () => {
    const r = await supply();
    const subject = subjectOf(r.subject.id as string);
    const filing = (statement: string) => ({
      procedure: 'objection',
      recordId: r.id,
      grounds: 'error_or_omission',
      statement,
      evidence: [{ title: '缴款凭证', description: '五千元' }],
    });
    const answers = await Promise.all([post('/v1/cases', subject, filing('第一份')), post('/v1/cases', subject, filing('第二份'))]);
    expect(answers.map((a) => a.statusCode).sort()).toEqual([201, 409]);
    const taken = answers.find((a) => a.statusCode === 201)!.json().id as string;
    expect(answers.find((a) => a.statusCode === 409)!.json()).toMatchObject({ openCaseId: taken });
    await recorded(taken, 'submitted');
    const cases = await sys.db.case.findMany({
      where: { procedure: 'objection', details: { path: ['record', 'id'], equals: r.id } },
      select: { id: true },
    });
    expect(cases.map((c) => c.id)).toEqual([taken]);
    expect((await sys.db.creditRecord.findUniqueOrThrow({ where: { id: r.id } })).openObjectionId).toBe(taken);
  });

  it('may be filed by the supplying department’s officer on the subject’s behalf and declined by the agency', async () => {
    const r = await supply({ subject: { kind: 'natural_person', id: randomResidentId(), name: '张某' } });
    const filed = await post('/v1/cases', OFFICER, {
      procedure: 'objection',
      recordId: r.id,
      grounds: 'privacy_or_rights',
      statement: '涉及个人隐私',
      evidence: [],
    });
    expect(filed.statusCode).toBe(201);
    const c = filed.json();
    await recorded(c.id, 'submitted');
    const declined = (await act(c.id, 'decline', AGENCY_OFFICER, { reasons: '不属于异议受理范围' })).json();
    expect(declined).toMatchObject({ state: 'declined', outcome: 'declined', closed: true });
    await recorded(c.id, 'declined');
    expect(await sys.db.creditRecord.findUnique({ where: { id: r.id } })).toMatchObject({
      openObjectionId: null,
      status: 'active',
    });
    expect(await sys.db.document.count({ where: { caseId: c.id, kind: 'objection_result_notice' } })).toBe(1);
  });

  it('wait for a requested supplement, are extended once by a supervisor, and may be decided by the agency itself', async () => {
    const r = await supply();
    const subject = subjectOf(r.subject.id);
    const c = (
      await post('/v1/cases', subject, {
        procedure: 'objection',
        recordId: r.id,
        grounds: 'error_or_omission',
        statement: '信息有误',
        evidence: [],
      })
    ).json();
    await recorded(c.id, 'submitted');
    const asked = (await act(c.id, 'request_supplement', AGENCY_OFFICER, { items: ['处罚决定书复印件'] })).json();
    expect(asked).toMatchObject({ state: 'awaiting_supplement', allowedActions: ['submit_supplement'] });
    expect(asked.deadlines.find((d: { kind: string }) => d.kind === 'objection_forward')).toMatchObject({
      status: 'suspended',
    });
    await recorded(c.id, 'awaiting_supplement');
    // No evidence at all, neither text items nor files: the rule of the pair (422), nothing changed.
    await expectRefused(act(c.id, 'submit_supplement', subject, { evidence: [] }), 422, /the supplement needs evidence/, {
      recordId: r.id,
      caseId: c.id,
    });
    await expectRefused(
      act(c.id, 'submit_supplement', subjectOf(randomUscc()), { evidence: [{ title: 'x', description: 'y' }] }),
      404,
      /no case/,
      { recordId: r.id, caseId: c.id },
    );
    const back = (
      await act(c.id, 'submit_supplement', subject, {
        evidence: [{ title: '处罚决定书复印件', description: '已上传' }],
      })
    ).json();
    expect(back).toMatchObject({ state: 'submitted', allowedActions: ['accept', 'decline'] });
    expect(back.deadlines.find((d: { kind: string }) => d.kind === 'objection_forward')).toMatchObject({
      status: 'open',
    });
    await act(c.id, 'accept', AGENCY_OFFICER, {});
    await act(c.id, 'forward', AGENCY_OFFICER, { department: 'ZY-SAMR' });
    await recorded(c.id, 'forwarded');
    await expectRefused(act(c.id, 'extend', SUPERVISOR, { reason: '案情复杂', workingDays: 30 }), 409, /at most 15 working days/, {
      recordId: r.id,
      caseId: c.id,
    });
    const extended = (await act(c.id, 'extend', SUPERVISOR, { reason: '案情复杂', workingDays: 5 })).json();
    expect(extended.deadlines.find((d: { kind: string }) => d.kind === 'objection_decide')).toMatchObject({
      extended: true,
    });
    await recorded(c.id, 'forwarded');
    await expectRefused(act(c.id, 'extend', SUPERVISOR, { reason: 'again', workingDays: 1 }), 409, /already extended once/, {
      recordId: r.id,
      caseId: c.id,
    });
    expect((await act(c.id, 'decide', OFFICER, { outcome: 'keep', reasons: '信息准确' })).json()).toMatchObject({
      outcome: 'keep',
      closed: true,
    });
    await recorded(c.id, 'decided');

    const r2 = await supply();
    const c2 = (
      await post('/v1/cases', subjectOf(r2.subject.id), {
        procedure: 'objection',
        recordId: r2.id,
        grounds: 'error_or_omission',
        statement: '已超过公示期限',
        evidence: [],
      })
    ).json();
    await recorded(c2.id, 'submitted');
    await act(c2.id, 'accept', AGENCY_OFFICER, {});
    const stopped = (await act(c2.id, 'decide', AGENCY_OFFICER, { outcome: 'stop_disclosure', reasons: '公示期限已届满' })).json();
    expect(stopped).toMatchObject({ state: 'decided', outcome: 'stop_disclosure' });
    await recorded(c2.id, 'decided');
    const seen = (await get(`/v1/subjects/${r2.subject.id}/records`, subjectOf(r2.subject.id))).json().items[0];
    expect(seen).toMatchObject({ id: r2.id, disclosure: 'publicity_ended', objection: null });
    expect((await get(`/v1/subjects/${r2.subject.id}/records?${purpose('行政许可')}`, OTHER_OFFICER)).json().items).toEqual([]);
  });
});
