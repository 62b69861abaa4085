import { apiAs, settledCase, startSystem, subjectOf, type System } from '../support/system';
import { AGENCY_OFFICER, OFFICER, recordBody, SUPERVISOR } from '../support/fixtures';
import { ifStarted } from '../support/teardown';

/**
 * An action is judged on the read model, without asking the case's workflow (a query is work on the worker for every
 * action); where the read model lags by a change that decides the judgement, the workflow's own view judges again.
 */
let sys: System;
beforeAll(async () => {
  sys = await startSystem({ actionAnswerDeadlineMs: 4_000 });
});
afterAll(async () => {
  await ifStarted(sys)?.stop();
});

/** An objection to a record OFFICER's department supplied, accepted by the agency: the agency may forward it. */
async function acceptedObjection(): Promise<{ id: string; recordId: string }> {
  const api = apiAs(sys);
  const supplied = await api.post('/v1/records', OFFICER, recordBody());
  expect(supplied.statusCode).toBe(201);
  const r = supplied.json<{ id: string; subject: { id: string } }>();
  const opened = await api.post('/v1/cases', subjectOf(r.subject.id), {
    procedure: 'objection',
    recordId: r.id,
    grounds: 'error_or_omission',
    statement: '罚款金额记载错误。',
    evidence: [{ title: '缴款凭证', description: '五千元' }],
  });
  expect(opened.statusCode).toBe(201);
  const c = opened.json<{ id: string }>();
  await settledCase(sys, c.id, 'submitted');
  expect((await api.act(c.id, 'accept', AGENCY_OFFICER, {})).statusCode).toBe(200);
  await settledCase(sys, c.id, 'verifying');
  return { id: c.id, recordId: r.id };
}

it('judges an action on the read model: with no worker to ask, a refusal the case gives is answered at once', async () => {
  const c = await acceptedObjection();
  await sys.stopWorker();
  try {
    const t0 = Date.now();
    const refused = await apiAs(sys).act(c.id, 'forward', AGENCY_OFFICER, { department: 'ZY-HOUSING' });
    // Judged before any Temporal call: the answer is the domain's 422, not the 503 of a query no worker takes.
    expect(refused.statusCode).toBe(422);
    expect(refused.json<{ detail: string }>().detail).toMatch(/did not supply/);
    const malformed = await apiAs(sys).act(c.id, 'forward', AGENCY_OFFICER, { department: 42 });
    expect(malformed.statusCode).toBe(400);
    expect(Date.now() - t0).toBeLessThan(3_000);
  } finally {
    await sys.startWorker();
  }
  expect((await sys.db.case.findUniqueOrThrow({ where: { id: c.id } })).state).toBe('verifying');
}, 60_000);

it('asks the workflow when the read model lags by the forward that made another department the deciding one', async () => {
  const c = await acceptedObjection();
  expect((await apiAs(sys).act(c.id, 'forward', AGENCY_OFFICER, { department: 'ZY-SAMR' })).statusCode).toBe(200);
  const forwarded = await settledCase(sys, c.id, 'forwarded');
  // The read model as it was before the forward reached it: the agency still decides there.
  await sys.db.$executeRaw`
    UPDATE cases SET details = jsonb_set(details, '{decidingDepartment}', '"ZY-DRC"') WHERE id = ${c.id}`;

  // The read model alone would refuse the supplier (403) and let the agency through; the workflow decides.
  const byAgency = await apiAs(sys).act(c.id, 'decide', AGENCY_OFFICER, { outcome: 'keep', reasons: '信息准确' });
  expect(byAgency.statusCode).toBe(409);
  expect(byAgency.json<{ detail: string }>().detail).toMatch(/only an officer of ZY-SAMR/);
  expect((await sys.db.case.findUniqueOrThrow({ where: { id: c.id } })).version).toBe(forwarded.version);

  const bySupplier = await apiAs(sys).act(c.id, 'decide', OFFICER, { outcome: 'keep', reasons: '信息准确' });
  expect(bySupplier.statusCode).toBe(200);
  expect(bySupplier.json()).toMatchObject({ state: 'decided', outcome: 'keep', closed: true });
}, 60_000);

it('answers an action on a case the read model has not seen closed with the closed case’s refusal', async () => {
  const c = await acceptedObjection();
  expect((await apiAs(sys).act(c.id, 'forward', AGENCY_OFFICER, { department: 'ZY-SAMR' })).statusCode).toBe(200);
  expect((await apiAs(sys).act(c.id, 'decide', OFFICER, { outcome: 'keep', reasons: '信息准确' })).statusCode).toBe(200);
  await settledCase(sys, c.id, 'decided', true);
  await sys.temporal.workflow.getHandle(c.id).result();
  // The read model one change behind: open and forwarded, while the workflow has completed.
  await sys.db.$executeRaw`UPDATE cases SET closed = false, state = 'forwarded' WHERE id = ${c.id}`;
  const late = await apiAs(sys).act(c.id, 'extend', SUPERVISOR, { reason: '案情复杂', workingDays: 5 });
  expect(late.statusCode).toBe(409);
  expect(late.json<{ detail: string }>().detail).toMatch(/closed/);
}, 60_000);
