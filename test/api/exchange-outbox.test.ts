import { apiAs, settledCase, startSystem, subjectOf, type Claims, type System } from '../support/system';
import { AGENCY_OFFICER, OFFICER, REVIEWER, SUPERVISOR, listingBody, recordBody } from '../support/fixtures';
import { ifStarted } from '../support/teardown';
import { listingRecordId } from '../../db/record-events';

/**
 * What goes into the exchange's outbox (issue 24): each change the platforms must know leaves exactly one entry, in
 * the change's transaction, in order per subject, with its payload; a retried change leaves no second one and a
 * refused action none. Delivery is another part's: here the entries only wait.
 */
let sys: System;
beforeAll(async () => {
  sys = await startSystem();
});
afterAll(async () => {
  await ifStarted(sys)?.stop();
});
const post = (url: string, c: Claims, payload?: unknown, key?: string) => apiAs(sys).post(url, c, payload, key);
const act = (id: string, action: string, c: Claims, payload: unknown) => apiAs(sys).act(id, action, c, payload);
const recorded = (id: string, state: string) => settledCase(sys, id, state);

const entriesOf = (subjectId: string) =>
  sys.db.exchangeEntry
    .findMany({ where: { subjectId }, orderBy: { seq: 'asc' } })
    .then((rows) =>
      rows.map((e) => ({ id: e.id, kind: e.kind, recordId: e.recordId, caseId: e.caseId, payload: e.payload as Record<string, any> })),
    );
const kindsOf = async (subjectId: string) => (await entriesOf(subjectId)).map((e) => e.kind);

async function objection(recordId: string, subject: string, statement: string) {
  const filed = await post('/v1/cases', subjectOf(subject), {
    procedure: 'objection',
    recordId,
    grounds: 'error_or_omission',
    statement,
    evidence: [],
  });
  expect(filed.statusCode).toBe(201);
  const id = filed.json().id as string;
  await recorded(id, 'submitted');
  expect((await act(id, 'accept', AGENCY_OFFICER, {})).statusCode).toBe(200);
  await recorded(id, 'verifying');
  return id;
}

it('tells a record once it is released after review, each objection mark, its correction and its deletion, in order', async () => {
  const body = recordBody({ reviewedBy: undefined });
  const subject = body.subject.id;
  const supplied = await post('/v1/records', OFFICER, body, 'exchange-supply-1');
  expect(supplied.statusCode).toBe(201);
  const r = supplied.json();
  // A retried supply (same Idempotency-Key) is the same record, and a record pending review is not the platforms' yet.
  expect((await post('/v1/records', OFFICER, body, 'exchange-supply-1')).json().id).toBe(r.id);
  expect(await entriesOf(subject)).toEqual([]);
  // The supplier may not review their own record: refused, nothing told.
  expect((await post(`/v1/records/${r.id}/release`, OFFICER)).statusCode).toBe(403);
  expect(await entriesOf(subject)).toEqual([]);

  expect((await post(`/v1/records/${r.id}/release`, REVIEWER)).statusCode).toBe(200);
  const [sup] = await entriesOf(subject);
  expect(sup).toEqual({
    id: `${r.id}:record_supplied`,
    kind: 'record_supplied',
    recordId: r.id,
    caseId: null,
    payload: expect.objectContaining({
      entryId: `${r.id}:record_supplied`,
      kind: 'record_supplied',
      occurredAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      recordId: r.id,
      subjectName: body.subject.name,
      subjectCategory: '法人及非法人组织',
      unifiedSocialCreditCode: subject,
      informationCategory: 'dishonesty',
      catalogueItem: 'administrative_penalty',
      decisionNumber: body.documentNumber,
      decisionContent: body.content,
      decisionDate: body.decidedOn,
      publicityUntil: r.publicUntil,
      decidingAuthority: '张掖市市场监督管理局',
      dataSource: '张掖市市场监督管理局',
      dataSourceCode: 'ZY-SAMR',
      underObjection: false,
    }),
  });
  expect(sup!.payload).not.toHaveProperty('supersedes');
  // Released already: a second release is refused and tells nothing again.
  expect((await post(`/v1/records/${r.id}/release`, REVIEWER)).statusCode).toBe(409);
  expect(await kindsOf(subject)).toEqual(['record_supplied']);

  // An objection marks the record; the supplier's decision corrects it; released again, the correction is told.
  const c1 = await objection(r.id, subject, '罚款金额记载错误');
  expect((await act(c1, 'forward', AGENCY_OFFICER, { department: 'ZY-SAMR' })).statusCode).toBe(200);
  await recorded(c1, 'forwarded');
  const corrected = '因销售过期食品被处罚款五千元。';
  expect((await act(c1, 'decide', OFFICER, { outcome: 'correct', reasons: '金额有误', correctedContent: corrected })).statusCode).toBe(200);
  await recorded(c1, 'decided');
  // Out of disclosure until reviewed (Art 36): the correction is not told before its release.
  expect(await kindsOf(subject)).toEqual(['record_supplied', 'record_objection_marked', 'record_objection_cleared']);
  expect((await post(`/v1/records/${r.id}/release`, REVIEWER)).statusCode).toBe(200);

  // A second objection ends in deletion.
  const c2 = await objection(r.id, subject, '该处罚已被撤销');
  expect((await act(c2, 'decide', AGENCY_OFFICER, { outcome: 'delete', reasons: '处罚决定已撤销' })).statusCode).toBe(200);
  await recorded(c2, 'decided');

  const all = await entriesOf(subject);
  expect(all.map((e) => e.id)).toEqual([
    `${r.id}:record_supplied`,
    `${r.id}:record_objection_marked:${c1}`,
    `${r.id}:record_objection_cleared:${c1}`,
    expect.stringMatching(new RegExp(`^${r.id}:record_corrected:\\d{4}-`)),
    `${r.id}:record_objection_marked:${c2}`,
    `${r.id}:record_objection_cleared:${c2}`,
    `${r.id}:record_deleted`,
  ]);
  const [, marked, , correction, , , deleted] = all;
  expect(marked).toMatchObject({ caseId: c1, payload: { kind: 'record_objection_marked', underObjection: true } });
  expect(correction!.payload).toMatchObject({
    kind: 'record_corrected',
    decisionContent: corrected,
    supersedes: `${r.id}:record_supplied`,
  });
  expect(deleted).toMatchObject({
    caseId: c2,
    payload: { kind: 'record_deleted', supersedes: correction!.id, reason: '处罚决定已撤销' },
  });
});

it('tells a record whose publicity an objection stops, and nothing for a refused objection', async () => {
  const r = (await post('/v1/records', OFFICER, recordBody())).json();
  const subject = r.subject.id as string;
  // Released at once (the department's own system named its reviewer): told at once.
  expect(await kindsOf(subject)).toEqual(['record_supplied']);
  // A supervisor may not file an objection: refused, nothing told.
  const refused = await post('/v1/cases', SUPERVISOR, {
    procedure: 'objection',
    recordId: r.id,
    grounds: 'error_or_omission',
    statement: 'x',
    evidence: [],
  });
  expect(refused.statusCode).toBe(403);
  expect(await kindsOf(subject)).toEqual(['record_supplied']);

  const c = await objection(r.id, subject, '已超过公示期限');
  expect((await act(c, 'decide', AGENCY_OFFICER, { outcome: 'stop_disclosure', reasons: '公示期限已届满' })).statusCode).toBe(200);
  await recorded(c, 'decided');
  const all = await entriesOf(subject);
  expect(all.map((e) => e.kind)).toEqual([
    'record_supplied',
    'record_objection_marked',
    'record_objection_cleared',
    'record_publicity_ended',
  ]);
  expect(all[3]).toMatchObject({
    id: `${r.id}:record_publicity_ended`,
    caseId: c,
    payload: { supersedes: `${r.id}:record_supplied`, reason: '公示期限已届满' },
  });
});

/** A listing case through to its publication: the case, the company, the person and the decision's number. */
async function publishedListing() {
  const body = listingBody();
  const company = body.subject.id;
  const person = body.responsiblePersons[0]!.idNumber;
  const id = (await post('/v1/cases', OFFICER, body)).json().id as string;
  await recorded(id, 'opened');
  expect((await act(id, 'serve_notice', OFFICER, { servedAt: new Date().toISOString(), method: 'in_person' })).statusCode).toBe(200);
  await act(id, 'submit_statement', subjectOf(company), { text: '已整改', requestHearing: false });
  await recorded(id, 'under_review');
  await act(id, 'propose_decision', OFFICER, { outcome: 'list', reasons: '情节严重', measures: ['N-01'] });
  await recorded(id, 'awaiting_approval');
  const decisionNumber = (await act(id, 'approve_decision', SUPERVISOR, { comment: '同意' })).json().details.decision.number as string;
  await recorded(id, 'decided');
  // Decided is not listed: nothing told yet.
  expect(await entriesOf(company)).toEqual([]);
  const listed = await act(id, 'serve_decision', OFFICER, { servedAt: new Date().toISOString(), method: 'in_person' });
  expect(listed.statusCode).toBe(200);
  await recorded(id, 'listed');
  return { id, body, company, person, decisionNumber };
}

it('tells a listing and its Art 48 entries when published, and their end when the listing is revoked', async () => {
  const { id, body, company, person, decisionNumber } = await publishedListing();

  // The listing once (its own record is told by it), the person's entry once.
  const org = await entriesOf(company);
  expect(org).toEqual([
    {
      id: `${id}:listing_listed`,
      kind: 'listing_listed',
      recordId: listingRecordId(id),
      caseId: id,
      payload: expect.objectContaining({
        listingCaseId: id,
        subjectName: body.subject.name,
        unifiedSocialCreditCode: company,
        listingCategory: body.category,
        decisionNumber,
        recognisingAuthority: '张掖市市场监督管理局',
        measures: [expect.objectContaining({ code: 'N-01' })],
      }),
    },
  ]);
  const own = await entriesOf(person);
  expect(own).toEqual([
    expect.objectContaining({
      kind: 'subject_entry_made',
      caseId: id,
      payload: expect.objectContaining({
        subjectName: '王某',
        subjectCategory: '自然人',
        idType: '身份证',
        idNumber: person,
        responsibleRole: 'legal_representative',
        organisationCode: company,
        organisationName: body.subject.name,
        decisionNumber,
      }),
    }),
  ]);

  expect((await act(id, 'revoke', OFFICER, { reason: '行政处罚决定已被撤销', basis: '张市监撤〔2026〕1号' })).statusCode).toBe(200);
  await recorded(id, 'removed');
  // Revoked again: refused, nothing more told.
  expect((await act(id, 'revoke', OFFICER, { reason: 'again', basis: 'x' })).statusCode).toBe(409);
  expect(await entriesOf(company)).toEqual([
    expect.objectContaining({ kind: 'listing_listed' }),
    expect.objectContaining({
      id: `${id}:listing_revoked`,
      kind: 'listing_revoked',
      payload: expect.objectContaining({ supersedes: `${id}:listing_listed`, removalOutcome: 'revoked' }),
    }),
  ]);
  const after = await entriesOf(person);
  expect(after.map((e) => e.kind)).toEqual(['subject_entry_made', 'subject_entry_ended']);
  expect(after[1]!.payload).toMatchObject({ supersedes: after[0]!.id });
});

it("tells a listing that an objection to its record revokes, with the record's mark and its clearing", async () => {
  const { id, company, person } = await publishedListing();
  const recordId = listingRecordId(id);
  const c = await objection(recordId, company, '认定主体有误');
  expect((await act(c, 'forward', AGENCY_OFFICER, { department: 'ZY-SAMR' })).statusCode).toBe(200);
  await recorded(c, 'forwarded');
  expect((await act(c, 'decide', OFFICER, { outcome: 'remove_from_list', reasons: '认定主体有误' })).statusCode).toBe(200);
  await recorded(c, 'decided');
  await recorded(id, 'removed');
  const all = await entriesOf(company);
  expect(all.map((e) => [e.kind, e.recordId])).toEqual([
    ['listing_listed', recordId],
    ['record_objection_marked', recordId],
    // The listing's removal through its own workflow comes first; the objection's end lifts the mark after it.
    ['listing_revoked', recordId],
    ['record_objection_cleared', recordId],
  ]);
  expect(all[2]).toMatchObject({
    id: `${id}:listing_revoked`,
    caseId: id,
    payload: { supersedes: `${id}:listing_listed`, removalOutcome: 'revoked' },
  });
  expect(await kindsOf(person)).toEqual(['subject_entry_made', 'subject_entry_ended']);
});
