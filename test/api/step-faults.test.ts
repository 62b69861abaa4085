import { apiAs, quietCases, settledCase, startSystem, type System } from '../support/system';
import { listingBody, SUPERVISOR } from '../support/fixtures';
import { testEnv } from '../support/test-env';
import { databaseProxy, type TcpProxy } from '../support/tcp-proxy';
import { getCaseQuery } from '../../workflows/common/definitions';
import { ifStarted } from '../support/teardown';

/**
 * A step that can never succeed does not hang anyone (issue 20, item 9): a policy override whose unit the
 * pre-listing notice cannot print made every `serve_notice` of its department retry for ever while the request
 * waited. Now the action is refused at once with the fault, the case is left as it was, and the supervisors see
 * an incident. A dependency that is down is still retried, and the request that waits for it is answered 503 at
 * its limit. The worker reaches Postgres through a proxy this file can cut; the API reaches it directly.
 */
const LIMIT_MS = 5_000;
// A department no other test file acts for, so its override touches no other test's cases.
const TRANSPORT = { role: 'officer', sub: 'officer-transport-1', dept: 'ZY-TRANSPORT' } as const;

let sys: System;
let proxy: TcpProxy;
let api: ReturnType<typeof apiAs>;
beforeAll(async () => {
  const through = await databaseProxy(testEnv().databaseUrl);
  proxy = through.proxy;
  sys = await startSystem({ workerDatabaseUrl: through.url, actionAnswerDeadlineMs: LIMIT_MS });
  api = apiAs(sys);
});
afterAll(async () => {
  await ifStarted(sys)?.stop();
  await ifStarted(proxy)?.stop();
});

async function openCase(key: string): Promise<string> {
  const res = await api.post('/v1/cases', TRANSPORT, listingBody(), key);
  expect(res.statusCode).toBe(201);
  const id = res.json().id as string;
  await settledCase(sys, id, 'opened');
  return id;
}

/** Everything of the case in Postgres that an action could change. */
async function snapshot(id: string) {
  const [row, timeline, documents, deadlines] = await Promise.all([
    sys.db.case.findUnique({ where: { id } }),
    sys.db.timelineEntry.count({ where: { caseId: id } }),
    sys.db.document.count({ where: { caseId: id } }),
    sys.db.deadline.findMany({ where: { caseId: id }, orderBy: { id: 'asc' } }),
  ]);
  const audit = await sys.db.auditEntry.count({
    where: { caseId: id, NOT: { action: { in: ['case.read', 'document.read'] } } },
  });
  return {
    state: row?.state,
    version: row?.version,
    details: row?.details,
    allowed: row?.allowedActions,
    timeline,
    documents,
    deadlines,
    audit,
  };
}

/** One body per key (a retry sends the same request). */
const bodies = new Map<string, object>();
const serveNotice = (id: string, key: string) => {
  if (!bodies.has(key)) bodies.set(key, { servedAt: new Date().toISOString(), method: 'in_person' });
  return api.post(`/v1/cases/${id}/actions/serve_notice`, TRANSPORT, bodies.get(key), key);
};

it('refuses serve_notice at once when the notice cannot be printed, changes nothing, raises an incident, and serves once the override is gone', async () => {
  // Written straight into the table: the API is about to refuse such an override, but one stored before must not hang anyone.
  const override = await sys.db.policyOverride.create({
    data: {
      procedure: 'listing',
      department: TRANSPORT.dept,
      values: { source: '测试：以自然日计的陈述申辩期', values: { statement_window: { unit: 'days', amount: 5 } } },
      createdBy: 'test',
    },
  });
  let id: string;
  try {
    id = await openCase(`fault-open-${Date.now()}`);
  } finally {
    await sys.db.policyOverride.delete({ where: { id: override.id } });
  }

  const before = await snapshot(id);
  const t0 = Date.now();
  const refused = await serveNotice(id, `fault-serve-${id}`);
  const took = Date.now() - t0;
  expect(refused.statusCode).toBe(422);
  expect(took).toBeLessThan(LIMIT_MS);
  expect(refused.headers['content-type']).toMatch(/application\/problem\+json/);
  const problem = refused.json();
  expect(problem).toMatchObject({
    type: 'https://credit.zhangye.example/problems/configuration-fault',
    status: 422,
    action: 'serve_notice',
    step: 'issueListingDocument',
    fault: 'ConfigurationFault',
    state: 'opened',
  });
  expect(problem.detail).toContain('issueListingDocument');
  expect(problem.detail).toContain('policy statement_window is in days; the documents print it in working_days');

  // Nothing recorded: the read model, the workflow's own view (the staged statement window dropped) and the documents.
  await quietCases(sys, [id]);
  expect(await snapshot(id)).toEqual(before);
  const live = await sys.temporal.workflow.getHandle(id).query(getCaseQuery);
  expect(live).toMatchObject({ state: 'opened', deadlines: [], documents: [], allowedActions: ['serve_notice'] });
  expect(live.timeline).toHaveLength(before.timeline);
  // A workflow never fails on a domain condition.
  expect((await sys.temporal.workflow.getHandle(id).describe()).status.name).toBe('RUNNING');

  // The supervisors see the incident with the case, the step and the cause; the officer of the department too.
  const incidents = async () =>
    ((await api.get(`/v1/escalations?department=${TRANSPORT.dept}`, SUPERVISOR)).json().items as Record<string, any>[]).filter(
      (e) => e.kind === 'incident' && e.caseId === id,
    );
  const [incident] = await incidents();
  expect(incident).toMatchObject({
    id: problem.incidentId,
    caseId: id,
    department: TRANSPORT.dept,
    deadlineId: null,
    detail: {
      action: 'serve_notice',
      step: 'issueListingDocument',
      fault: 'ConfigurationFault',
      state: 'opened',
      actor: TRANSPORT.sub,
    },
  });
  expect(incident!.detail.cause).toContain('statement_window');
  expect((await api.get('/v1/escalations', TRANSPORT)).json().items.map((e: { id: string }) => e.id)).toContain(problem.incidentId);

  // The same action again (a new key) is refused the same way, as fast, and is still one incident.
  const again = await serveNotice(id, `fault-serve-again-${id}`);
  expect(again.statusCode).toBe(422);
  expect(again.json().incidentId).toBe(problem.incidentId);
  expect(await incidents()).toHaveLength(1);
  expect(await snapshot(id)).toEqual(before);

  // The override removed, a case of the department serves its notice (the refused one kept the policy it started with).
  const next = await openCase(`fault-next-${Date.now()}`);
  const served = await serveNotice(next, `fault-next-serve-${next}`);
  expect(served.statusCode).toBe(200);
  expect(served.json()).toMatchObject({ state: 'notice_served', allowedActions: ['submit_statement'] });
  expect(served.json().documents).toHaveLength(1);
}, 90_000);

it('takes a notice the API worked out ahead while the worker cannot reach Postgres: the case takes no step of its own', async () => {
  const id = await openCase(`outage-quoted-${Date.now()}`);
  proxy.cut();
  try {
    const t0 = Date.now();
    const served = await serveNotice(id, `outage-quoted-serve-${id}`);
    expect(served.statusCode).toBe(200);
    expect(served.json()).toMatchObject({ state: 'notice_served' });
    expect(Date.now() - t0).toBeLessThan(LIMIT_MS);
  } finally {
    proxy.restore();
  }
  expect((await sys.db.case.findUniqueOrThrow({ where: { id } })).state).toBe('notice_served');
}, 60_000);

it('answers 503 with Retry-After at its limit while a step waits for Postgres, and the action is taken once Postgres is back', async () => {
  const id = await openCase(`outage-open-${Date.now()}`);
  const key = `outage-serve-${id}`;
  // A notice the API renders ahead takes no step of the worker's (api/action-quotes.ts): without the case's opening facts
  // it cannot, and the case takes its own steps, which wait for Postgres.
  await sys.db.caseInput.delete({ where: { caseId: id } });
  proxy.cut();
  let restored = false;
  try {
    const t0 = Date.now();
    const waiting = await serveNotice(id, key);
    const took = Date.now() - t0;
    expect(waiting.statusCode).toBe(503);
    expect(waiting.headers['retry-after']).toBe('5');
    expect(waiting.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(waiting.json().detail).toMatch(/did not answer serve_notice within 5 s/);
    expect(took).toBeGreaterThanOrEqual(LIMIT_MS - 500);
    expect(took).toBeLessThan(LIMIT_MS + 3_000);
    // An outage is not a fault: no incident, and the step is still being retried.
    const incidents = (await api.get(`/v1/escalations?department=${TRANSPORT.dept}`, SUPERVISOR))
      .json()
      .items.filter((e: { caseId: string }) => e.caseId === id);
    expect(incidents).toEqual([]);

    proxy.restore();
    restored = true;
    // A client retries as Retry-After says, with the same key: it learns the outcome of the action it sent.
    let res = await serveNotice(id, key);
    for (let i = 0; res.statusCode === 503 && i < 12; i++) res = await serveNotice(id, key);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ state: 'notice_served' });
    await settledCase(sys, id, 'notice_served');
    expect(await sys.db.document.count({ where: { caseId: id } })).toBe(1);
    expect(await sys.db.timelineEntry.count({ where: { caseId: id, action: 'serve_notice' } })).toBe(1);
  } finally {
    if (!restored) proxy.restore();
  }
}, 120_000);

it('answers a case opened on a stored override that no longer reads with a 422 naming it, never a 500', async () => {
  const override = await sys.db.policyOverride.create({
    data: {
      procedure: 'listing',
      department: TRANSPORT.dept,
      values: { values: { statement_window: { amount: -1 } } },
      createdBy: 'test',
    },
  });
  try {
    const res = await api.post('/v1/cases', TRANSPORT, listingBody(), `unreadable-${Date.now()}`);
    expect(res.statusCode).toBe(422);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.json()).toMatchObject({
      type: 'https://credit.zhangye.example/problems/configuration-fault',
      fault: 'ConfigurationFault',
    });
    expect(res.json().detail).toContain(`policy override ${override.id} cannot be read`);
  } finally {
    await sys.db.policyOverride.delete({ where: { id: override.id } });
  }
});
