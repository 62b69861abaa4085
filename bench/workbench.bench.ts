/**
 * The officer's workbench at growing caseloads of one department (`npm run bench:workbench`, issue 23): the first
 * page of 50 through the JSON API and the console, next to the same page query in plain SQL and the query the
 * workbench ran before its columns (a nearest-deadline join per open case of the department) as the baseline.
 *
 * Brings up the servers `npm start` runs (bench/lib/system.ts: database credit_bench_workbench, emptied first), the
 * worker in a process of its own, and the app with its console in this process over real HTTP. Opens --seed listing
 * cases of ZY-SAMR through the API and drives them on (a quarter each opened, notice served, statement in, listed),
 * so their case rows, deadlines and workbench columns are the projection's own; then copies those rows in SQL (cases
 * and deadlines, what the page reads; due dates spread over 40 days) to --others open cases of other departments and
 * to each size of --open-cases in turn, smallest first. At each size, with --clients concurrent clients in a closed
 * loop, in --blocks alternating blocks per side:
 *
 *   workbench JSON   GET /v1/workbench?limit=50   (API; its audit entry included)
 *   workbench page   GET /console                 (the console's first page: the API call in-process, rendered)
 *   page query SQL   the API's page query and its count, in plain SQL over pg
 *   old query SQL    the page query and count as they were before the columns (baseline), in plain SQL
 *
 * Latency is client time (request to body read); CPU is the bench process (the app, in-process, and the client) and
 * the Postgres cluster, over each side's blocks, per request. EXPLAIN (ANALYZE, BUFFERS) of each query at each size
 * says how many rows of cases it read and how many buffers it touched: what grows with the caseload and what does not.
 * Before measuring, the first page is checked to be the same through the API, the console, the page query and the old
 * query (the same 50 ids in the same order, the same total).
 *
 * Options:
 *   --open-cases 10000     open cases of ZY-SAMR, a comma-separated list of sizes (e.g. 10000,100000)
 *   --others 5000          open cases of other departments (the workbench must pass them by)
 *   --seed 40              cases opened through the API, whose rows are copied
 *   --clients 1            concurrent clients
 *   --n 200                measured requests per side and size
 *   --warmup 20            warm-up requests per side and size
 *   --blocks 4             alternating blocks per side
 *
 * Writes bench/results/workbench-<Shanghai date>.json and workbench-latest.json.
 */
import { Pool } from 'pg';
import pino from 'pino';
import { buildApp } from '../api/app';
import { log } from '../scripts/lib/paths';
import { intArg, machineInfo, nowMs, parseArgs, stats, table } from './lib/measure';
import { runBenchmark, startBenchSystem, postgresInfo, cpuMeter, JWT_SECRET, LISTING_TASK_QUEUE } from './lib/system';
import { ApiClient, consoleSessionCookie } from './lib/http';
import { ListingDriver, OFFICER } from './lib/listing';
import { runOverItems } from './lib/load';
import { intListArg, rejectUnknown, writeResults, watchLoad, loadWarning } from './lib/report';
import { cloneReadModels, seedListingCases } from './lib/read-model-clone';

const SCOPE = 'bench:workbench';
const args = parseArgs(process.argv.slice(2));
rejectUnknown(args, ['open-cases', 'others', 'seed', 'clients', 'n', 'warmup', 'blocks']);
const SIZES = [...intListArg(args, 'open-cases', [10_000])].sort((a, b) => a - b);
const OTHERS = intArg(args, 'others', 5_000);
const SEED = intArg(args, 'seed', 40);
const CLIENTS = intArg(args, 'clients', 1);
const N = intArg(args, 'n', 200);
const WARMUP = intArg(args, 'warmup', 20);
const BLOCKS = intArg(args, 'blocks', 4);
const PAGE = 50;
const OTHER_DEPARTMENTS = ['ZY-HOUSING', 'ZY-TAX', 'ZY-ECO', 'ZY-HEALTH'];

type Side = 'workbench JSON' | 'workbench page' | 'page query SQL' | 'old query SQL';
const SIDES: Side[] = ['workbench JSON', 'workbench page', 'page query SQL', 'old query SQL'];

/** The API's page query and count (api/workbench.ts), unfiltered: $1 the department, $2 the page size. */
const PAGE_QUERY = `
  SELECT c.id, c.procedure, c.state, c.subject_kind, c.subject_id, c.subject_name, c.department,
         c.acting_department AS acting, c.allowed_actions, c.updated_at, d.kind AS d_kind, d.due_at AS d_due_at,
         d.due_date AS d_due_date, d.provisional AS d_provisional, s.kind AS s_kind, s.due_at AS s_due_at,
         s.due_date AS s_due_date, s.provisional AS s_provisional
  FROM (SELECT * FROM cases c WHERE NOT c.closed AND c.acting_department = $1
        ORDER BY c.next_due_at, c.waiting_due_at, c.updated_at DESC, c.id LIMIT $2 OFFSET 0) c
  LEFT JOIN deadlines d ON d.id = c.next_deadline_id
  LEFT JOIN deadlines s ON s.id = c.waiting_deadline_id
  ORDER BY c.next_due_at, c.waiting_due_at, c.updated_at DESC, c.id`;
const PAGE_COUNT = `SELECT count(*) AS total FROM cases c WHERE NOT c.closed AND c.acting_department = $1`;

/** The workbench's page query and count before the columns (the baseline). */
const ACTING = `CASE WHEN (c.procedure = 'objection' AND c.state = 'forwarded') OR (c.procedure = 'repair' AND c.state = 'under_review')
  THEN COALESCE(c.details->>'decidingDepartment', c.department) ELSE c.department END`;
const OLD_QUERY = `
  SELECT c.id, c.procedure, c.state, c.subject_kind, c.subject_id, c.subject_name, c.department, ${ACTING} AS acting,
         c.allowed_actions, c.updated_at, d.kind AS d_kind, d.due_at AS d_due_at, d.due_date AS d_due_date,
         d.provisional AS d_provisional, s.kind AS s_kind, s.due_at AS s_due_at, s.due_date AS s_due_date,
         s.provisional AS s_provisional
  FROM cases c
  LEFT JOIN LATERAL (
    SELECT kind, due_at, due_date, provisional FROM deadlines
    WHERE case_id = c.id AND status IN ('open', 'breached') AND party = 'authority'
    ORDER BY (status = 'open') DESC, due_at LIMIT 1
  ) d ON true
  LEFT JOIN LATERAL (
    SELECT kind, due_at, due_date, provisional FROM deadlines
    WHERE d.kind IS NULL AND case_id = c.id AND status = 'open' AND party = 'subject'
    ORDER BY due_at LIMIT 1
  ) s ON true
  WHERE c.closed = false AND ${ACTING} = $1
  ORDER BY d.due_at ASC NULLS LAST, s.due_at ASC NULLS LAST, c.updated_at DESC, c.id
  LIMIT $2 OFFSET 0`;
const OLD_COUNT = `SELECT count(*) AS total FROM cases c WHERE c.closed = false AND ${ACTING} = $1`;

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Actual Rows'?: number;
  'Actual Loops'?: number;
  'Rows Removed by Filter'?: number;
  'Rows Removed by Index Recheck'?: number;
  'Heap Fetches'?: number;
  'Shared Hit Blocks'?: number;
  'Shared Read Blocks'?: number;
  Plans?: PlanNode[];
}

/** What one query read: the rows of each table its scans returned or filtered out, its buffers and its time. */
async function explain(pool: Pool, sql: string, params: unknown[]) {
  const res = await pool.query<{ 'QUERY PLAN': [{ Plan: PlanNode; 'Execution Time': number }] }>(
    `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${sql}`,
    params,
  );
  const top = res.rows[0]!['QUERY PLAN'][0];
  const rowsRead: Record<string, number> = {};
  const scans = new Set<string>();
  let heapFetches = 0;
  const walk = (n: PlanNode) => {
    if (n['Relation Name']) {
      const loops = n['Actual Loops'] ?? 1;
      const read = ((n['Actual Rows'] ?? 0) + (n['Rows Removed by Filter'] ?? 0) + (n['Rows Removed by Index Recheck'] ?? 0)) * loops;
      rowsRead[n['Relation Name']] = (rowsRead[n['Relation Name']] ?? 0) + read;
      scans.add(`${n['Node Type']} on ${n['Relation Name']}`);
      heapFetches += n['Heap Fetches'] ?? 0;
    }
    for (const c of n.Plans ?? []) walk(c);
  };
  walk(top.Plan);
  return {
    executionMs: Math.round(top['Execution Time'] * 100) / 100,
    buffers: (top.Plan['Shared Hit Blocks'] ?? 0) + (top.Plan['Shared Read Blocks'] ?? 0),
    rowsRead,
    heapFetches,
    scans: [...scans],
  };
}

runBenchmark(SCOPE, async (cleanups) => {
  const load = watchLoad();
  const sys = await startBenchSystem({ scope: SCOPE, name: 'workbench', fresh: true, emptyWorker: false, api: false }, cleanups);
  const app = await buildApp(
    {
      db: sys.db,
      temporal: sys.client,
      taskQueue: LISTING_TASK_QUEUE,
      jwtSecret: JWT_SECRET,
      console: { devSignIn: false, secureCookies: false },
    },
    pino({ level: 'silent' }),
  );
  const base = await app.listen({ host: '127.0.0.1', port: 0 });
  cleanups.add(() => app.close());
  const driver = new ListingDriver(new ApiClient(base), sys.token);
  const officer = sys.token(OFFICER);
  const cpu = cpuMeter(sys);

  // 1. Seed cases through the API, as the projection records them.
  log(SCOPE, `opening ${SEED} listing cases through the API and driving them on`);
  const pool = new Pool({ connectionString: sys.databaseUrl, max: Math.max(4, CLIENTS * 2) });
  cleanups.add(() => pool.end());
  const superuser = new Pool({ connectionString: sys.superuserUrl, max: 1 });
  cleanups.add(() => superuser.end());
  const seedIds = await seedListingCases(driver, pool, SEED);
  // What the projection wrote to the deadline registry for the seed: rows inserted and updated per case event (every
  // event is a timeline entry), once every event is in (a case's version is its number of events).
  for (const until = Date.now() + 120_000; ; ) {
    const behind = await pool.query<{ n: string }>(
      `SELECT count(*) AS n FROM cases c WHERE c.version <> (SELECT count(*) FROM timeline_entries t WHERE t.case_id = c.id)`,
    );
    if (Number(behind.rows[0]!.n) === 0) break;
    if (Date.now() > until) throw new Error('the projection did not catch up within 2 minutes');
    await new Promise((res) => setTimeout(res, 250));
  }
  // An idle backend flushes its statistics within 10 s (PGSTAT_IDLE_INTERVAL).
  await new Promise((res) => setTimeout(res, 11_000));
  const projection = (
    await pool.query<{ events: string; deadlines: string; inserted: string; updated: string }>(
      `SELECT (SELECT count(*) FROM timeline_entries) AS events, (SELECT count(*) FROM deadlines) AS deadlines,
              n_tup_ins AS inserted, n_tup_upd AS updated FROM pg_stat_user_tables WHERE relname = 'deadlines'`,
    )
  ).rows[0]!;
  const seedWrites = {
    caseEvents: Number(projection.events),
    deadlineRows: Number(projection.deadlines),
    deadlineRowsInserted: Number(projection.inserted),
    deadlineRowsUpdated: Number(projection.updated),
  };
  log(SCOPE, `the projection's deadline writes for the seed: ${JSON.stringify(seedWrites)}`);
  // The worker has nothing left to do: its timers are days away. Its CPU is not measured.
  await cloneReadModels(pool, { seedIds, total: OTHERS, departments: OTHER_DEPARTMENTS, tables: [] });

  const cookie = await consoleSessionCookie(base, officer);
  const http = async (url: string, headers: Record<string, string>) => {
    const res = await fetch(base + url, { headers, redirect: 'manual' });
    const body = await res.text();
    if (res.status !== 200) throw new Error(`${url} answered ${res.status}: ${body.slice(0, 300)}`);
    return body;
  };
  const sql = async (page: string, count: string) => {
    const [rows, total] = await Promise.all([
      pool.query<{ id: string }>(page, [OFFICER.dept, PAGE]),
      pool.query<{ total: string }>(count, [OFFICER.dept]),
    ]);
    return { ids: rows.rows.map((r) => r.id), total: Number(total.rows[0]!.total) };
  };
  const once: Record<Side, () => Promise<unknown>> = {
    'workbench JSON': () => http(`/v1/workbench?limit=${PAGE}`, { authorization: `Bearer ${officer}` }),
    'workbench page': () => http('/console', { cookie }),
    'page query SQL': () => sql(PAGE_QUERY, PAGE_COUNT),
    'old query SQL': () => sql(OLD_QUERY, OLD_COUNT),
  };

  const bySize: unknown[] = [];
  const summary: (string | number)[][] = [['open cases', 'side', 'p50 ms', 'p99 ms', 'CPU ms/req (app+client)', 'CPU ms/req (Postgres)']];
  const plans: (string | number)[][] = [
    ['open cases', 'query', 'exec ms', 'buffers', 'rows of cases read', 'rows of deadlines read', 'heap fetches'],
  ];
  for (const size of SIZES) {
    // 2. Grow the department to this size.
    const have = Number(
      (await pool.query<{ n: string }>(`SELECT count(*) AS n FROM cases WHERE department = $1 AND NOT closed`, [OFFICER.dept])).rows[0]!.n,
    );
    const t0 = nowMs();
    if (size > have) await cloneReadModels(pool, { seedIds, total: size - have, departments: [OFFICER.dept], tables: [] });
    await superuser.query('VACUUM ANALYZE cases');
    await superuser.query('VACUUM ANALYZE deadlines');
    const sizes = (
      await pool.query<Record<string, string>>(
        `SELECT (SELECT count(*) FROM cases WHERE acting_department = $1 AND NOT closed) AS open_cases_of_department,
                (SELECT count(*) FROM cases) AS cases, (SELECT count(*) FROM deadlines) AS deadlines,
                pg_size_pretty(pg_relation_size('cases_workbench_idx')) AS workbench_index_size,
                pg_size_pretty(pg_database_size(current_database())) AS database_size`,
        [OFFICER.dept],
      )
    ).rows[0]!;
    log(SCOPE, `${size}: data ready in ${((nowMs() - t0) / 1000).toFixed(1)} s: ${JSON.stringify(sizes)}`);

    // 3. The same first page four ways.
    const json = JSON.parse(await http(`/v1/workbench?limit=${PAGE}`, { authorization: `Bearer ${officer}` })) as {
      items: { id: string }[];
      total: number;
    };
    const html = await http('/console', { cookie });
    const [now, old] = [await sql(PAGE_QUERY, PAGE_COUNT), await sql(OLD_QUERY, OLD_COUNT)];
    const jsonIds = json.items.map((i) => i.id);
    const same =
      JSON.stringify(jsonIds) === JSON.stringify(now.ids) &&
      JSON.stringify(now.ids) === JSON.stringify(old.ids) &&
      json.total === now.total &&
      now.total === old.total &&
      jsonIds.every((id) => html.includes(`/console/cases/${id}"`));
    log(
      SCOPE,
      `first page: ${jsonIds.length} rows of ${json.total}; API, console, page query and old query ${same ? 'agree' : 'DISAGREE'}`,
    );
    if (!same || json.total < size)
      throw new Error(
        `the first page differs: ${JSON.stringify({ json: jsonIds.slice(0, 5), now: now.ids.slice(0, 5), old: old.ids.slice(0, 5), totals: [json.total, now.total, old.total] })}`,
      );

    // 4. What each query reads.
    const explained = {
      'page query': await explain(pool, PAGE_QUERY, [OFFICER.dept, PAGE]),
      'page count': await explain(pool, PAGE_COUNT, [OFFICER.dept]),
      'old query': await explain(pool, OLD_QUERY, [OFFICER.dept, PAGE]),
      'old count': await explain(pool, OLD_COUNT, [OFFICER.dept]),
    };
    for (const [q, e] of Object.entries(explained))
      plans.push([size, q, e.executionMs, e.buffers, e.rowsRead.cases ?? 0, e.rowsRead.deadlines ?? 0, e.heapFetches]);

    // 5. Measure: warm-up, then alternating blocks per side.
    for (const side of SIDES) await runOverItems(CLIENTS, Array.from({ length: WARMUP }), () => once[side]().then(() => undefined));
    const lat = Object.fromEntries(SIDES.map((s) => [s, [] as number[]])) as Record<Side, number[]>;
    const used = Object.fromEntries(SIDES.map((s) => [s, { app: 0, postgres: 0 }])) as Record<Side, { app: number; postgres: number }>;
    const perBlock = Math.ceil(N / BLOCKS);
    for (let b = 0; b < BLOCKS; b++) {
      for (const side of SIDES) {
        cpu.start();
        const r = await runOverItems(CLIENTS, Array.from({ length: perBlock }), async () => {
          const t = nowMs();
          await once[side]();
          lat[side].push(nowMs() - t);
        });
        const c = cpu.read();
        used[side].app += c.bench.cpuSeconds;
        used[side].postgres += c.postgres.cpuSeconds;
        if (r.errors) throw new Error(`${side} failed ${r.errors} time(s): ${r.errorSamples.join(' | ')}`);
      }
    }
    const results = SIDES.map((side) => ({
      side,
      client: stats(lat[side]),
      cpuMsPerRequest: {
        app: Math.round((used[side].app * 1000 * 100) / lat[side].length) / 100,
        postgres: Math.round((used[side].postgres * 1000 * 100) / lat[side].length) / 100,
      },
    }));
    for (const r of results) summary.push([size, r.side, r.client.p50, r.client.p99, r.cpuMsPerRequest.app, r.cpuMsPerRequest.postgres]);
    bySize.push({ openCases: size, data: sizes, results, explained });
    log(SCOPE, `${size}: measured`);
  }

  process.stdout.write(
    `\nThe workbench's first page of ${PAGE} (+${OTHERS} open cases of other departments), ${CLIENTS} client(s), ${N} requests per side and size\n` +
      `${table(summary)}\n\nWhat each query read (EXPLAIN ANALYZE, BUFFERS)\n${table(plans)}\n` +
      `\nThe projection's deadline writes for the ${SEED} seed cases: ${seedWrites.deadlineRowsInserted} inserted and ` +
      `${seedWrites.deadlineRowsUpdated} updated over ${seedWrites.caseEvents} case events (${seedWrites.deadlineRows} deadlines)\n`,
  );
  const warning = loadWarning(load.summary());
  if (warning) process.stdout.write(`${warning}\n`);
  const pgInfo = await postgresInfo(sys.superuserUrl);
  writeResults(SCOPE, 'workbench', {
    when: new Date().toISOString(),
    options: { openCases: SIZES, others: OTHERS, seed: SEED, clients: CLIENTS, n: N, warmup: WARMUP, blocks: BLOCKS, page: PAGE },
    seedWrites,
    bySize,
    machine: { ...machineInfo(), postgres: pgInfo.version, load: load.summary() },
  });
});
