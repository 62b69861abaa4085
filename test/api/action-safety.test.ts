import { randomUUID } from 'node:crypto';
import { settledCase, startSystem, type Claims, type Reply, type System } from '../support/system';
import { listingBody, OFFICER, recordBody, SUPERVISOR } from '../support/fixtures';
import { testEnv } from '../support/test-env';
import { databaseProxy, type TcpProxy } from '../support/tcp-proxy';
import { getCaseQuery } from '../../workflows/common/definitions';
import { ifStarted } from '../support/teardown';

/**
 * Actions under concurrency, retries and outages, through the API against the real servers (issue 13): people
 * double-click, networks drop answers, Postgres restarts. One action is taken once; a retry with its key gets
 * the first answer; an outage is a 503 with Retry-After; unstorable input is a 400. The API reaches Postgres
 * through a proxy the tests can cut; the worker keeps its own connection.
 */
let sys: System;
let proxy: TcpProxy;
beforeAll(async () => {
  const through = await databaseProxy(testEnv().databaseUrl);
  proxy = through.proxy;
  sys = await startSystem({ apiDatabaseUrl: through.url });
});
afterAll(async () => {
  await ifStarted(sys)?.stop();
  await ifStarted(proxy)?.stop();
});

const headers = (c: Claims, key: string = randomUUID()) => ({
  authorization: `Bearer ${sys.token(c)}`,
  'idempotency-key': key,
});
const act = (id: string, action: string, { by: c, key }: { by: Claims; key?: string }, payload: unknown): Promise<Reply> =>
  sys.app.inject({
    method: 'POST',
    url: `/v1/cases/${id}/actions/${action}`,
    headers: headers(c, key),
    payload: payload as object,
  });

async function openCase(): Promise<string> {
  const res = await sys.app.inject({
    method: 'POST',
    url: '/v1/cases',
    headers: headers(OFFICER),
    payload: listingBody(),
  });
  expect(res.statusCode).toBe(201);
  return res.json().id as string;
}

/** The case as its workflow holds it, once Postgres has every change of it in `state`. */
async function settled(id: string, state: string) {
  await settledCase(sys, id, state);
  return sys.temporal.workflow.getHandle(id).query(getCaseQuery);
}

const countActions = (view: { timeline: { action: string }[] }, action: string) => view.timeline.filter((t) => t.action === action).length;

describe('one action at a time per case', () => {
  it('takes five simultaneous identical actions once, in every round: one answer 200, the others 409, one document', async () => {
    for (let round = 0; round < 4; round++) {
      const id = await openCase();
      await settled(id, 'opened');
      const servedAt = new Date().toISOString();
      const answers = await Promise.all(
        Array.from({ length: 5 }, () => act(id, 'serve_notice', { by: OFFICER }, { servedAt, method: 'in_person' })),
      );
      expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 409, 409, 409, 409]);
      for (const refused of answers.filter((a) => a.statusCode === 409))
        expect(refused.json().detail).toMatch(/not allowed while the case is notice_served/);
      const view = await settled(id, 'notice_served');
      expect(countActions(view, 'serve_notice')).toBe(1);
      expect(await sys.db.document.count({ where: { caseId: id, kind: 'pre_listing_notice' } })).toBe(1);
      expect(await sys.db.timelineEntry.count({ where: { caseId: id, action: 'serve_notice' } })).toBe(1);
    }
  });

  it('takes one of two conflicting decisions given at once (approve and send back), in every round', async () => {
    for (let round = 0; round < 3; round++) {
      const id = await openCase();
      await settled(id, 'opened');
      // Served weeks ago: the window is over at once and the case moves to review by itself.
      expect(
        (
          await act(
            id,
            'serve_notice',
            { by: OFFICER },
            {
              servedAt: new Date(Date.now() - 30 * 86_400_000).toISOString(),
              method: 'in_person',
            },
          )
        ).statusCode,
      ).toBe(200);
      await settled(id, 'under_review');
      expect(
        (await act(id, 'propose_decision', { by: OFFICER }, { outcome: 'list', reasons: '情节严重', measures: ['N-01'] })).statusCode,
      ).toBe(200);
      const [approve, reject] = await Promise.all([
        act(id, 'approve_decision', { by: SUPERVISOR }, { comment: '同意' }),
        act(id, 'reject_decision', { by: SUPERVISOR }, { comment: '退回补充' }),
      ]);
      expect([approve.statusCode, reject.statusCode].sort()).toEqual([200, 409]);
      const view = await sys.temporal.workflow.getHandle(id).query(getCaseQuery);
      expect(countActions(view, 'approve_decision') + countActions(view, 'reject_decision')).toBe(1);
      expect(await sys.db.document.count({ where: { caseId: id, kind: 'recognition_document' } })).toBe(approve.statusCode === 200 ? 1 : 0);
    }
  });

  it('answers five simultaneous requests with one Idempotency-Key alike, and takes the action once', async () => {
    const id = await openCase();
    await settled(id, 'opened');
    const key = `same-${randomUUID()}`;
    const servedAt = new Date().toISOString();
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => act(id, 'serve_notice', { by: OFFICER, key }, { servedAt, method: 'in_person' })),
    );
    expect(answers.map((a) => a.statusCode)).toEqual([200, 200, 200, 200, 200]);
    const notices = new Set(
      answers.map((a) =>
        a
          .json()
          .documents.map((d: { id: string }) => d.id)
          .join(),
      ),
    );
    expect(notices.size).toBe(1);
    expect(countActions(await settled(id, 'notice_served'), 'serve_notice')).toBe(1);
  });
});

describe('a retried action gets the first answer', () => {
  /*
   * Postgres ends the API's connection at the very moment the API stores the action's answer under its key, once:
   * a trigger on that write terminates its own backend (a sequence, which no rollback undoes, counts the cuts).
   * The workflow has taken the action; the API has lost its record of the answer.
   */
  const prefix = `cut-${randomUUID().slice(0, 8)}`;
  beforeAll(async () => {
    await sys.db.$executeRawUnsafe(`CREATE SEQUENCE IF NOT EXISTS test_cut_seq`);
    await sys.db.$executeRawUnsafe(`
      CREATE OR REPLACE FUNCTION test_cut_at_answer() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.key LIKE '${prefix}%' AND OLD.status IS NULL AND NEW.status IS NOT NULL AND nextval('test_cut_seq') % 2 = 1 THEN
          PERFORM pg_terminate_backend(pg_backend_pid());
        END IF;
        RETURN NEW;
      END $$`);
    await sys.db.$executeRawUnsafe(
      `CREATE TRIGGER test_cut_at_answer BEFORE UPDATE ON idempotency_keys FOR EACH ROW EXECUTE FUNCTION test_cut_at_answer()`,
    );
  });
  afterAll(async () => {
    await sys.db.$executeRawUnsafe(`DROP TRIGGER IF EXISTS test_cut_at_answer ON idempotency_keys`);
    await sys.db.$executeRawUnsafe(`DROP FUNCTION IF EXISTS test_cut_at_answer()`);
  });

  it('answers 503 when the answer could not be stored, and the retry with the key gets the action taken, once', async () => {
    const id = await openCase();
    await settled(id, 'opened');
    const key = `${prefix}-serve`;
    const body = { servedAt: new Date().toISOString(), method: 'in_person' };
    await sys.db.$executeRawUnsafe(`SELECT setval('test_cut_seq', 2, true)`); // the next value is odd: this write is cut
    const first = await act(id, 'serve_notice', { by: OFFICER, key }, body);
    expect(first.statusCode).toBe(503);
    expect(first.headers['retry-after']).toBeDefined();
    expect(first.headers['content-type']).toMatch(/problem\+json/);
    // The workflow took it; the key holds no answer.
    expect((await sys.temporal.workflow.getHandle(id).query(getCaseQuery)).state).toBe('notice_served');
    expect((await sys.db.idempotencyKey.findFirstOrThrow({ where: { key } })).status).toBeNull();

    const retry = await act(id, 'serve_notice', { by: OFFICER, key }, body);
    expect(retry.statusCode).toBe(200);
    expect(retry.json().state).toBe('notice_served');
    const view = await settled(id, 'notice_served');
    expect(countActions(view, 'serve_notice')).toBe(1);
    expect(await sys.db.document.count({ where: { caseId: id, kind: 'pre_listing_notice' } })).toBe(1);
    // Now the answer is stored: a third try is replayed from it.
    const third = await act(id, 'serve_notice', { by: OFFICER, key }, body);
    expect(third.statusCode).toBe(200);
    expect(third.headers['idempotent-replayed']).toBe('true');
    // Without the key the same action is a new one, refused for the state.
    expect((await act(id, 'serve_notice', { by: OFFICER }, body)).statusCode).toBe(409);
  });
});

describe('Postgres away from the API', () => {
  it('answers 503 with Retry-After for a read and for an action, never 500, and works again once it is back', async () => {
    const id = await openCase();
    await settled(id, 'opened');
    proxy.cut();
    try {
      const read = await sys.app.inject({ method: 'GET', url: `/v1/cases/${id}`, headers: headers(SUPERVISOR) });
      const list = await sys.app.inject({ method: 'GET', url: '/v1/cases', headers: headers(SUPERVISOR) });
      const action = await act(
        id,
        'serve_notice',
        { by: OFFICER },
        {
          servedAt: new Date().toISOString(),
          method: 'in_person',
        },
      );
      for (const r of [read, list, action]) {
        expect(r.statusCode).toBe(503);
        expect(r.headers['retry-after']).toBeDefined();
        expect(r.json().detail).not.toMatch(/prisma|ECONN|pg_|SELECT/i);
      }
    } finally {
      proxy.restore();
    }
    const until = Date.now() + 15_000;
    let back = await sys.app.inject({ method: 'GET', url: `/v1/cases/${id}`, headers: headers(SUPERVISOR) });
    while (back.statusCode !== 200 && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 200));
      back = await sys.app.inject({ method: 'GET', url: `/v1/cases/${id}`, headers: headers(SUPERVISOR) });
    }
    expect(back.statusCode).toBe(200);
  });
});

describe('input that cannot be stored, and roles before bodies', () => {
  it.each([
    { what: 'a NUL in a query parameter', method: 'GET', url: '/v1/audit?actor=%00x', payload: undefined, path: 'querystring.actor' },
    {
      what: 'a NUL in a body string',
      method: 'POST',
      url: '/v1/records',
      payload: recordBody({ content: 'a\u0000b' }),
      path: 'body.content',
    },
    {
      what: 'a lone surrogate in a body string',
      method: 'POST',
      url: '/v1/records',
      payload: recordBody({ content: 'a\ud800b' }),
      path: 'body.content',
    },
  ])('answers $what with a 400 naming the field, and stores nothing', async ({ method, url, payload, path }) => {
    const claims = url.startsWith('/v1/audit') ? SUPERVISOR : OFFICER;
    const key = randomUUID();
    const subjectId = (payload as { subject?: { id: string } } | undefined)?.subject?.id;
    const lastAudit = (await sys.db.auditEntry.aggregate({ _max: { id: true } }))._max.id ?? 0n;
    const res = await sys.app.inject({
      method: method as 'GET' | 'POST',
      url,
      headers: headers(claims, key),
      ...(payload ? { payload } : {}),
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toEqual(expect.arrayContaining([expect.objectContaining({ path })]));
    // Nothing of the request is kept: no answer under its key, no audit entry of the caller, no record of its subject.
    expect(await sys.db.idempotencyKey.count({ where: { key } })).toBe(0);
    expect(await sys.db.auditEntry.count({ where: { id: { gt: lastAudit }, actor: claims.sub } })).toBe(0);
    if (subjectId) expect(await sys.db.creditRecord.count({ where: { subjectId } })).toBe(0);
  });

  it.each([
    ['an audit cursor past the bigint range (found by Schemathesis as a 500)', '/v1/audit?cursor=9223372036854775808', 422],
    ['an audit cursor longer than any sequence number', '/v1/audit?cursor=689925244154866702615', 400],
    [
      'a forged cursor with no date in it',
      `/v1/cases?cursor=${Buffer.from(JSON.stringify(['not-a-date', 'x'])).toString('base64url')}`,
      422,
    ],
    [
      'a forged cursor with a date far out of range',
      `/v1/escalations?cursor=${Buffer.from(JSON.stringify(['+275760-09-13T00:00:00.000Z', 'x'])).toString('base64url')}`,
      422,
    ],
  ])('answers %s as a problem, never a 500', async (_what, url, status) => {
    const res = await sys.app.inject({ method: 'GET', url, headers: headers(SUPERVISOR) });
    expect(res.statusCode).toBe(status);
    expect(res.headers['content-type']).toMatch(/problem\+json/);
  });

  it('judges the role before the body: a subject loading a year with a bad body is a 403', async () => {
    const subject = { role: 'subject', sub: 'company', subjectId: '91620700MA71Y00240' } as const;
    const res = await sys.app.inject({
      method: 'PUT',
      url: '/v1/calendar/years/2027',
      headers: headers(subject),
      payload: { nonsense: true },
    });
    expect(res.statusCode).toBe(403);
  });
});
