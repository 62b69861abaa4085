import assert from 'node:assert';
import { storedRepairDetails } from '../../api/procedures/repair-details';
import { apiAs, quietCases, settledCase, startSystem, subjectOf, type Claims, type Reply as Res, type System } from '../support/system';
import { AGENCY_OFFICER, OFFICER, OTHER_OFFICER, SUPERVISOR, listingBody, randomUscc, recordBody } from '../support/fixtures';
import { addDays } from '../../domain/calendar';
import { shanghaiDate } from '../../api/case-ids';
import { ifStarted } from '../support/teardown';
import { policyShape, startInputOf } from '../support/start-input';
import { REPAIR_POLICY_TERMS, type RepairInput } from '../../workflows/repair/definitions';

/**
 * Credit repair through the API against the dev server and Postgres; the periods that take a year are on
 * the time-skipping server (test/workflows/repair.workflow.test.ts and test/e2e). Refusals change nothing.
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
const today = () => shanghaiDate(new Date());
const application = (target: Record<string, string>) => ({
  procedure: 'repair',
  target,
  statement: '已缴清罚款并完成整改。',
  evidence: [{ title: '缴款凭证', description: '罚款已缴清' }],
  commitment: { text: '本单位承诺依法诚信经营。', signedOn: today() },
});

const recorded = (id: string, state: string, closed?: boolean) => settledCase(sys, id, state, closed);

async function snapshot(subjectId: string) {
  // The claims a repair of the subject could hold: on its records and on its listings.
  const [recordIds, listingIds] = await Promise.all([
    sys.db.creditRecord.findMany({ where: { subjectId }, select: { id: true } }),
    sys.db.case.findMany({ where: { subjectId, procedure: 'listing' }, select: { id: true } }),
  ]);
  const targets = [...recordIds.map((r) => `repair:record:${r.id}`), ...listingIds.map((c) => `repair:listing:${c.id}`)];
  const [cases, claims, records, audit] = await Promise.all([
    sys.db.case.findMany({
      where: { subjectId, procedure: 'repair' },
      select: { id: true, state: true, version: true },
    }),
    sys.db.caseClaim.findMany({ where: { target: { in: targets } }, select: { target: true, caseId: true }, orderBy: { target: 'asc' } }),
    sys.db.creditRecord.findMany({ where: { subjectId }, select: { id: true, status: true } }),
    sys.db.auditEntry.count({ where: { subjectId, NOT: { action: { in: ['case.read', 'records.read'] } } } }),
  ]);
  return { cases, claims, records, audit };
}

async function expectRefused(subjectId: string, res: Promise<Res>, status: number, detail: RegExp) {
  const before = await snapshot(subjectId);
  const r = await res;
  expect(r.statusCode).toBe(status);
  expect(r.headers['content-type']).toMatch(/problem\+json/);
  expect(r.json().detail).toMatch(detail);
  // At rest: every repair case of the subject has no step running and is recorded whole.
  await quietCases(
    sys,
    before.cases.map((c) => c.id),
  );
  const after = await snapshot(subjectId);
  await quietCases(
    sys,
    after.cases.map((c) => c.id),
  );
  expect(await snapshot(subjectId)).toEqual(before);
}

/** A serious penalty decided 13 months ago: its one-year minimum has passed, its three-year maximum has not. */
async function repairableRecord() {
  const decidedOn = shanghaiDate(new Date(Date.now() - 395 * 86_400_000));
  const r = await post('/v1/records', OFFICER, recordBody({ severity: 'serious', decidedOn }));
  expect(r.statusCode).toBe(201);
  return r.json();
}

it('approves a record repair: its publicity ends, others no longer see it, the subject still does, the platform is told', async () => {
  const rec = await repairableRecord();
  const company = subjectOf(rec.subject.id);
  await expectRefused(rec.subject.id, post('/v1/cases', OFFICER, application({ recordId: rec.id })), 403, /applied for by the subject/);
  await expectRefused(rec.subject.id, post('/v1/cases', subjectOf(randomUscc()), application({ recordId: rec.id })), 404, /no record/);
  await expectRefused(
    rec.subject.id,
    post('/v1/cases', company, { ...application({ recordId: rec.id }), evidence: [] }),
    422,
    /evidence of the obligations performed is required/,
  );
  await expectRefused(
    rec.subject.id,
    post('/v1/cases', company, {
      ...application({ recordId: rec.id }),
      commitment: { text: 'x', signedOn: '2099-01-01' },
    }),
    422,
    /future/,
  );

  const created = await post('/v1/cases', company, application({ recordId: rec.id }));
  expect(created.statusCode).toBe(201);
  const c = created.json();
  // The agency's and the deciding department's entries the repair reads, not the whole policy table.
  const { input: started } = await startInputOf(sys.temporal.workflow.getHandle(c.id));
  const input = started as RepairInput;
  expect(policyShape(input.policy).entries).toEqual([...REPAIR_POLICY_TERMS].sort());
  expect(policyShape(input.decider?.policy ?? {}).entries).toEqual([...REPAIR_POLICY_TERMS].sort());
  expect(policyShape(input.policy).fields).not.toContain('label');
  // Received by the agency; decided by the department that supplied the record (谁认定、谁修复).
  expect(c).toMatchObject({ procedure: 'repair', department: 'ZY-DRC', details: { decidingDepartment: 'ZY-SAMR' } });
  const again = await post('/v1/cases', company, application({ recordId: rec.id }));
  expect(again.statusCode).toBe(409);
  expect(again.json()).toMatchObject({ openCaseId: c.id });

  await recorded(c.id, 'submitted');
  expect((await get(`/v1/cases/${c.id}`, OFFICER)).statusCode).toBe(200); // the supplier is involved
  await expectRefused(rec.subject.id, act(c.id, 'accept', OFFICER, {}), 403, /only an officer of ZY-DRC/);
  await expectRefused(
    rec.subject.id,
    act(c.id, 'decide', OFFICER, { outcome: 'approve', reasons: 'x' }),
    409,
    /not allowed while the case is submitted/,
  );
  await expectRefused(rec.subject.id, act(c.id, 'accept', SUPERVISOR, {}), 403, /role supervisor may not accept/);
  expect((await act(c.id, 'accept', AGENCY_OFFICER, {})).json()).toMatchObject({
    state: 'under_review',
    allowedActions: ['decide'],
  });
  await recorded(c.id, 'under_review');
  // The agency accepted; the decision is not its own to make.
  await expectRefused(
    rec.subject.id,
    act(c.id, 'decide', AGENCY_OFFICER, { outcome: 'approve', reasons: '已履行义务' }),
    403,
    /only an officer of ZY-SAMR may decide/,
  );
  // Nor is it a third department's, which neither received the application nor supplied the record: that one may not
  // even see the case, so its decision is refused as for a case that does not exist.
  await expectRefused(rec.subject.id, act(c.id, 'decide', OTHER_OFFICER, { outcome: 'approve', reasons: '已履行义务' }), 404, /./);
  expect((await get(`/v1/cases/${c.id}`, OTHER_OFFICER)).statusCode).toBe(404);
  await expectRefused(rec.subject.id, act(c.id, 'decide', OFFICER, { outcome: 'approve' }), 400, /does not match/);
  expect((await act(c.id, 'decide', OFFICER, { outcome: 'approve', reasons: '已履行义务' })).statusCode).toBe(200);
  await recorded(c.id, 'approved', true);
  const seen = (await get(`/v1/cases/${c.id}`, company)).json();
  expect(seen.details).toMatchObject({ decidingDepartment: 'ZY-SAMR', decision: { department: 'ZY-SAMR' } });

  expect(await sys.db.creditRecord.findUnique({ where: { id: rec.id } })).toMatchObject({ status: 'publicity_ended' });
  const others = (
    await get(`/v1/subjects/${rec.subject.id}/records?purpose=${encodeURIComponent('招投标审查')}`, {
      role: 'officer',
      sub: 'o-tax',
      dept: 'ZY-TAX',
    })
  ).json();
  expect(others.items).toEqual([]);
  const own = (await get(`/v1/subjects/${rec.subject.id}/records`, company)).json();
  expect(own.items).toEqual([expect.objectContaining({ id: rec.id, disclosure: 'publicity_ended' })]);
  // The platforms are told once that the record's publicity ended, by the repair (issue 24: the exchange's outbox).
  expect(await sys.db.exchangeEntry.findMany({ where: { caseId: c.id }, select: { id: true, kind: true } })).toEqual([
    { id: `${rec.id}:record_publicity_ended`, kind: 'record_publicity_ended' },
  ]);
  expect(await sys.db.caseClaim.count({ where: { caseId: c.id } })).toBe(0);
  const notices = (await get('/v1/me/notices', company)).json().items;
  expect(notices).toEqual(expect.arrayContaining([expect.objectContaining({ caseId: c.id, kind: 'repair_decision' })]));
  const notice = notices.find((n: { caseId: string }) => n.caseId === c.id);
  const doc = (await get(`/v1/cases/${c.id}/documents/${notice.id ?? notice.documentId}`, company)).json();
  expect(JSON.stringify(doc)).toContain('张掖市市场监督管理局');
  expect(JSON.stringify(doc)).toContain('信用修复受理窗口');
  await expectRefused(rec.subject.id, post('/v1/cases', company, application({ recordId: rec.id })), 409, /no longer disclosed/);
});

it('declines at once an application made before the minimum publicity, and refuses a new one before the date it names', async () => {
  const rec = (await post('/v1/records', OFFICER, recordBody({ severity: 'general', decidedOn: today() }))).json();
  const company = subjectOf(rec.subject.id);
  const c = (await post('/v1/cases', company, application({ recordId: rec.id }))).json();
  const row = await recorded(c.id, 'declined', true);
  const { eligibility } = storedRepairDetails(row.details, row.department);
  assert(eligibility);
  expect(eligibility).toMatchObject({ eligible: false, earliest: expect.any(String) });
  const refused = await post('/v1/cases', company, application({ recordId: rec.id }));
  expect(refused.statusCode).toBe(409);
  expect(refused.json()).toMatchObject({ caseId: c.id, reapplyAfter: eligibility.earliest });
  expect(await sys.db.auditEntry.count({ where: { subjectId: rec.subject.id, action: 'repair.claimed' } })).toBe(1);
});

it('rejects with a re-apply date, and refuses the basic information that repair does not concern', async () => {
  const rec = await repairableRecord();
  const company = subjectOf(rec.subject.id);
  const c = (await post('/v1/cases', company, application({ recordId: rec.id }))).json();
  await recorded(c.id, 'submitted');
  await act(c.id, 'accept', AGENCY_OFFICER, {});
  await recorded(c.id, 'under_review');
  const after = shanghaiDate(new Date(Date.now() + 60 * 86_400_000));
  const rejected = (await act(c.id, 'decide', OFFICER, { outcome: 'reject', reasons: '整改材料不实', reapplyAfter: after })).json();
  expect(rejected).toMatchObject({ state: 'rejected', closed: true, details: { decision: { reapplyAfter: after } } });
  await recorded(c.id, 'rejected', true);
  await expectRefused(rec.subject.id, post('/v1/cases', company, application({ recordId: rec.id })), 409, new RegExp(`from ${after}`));
  await expectRefused(rec.subject.id, act(c.id, 'decide', OFFICER, { outcome: 'approve', reasons: 'x' }), 409, /case closed/);

  const basic = (
    await post('/v1/records', OFFICER, recordBody({ subject: rec.subject, category: 'basic', type: 'registration', severity: undefined }))
  ).json();
  await expectRefused(rec.subject.id, post('/v1/cases', company, application({ recordId: basic.id })), 422, /only dishonesty information/);
});

it('rejects without a re-apply date as from the next day, and refuses a new application until then', async () => {
  const rec = await repairableRecord();
  const company = subjectOf(rec.subject.id);
  const c = (await post('/v1/cases', company, application({ recordId: rec.id }))).json();
  await recorded(c.id, 'submitted');
  await act(c.id, 'accept', AGENCY_OFFICER, {});
  await recorded(c.id, 'under_review');
  const decidedOn = today();
  const rejected = await act(c.id, 'decide', OFFICER, { outcome: 'reject', reasons: '整改材料不实' });
  expect(rejected.statusCode).toBe(200);
  const tomorrow = addDays(decidedOn, 1);
  expect(rejected.json()).toMatchObject({ state: 'rejected', details: { decision: { reapplyAfter: tomorrow } } });
  await recorded(c.id, 'rejected', true);
  await expectRefused(rec.subject.id, post('/v1/cases', company, application({ recordId: rec.id })), 409, new RegExp(`from ${tomorrow}`));
});

it('removes a listing early once it has run the minimum time, and declines one that has not', async () => {
  const imported = async (daysAgo: number) => {
    const body = listingBody();
    const { procedure: _p, proposedMeasures, ...rest } = body;
    const res = await post('/v1/imports/listings', SUPERVISOR, {
      ...rest,
      measures: proposedMeasures,
      department: 'ZY-SAMR',
      decisionDocument: {
        number: `张市监认〔2025〕${daysAgo}号`,
        issuedOn: shanghaiDate(new Date(Date.now() - (daysAgo + 5) * 86_400_000)),
      },
      decisionServedAt: new Date(Date.now() - daysAgo * 86_400_000).toISOString(),
    });
    expect(res.statusCode).toBe(201);
    const view = res.json();
    await recorded(view.id, 'listed');
    return view;
  };
  const recent = await imported(30);
  const tooEarly = (await post('/v1/cases', subjectOf(recent.subject.id), application({ listingCaseId: recent.id }))).json();
  await recorded(tooEarly.id, 'declined', true);

  const old = await imported(400);
  const company = subjectOf(old.subject.id);
  await expectRefused(
    old.subject.id,
    post('/v1/cases', subjectOf(randomUscc()), application({ listingCaseId: old.id })),
    404,
    /no listing/,
  );
  const c = (await post('/v1/cases', company, application({ listingCaseId: old.id }))).json();
  await recorded(c.id, 'submitted');
  await act(c.id, 'accept', AGENCY_OFFICER, {});
  await recorded(c.id, 'under_review');
  // The recognising department (the listing's) decides its early removal; the agency deciding is a 403.
  await expectRefused(
    old.subject.id,
    act(c.id, 'decide', AGENCY_OFFICER, { outcome: 'approve', reasons: 'x' }),
    403,
    /only an officer of ZY-SAMR may decide/,
  );
  expect((await act(c.id, 'decide', OFFICER, { outcome: 'approve', reasons: '列入满一年，已履行义务' })).statusCode).toBe(200);
  await recorded(c.id, 'approved', true);
  await recorded(old.id, 'removed', true);
  expect(await sys.db.publicListing.findUnique({ where: { caseId: old.id } })).toMatchObject({
    status: 'removed',
    removalOutcome: 'repaired',
  });
  expect((await get(`/v1/cases/${old.id}`, company)).json()).toMatchObject({
    outcome: 'repaired',
    details: { removal: { repairCaseId: c.id } },
  });
  await expectRefused(old.subject.id, post('/v1/cases', company, application({ listingCaseId: old.id })), 409, /only a running listing/);
});
