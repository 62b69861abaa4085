/**
 * The supervisors' deadline dashboard at 1,000,000 deadlines (`npm run bench:dashboard`), next to
 * GET /v1/deadlines/summary in the same run (issue 22).
 *
 * Brings up its own Postgres cluster (.data/bench-postgres, database credit_bench_dashboard, kept across runs), fills
 * `deadlines` in SQL (generate_series: departments weighted as in bench:deadlines; 8 % open, 75 % met, 85 % of them on
 * time, 4 % breached, the rest lapsed, suspended or cancelled; closed over the last three years), builds the app with
 * its console in this process over real HTTP, signs a supervisor in (the portal's token handover) and measures,
 * sequentially and interleaved request by request:
 *
 *   dashboard page   GET /console/supervise/deadlines            (the last 30 days: three charts drawn by ECharts, tables)
 *   summary JSON     GET /v1/deadlines/summary?from=…&to=…      (the same period; the page makes this call in-process)
 *
 * "Server" is Fastify's own time for the outer request (onResponse, reply.elapsedTime); "client" is request sent to
 * body read over loopback keep-alive. Before measuring, the page's tables are checked against the JSON's figures.
 *
 * Options (or environment):
 *   --rows 1000000   (DASHBOARD_BENCH_ROWS)  deadlines; the fill is skipped when the table holds exactly this many
 *   --refill                                 fill again even so
 *   --n 200          (DASHBOARD_BENCH_N)     measured requests per side
 *   --warmup 20                              warm-up requests per side
 *
 * A quick run: DASHBOARD_BENCH_ROWS=50000 npm run bench:dashboard. Writes bench/results/dashboard-<date>.json and
 * dashboard-latest.json. No aim is set; the figures are reported.
 */
import { join } from 'node:path';
import { Client as PgClient } from 'pg';
import pino from 'pino';
import { Client as TemporalClient, Connection } from '@temporalio/client';
import { dataDir, log } from '../scripts/lib/paths';
import { startLocalPostgres } from '../scripts/lib/postgres';
import { applyMigrations } from '../db/migrate';
import { createDb } from '../db/client';
import { loadReferenceData } from '../db/reference-data';
import { buildApp } from '../api/app';
import { mintToken } from '../api/dev-tokens';
import { shanghaiDate } from '../api/case-ids';
import { addDays } from '../domain/calendar/dates';
import { intArg, machineInfo, nowMs, parseArgs, ratio, stats, table } from './lib/measure';
import { runBenchmark } from './lib/system';
import { rejectUnknown, writeResults } from './lib/report';
import { consoleSessionCookie } from './lib/http';
import { drawBarChart } from '../console/pages/supervisor/chart-svg';

const SCOPE = 'bench:dashboard';
const JWT_SECRET = 'bench-secret-bench-secret-bench-secret-0123';
const args = parseArgs(process.argv.slice(2));
rejectUnknown(args, ['rows', 'refill', 'n', 'warmup']);
const envInt = (name: string, dflt: number) => (process.env[name] ? Number.parseInt(process.env[name], 10) : dflt);
const ROWS = intArg(args, 'rows', envInt('DASHBOARD_BENCH_ROWS', 1_000_000));
const REFILL = args.get('refill') === true;
const N = intArg(args, 'n', envInt('DASHBOARD_BENCH_N', 200));
const WARMUP = intArg(args, 'warmup', 20);
const BATCH = 250_000;

/** Share of the rows per department (as bench:deadlines weighs them). */
const WEIGHTS: [string, number][] = [
  ['ZY-SAMR', 22],
  ['ZY-DRC', 12],
  ['ZY-TAX', 12],
  ['ZY-HOUSING', 8],
  ['ZY-HRSS', 8],
  ['ZY-TRANSPORT', 7],
  ['ZY-ECO', 7],
  ['ZY-EMERGENCY', 6],
  ['ZY-HEALTH', 6],
  ['ZY-AGRI', 5],
  ['ZY-COURT', 5],
  ['ZY-PBC', 2],
];

/**
 * Rows [$1, $2] of the fill, relative to now: a period starts, runs 3 to 20 days and is due at 24:00 Shanghai;
 * closed ones closed over the last three years (met 0 to 25 days after the start, so 85 % on time), open ones due from
 * 60 days ago to 120 days ahead.
 */
const FILL = `
INSERT INTO deadlines (id, case_id, procedure, department, kind, party, status, starts_at, due_at, due_date, met_at, closed_at,
                       calendar_version, provisional, basis, explanation, inputs, extended, version, updated_at)
SELECT 'BD-' || n, 'BC-' || (n / 3), x.procedure, x.department, 'objection_decide', x.party, x.status,
       x.due - (x.len || ' days')::interval, x.due, to_char((x.due - interval '1 ms') AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD'),
       CASE WHEN x.status = 'met' THEN x.due - (x.len || ' days')::interval + (x.act || ' hours')::interval END,
       CASE WHEN x.status = 'met' THEN x.due - (x.len || ' days')::interval + (x.act || ' hours')::interval
            WHEN x.status IN ('breached', 'lapsed', 'cancelled') THEN x.due END,
       '2026-official', false, 'bench', '[]'::jsonb, '{}'::jsonb, false, 1, now()
FROM generate_series($1::int, $2::int) AS n
CROSS JOIN LATERAL (
  SELECT s.*,
         -- 24:00 Shanghai of a day: open ones from 60 days ago to 120 ahead, closed ones over three years.
         (date_trunc('day', (now() + ((CASE WHEN s.status IN ('open', 'suspended') THEN -60 + s.r_when * 180
                                            ELSE -1095 * s.r_when END) || ' days')::interval) AT TIME ZONE 'Asia/Shanghai')
            + interval '1 day') AT TIME ZONE 'Asia/Shanghai' AS due
  FROM (
    SELECT ($3::text[])[width_bucket(r.r_dept, $4::float8[])] AS department,
           CASE WHEN r.r_proc < 0.5 THEN 'listing' WHEN r.r_proc < 0.8 THEN 'objection' ELSE 'repair' END AS procedure,
           CASE WHEN r.r_status < 0.08 THEN 'open' WHEN r.r_status < 0.10 THEN 'suspended' WHEN r.r_status < 0.85 THEN 'met'
                WHEN r.r_status < 0.95 THEN 'lapsed' WHEN r.r_status < 0.99 THEN 'breached' ELSE 'cancelled' END AS status,
           CASE WHEN r.r_status >= 0.85 AND r.r_status < 0.95 THEN 'subject' ELSE 'authority' END AS party,
           3 + floor(r.r_len * 18)::int AS len,
           r.r_when,
           -- Hours from start to the act: within the period 85 % of the time.
           floor(CASE WHEN r.r_late < 0.85 THEN r.r_act * 3 * 24 ELSE (3 + 18 + r.r_act * 5) * 24 END)::int AS act
    FROM (SELECT random() AS r_dept, random() AS r_proc, random() AS r_status, random() AS r_len, random() AS r_when,
                 random() AS r_late, random() AS r_act, n AS k) r
  ) s
) x`;

async function fill(pg: PgClient, rows: number): Promise<number> {
  const total = WEIGHTS.reduce((a, [, w]) => a + w, 0);
  let acc = 0;
  // width_bucket's thresholds: the upper bound of each department's share but the last.
  const bounds = [0, ...WEIGHTS.slice(0, -1).map(([, w]) => (acc += w) / total)];
  const t0 = nowMs();
  await pg.query('TRUNCATE deadlines');
  for (let from = 1; from <= rows; from += BATCH) {
    await pg.query(FILL, [from, Math.min(rows, from + BATCH - 1), WEIGHTS.map(([d]) => d), bounds]);
    log(SCOPE, `  ${Math.min(rows, from + BATCH - 1)} rows`);
  }
  await pg.query('VACUUM (ANALYZE) deadlines');
  return nowMs() - t0;
}

type Side = 'dashboard page' | 'summary JSON';
const SIDES: Side[] = ['dashboard page', 'summary JSON'];

runBenchmark(SCOPE, async (cleanups) => {
  const pgServer = await startLocalPostgres({ dataDir: join(dataDir(), 'bench-postgres'), database: 'credit_bench_dashboard' });
  if (!pgServer.reused) cleanups.add(() => pgServer.stop());
  const migrated = await applyMigrations(pgServer.url);
  log(SCOPE, `migrations: ${migrated.applied.length} applied, ${migrated.alreadyApplied.length} already there`);
  const db = createDb(pgServer.url);
  cleanups.add(() => db.$disconnect());
  await loadReferenceData(db);
  const pg = new PgClient({ connectionString: pgServer.url });
  await pg.connect();
  cleanups.add(() => pg.end());

  // 1. Data.
  const count = Number((await pg.query<{ n: string }>('SELECT count(*) AS n FROM deadlines')).rows[0]!.n);
  let fillMs: number | null = null;
  if (REFILL || count !== ROWS) {
    log(SCOPE, `filling deadlines with ${ROWS} rows (table held ${count})…`);
    fillMs = await fill(pg, ROWS);
    log(SCOPE, `fill: ${(fillMs / 1000).toFixed(1)} s`);
  } else {
    log(SCOPE, `deadlines already holds ${ROWS} rows: fill skipped (--refill to redo)`);
  }
  const byStatus = Object.fromEntries(
    (await pg.query<{ status: string; n: string }>('SELECT status, count(*) AS n FROM deadlines GROUP BY status ORDER BY status')).rows.map(
      (r) => [r.status, Number(r.n)],
    ),
  );
  const sizes = (
    await pg.query<{ table: string; indexes: string }>(
      `SELECT pg_size_pretty(pg_table_size('deadlines')) AS table, pg_size_pretty(pg_indexes_size('deadlines')) AS indexes`,
    )
  ).rows[0]!;

  // 2. The app with its console; the deadline routes never call Temporal (a lazy connection to nowhere fails fast).
  const connection = Connection.lazy({ address: '127.0.0.1:1' });
  cleanups.add(() => connection.close());
  const app = await buildApp(
    {
      db,
      temporal: new TemporalClient({ connection }),
      taskQueue: 'bench',
      jwtSecret: JWT_SECRET,
      console: { devSignIn: false, secureCookies: false },
    },
    pino({ level: 'silent' }),
  );
  const serverMs = new Map<string, number>();
  app.addHook('onResponse', async (request, reply) => {
    const tag = request.headers['x-bench-request'];
    if (typeof tag === 'string') serverMs.set(tag, reply.elapsedTime);
  });
  const base = await app.listen({ host: '127.0.0.1', port: 0 });
  cleanups.add(() => app.close());
  const token = mintToken({ role: 'supervisor', sub: 'bench-supervisor', dept: 'ZY-DRC' }, JWT_SECRET, 24 * 3600);
  const cookie = await consoleSessionCookie(base, token);

  const today = shanghaiDate(new Date());
  const from = addDays(today, -29);
  const request: Record<Side, { url: string; headers: Record<string, string> }> = {
    'dashboard page': { url: '/console/supervise/deadlines', headers: { cookie } },
    'summary JSON': { url: `/v1/deadlines/summary?from=${from}&to=${today}`, headers: { authorization: `Bearer ${token}` } },
  };
  let seq = 0;
  const once = async (side: Side) => {
    const r = request[side];
    const tag = String(++seq);
    const t = nowMs();
    const res = await fetch(base + r.url, { headers: { ...r.headers, 'x-bench-request': tag }, redirect: 'manual' });
    const body = await res.text();
    const client = nowMs() - t;
    if (res.status !== 200) throw new Error(`${side} ${r.url} answered ${res.status}: ${body.slice(0, 300)}`);
    const server = serverMs.get(tag) ?? NaN;
    serverMs.delete(tag);
    return { client, server, bytes: Buffer.byteLength(body), body };
  };

  // 3. The page shows the JSON's figures: each department's row of the period table.
  const summary = JSON.parse((await once('summary JSON')).body) as {
    items: { department: string; metOnTime: number; metLate: number; breached: number }[];
  };
  const html = (await once('dashboard page')).body;
  const period = html.slice(html.indexOf('id="table-period"'));
  for (const i of summary.items) {
    const row = new RegExp(`data-department="${i.department}">.*?</tr>`).exec(period)?.[0] ?? '';
    const figures = [...row.matchAll(/<td class="num">(?:<a [^>]*>)?(\d+)/g)].map((m) => Number(m[1]));
    if (figures.join(',') !== [i.metOnTime, i.metLate, i.breached].join(','))
      throw new Error(
        `the page shows ${i.department} as ${figures.join(',')}, the summary ${[i.metOnTime, i.metLate, i.breached].join(',')}`,
      );
  }
  const charts = html.match(/<svg role="img"/g)?.length ?? 0;
  log(SCOPE, `the page shows the summary's figures for ${summary.items.length} departments, in ${charts} charts and their tables`);

  // 4. Measure: warm-up, then the two sides interleaved, alternating which goes first.
  for (let i = 0; i < WARMUP; i++) for (const side of SIDES) await once(side);
  const lat: Record<Side, { client: number[]; server: number[]; bytes: number[] }> = {
    'dashboard page': { client: [], server: [], bytes: [] },
    'summary JSON': { client: [], server: [], bytes: [] },
  };
  for (let i = 0; i < N; i++) {
    for (const side of i % 2 === 0 ? SIDES : [...SIDES].reverse()) {
      const m = await once(side);
      lat[side].client.push(m.client);
      lat[side].server.push(m.server);
      lat[side].bytes.push(m.bytes);
    }
  }
  // The page keeps the charts it drew (the same figures draw the same chart): the cost of drawing its three anew.
  const names = summary.items.map((i) => i.department);
  const drawMs: number[] = [];
  for (let i = 0; i < Math.min(N, 50); i++) {
    const t = nowMs();
    for (const k of [1, 2, 3]) {
      drawBarChart({
        id: `bench-${k}`,
        title: `bench ${i}`,
        categories: names,
        series: [1, 2, 3].map((s) => ({ name: `s${s}`, color: '#1d70b8', values: summary.items.map((x) => x.metOnTime * s + i) })),
        stacked: k === 2,
      });
    }
    drawMs.push(nowMs() - t);
  }
  const draw = stats(drawMs);
  const results = SIDES.map((side) => ({
    side,
    request: `GET ${request[side].url}`,
    server: stats(lat[side].server),
    client: stats(lat[side].client),
    meanBytes: Math.round(lat[side].bytes.reduce((a, x) => a + x, 0) / lat[side].bytes.length),
  }));
  const [pageR, jsonR] = results as [(typeof results)[0], (typeof results)[0]];
  const machine = machineInfo();
  const out = [
    '',
    `dashboard benchmark — ${new Date().toISOString()}`,
    `machine: ${machine.cpuCount} × ${machine.cpuModel}, ${machine.totalMemoryGiB} GiB, node ${machine.node}`,
    `rows: ${Object.values(byStatus).reduce((a, b) => a + b, 0)} (${Object.entries(byStatus)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}); table ${sizes.table}, indexes ${sizes.indexes}`,
    `period ${from} … ${today}; N = ${N} per side after ${WARMUP} warm-up, sequential, interleaved; milliseconds`,
    '',
    table([
      ['', 'server p50', 'server p99', 'client p50', 'client p99', 'mean bytes'],
      ...results.map((r) => [r.side, r.server.p50, r.server.p99, r.client.p50, r.client.p99, r.meanBytes]),
      ['page / JSON', `×${ratio(pageR.server.p50, jsonR.server.p50)}`, `×${ratio(pageR.server.p99, jsonR.server.p99)}`, '', '', ''],
    ]),
    '',
    `the page's three charts drawn anew (new figures, in-process): p50 ${draw.p50} ms, p99 ${draw.p99} ms; the page above draws them once and reuses them while the figures stay the same`,
    '',
  ];
  process.stdout.write(out.join('\n') + '\n');
  writeResults(SCOPE, 'dashboard', {
    benchmark: 'dashboard',
    at: new Date().toISOString(),
    options: { rows: ROWS, n: N, warmup: WARMUP },
    machine,
    data: { rows: byStatus, tableSize: sizes.table, indexesSize: sizes.indexes, fillMs },
    period: { from, to: today },
    method:
      'Sequential requests over HTTP/1.1 keep-alive (node fetch) to the app built in-process with buildApp, console included; server time is Fastify reply.elapsedTime of the outer request (the page includes its in-process API call and three ECharts SVG renders); the two sides interleaved.',
    results,
    chartsDrawnAnew: draw,
  });
});
