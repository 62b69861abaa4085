import { startSystem, type System } from '../support/system';
import { listingBody, OFFICER } from '../support/fixtures';
import { testEnv } from '../support/test-env';
import { TcpProxy, viaProxy } from '../support/tcp-proxy';

/**
 * "A case started is a case recorded": the worker's database goes away just as a case is opened.
 * The workflow keeps the case; once the database is back the case is recorded, once.
 */
let sys: System;
let proxy: TcpProxy;
beforeAll(async () => {
  const url = new URL(testEnv().databaseUrl);
  proxy = new TcpProxy(url.hostname, Number(url.port));
  await proxy.start();
  sys = await startSystem({ workerDatabaseUrl: viaProxy(testEnv().databaseUrl, proxy) });
});
afterAll(async () => {
  await sys?.stop();
  await proxy?.stop();
});

it('records a case opened while the worker cannot reach Postgres once Postgres is back, exactly once', async () => {
  proxy.cut();
  const res = await sys.app.inject({
    method: 'POST',
    url: '/v1/cases',
    headers: { authorization: `Bearer ${sys.token(OFFICER)}` },
    payload: listingBody(),
  });
  // The API itself still reaches Postgres; the case is accepted and held by its workflow.
  expect(res.statusCode).toBe(201);
  const id = res.json().id as string;

  await new Promise((r) => setTimeout(r, 4000));
  expect(await sys.db.case.findUnique({ where: { id } })).toBeNull();
  const handle = sys.temporal.workflow.getHandle(id);
  const pending = (await handle.describe()).raw.pendingActivities ?? [];
  expect(pending.length).toBe(1);
  expect(Number(pending[0]!.attempt)).toBeGreaterThan(1);

  // While it is unrecorded, the API still answers from the workflow.
  const meanwhile = await sys.app.inject({ method: 'GET', url: `/v1/cases/${id}`, headers: { authorization: `Bearer ${sys.token(OFFICER)}` } });
  expect(meanwhile.statusCode).toBe(200);
  expect(meanwhile.json().state).toBe('opened');

  proxy.restore();
  const until = Date.now() + 45_000;
  while (!(await sys.db.case.findUnique({ where: { id } })) && Date.now() < until) await new Promise((r) => setTimeout(r, 250));
  expect(await sys.db.case.findUnique({ where: { id } })).toMatchObject({ id, state: 'opened' });
  expect(await sys.db.timelineEntry.count({ where: { caseId: id } })).toBe(1);
  expect(await sys.db.auditEntry.count({ where: { caseId: id, action: 'case.open' } })).toBe(1);
}, 90_000);
