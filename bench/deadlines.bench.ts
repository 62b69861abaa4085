/**
 * Benchmark of the supervisors' deadline queries at scale (`npm run bench:deadlines`).
 *
 * Brings up its own Postgres cluster (.data/bench-postgres, database credit_bench, kept across runs),
 * fills `deadlines` with 1,000,000 rows in SQL, builds the API in-process and measures, over real HTTP
 * with keep-alive, sequentially:
 *   a. GET /v1/deadlines?status=overdue&department=ZY-SAMR&limit=50   (supervisor)
 *   b. GET /v1/deadlines?status=due_soon&limit=50                     (supervisor)
 *   c. GET /v1/deadlines/summary?from=<30 days ago>&to=<today>         (supervisor, all departments)
 *   d. GET /v1/deadlines/summary?from=<30 days ago>&to=<today>         (officer of ZY-SAMR: own department)
 * each next to its baseline: the same SQL the route has Prisma issue, written by hand and run with `pg`
 * on one connection, same N, interleaved request by request with the API calls so both see the same
 * caches and the same machine load. Prints a table, EXPLAIN (ANALYZE, BUFFERS) of each baseline query,
 * and writes bench/results/deadlines-<Shanghai date>.json and deadlines-latest.json.
 *
 * Options:
 *   --n 500             measured requests per query (after --warmup)
 *   --warmup 50         warm-up requests per query (API and SQL each)
 *   --rows 1000000      rows in deadlines; the fill is skipped when the table already holds this many
 *                       rows in the requested layout
 *   --refill            truncate and fill again even so
 *   --layout random     physical row order of the fill: `random` (rows in no particular order: the worst
 *                       case for heap locality) or `chronological` (rows in the order they were last
 *                       written, i.e. by updated_at, as an append-mostly table would hold them). Results
 *                       of the non-default layout go to deadlines-chronological-*.json.
 *
 * Aim (from the issue): p99 under 50 ms through the API. The verdict is printed; the exit code is 0
 * whether or not the aim is met (a benchmark reports, it does not gate).
 */
import { join } from 'node:path';
import { Client as PgClient } from 'pg';
import pino from 'pino';
import { Client as TemporalClient, Connection } from '@temporalio/client';
import { dataDir, errorText, log, projectRoot } from '../scripts/lib/paths';
import { startLocalPostgres, type LocalPostgres } from '../scripts/lib/postgres';
import { applyMigrations } from '../db/migrate';
import { createDb, type Db } from '../db/client';
import { loadReferenceData } from '../db/reference-data';
import { departments } from '../domain/reference-data';
import { defaultPolicy, type PeriodKey } from '../domain/calendar/policy';
import { buildApp } from '../api/app';
import { mintToken } from '../api/dev-tokens';
import { dueSoonCutoff } from '../api/calendar-service';
import { shanghaiDate } from '../api/case-ids';
import { intArg, machineInfo, nowMs, parseArgs, ratio, stats, table, writeJson, type LatencyStats } from './lib/measure';

const SCOPE = 'bench:deadlines';
const AIM_P99_MS = 50;
const RESULTS_DIR = join(projectRoot(), 'bench', 'results');
const JWT_SECRET = 'bench-secret-bench-secret-bench-secret-0123';

// ---------------------------------------------------------------------------------------------
// Options
// ---------------------------------------------------------------------------------------------

const args = parseArgs(process.argv.slice(2));
const N = intArg(args, 'n', 500);
const WARMUP = intArg(args, 'warmup', 50);
const ROWS = intArg(args, 'rows', 1_000_000);
const REFILL = args.get('refill') === true;
const LAYOUT = (args.get('layout') ?? 'random') as string;
if (LAYOUT !== 'random' && LAYOUT !== 'chronological') throw new Error('--layout must be random or chronological');
for (const k of args.keys()) {
  if (!['n', 'warmup', 'rows', 'refill', 'layout'].includes(k)) throw new Error(`unknown option --${k}`);
}

// ---------------------------------------------------------------------------------------------
// Test data, made in SQL
// ---------------------------------------------------------------------------------------------

/** Share of the rows per department (codes from domain/reference-data.ts; a code not listed here weighs 5). */
const DEPARTMENT_WEIGHTS: Record<string, number> = {
  'ZY-SAMR': 22,
  'ZY-DRC': 12,
  'ZY-TAX': 12,
  'ZY-HOUSING': 8,
  'ZY-HRSS': 8,
  'ZY-TRANSPORT': 7,
  'ZY-ECO': 7,
  'ZY-EMERGENCY': 6,
  'ZY-HEALTH': 6,
  'ZY-AGRI': 5,
  'ZY-COURT': 5,
  'ZY-PBC': 2,
};

/** The periods each procedure opens, by who must act (the party of each comes from the policy table). */
const KINDS: Record<'listing' | 'objection' | 'repair', Record<'authority' | 'subject', PeriodKey[]>> = {
  listing: {
    authority: ['hearing_notice', 'public_announcement_service', 'revoke_after_penalty_revoked', 'listing_period'],
    subject: ['statement_window', 'reconsideration_window', 'litigation_window'],
  },
  objection: {
    authority: ['objection_mark', 'objection_forward', 'objection_decide'],
    subject: ['reconsideration_window', 'litigation_window'],
  },
  repair: {
    authority: ['repair_accept', 'repair_decide', 'repair_remove_disclosure'],
    subject: ['min_listing_before_repair'],
  },
};

const lit = (s: string): string => `'${s.replace(/'/g, "''")}'`;
/** 00:00 Asia/Shanghai of the day holding instant x; CEIL: 24:00 of that day (how due_at is stored). */
const FLOOR = (x: string): string => `(date_trunc('day', (${x}) AT TIME ZONE 'Asia/Shanghai') AT TIME ZONE 'Asia/Shanghai')`;
const CEIL = (x: string): string => `(${FLOOR(x)} + interval '1 day')`;

function kindExpr(): string {
  const arms: string[] = [];
  for (const [procedure, byParty] of Object.entries(KINDS)) {
    for (const [party, kinds] of Object.entries(byParty)) {
      arms.push(
        `WHEN p.procedure = ${lit(procedure)} AND p.party = ${lit(party)} THEN ` +
          `(ARRAY[${kinds.map(lit).join(', ')}])[1 + floor(p.r_kind * ${kinds.length})::int]`,
      );
    }
  }
  return `CASE ${arms.join(' ')} END`;
}

/** Per kind: basis text and period, from the policy defaults, handed to the fill as one jsonb parameter. */
function kindTable(): Record<string, { source: string; label: string; unit: string; amount: number }> {
  const policy = defaultPolicy();
  const out: Record<string, { source: string; label: string; unit: string; amount: number }> = {};
  for (const byParty of Object.values(KINDS)) {
    for (const kinds of Object.values(byParty)) {
      for (const k of kinds) out[k] = { source: policy[k].source, label: policy[k].label, unit: policy[k].unit, amount: policy[k].amount };
    }
  }
  return out;
}

/**
 * One INSERT … SELECT over generate_series for cases [$4, $5], three deadlines per case, rows beyond
 * $6 left out. Distribution: status open 8 % (due 60 days ago … 120 days ahead of $1), suspended 2 %,
 * met 75 % (85 % of them on time), lapsed 10 % (subject's periods), breached 4 % (authority's), cancelled
 * 1 %; closed ones closed over the last 3 years; starts_at 1–30 days before due; due_at at 24:00
 * Shanghai of due_date, as the calendar computes it.
 */
function fillSql(orderByWriteTime: boolean): string {
  return `
INSERT INTO deadlines (id, case_id, procedure, department, kind, party, status, starts_at, due_at, due_date,
                       met_at, closed_at, calendar_version, provisional, basis, explanation, inputs, extended,
                       version, updated_at)
WITH c AS MATERIALIZED (
  SELECT n AS case_no, random() AS r_dept, random() AS r_proc, random() AS r_opened
  FROM generate_series($4::int, $5::int) AS n
), d AS MATERIALIZED (
  SELECT c.case_no, k.k, c.r_dept, c.r_proc, c.r_opened,
         random() AS r_status, random() AS r_party, random() AS r_kind, random() AS r_when, random() AS r_len,
         random() AS r_late, random() AS r_off, random() AS r_ext, random() AS r_upd
  FROM c CROSS JOIN generate_series(1, 3) AS k(k)
  WHERE (c.case_no - 1) * 3 + k.k <= $6
), s AS (
  SELECT d.*,
         ($2::text[])[width_bucket(d.r_dept, $3::float8[])] AS department,
         CASE WHEN d.r_proc < 0.5 THEN 'listing' WHEN d.r_proc < 0.8 THEN 'objection' ELSE 'repair' END AS procedure,
         CASE WHEN d.r_status < 0.08 THEN 'open' WHEN d.r_status < 0.10 THEN 'suspended'
              WHEN d.r_status < 0.85 THEN 'met' WHEN d.r_status < 0.95 THEN 'lapsed'
              WHEN d.r_status < 0.99 THEN 'breached' ELSE 'cancelled' END AS status
  FROM d
), p AS (
  SELECT s.*,
         CASE WHEN s.status = 'lapsed' THEN 'subject' WHEN s.status = 'breached' THEN 'authority'
              WHEN s.r_party < 0.7 THEN 'authority' ELSE 'subject' END AS party,
         -- open/suspended: around the due date; closed: when it closed
         CASE WHEN s.status IN ('open', 'suspended') THEN $1::timestamptz + (s.r_when * 180 - 60) * interval '1 day'
              ELSE $1::timestamptz - s.r_when * interval '1095 days' END AS base
  FROM s
), q AS (
  SELECT p.*, ${kindExpr()} AS kind,
         CASE WHEN p.status IN ('open', 'suspended') THEN ${CEIL('p.base')}
              WHEN p.status = 'met' AND p.r_late < 0.85 THEN ${CEIL("p.base + p.r_off * interval '20 days'")}
              WHEN p.status = 'met' THEN ${FLOOR("p.base - p.r_off * interval '10 days'")}
              WHEN p.status IN ('lapsed', 'breached') THEN ${FLOOR('p.base')}
              ELSE ${CEIL("p.base + p.r_off * interval '20 days'")} END AS due_at
  FROM p
), r AS (
  SELECT q.*,
         ${FLOOR(`LEAST(q.due_at - (1 + floor(q.r_len * 30)) * interval '1 day',
                  CASE WHEN q.status IN ('open', 'suspended') THEN $1::timestamptz - q.r_len * interval '5 days'
                       WHEN q.status IN ('met', 'cancelled') THEN q.base
                       ELSE q.due_at END)`)} AS starts_at,
         CASE WHEN q.status = 'met' THEN q.base END AS met_at,
         CASE WHEN q.status IN ('met', 'cancelled') THEN q.base
              WHEN q.status IN ('lapsed', 'breached') THEN LEAST(q.due_at + q.r_late * interval '2 hours', $1::timestamptz)
         END AS closed_at,
         to_char((q.due_at AT TIME ZONE 'Asia/Shanghai') - interval '1 day', 'YYYY-MM-DD') AS due_date,
         CASE q.procedure WHEN 'listing' THEN 'LST' WHEN 'objection' THEN 'OBJ' ELSE 'REP' END || '-' ||
           to_char(($1::timestamptz - q.r_opened * interval '1095 days') AT TIME ZONE 'Asia/Shanghai', 'YYYYMMDD') || '-' ||
           upper(substr(md5(q.case_no::text), 1, 10)) AS case_id
  FROM q
), f AS (
  SELECT r.*,
         coalesce(r.closed_at, GREATEST(r.starts_at, $1::timestamptz - r.r_upd * interval '3 days')) AS updated_at,
         to_char(r.starts_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS start_date,
         $7::jsonb -> r.kind AS pol
  FROM r
)
SELECT f.case_id || ':' || f.kind || CASE WHEN f.k > 1 THEN ':' || f.k ELSE '' END,
       f.case_id, f.procedure, f.department, f.kind, f.party, f.status, f.starts_at, f.due_at, f.due_date,
       f.met_at, f.closed_at,
       coalesce(cy.version, left(f.due_date, 4) || '-statutory-provisional'),
       cy.year IS NULL,
       f.pol ->> 'source',
       jsonb_build_array(
         format('%s：自%s起算。', f.pol ->> 'label', f.start_date),
         format('期间为%s %s。', f.pol ->> 'amount', f.pol ->> 'unit'),
         format('期间于%s24时届满。', f.due_date)),
       jsonb_build_object('from', f.start_date,
                          'period', jsonb_build_object('unit', f.pol -> 'unit', 'amount', f.pol -> 'amount'))
         || CASE WHEN f.status = 'suspended' THEN jsonb_build_object('remainingWorkingDays', 1 + floor(f.r_len * 5)::int)
                 ELSE '{}'::jsonb END,
       f.r_ext < 0.03,
       CASE WHEN f.status IN ('open', 'suspended') THEN 1 + floor(f.r_upd * 3)::int ELSE 2 + floor(f.r_upd * 6)::int END,
       f.updated_at
FROM f LEFT JOIN calendar_years cy ON cy.year = left(f.due_date, 4)::int
${orderByWriteTime ? 'ORDER BY f.updated_at' : ''}`;
}

async function fill(pg: PgClient, rows: number, layout: string): Promise<{ ms: number; at: string; batches: number }> {
  const fillTime = new Date();
  const codes = departments.map((d) => d.code);
  const weights = codes.map((c) => DEPARTMENT_WEIGHTS[c] ?? 5);
  const total = weights.reduce((a, b) => a + b, 0);
  const thresholds: number[] = [];
  let acc = 0;
  for (const w of weights) {
    thresholds.push(acc / total);
    acc += w;
  }
  const cases = Math.ceil(rows / 3);
  // Random layout: a few batches (each its own transaction); chronological: one statement, sorted.
  const batchCases = layout === 'chronological' ? cases : Math.ceil(cases / 4);
  const t0 = nowMs();
  await pg.query(`SET TIME ZONE 'UTC'`);
  await pg.query('SELECT setseed(0.20261129)');
  await pg.query('TRUNCATE deadlines');
  let batches = 0;
  for (let lo = 1; lo <= cases; lo += batchCases) {
    const hi = Math.min(cases, lo + batchCases - 1);
    const tb = nowMs();
    const r = await pg.query(fillSql(layout === 'chronological'), [fillTime, codes, thresholds, lo, hi, rows, JSON.stringify(kindTable())]);
    batches += 1;
    log(SCOPE, `  inserted ${r.rowCount} rows (cases ${lo}–${hi}) in ${((nowMs() - tb) / 1000).toFixed(1)} s`);
  }
  const insertMs = nowMs() - t0;
  log(SCOPE, `  INSERT … SELECT: ${(insertMs / 1000).toFixed(1)} s; VACUUM (ANALYZE) deadlines…`);
  const tv = nowMs();
  // VACUUM as well as ANALYZE: sets hint bits and the visibility map the way a settled production
  // table has them, and keeps autovacuum from starting in the middle of the measurements.
  await pg.query('VACUUM (ANALYZE) deadlines');
  log(SCOPE, `  VACUUM (ANALYZE): ${((nowMs() - tv) / 1000).toFixed(1)} s`);
  return { ms: Math.round(insertMs), at: fillTime.toISOString(), batches };
}

// ---------------------------------------------------------------------------------------------
// The queries: API request and hand-written baseline SQL
// ---------------------------------------------------------------------------------------------

const COLUMNS =
  'id, case_id, procedure, department, kind, party, status, starts_at, due_at, due_date, met_at, closed_at, ' +
  'calendar_version, provisional, basis, explanation, inputs, extended, version, updated_at';

interface SqlStatement {
  text: string;
  values: unknown[];
}

interface QueryCase {
  key: string;
  title: string;
  token: string;
  /** Path with query string, computed per request (dates move with the clock). */
  path(): string;
  /** The statements the route runs against deadlines, for the same request, now. */
  sql(): Promise<SqlStatement[]>;
  /** Compares one API answer with the SQL answer of the same moment: '' when they agree. */
  compare(apiBody: unknown, sqlRows: Record<string, unknown>[][]): string;
}

interface QueryResult {
  key: string;
  title: string;
  request: string;
  role: string;
  baselineSql: string[];
  prismaSql: string[];
  equivalent: boolean;
  equivalenceNote: string;
  api: LatencyStats;
  sql: LatencyStats;
  ratio: { p50: number; p99: number; mean: number };
  meetsAim: boolean;
  plans: { summary: string[]; full: string }[];
}

function summaryDates(): { from: string; to: string; start: Date; end: Date } {
  const now = new Date();
  const to = shanghaiDate(now);
  const from = shanghaiDate(new Date(now.getTime() - 30 * 86_400_000));
  return {
    from,
    to,
    start: new Date(`${from}T00:00:00+08:00`),
    end: new Date(new Date(`${to}T00:00:00+08:00`).getTime() + 86_400_000),
  };
}

const SUMMARY_CURRENT = `SELECT department,
       count(*) AS open,
       count(*) FILTER (WHERE due_at >= $1 AND due_at <= $2) AS due_soon,
       count(*) FILTER (WHERE due_at < $3) AS overdue
FROM deadlines
WHERE status = 'open' AND ($4::text IS NULL OR department = $5)
GROUP BY department`;

// The route's query (api/routes/deadlines.ts): one covering-index range per department.
const SUMMARY_CLOSED = `SELECT d.code AS department, x.breached, x.met_on_time, x.met_late, x.median_days
FROM (SELECT code FROM departments UNION SELECT $3::text WHERE $3::text IS NOT NULL) d
CROSS JOIN LATERAL (
  SELECT count(*) FILTER (WHERE status = 'breached') AS breached,
         count(*) FILTER (WHERE status = 'met' AND met_at <= due_at) AS met_on_time,
         count(*) FILTER (WHERE status = 'met' AND met_at > due_at) AS met_late,
         extract(epoch FROM percentile_cont(0.5) WITHIN GROUP (ORDER BY met_at - starts_at) FILTER (WHERE status = 'met')) / 86400 AS median_days,
         count(*) AS n
  FROM deadlines
  WHERE department = d.code AND closed_at >= $1 AND closed_at < $2
) x
WHERE x.n > 0 AND ($4::text IS NULL OR d.code = $4)`;

function compareList(apiBody: unknown, sqlRows: Record<string, unknown>[][], limit: number): string {
  const items = (apiBody as { items?: { id: string }[] }).items ?? [];
  const rows = (sqlRows[0] ?? []).slice(0, limit);
  const a = items.map((i) => i.id).join(',');
  const b = rows.map((r) => String(r.id)).join(',');
  if (items.length === 0) return 'the API returned no items (nothing to compare)';
  return a === b ? '' : `API ids ≠ SQL ids (${items.length} vs ${rows.length} rows)`;
}

function compareSummary(apiBody: unknown, sqlRows: Record<string, unknown>[][]): string {
  const items = (apiBody as { items?: Record<string, number | string | null>[] }).items ?? [];
  const byDept = new Map<string, Record<string, number | null>>();
  const e = (d: string) => {
    let x = byDept.get(d);
    if (!x) byDept.set(d, (x = { open: 0, dueSoon: 0, overdue: 0, breached: 0, metOnTime: 0, metLate: 0, medianDaysToAct: null }));
    return x;
  };
  for (const r of sqlRows[0] ?? [])
    Object.assign(e(String(r.department)), {
      open: Number(r.open),
      dueSoon: Number(r.due_soon),
      overdue: Number(r.overdue),
    });
  for (const r of sqlRows[1] ?? []) {
    Object.assign(e(String(r.department)), {
      breached: Number(r.breached),
      metOnTime: Number(r.met_on_time),
      metLate: Number(r.met_late),
      medianDaysToAct: r.median_days === null ? null : Math.round(Number(r.median_days) * 100) / 100,
    });
  }
  if (items.length !== byDept.size) return `API has ${items.length} departments, SQL ${byDept.size}`;
  for (const it of items) {
    const s = byDept.get(String(it.department));
    if (!s) return `department ${it.department} missing from SQL`;
    for (const [k, v] of Object.entries(s)) if (it[k] !== v) return `${it.department}.${k}: API ${it[k]} ≠ SQL ${v}`;
  }
  return '';
}

function buildCases(db: Db, supervisor: string, officer: string): QueryCase[] {
  const cutoffs = new Map<string, { dueAt: string; provisional: boolean }>();
  const cutoffFor = async (now: Date) => {
    const today = shanghaiDate(now);
    let c = cutoffs.get(today);
    if (!c) cutoffs.set(today, (c = await dueSoonCutoff(db, today)));
    return c;
  };
  const LIMIT = 50;
  /** The summary over the last 30 days as `token` sees it: `department` is the one an officer is limited to. */
  const summaryCase = (key: string, title: string, token: string, department: string | null): QueryCase => ({
    key,
    title,
    token,
    path: () => {
      const d = summaryDates();
      return `/v1/deadlines/summary?from=${d.from}&to=${d.to}`;
    },
    sql: async () => {
      const now = new Date();
      const cutoff = await cutoffFor(now);
      const d = summaryDates();
      return [
        { text: SUMMARY_CURRENT, values: [now, new Date(cutoff.dueAt), now, department, department] },
        { text: SUMMARY_CLOSED, values: [d.start, d.end, department, department] },
      ];
    },
    compare: compareSummary,
  });
  return [
    {
      key: 'overdue_department',
      title: 'a. overdue, one department (ZY-SAMR)',
      token: supervisor,
      path: () => `/v1/deadlines?status=overdue&department=ZY-SAMR&limit=${LIMIT}`,
      sql: () =>
        Promise.resolve([
          {
            text: `SELECT ${COLUMNS} FROM deadlines WHERE department = $1 AND status = $2 AND due_at < $3 ORDER BY due_at ASC, id ASC LIMIT $4 OFFSET $5`,
            values: ['ZY-SAMR', 'open', new Date(), LIMIT + 1, 0],
          },
        ]),
      compare: (b, r) => compareList(b, r, LIMIT),
    },
    {
      key: 'due_soon_all',
      title: 'b. due soon, all departments',
      token: supervisor,
      path: () => `/v1/deadlines?status=due_soon&limit=${LIMIT}`,
      sql: async () => {
        const now = new Date();
        const cutoff = await cutoffFor(now);
        return [
          {
            text: `SELECT ${COLUMNS} FROM deadlines WHERE status = $1 AND due_at >= $2 AND due_at <= $3 ORDER BY due_at ASC, id ASC LIMIT $4 OFFSET $5`,
            values: ['open', now, new Date(cutoff.dueAt), LIMIT + 1, 0],
          },
        ];
      },
      compare: (b, r) => compareList(b, r, LIMIT),
    },
    summaryCase('summary_all', 'c. summary, last 30 days, all departments', supervisor, null),
    summaryCase('summary_officer', 'd. summary, last 30 days, officer (ZY-SAMR)', officer, 'ZY-SAMR'),
  ];
}

// ---------------------------------------------------------------------------------------------
// Running
// ---------------------------------------------------------------------------------------------

async function httpGet(base: string, path: string, token: string): Promise<{ status: number; body: string }> {
  // Node's fetch (undici) keeps connections alive by default; the body is read in full.
  const res = await fetch(base + path, { headers: { authorization: `Bearer ${token}` } });
  const body = await res.text();
  return { status: res.status, body };
}

async function runSql(pg: PgClient, statements: SqlStatement[]): Promise<Record<string, unknown>[][]> {
  const out: Record<string, unknown>[][] = [];
  for (const s of statements) out.push((await pg.query(s.text, s.values)).rows);
  return out;
}

/** One line of SQL for the console: whitespace collapsed, a long select list shortened (the JSON keeps it whole). */
function brief(sql: string): string {
  const one = sql.replace(/\s+/g, ' ').trim();
  // Only a plain list of (qualified, quoted) column names is shortened, never expressions.
  return one.replace(/^SELECT ([\w".]+(?:, [\w".]+){5,}) FROM /, (_m, list: string) => `SELECT <${list.split(',').length} columns> FROM `);
}

/** EXPLAIN (ANALYZE, BUFFERS) with the same parameters; returns the full plan and its telling lines. */
async function explain(pg: PgClient, s: SqlStatement): Promise<{ summary: string[]; full: string }> {
  const r = await pg.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${s.text}`, s.values);
  const lines = r.rows.map((x) => x['QUERY PLAN']);
  const summary = [
    lines[0]!.trim(),
    ...lines
      .slice(1)
      .filter((l) => /Scan|Sort|Aggregate|Limit|Index Cond|Filter|Rows Removed|Heap Blocks|Buffers|Execution Time|Planning|JIT/.test(l))
      .map((l) => l.replace(/^\s*->\s*/, '-> ').replace(/^\s+/, '   ')),
  ];
  return { summary, full: lines.join('\n') };
}

/** Every SQL statement one request of each query makes the route issue, captured from Prisma's query log. */
async function capturePrismaSql(url: string, cases: QueryCase[], temporal: TemporalClient): Promise<Map<string, string[]>> {
  let seen: string[] = [];
  const logging = createDb(url, { poolSize: 1, onQuery: (sql) => seen.push(sql) });
  const app = await buildApp({ db: logging, temporal, taskQueue: 'bench', jwtSecret: JWT_SECRET }, pino({ level: 'silent' }));
  await app.ready();
  const out = new Map<string, string[]>();
  try {
    for (const c of cases) {
      seen = [];
      const res = await app.inject({ method: 'GET', url: c.path(), headers: { authorization: `Bearer ${c.token}` } });
      if (res.statusCode !== 200) throw new Error(`${c.path()} answered ${res.statusCode}: ${res.body}`);
      out.set(c.key, seen);
    }
  } finally {
    await app.close();
    await logging.$disconnect();
  }
  return out;
}

async function measure(
  c: QueryCase,
  base: string,
  pg: PgClient,
): Promise<{ api: number[]; sql: number[]; equivalent: boolean; note: string }> {
  // Equivalence first: the API's answer and the baseline's must be the same rows.
  const first = await httpGet(base, c.path(), c.token);
  if (first.status !== 200) throw new Error(`${c.path()} answered ${first.status}: ${first.body}`);
  const note = c.compare(JSON.parse(first.body), await runSql(pg, await c.sql()));
  const apiOnce = async () => {
    const path = c.path();
    const t0 = nowMs();
    const r = await httpGet(base, path, c.token);
    const ms = nowMs() - t0;
    if (r.status !== 200) throw new Error(`${path} answered ${r.status}: ${r.body}`);
    return ms;
  };
  const sqlOnce = async () => {
    const statements = await c.sql(); // parameters computed outside the timing, as the route computes them before querying
    const t0 = nowMs();
    await runSql(pg, statements);
    return nowMs() - t0;
  };
  for (let i = 0; i < WARMUP; i++) {
    await apiOnce();
    await sqlOnce();
  }
  const api: number[] = [];
  const sql: number[] = [];
  // Interleaved, alternating which goes first, so drift (caches, clock, other load) hits both alike.
  for (let i = 0; i < N; i++) {
    if (i % 2 === 0) {
      api.push(await apiOnce());
      sql.push(await sqlOnce());
    } else {
      sql.push(await sqlOnce());
      api.push(await apiOnce());
    }
  }
  return { api, sql, equivalent: note === '' || note.startsWith('the API returned no items'), note };
}

// ---------------------------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------------------------

let stopping = false;

async function main(): Promise<void> {
  const cleanups: (() => Promise<void>)[] = [];
  const cleanup = async () => {
    for (const f of cleanups.splice(0).reverse()) {
      await f().catch((err: unknown) => {
        log(SCOPE, `cleanup: ${(err as Error).message}`);
      });
    }
  };
  const onSignal = (signal: string) => {
    if (stopping) {
      log(SCOPE, 'second signal: exiting now');
      process.exit(130);
    }
    stopping = true;
    log(SCOPE, `${signal}: stopping…`);
    void cleanup().then(() => process.exit(130));
  };
  process.on('SIGINT', () => {
    onSignal('SIGINT');
  });
  process.on('SIGTERM', () => {
    onSignal('SIGTERM');
  });

  try {
    // 1. Postgres, schema, reference data.
    const pgServer: LocalPostgres = await startLocalPostgres({
      dataDir: join(dataDir(), 'bench-postgres'),
      database: 'credit_bench',
    });
    if (!pgServer.reused) cleanups.push(() => pgServer.stop());
    else log(SCOPE, 'Postgres was already running on .data/bench-postgres: leaving it running at the end');
    const migrated = await applyMigrations(pgServer.url);
    log(SCOPE, `migrations: ${migrated.applied.length} applied, ${migrated.alreadyApplied.length} already there`);
    const db = createDb(pgServer.url);
    cleanups.push(() => db.$disconnect());
    const ref = await loadReferenceData(db);
    log(SCOPE, `reference data: ${ref.departments} departments, ${ref.measures} measures`);

    const pg = new PgClient({ connectionString: pgServer.url });
    await pg.connect();
    cleanups.push(() => pg.end());

    // 2. Data.
    const count = Number((await pg.query<{ n: string }>('SELECT count(*) AS n FROM deadlines')).rows[0]!.n);
    const corr =
      (
        await pg.query<{ c: number | null }>(
          `SELECT correlation AS c FROM pg_stats WHERE tablename = 'deadlines' AND attname = 'updated_at'`,
        )
      ).rows[0]?.c ?? null;
    const currentLayout = corr === null ? 'unknown' : corr > 0.9 ? 'chronological' : 'random';
    let fillInfo: { ms: number | null; at: string | null; batches: number | null; skipped: boolean; reason: string };
    if (!REFILL && count === ROWS && currentLayout === LAYOUT) {
      const at = (await pg.query<{ at: Date }>('SELECT max(updated_at) AS at FROM deadlines')).rows[0]!.at;
      const ageDays = (Date.now() - at.getTime()) / 86_400_000;
      log(
        SCOPE,
        `deadlines already holds ${count} rows (${LAYOUT} layout, filled about ${at.toISOString()}): fill skipped (--refill to redo)`,
      );
      if (ageDays > 7)
        log(SCOPE, `  note: the data is ${ageDays.toFixed(0)} days old; dates are relative to the fill, so --refill for current figures`);
      fillInfo = { ms: null, at: at.toISOString(), batches: null, skipped: true, reason: 'table already filled' };
    } else {
      log(
        SCOPE,
        `filling deadlines with ${ROWS} rows (${LAYOUT} layout; table held ${count}, layout ${currentLayout}${REFILL ? ', --refill' : ''})…`,
      );
      const f = await fill(pg, ROWS, LAYOUT);
      log(SCOPE, `fill: ${(f.ms / 1000).toFixed(1)} s for ${ROWS} rows`);
      fillInfo = {
        ...f,
        skipped: false,
        reason: REFILL ? '--refill' : count === ROWS ? 'other layout' : `table held ${count} rows`,
      };
    }
    const byStatus = Object.fromEntries(
      (
        await pg.query<{ status: string; n: string }>('SELECT status, count(*) AS n FROM deadlines GROUP BY status ORDER BY status')
      ).rows.map((r) => [r.status, Number(r.n)]),
    );
    const byDepartment = Object.fromEntries(
      (
        await pg.query<{ department: string; n: string }>(
          'SELECT department, count(*) AS n FROM deadlines GROUP BY department ORDER BY department',
        )
      ).rows.map((r) => [r.department, Number(r.n)]),
    );
    const sizes = (
      await pg.query<{ table: string; indexes: string }>(
        `SELECT pg_size_pretty(pg_table_size('deadlines')) AS table, pg_size_pretty(pg_indexes_size('deadlines')) AS indexes`,
      )
    ).rows[0]!;
    const pgInfo = (
      await pg.query<{
        version: string;
        shared_buffers: string;
        work_mem: string;
        effective_cache_size: string;
        jit: string;
        random_page_cost: string;
      }>(
        `SELECT current_setting('server_version') AS version, current_setting('shared_buffers') AS shared_buffers,
              current_setting('work_mem') AS work_mem, current_setting('effective_cache_size') AS effective_cache_size,
              current_setting('jit') AS jit, current_setting('random_page_cost') AS random_page_cost`,
      )
    ).rows[0]!;

    // 3. The API, in-process, over real HTTP.
    let temporal: TemporalClient;
    if (process.env.TEMPORAL_ADDRESS) {
      const connection = await Connection.connect({ address: process.env.TEMPORAL_ADDRESS });
      cleanups.push(() => connection.close());
      temporal = new TemporalClient({ connection, namespace: process.env.TEMPORAL_NAMESPACE ?? 'default' });
    } else {
      // The deadline routes never call Temporal; a lazy connection to nowhere makes any call fail fast.
      const connection = Connection.lazy({ address: '127.0.0.1:1' });
      cleanups.push(() => connection.close());
      temporal = new TemporalClient({ connection });
    }
    const app = await buildApp({ db, temporal, taskQueue: 'bench', jwtSecret: JWT_SECRET }, pino({ level: 'silent' }));
    const address = await app.listen({ host: '127.0.0.1', port: 0 });
    cleanups.push(() => app.close());
    const supervisor = mintToken({ role: 'supervisor', sub: 'bench-supervisor', dept: 'ZY-DRC' }, JWT_SECRET, 24 * 3600);
    const officer = mintToken({ role: 'officer', sub: 'bench-officer', dept: 'ZY-SAMR' }, JWT_SECRET, 24 * 3600);
    const cases = buildCases(db, supervisor, officer);
    const prismaSql = await capturePrismaSql(pgServer.url, cases, temporal);
    log(SCOPE, `API on ${address}; ${WARMUP} warm-up + ${N} measured requests per query, each next to its SQL baseline`);

    const results: QueryResult[] = [];
    for (const c of cases) {
      const t0 = nowMs();
      const m = await measure(c, address, pg);
      const api = stats(m.api);
      const sql = stats(m.sql);
      const plans: { summary: string[]; full: string }[] = [];
      const statements = await c.sql();
      for (const s of statements) plans.push(await explain(pg, s));
      results.push({
        key: c.key,
        title: c.title,
        request: `GET ${c.path()}`,
        role: c.token === officer ? 'officer ZY-SAMR' : 'supervisor',
        baselineSql: statements.map((s) => s.text.replace(/\s+/g, ' ')),
        prismaSql: prismaSql.get(c.key) ?? [],
        equivalent: m.equivalent,
        equivalenceNote: m.note,
        api,
        sql,
        ratio: { p50: ratio(api.p50, sql.p50), p99: ratio(api.p99, sql.p99), mean: ratio(api.mean, sql.mean) },
        meetsAim: api.p99 < AIM_P99_MS,
        plans,
      });
      log(
        SCOPE,
        `  ${c.title}: ${((nowMs() - t0) / 1000).toFixed(1)} s (API p99 ${api.p99} ms, SQL p99 ${sql.p99} ms)${m.note ? ` — ${m.note}` : ''}`,
      );
    }

    // 4. Report.
    const machine = { ...machineInfo(), postgres: pgInfo.version, postgresSettings: pgInfo };
    const head = ['query', 'side', 'p50', 'p90', 'p99', 'mean', 'min', 'max', `p99<${AIM_P99_MS}ms`];
    const rows: (string | number)[][] = [head];
    for (const r of results) {
      rows.push([r.title, 'API', r.api.p50, r.api.p90, r.api.p99, r.api.mean, r.api.min, r.api.max, r.meetsAim ? 'yes' : 'NO']);
      rows.push(['', 'SQL', r.sql.p50, r.sql.p90, r.sql.p99, r.sql.mean, r.sql.min, r.sql.max, '']);
      rows.push(['', 'API/SQL', r.ratio.p50, '', r.ratio.p99, r.ratio.mean, '', '', '']);
    }
    const out: string[] = [];
    out.push('');
    out.push(`deadlines benchmark — ${new Date().toISOString()}`);
    out.push(
      `machine: ${machine.cpuCount} × ${machine.cpuModel}, ${machine.totalMemoryGiB} GiB, ${machine.os}, node ${machine.node}, Postgres ${pgInfo.version} (shared_buffers ${pgInfo.shared_buffers}, work_mem ${pgInfo.work_mem}, jit ${pgInfo.jit})`,
    );
    out.push(
      `rows: ${Object.values(byStatus).reduce((a, b) => a + b, 0)} (${Object.entries(byStatus)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}); table ${sizes.table}, indexes ${sizes.indexes}; layout ${LAYOUT}`,
    );
    out.push(
      fillInfo.skipped
        ? `fill: skipped (${fillInfo.reason}; data from ${fillInfo.at})`
        : `fill: ${(fillInfo.ms! / 1000).toFixed(1)} s (INSERT … SELECT generate_series, ${fillInfo.batches} statement(s)), then VACUUM (ANALYZE)`,
    );
    out.push(
      `N = ${N} per side after ${WARMUP} warm-up, sequential, API and SQL interleaved; milliseconds; aim: API p99 < ${AIM_P99_MS} ms`,
    );
    out.push('');
    out.push(table(rows));
    for (const r of results) {
      out.push('');
      out.push(`${r.title}: ${r.request} (${r.role})${r.equivalent ? '' : `  !! NOT EQUIVALENT: ${r.equivalenceNote}`}`);
      r.prismaSql.forEach((s, i) => out.push(`  route issued [${i + 1}]: ${brief(s)}`));
      r.plans.forEach((p, i) => {
        out.push(`  baseline [${i + 1}]: ${brief(r.baselineSql[i]!)}`);
        for (const l of p.summary) out.push(`    ${l}`);
      });
    }
    out.push('');
    out.push(
      results.every((r) => r.meetsAim)
        ? `all queries meet the aim (API p99 < ${AIM_P99_MS} ms)`
        : `MISSING the aim: ${results
            .filter((r) => !r.meetsAim)
            .map((r) => r.title)
            .join('; ')}`,
    );
    process.stdout.write(out.join('\n') + '\n');

    const report = {
      benchmark: 'deadlines',
      at: new Date().toISOString(),
      options: { n: N, warmup: WARMUP, rows: ROWS, layout: LAYOUT },
      aim: { apiP99Ms: AIM_P99_MS },
      machine,
      data: {
        rows: byStatus,
        departments: byDepartment,
        tableSize: sizes.table,
        indexesSize: sizes.indexes,
        fill: fillInfo,
      },
      method:
        'Sequential requests over HTTP/1.1 keep-alive (node fetch) to the API built in-process with buildApp on 127.0.0.1 (client and server share one Node process); ' +
        'baseline: the same statements on one pg connection in the same process, parameters computed before timing; API and SQL interleaved request by request.',
      queries: results,
    };
    const day = shanghaiDate(new Date());
    const prefix = LAYOUT === 'random' ? 'deadlines' : `deadlines-${LAYOUT}`;
    const p1 = writeJson(RESULTS_DIR, `${prefix}-${day}.json`, report);
    const p2 = writeJson(RESULTS_DIR, `${prefix}-latest.json`, report);
    log(SCOPE, `wrote ${p1} and ${p2}`);
  } finally {
    if (!stopping) await cleanup();
  }
}

main().then(
  () => {
    if (!stopping) process.exit(0);
  },
  (err: unknown) => {
    // After Ctrl-C the signal handler finishes the cleanup and exits; errors from cut connections are expected.
    if (stopping) return;
    log(SCOPE, `failed: ${errorText(err)}`);
    process.exit(1);
  },
);
