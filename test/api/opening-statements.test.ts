import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { apiAs, expectTouches, requestStatements, startSystem, type System } from '../support/system';
import { listingBody, OFFICER } from '../support/fixtures';
import { ifStarted } from '../support/teardown';
import { testEnv } from '../support/test-env';

// Every round trip of a case's opening is a wait in its answer (issue 23): these are the statements the API sends, and
// what the read before an action costs Postgres.
let sys: System;
const heard = requestStatements();
beforeAll(async () => {
  sys = await startSystem(heard.options);
});
afterAll(async () => {
  await ifStarted(sys)?.stop();
});

async function statementsOfOpening(key?: string) {
  const headers = { authorization: `Bearer ${sys.token(OFFICER)}`, ...(key ? { 'idempotency-key': key } : {}) };
  const { result: res, statements } = await heard.of(() =>
    sys.app.inject({ method: 'POST', url: '/v1/cases', headers, payload: listingBody() }),
  );
  expect(res.statusCode).toBe(201);
  return { id: res.json<{ id: string }>().id, statements };
}

it('opens a listing with a new Idempotency-Key in three statements: the policy with the catalogue, the key with the opening, the write', async () => {
  const { id, statements } = await statementsOfOpening(randomUUID());
  expect(statements).toHaveLength(3);
  // The policy's overrides and the measures the request names, read in one.
  expectTouches(statements[0], 'FROM measures', 'FROM policy_overrides');
  // The key, the opening's handover and its facts in one statement.
  expectTouches(statements[1], 'idempotency_keys', 'action_handovers', 'case_inputs');
  // The opening and the key's answer written in one.
  expectTouches(statements[2], 'idempotency_keys', 'cases');
  expect(await sys.db.caseInput.findUnique({ where: { caseId: id } })).not.toBeNull();
  expect(await sys.db.actionHandover.count({ where: { caseId: id } })).toBe(0);
}, 60_000);

it('opens a listing without a key in as many: its opening claimed alone', async () => {
  const { statements } = await statementsOfOpening();
  expect(statements).toHaveLength(3);
  expectTouches(statements[1], 'action_handovers', 'case_inputs');
  expect(statements.filter((s) => s.includes('idempotency_keys'))).toEqual([]);
}, 60_000);

/** The blocks Postgres touches to run the statement prepared as `measured` with `value`, run once before. */
async function blocksTouched(pg: Client, value: string): Promise<number> {
  const run = `EXECUTE measured(${pg.escapeLiteral(value)})`;
  await pg.query(run);
  const [row] = (await pg.query<{ 'QUERY PLAN': { Plan: Record<string, number> }[] }>(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${run}`))
    .rows;
  const plan = row!['QUERY PLAN'][0]!.Plan;
  return (plan['Shared Hit Blocks'] ?? 0) + (plan['Shared Read Blocks'] ?? 0);
}

it("reads what a served notice prints from the case's facts once, however many departments there are", async () => {
  const { id } = await statementsOfOpening(randomUUID());
  const { result: served, statements } = await heard.of(() =>
    apiAs(sys).act(id, 'serve_notice', OFFICER, { servedAt: new Date().toISOString(), method: 'in_person' }),
  );
  expect(served.statusCode).toBe(200);
  const read = statements.find((s) => s.includes('"openingPrinted"'));
  expect(read).toBeDefined();
  const pg = new Client({ connectionString: testEnv().databaseUrl });
  await pg.connect();
  try {
    await pg.query('BEGIN');
    await pg.query(`PREPARE measured(text) AS ${read}`);
    const before = await blocksTouched(pg, id);
    await pg.query(`
      INSERT INTO departments (code, name, kind)
      SELECT 'ZZ-READ-' || i, '测试部门' || i, (SELECT kind FROM departments LIMIT 1) FROM generate_series(1, 100) AS i`);
    const after = await blocksTouched(pg, id);
    // A page or two more of departments; compared row by row with the stored facts, it was the facts' pages 100 times.
    expect(after - before).toBeLessThan(20);
  } finally {
    await pg.query('ROLLBACK').catch(() => undefined);
    await pg.end();
  }
}, 60_000);
