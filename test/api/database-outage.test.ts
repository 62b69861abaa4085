import { startSystem, type System } from '../support/system';
import { until as poll } from '../support/until';
import { AGENCY_OFFICER, listingBody, OFFICER, recordBody } from '../support/fixtures';
import { getCaseQuery } from '../../workflows/common/definitions';
import { testEnv } from '../support/test-env';
import { databaseProxy, type TcpProxy } from '../support/tcp-proxy';
import { ifStarted } from '../support/teardown';

/**
 * "A case started is a case recorded": the worker's database goes away just as a case is opened, or as an
 * approved repair takes effect. An opening is written by the API; a change the workflow writes itself (a closing
 * action's, with its effects) waits in the workflow, and once the database is back it is recorded, once and whole.
 */
let sys: System;
let proxy: TcpProxy;
beforeAll(async () => {
  const through = await databaseProxy(testEnv().databaseUrl);
  proxy = through.proxy;
  sys = await startSystem({ workerDatabaseUrl: through.url });
});
afterAll(async () => {
  await ifStarted(sys)?.stop();
  await ifStarted(proxy)?.stop();
});

it('records a case opened while the worker cannot reach Postgres at once, exactly once: the API writes the opening', async () => {
  proxy.cut();
  try {
    const res = await sys.app.inject({
      method: 'POST',
      url: '/v1/cases',
      headers: { authorization: `Bearer ${sys.token(OFFICER)}` },
      payload: listingBody(),
    });
    expect(res.statusCode).toBe(201);
    const id = res.json().id as string;
    // The workflow answered the opening's change instead of writing it (a step of the worker's, which would wait for
    // Postgres); the API, which reaches Postgres, wrote it before answering.
    expect(await sys.db.case.findUnique({ where: { id } })).toMatchObject({ id, state: 'opened' });
    expect(await sys.db.timelineEntry.count({ where: { caseId: id } })).toBe(1);
    expect(await sys.db.auditEntry.count({ where: { caseId: id, action: 'case.open' } })).toBe(1);
    expect((await sys.temporal.workflow.getHandle(id).describe()).raw.pendingActivities ?? []).toEqual([]);
  } finally {
    proxy.restore();
  }
}, 90_000);

it('carries out an approved repair whose effects meet a database outage, completely and once, when Postgres is back', async () => {
  const officer = { authorization: `Bearer ${sys.token(OFFICER)}` };
  const agency = { authorization: `Bearer ${sys.token(AGENCY_OFFICER)}` };
  const decidedOn = new Date(Date.now() - 395 * 86_400_000 + 8 * 3_600_000).toISOString().slice(0, 10);
  const rec = (
    await sys.app.inject({
      method: 'POST',
      url: '/v1/records',
      headers: officer,
      payload: recordBody({ severity: 'serious', decidedOn }),
    })
  ).json();
  const company = { authorization: `Bearer ${sys.token({ role: 'subject', sub: 'co', subjectId: rec.subject.id })}` };
  const c = (
    await sys.app.inject({
      method: 'POST',
      url: '/v1/cases',
      headers: company,
      payload: {
        procedure: 'repair',
        target: { recordId: rec.id },
        statement: '已整改',
        evidence: [{ title: '凭证', description: '已缴清' }],
        commitment: { text: '承诺', signedOn: decidedOn },
      },
    })
  ).json();
  const handle = sys.temporal.workflow.getHandle(c.id);
  const settledAs = async (state: string) => {
    const until = Date.now() + 20_000;
    for (;;) {
      const row = await sys.db.case.findUnique({ where: { id: c.id } });
      const view = await handle.query(getCaseQuery);
      if (row?.state === state && row.version === view.timeline.length) return;
      if (Date.now() > until) throw new Error(`not recorded as ${state}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  await settledAs('submitted');
  await sys.app.inject({ method: 'POST', url: `/v1/cases/${c.id}/actions/accept`, headers: agency, payload: {} });
  await settledAs('under_review');

  proxy.cut();
  const approving = sys.app.inject({
    method: 'POST',
    url: `/v1/cases/${c.id}/actions/decide`,
    headers: officer,
    payload: { outcome: 'approve', reasons: '已履行义务' },
  });
  // The worker has tried to carry the approval out and failed: an activity is on a later attempt.
  await poll("the approval's effects retried", async () =>
    ((await handle.describe()).raw.pendingActivities ?? []).some((a) => Number(a.attempt) > 1),
  );
  // Nothing of the approval has reached the record, the platform's outbox or the claim while Postgres is away.
  expect(await sys.db.creditRecord.findUnique({ where: { id: rec.id } })).toMatchObject({ status: 'active' });
  expect(await sys.db.exchangeEntry.count({ where: { caseId: c.id } })).toBe(0);
  expect(await sys.db.caseClaim.count({ where: { caseId: c.id } })).toBe(1);

  proxy.restore();
  expect((await approving).statusCode).toBe(200);
  const until = Date.now() + 60_000;
  while ((await sys.db.case.findUnique({ where: { id: c.id } }))?.closed !== true && Date.now() < until)
    await new Promise((r) => setTimeout(r, 250));
  expect(await sys.db.case.findUnique({ where: { id: c.id } })).toMatchObject({ state: 'approved', closed: true });
  expect(await sys.db.creditRecord.findUnique({ where: { id: rec.id } })).toMatchObject({ status: 'publicity_ended' });
  expect(await sys.db.exchangeEntry.count({ where: { caseId: c.id, kind: 'record_publicity_ended' } })).toBe(1);
  expect(await sys.db.caseClaim.count({ where: { caseId: c.id } })).toBe(0);
  expect(await sys.db.recordEvent.count({ where: { recordId: rec.id, action: 'publicity_ended' } })).toBe(1);
  expect(await sys.db.deadline.findUnique({ where: { id: `${c.id}:repair_remove_disclosure` } })).toMatchObject({
    status: 'met',
  });
}, 120_000);
