import { until } from '../support/until';
import { startSystem, type System } from '../support/system';
import { listingBody, OFFICER } from '../support/fixtures';
import { ifStarted } from '../support/teardown';

/**
 * A case opened while no worker polls its task queue: the API cannot learn the case from its workflow, so it
 * answers 503 after its deadline rather than hang. The workflow is started all the same; when a worker comes
 * back the case is recorded, and a retry with the same Idempotency-Key answers with that same case.
 */
let sys: System;
beforeAll(async () => {
  sys = await startSystem({ withoutWorker: true, startAnswerDeadlineMs: 1_500 });
});
afterAll(async () => {
  await ifStarted(sys)?.stop();
});

it('answers 503 while no worker runs, and the retry with the same key gets the same case once one does', async () => {
  const body = listingBody();
  const post = () =>
    sys.app.inject({
      method: 'POST',
      url: '/v1/cases',
      headers: { authorization: `Bearer ${sys.token(OFFICER)}`, 'idempotency-key': `away-${body.subject.id}` },
      payload: body,
    });

  const t0 = Date.now();
  const away = await post();
  expect(away.statusCode).toBe(503);
  expect(away.headers['content-type']).toMatch(/application\/problem\+json/);
  expect(away.headers['retry-after']).toBeDefined();
  expect(Date.now() - t0).toBeLessThan(10_000);

  // The workflow was started (the key holds its id); nothing is in Postgres without a worker.
  const key = await sys.db.idempotencyKey.findFirstOrThrow({ where: { key: `away-${body.subject.id}` } });
  const caseId = key.resourceId!;
  expect((await sys.temporal.workflow.getHandle(caseId).describe()).status.name).toBe('RUNNING');
  expect(await sys.db.case.findUnique({ where: { id: caseId } })).toBeNull();

  // The worker that comes back records the case on its own, without any retry from the client.
  await sys.startWorker();
  await until(`case ${caseId} recorded by the worker`, () => sys.db.case.findUnique({ where: { id: caseId } }), 30_000);

  // A client retries a 503 as Retry-After tells it. On a loaded machine the worker's first answer can still
  // outlast this test's short deadline, so a few retries are allowed; each must join the same case.
  let back = await post();
  for (let retry = 0; back.statusCode === 503 && retry < 5; retry++) back = await post();
  expect(back.statusCode).toBe(201);
  expect(back.json()).toMatchObject({ id: caseId, state: 'opened', allowedActions: ['serve_notice'] });
  expect(await sys.db.case.count({ where: { id: caseId } })).toBe(1);
  expect(await sys.db.timelineEntry.count({ where: { caseId } })).toBe(1);
}, 60_000);
