import assert from 'node:assert';
import { storedRepairDetails } from '../../api/procedures/repair-details';
import { apiAs, settledCase, startSystem, subjectOf, type Claims, type System } from '../support/system';
import { AGENCY_OFFICER, OFFICER, SUPERVISOR, listingBody, randomResidentId } from '../support/fixtures';
import { shanghaiDate } from '../../api/case-ids';
import { ifStarted } from '../support/teardown';

/**
 * The responsible persons of Art 48 as credit subjects (DOMAIN.md procedure 1 step 8) through the API against the
 * dev server and Postgres: on service of the organisation's decision each person has a record of their own, in
 * their records, history and credit report, and a notice of it; they may object to it and apply for its repair.
 */
let sys: System;
beforeAll(async () => {
  sys = await startSystem();
});
afterAll(async () => {
  await ifStarted(sys)?.stop();
});
const post = (url: string, c: Claims, payload?: unknown) => apiAs(sys).post(url, c, payload);
const get = (url: string, c: Claims) => apiAs(sys).get(url, c);
const act = (id: string, action: string, c: Claims, payload: unknown) => apiAs(sys).act(id, action, c, payload);
const recorded = (id: string, state: string, closed?: boolean) => settledCase(sys, id, state, closed);

type RecordItem = { id: string; type: string; disclosure: string; listingCaseId: string | null; [k: string]: unknown };
const entryOf = async (person: string) =>
  ((await get(`/v1/subjects/${person}/records`, subjectOf(person))).json().items as RecordItem[]).find(
    (r) => r.type === 'responsible_person_entry',
  );

it('gives each responsible person a record, a notice, a report line and the rights of a credit subject over it', async () => {
  const legalRep = randomResidentId();
  const controller = randomResidentId();
  const body = listingBody({
    responsiblePersons: [
      { role: 'legal_representative', name: '王某', idNumber: legalRep },
      { role: 'actual_controller', name: '李某', idNumber: controller },
    ],
  });
  const company = subjectOf(body.subject.id);
  const id = (await post('/v1/cases', OFFICER, body)).json().id as string;
  await recorded(id, 'opened');
  expect((await act(id, 'serve_notice', OFFICER, { servedAt: new Date().toISOString(), method: 'in_person' })).statusCode).toBe(200);
  await act(id, 'submit_statement', company, { text: '我公司已全部整改', requestHearing: false });
  await recorded(id, 'under_review');
  await act(id, 'propose_decision', OFFICER, { outcome: 'list', reasons: '情节严重', measures: ['N-01', 'N-07'] });
  await recorded(id, 'awaiting_approval');
  const decided = (await act(id, 'approve_decision', SUPERVISOR, { comment: '同意' })).json();
  const decisionNumber = decided.details.decision.number as string;
  await recorded(id, 'decided');
  // Nothing is served on the persons before the organisation's decision is.
  expect((await get('/v1/me/notices', subjectOf(legalRep))).json().items).toEqual([]);

  const listed = await act(id, 'serve_decision', OFFICER, { servedAt: new Date().toISOString(), method: 'in_person' });
  expect(listed.statusCode).toBe(200);
  const listedFrom = listed.json().details.listing.listedFrom as string;
  const listedUntil = listed.json().details.listing.listedUntil as string;
  await recorded(id, 'listed');

  // The entry is a record of the person's own, beside the entry kept for compatibility.
  const own = (await get(`/v1/subjects/${legalRep}/records`, subjectOf(legalRep))).json();
  expect(own.responsiblePersonEntries).toEqual([expect.objectContaining({ caseId: id, role: 'legal_representative' })]);
  expect(own.items).toEqual([
    expect.objectContaining({
      subject: { kind: 'natural_person', id: legalRep, name: '王某' },
      category: 'dishonesty',
      type: 'responsible_person_entry',
      documentNumber: decisionNumber,
      decidedOn: listedFrom,
      department: 'ZY-SAMR',
      listingCaseId: id,
      publicUntil: listedUntil,
      disclosure: 'published',
    }),
  ]);
  const entry = own.items[0] as RecordItem & { content: string };
  expect(entry.content).toContain(body.subject.name);
  expect(entry.content).toContain('法定代表人');
  expect(entry.content).toContain(decisionNumber);
  const history = (await get(`/v1/subjects/${legalRep}/records/${entry.id}/history`, subjectOf(legalRep))).json().items;
  expect(history).toEqual([
    expect.objectContaining({
      action: 'supplied',
      department: 'ZY-SAMR',
      detail: expect.objectContaining({ caseId: id, role: 'legal_representative', source: 'listing' }),
    }),
  ]);

  // The notice of the entry, served on the person alone when the organisation's decision was.
  const notices = (await get('/v1/me/notices', subjectOf(legalRep))).json().items;
  expect(notices).toEqual([expect.objectContaining({ caseId: id, kind: 'responsible_person_notice', servedMethod: 'electronic' })]);
  const doc = await get(`/v1/cases/${id}/documents/${notices[0].id}`, subjectOf(legalRep));
  expect(doc.statusCode).toBe(200);
  for (const text of [
    entry.id,
    decisionNumber,
    body.subject.name,
    '法定代表人',
    '限制担任公司董事、监事、高级管理人员',
    '第五十一条',
    '第五十二条',
    '行政复议',
  ]) {
    expect(doc.json().html).toContain(text);
  }
  expect((await get(`/v1/cases/${id}/documents/${notices[0].id}`, subjectOf(controller))).statusCode).toBe(404);
  // The organisation, the case's subject, does not read its people's notices; the recognising department does.
  expect((await get(`/v1/cases/${id}/documents/${notices[0].id}`, company)).statusCode).toBe(404);
  expect((await get(`/v1/cases/${id}/documents/${notices[0].id}`, OFFICER)).statusCode).toBe(200);
  expect((await get('/v1/me/notices', subjectOf(controller))).json().items).toEqual([
    expect.objectContaining({ kind: 'responsible_person_notice' }),
  ]);
  expect((await get('/v1/me/notices', company)).json().items.map((n: { kind: string }) => n.kind)).not.toContain(
    'responsible_person_notice',
  );

  // The person's credit report carries the entry.
  const report = await post(`/v1/subjects/${legalRep}/reports`, subjectOf(legalRep));
  expect(report.statusCode).toBe(201);
  const reported = Object.values(report.json().document.fields.records as Record<string, { id: string }[]>)
    .flat()
    .map((r) => r.id);
  expect(reported).toContain(entry.id);

  // An objection to the entry goes to the recognising department, which may delete it (not "remove from the list").
  const objection = await post('/v1/cases', subjectOf(legalRep), {
    procedure: 'objection',
    recordId: entry.id,
    grounds: 'error_or_omission',
    statement: '违法行为发生时本人已不担任该公司法定代表人。',
    evidence: [{ title: '变更登记', description: '法定代表人变更登记' }],
  });
  expect(objection.statusCode).toBe(201);
  const obj = objection.json().id as string;
  expect((await entryOf(legalRep))?.disclosure).toBe('under_objection');
  await recorded(obj, 'submitted');
  expect((await act(obj, 'accept', AGENCY_OFFICER, {})).statusCode).toBe(200);
  await recorded(obj, 'verifying');
  const wrongOutcome = await act(obj, 'decide', AGENCY_OFFICER, { outcome: 'remove_from_list', reasons: '不在其位' });
  expect(wrongOutcome.statusCode).toBe(422);
  expect(wrongOutcome.json().detail).toMatch(/Art 48 entry/);
  expect((await act(obj, 'forward', AGENCY_OFFICER, { department: 'ZY-SAMR' })).statusCode).toBe(200);
  await recorded(obj, 'forwarded');
  const deleted = await act(obj, 'decide', OFFICER, {
    outcome: 'delete',
    reasons: '经核查，违法行为发生时申请人已不担任法定代表人',
  });
  expect(deleted.statusCode).toBe(200);
  await recorded(obj, 'decided');
  expect((await entryOf(legalRep))?.disclosure).toBe('deleted');
  expect((await get(`/v1/subjects/${legalRep}/records`, subjectOf(legalRep))).json().responsiblePersonEntries).toEqual([]);
  expect((await get('/v1/me/notices', subjectOf(legalRep))).json().items.map((n: { kind: string }) => n.kind)).toEqual(
    expect.arrayContaining(['responsible_person_notice', 'objection_result_notice']),
  );

  // A repair of the entry is accepted as the person's own record, and judged like the listing: too early today.
  const controllerEntry = (await entryOf(controller))!;
  const repair = await post('/v1/cases', subjectOf(controller), {
    procedure: 'repair',
    target: { recordId: controllerEntry.id },
    statement: '公司已整改，本人已纠正失信行为。',
    evidence: [{ title: '整改报告', description: '整改完成' }],
    commitment: { text: '本人承诺依法诚信。', signedOn: shanghaiDate(new Date()) },
  });
  expect(repair.statusCode).toBe(201);
  expect(repair.json().details).toMatchObject({ decidingDepartment: 'ZY-SAMR' });
  const row = await recorded(repair.json().id, 'declined', true);
  const { eligibility } = storedRepairDetails(row.details, row.department);
  assert(eligibility);
  expect(eligibility.eligible).toBe(false);
  expect(eligibility.reasons.join('')).toMatch(/列入名单未满最短期限/);
  // The listing's own record is still repaired by applying for the listing.
  const listingRecord = ((await get(`/v1/subjects/${body.subject.id}/records`, company)).json().items as RecordItem[]).find(
    (r) => r.listingCaseId === id,
  )!;
  const refused = await post('/v1/cases', company, {
    procedure: 'repair',
    target: { recordId: listingRecord.id },
    statement: '已整改。',
    evidence: [{ title: '整改报告', description: '整改完成' }],
    commitment: { text: '承诺。', signedOn: shanghaiDate(new Date()) },
  });
  expect(refused.statusCode).toBe(422);
  expect(refused.json().detail).toMatch(/apply for the listing/);

  // Revoking the listing deletes what it supplied: the remaining person's entry too.
  expect((await act(id, 'revoke', OFFICER, { reason: '行政处罚决定已被撤销', basis: '张市监撤〔2026〕1号' })).statusCode).toBe(200);
  await recorded(id, 'removed');
  expect((await entryOf(controller))?.disclosure).toBe('deleted');
  expect(await sys.db.subjectEntry.count({ where: { caseId: id, status: 'active' } })).toBe(0);
});
