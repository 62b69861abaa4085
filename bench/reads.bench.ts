/**
 * Read latency of a listing case and of a subject's credit record (`npm run bench:reads`), figure 3
 * of issue 7.
 *
 * Brings up the servers `npm start` runs (bench/lib/system.ts: database credit_bench_reads and
 * .data/bench-temporal-reads.sqlite, both emptied first), the worker in a process of its own and the
 * API in-process over real HTTP with keep-alive. Opens --cases listing cases through the API and drives
 * a third of them to `notice_served` and a third to `listed` (published, with the legal representative's
 * own entry, Art 48), so cases carry the timelines, deadlines and documents real ones do. Then, with
 * --clients (16) concurrent clients in a closed loop, each request on a case or subject picked at random:
 *
 *   a. GET /v1/cases/{id}                            (officer of ZY-SAMR, the cases' department)
 *   b. GET /v1/subjects/{id}/records?purpose=…       (officer; half organisations, half their representatives)
 *
 * each next to two baselines on the same Postgres, by hand with `pg` on a pool as large as the API's (10):
 *   SQL          the statements the route has Prisma issue to read (case, timeline, deadlines, documents
 *                with the same parallelism; listings and entries), nothing else
 *   SQL + audit  the same plus the audit entry the route appends for every read: one INSERT (with the
 *                credit records' `queried` events in the same transaction where there are any); the audit
 *                sequencer runs in this process as in every API process, linking the entries into the chain
 * in --blocks alternating blocks per side, so drift hits every side alike. The SQL Prisma actually issued
 * for one request of each route is captured from its query log and printed next to the baseline.
 *
 * Options:
 *   --cases 300      listing cases in the database (a third opened, a third notice served, a third listed)
 *   --clients 16     concurrent clients
 *   --n 2000         measured requests per query and side
 *   --warmup 200     warm-up requests per query and side
 *   --blocks 4       alternating blocks per side
 *
 * There is no aim in the issue for this figure; writes bench/results/reads-<Shanghai date>.json and
 * reads-latest.json; exit code 0.
 */
import { randomInt } from 'node:crypto';
import { Pool, type PoolClient } from 'pg';
import pino from 'pino';
import { log } from '../scripts/lib/paths';
import { buildApp } from '../api/app';
import { createDb } from '../db/client';
import { startAuditSequencer } from '../db/audit-sequencer';
import { canonicalJson } from '../db/canonical-json';
import { shanghaiDate } from '../api/case-ids';
import { intArg, machineInfo, nowMs, parseArgs, ratio, stats, table, type LatencyStats } from './lib/measure';
import { runBenchmark, startBenchSystem, postgresInfo, cpuMeter, JWT_SECRET, LISTING_TASK_QUEUE } from './lib/system';
import type { Part } from './lib/cpu';
import { ApiClient } from './lib/http';
import { ListingDriver, OFFICER, actionBodies } from './lib/listing';
import { runOverItems } from './lib/load';
import { rejectUnknown, writeResults, watchLoad, loadWarning } from './lib/report';
import type { CaseView } from '../workflows/common/case-types';

const SCOPE = 'bench:reads';
const args = parseArgs(process.argv.slice(2));
rejectUnknown(args, ['cases', 'clients', 'n', 'warmup', 'blocks']);
const CASES = intArg(args, 'cases', 300);
const CLIENTS = intArg(args, 'clients', 16);
const N = intArg(args, 'n', 2000);
const WARMUP = intArg(args, 'warmup', 200);
const BLOCKS = intArg(args, 'blocks', 4);
/** The API's Prisma pool (db/client.ts default); the baseline gets as many connections. */
const POOL_SIZE = 10;
const PURPOSE = '行政许可审查（基准测试）';
/** The records route's default page size (api/schemas/common.ts pageQuery). */
const PAGE = 50;

type Side = 'API' | 'SQL' | 'SQL + audit';
const SIDES: Side[] = ['API', 'SQL', 'SQL + audit'];

interface Query {
  key: string;
  title: string;
  request: (id: string) => string;
  ids: string[];
  /** The baseline's statements, for the report. */
  baseline: string[];
  /** The route's reads, by hand; resolves with row counts to compare with the API's answer (and the credit records read). */
  sql: (pool: Pool, id: string) => Promise<{ counts: Record<string, number>; recordIds?: string[] }>;
  /** The same counts from the API's answer. */
  counts: (body: unknown) => Record<string, number>;
  audit: (id: string, recordIds?: string[]) => AuditSpec;
}

const CASE_COLUMNS =
  'id, procedure, state, closed, outcome, subject_kind, subject_id, subject_name, department, created_by, details, allowed_actions, version, created_at, updated_at';
const DEADLINE_COLUMNS =
  'id, case_id, procedure, department, kind, party, status, starts_at, due_at, due_date, met_at, closed_at, calendar_version, provisional, basis, explanation, inputs, extended, version, updated_at';

function buildQueries(caseIds: string[], subjectIds: string[], withCreditRecords: boolean): Query[] {
  return [
    {
      key: 'case',
      title: 'GET /v1/cases/{id}',
      request: (id) => `/v1/cases/${id}`,
      ids: caseIds,
      baseline: [
        `SELECT <15 columns> FROM cases WHERE id = $1 LIMIT 1`,
        'SELECT <7 columns> FROM timeline_entries WHERE case_id = ANY($1) ORDER BY seq ASC',
        'SELECT <20 columns> FROM deadlines WHERE case_id = $1 ORDER BY starts_at ASC, id ASC',
        'SELECT id, kind, title, issued_at FROM documents WHERE case_id = $1 ORDER BY issued_at ASC, id ASC',
      ],
      sql: async (pool, id) => {
        // readCase: the case with its timeline (Prisma: two statements), deadlines and documents, the three in parallel.
        const [c, d, o] = await Promise.all([
          (async () => {
            const row = await pool.query(`SELECT ${CASE_COLUMNS} FROM cases WHERE id = $1 LIMIT 1`, [id]);
            const tl = await pool.query(
              'SELECT case_id, seq, at, actor, role, action, detail FROM timeline_entries WHERE case_id = ANY($1) ORDER BY seq ASC',
              [[id]],
            );
            return { cases: row.rowCount ?? 0, timeline: tl.rowCount ?? 0 };
          })(),
          pool.query(`SELECT ${DEADLINE_COLUMNS} FROM deadlines WHERE case_id = $1 ORDER BY starts_at ASC, id ASC`, [id]),
          pool.query('SELECT id, kind, title, issued_at FROM documents WHERE case_id = $1 ORDER BY issued_at ASC, id ASC', [id]),
        ]);
        return { counts: { ...c, deadlines: d.rowCount ?? 0, documents: o.rowCount ?? 0 } };
      },
      counts: (b) => {
        const v = b as CaseView;
        return { cases: 1, timeline: v.timeline.length, deadlines: v.deadlines.length, documents: v.documents.length };
      },
      audit: (id) => ({ action: 'case.read', target: `case:${id}`, caseId: id, subjectId: null, detail: {} }),
    },
    {
      key: 'records',
      title: 'GET /v1/subjects/{id}/records',
      request: (id) => `/v1/subjects/${id}/records?purpose=${encodeURIComponent(PURPOSE)}`,
      ids: subjectIds,
      baseline: [
        ...(withCreditRecords
          ? [
              `SELECT * FROM credit_records WHERE subject_id = $1 AND (department = $2 OR (status = 'active' AND (public_until IS NULL OR public_until >= $3))) ORDER BY created_at DESC, id DESC LIMIT ${PAGE + 1}`,
            ]
          : []),
        "SELECT <14 columns> FROM public_listings WHERE subject_id = $1 AND status = 'listed' ORDER BY listed_from DESC",
        "SELECT <11 columns> FROM subject_entries WHERE subject_id = $1 AND status = 'active' ORDER BY listed_from DESC",
      ],
      sql: async (pool, id) => {
        // The route's three reads in parallel: the officer's view of the credit records (own department's,
        // or active and still public), the subject's listings and its Art 48 entries.
        const [r, l, e] = await Promise.all([
          withCreditRecords
            ? pool.query(
                `SELECT * FROM credit_records
                 WHERE subject_id = $1 AND (department = $2 OR (status = 'active' AND (public_until IS NULL OR public_until >= $3)))
                 ORDER BY created_at DESC, id DESC LIMIT ${PAGE + 1}`,
                [id, OFFICER.dept, shanghaiDate(new Date())],
              )
            : Promise.resolve({ rowCount: 0, rows: [] as { id: string }[] }),
          pool.query(
            `SELECT case_id, subject_kind, subject_id, subject_name, department, category, measures, decision_number, listed_from, listed_until,
                    status, removed_at, removal_outcome, updated_at
             FROM public_listings WHERE subject_id = $1 AND status = 'listed' ORDER BY listed_from DESC`,
            [id],
          ),
          pool.query(
            `SELECT id, subject_id, case_id, role, name, organisation_id, organisation_name, listed_from, listed_until, status, removed_at
             FROM subject_entries WHERE subject_id = $1 AND status = 'active' ORDER BY listed_from DESC`,
            [id],
          ),
        ]);
        const recordIds = (r.rows as { id: string }[]).slice(0, PAGE).map((x) => x.id);
        return {
          counts: { records: recordIds.length, listings: l.rowCount ?? 0, entries: e.rowCount ?? 0 },
          recordIds,
        };
      },
      counts: (b) => {
        const v = b as { items?: unknown[]; listings: unknown[]; responsiblePersonEntries: unknown[] };
        return {
          records: v.items?.length ?? 0,
          listings: v.listings.length,
          entries: v.responsiblePersonEntries.length,
        };
      },
      audit: (id, recordIds = []) => ({
        action: 'records.read',
        target: `subject:${id}`,
        caseId: null,
        subjectId: id,
        detail: { purpose: PURPOSE, records: recordIds, listings: 1, entries: 0 },
        queriedRecords: recordIds,
      }),
    },
  ];
}

interface AuditSpec {
  action: string;
  target: string;
  caseId: string | null;
  subjectId: string | null;
  detail: Record<string, unknown>;
  /** Credit records shown to an official: each gets a `queried` event in the same transaction. */
  queriedRecords?: string[];
}

/**
 * The audit append of db/audit.ts in SQL: one INSERT that reads the actor's name itself (no lock, no read of the chain;
 * the sequencer links it later). With credit records shown, their `queried` events go in the same transaction, as
 * the route writes them; otherwise the insert is a statement of its own.
 */
const AUDIT_INSERT = `INSERT INTO audit_entries (at, actor, actor_name, role, action, target, case_id, subject_id, detail, event_key)
  VALUES ($1, $2, (SELECT name FROM actor_names WHERE sub = $2), $3, $4, $5, $6, $7, $8::jsonb, NULL)`;

async function appendAuditSql(pool: Pool, e: AuditSpec): Promise<void> {
  const params = [new Date(), OFFICER.sub, OFFICER.role, e.action, e.target, e.caseId, e.subjectId, canonicalJson(e.detail)];
  if (!e.queriedRecords?.length) {
    await pool.query(AUDIT_INSERT, params);
    return;
  }
  const c: PoolClient = await pool.connect();
  try {
    await c.query('BEGIN');
    await c.query(AUDIT_INSERT, params);
    await c.query(
      `INSERT INTO record_events (record_id, at, actor, role, department, action, detail)
       SELECT unnest($1::text[]), now(), $2, $3, $4, 'queried', $5::jsonb`,
      [e.queriedRecords, OFFICER.sub, OFFICER.role, OFFICER.dept, JSON.stringify({ purpose: PURPOSE })],
    );
    await c.query('COMMIT');
  } catch (err) {
    await c.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    c.release();
  }
}

/** Every statement one request of each route makes Prisma issue, from its query log (app.inject, no HTTP). */
async function capturePrismaSql(
  url: string,
  queries: Query[],
  sys: { client: import('@temporalio/client').Client },
): Promise<Map<string, string[]>> {
  let seen: string[] = [];
  const logging = createDb(url, { poolSize: 1, onQuery: (sql) => seen.push(sql.replace(/\s+/g, ' ')) });
  const app = await buildApp(
    { db: logging, temporal: sys.client, taskQueue: LISTING_TASK_QUEUE, jwtSecret: JWT_SECRET },
    pino({ level: 'silent' }),
  );
  await app.ready();
  const out = new Map<string, string[]>();
  try {
    const { mintToken } = await import('../api/dev-tokens');
    for (const q of queries) {
      seen = [];
      const res = await app.inject({
        method: 'GET',
        url: q.request(q.ids[0]!),
        headers: { authorization: `Bearer ${mintToken(OFFICER, JWT_SECRET)}` },
      });
      if (res.statusCode !== 200) throw new Error(`${q.request(q.ids[0]!)} answered ${res.statusCode}: ${res.body}`);
      out.set(q.key, seen);
    }
  } finally {
    await app.close();
    await logging.$disconnect();
  }
  return out;
}

/** One line of SQL for the console: a long select list shortened (the JSON keeps it whole). */
function brief(sql: string): string {
  const one = sql.replace(
    /^SELECT ([\w".]+(?:, ?[\w".]+){5,}) FROM /,
    (_m, list: string) => `SELECT <${list.split(',').length} columns> FROM `,
  );
  return one.length > 220 ? `${one.slice(0, 220)}…` : one;
}

const pick = <T>(xs: T[]): T => xs[randomInt(xs.length)]!;

runBenchmark(SCOPE, async (cleanups) => {
  const load = watchLoad();
  const sys = await startBenchSystem({ scope: SCOPE, name: 'reads', fresh: true, emptyWorker: false, api: true }, cleanups);
  const api = new ApiClient(sys.apiBase);
  const driver = new ListingDriver(api, (claims) => sys.token(claims));
  const officer = sys.token(OFFICER);

  // 1. Data: cases through the API, in three stages.
  log(SCOPE, `opening ${CASES} listing cases through the API (8 at a time) and driving them on`);
  const t0 = nowMs();
  const caseIds: string[] = [];
  const subjectIds: string[] = [];
  const fill = await runOverItems(
    8,
    Array.from({ length: CASES }, (_, i) => i),
    async (i) => {
      let v = (await driver.open()).view;
      if (i % 3 === 1) v = (await driver.act(v, 'serve_notice', actionBodies.serve_notice())).view;
      if (i % 3 === 2) {
        v = await driver.toListed(v);
        if (v.procedure !== 'listing') throw new Error(`case ${v.id} is not a listing`);
        subjectIds.push(v.subject.id, v.details.responsiblePersons[0]!.idNumber);
      }
      caseIds.push(v.id);
    },
  );
  if (fill.errors) throw new Error(`the fill failed ${fill.errors} time(s): ${fill.errorSamples.join(' | ')}`);
  const pool = new Pool({ connectionString: sys.databaseUrl, max: POOL_SIZE });
  cleanups.add(() => pool.end());
  // As every API process runs it: the entries appended by both the API and the baseline get linked.
  const sequencer = startAuditSequencer({ db: sys.db, databaseUrl: sys.databaseUrl });
  cleanups.add(() => sequencer.stop());
  // The reads are of the read model: wait until the worker has written every change.
  for (const until = Date.now() + 600_000; ; ) {
    if (Date.now() > until) throw new Error('the worker did not write every change to Postgres within 10 minutes');
    const r = await pool.query<{ n: string; listed: string }>(
      `SELECT count(*) AS n, count(*) FILTER (WHERE state = 'listed') AS listed FROM cases`,
    );
    if (Number(r.rows[0]!.n) >= CASES && Number(r.rows[0]!.listed) >= Math.floor(CASES / 3)) break;
    await new Promise((res) => setTimeout(res, 250));
  }
  await pool.query('ANALYZE');
  const fillMs = nowMs() - t0;
  const sizes = (
    await pool.query<Record<string, string>>(
      `SELECT (SELECT count(*) FROM cases) AS cases, (SELECT count(*) FROM timeline_entries) AS timeline_entries,
              (SELECT count(*) FROM deadlines) AS deadlines, (SELECT count(*) FROM documents) AS documents,
              (SELECT count(*) FROM public_listings) AS public_listings, (SELECT count(*) FROM subject_entries) AS subject_entries,
              (SELECT count(*) FROM audit_entries) AS audit_entries, pg_size_pretty(pg_database_size(current_database())) AS database_size`,
    )
  ).rows[0]!;
  log(SCOPE, `data ready in ${(fillMs / 1000).toFixed(1)} s: ${JSON.stringify(sizes)}`);

  // The records route reads credit records too where the table exists (the objection procedure brings it).
  const withCreditRecords = (await pool.query<{ t: string | null }>(`SELECT to_regclass('credit_records')::text AS t`)).rows[0]!.t !== null;
  const queries = buildQueries(caseIds, subjectIds, withCreditRecords);
  const prismaSql = await capturePrismaSql(sys.databaseUrl, queries, sys);

  // 2. Equivalence: the API's answer and the baseline's rows agree in number.
  const notes: Record<string, string> = {};
  for (const q of queries) {
    const id = q.ids[0]!;
    const a = q.counts((await api.json('GET', q.request(id), { token: officer })).value);
    const s = (await q.sql(pool, id)).counts;
    const diff = Object.keys(a).filter((k) => a[k] !== s[k]);
    notes[q.key] = diff.length ? `counts differ: API ${JSON.stringify(a)}, SQL ${JSON.stringify(s)}` : '';
    if (diff.length) log(SCOPE, `  !! ${q.title}: ${notes[q.key]}`);
  }

  // 3. Measure: blocks of each side in turn, CLIENTS concurrent clients.
  const ops: Record<Side, (q: Query) => Promise<void>> = {
    API: async (q) => {
      const r = await api.request('GET', q.request(pick(q.ids)), { token: officer });
      if (r.status !== 200) throw new Error(`${q.title} answered ${r.status}: ${r.body.slice(0, 300)}`);
    },
    SQL: async (q) => {
      await q.sql(pool, pick(q.ids));
    },
    'SQL + audit': async (q) => {
      const id = pick(q.ids);
      const r = await q.sql(pool, id);
      await appendAuditSql(pool, q.audit(id, r.recordIds));
    },
  };
  const meter = cpuMeter(sys);
  const PARTS: Part[] = ['bench', 'worker', 'temporal', 'postgres'];
  type SideStats = {
    latency: LatencyStats;
    ratePerSecond: number;
    errors: number;
    errorSamples: string[];
    cpuMsPerRequest: Record<Part, number>;
    disturbed: boolean;
  };
  const results: {
    key: string;
    title: string;
    sides: Record<Side, SideStats>;
    equivalenceNote: string;
    baselineSql: string[];
    prismaSql: string[];
  }[] = [];
  for (const q of queries) {
    log(SCOPE, `${q.title}: ${WARMUP} warm-up + ${N} measured per side, ${CLIENTS} clients, ${BLOCKS} blocks`);
    for (const s of SIDES) await runOverItems(CLIENTS, Array.from({ length: WARMUP }), () => ops[s](q));
    const lat: Record<Side, number[]> = { API: [], SQL: [], 'SQL + audit': [] };
    const wall: Record<Side, number> = { API: 0, SQL: 0, 'SQL + audit': 0 };
    const errs: Record<Side, { n: number; samples: string[] }> = {
      API: { n: 0, samples: [] },
      SQL: { n: 0, samples: [] },
      'SQL + audit': { n: 0, samples: [] },
    };
    const cpu = Object.fromEntries(SIDES.map((s) => [s, Object.fromEntries(PARTS.map((p) => [p, 0]))])) as Record<
      Side,
      Record<Part, number>
    >;
    const disturbed: Record<Side, boolean> = { API: false, SQL: false, 'SQL + audit': false };
    for (let b = 0; b < BLOCKS; b++) {
      const size = Math.floor(N / BLOCKS) + (b < N % BLOCKS ? 1 : 0);
      // Rotate the order of the sides from block to block.
      for (let k = 0; k < SIDES.length; k++) {
        const s = SIDES[(b + k) % SIDES.length]!;
        meter.start();
        const from = Date.now();
        const r = await runOverItems(CLIENTS, Array.from({ length: size }), () => ops[s](q));
        const used = meter.read();
        disturbed[s] ||= load.disturbedBetween(from, Date.now());
        for (const p of PARTS) cpu[s][p] += used[p].cpuSeconds;
        lat[s].push(...r.latencies);
        wall[s] += r.wallMs;
        errs[s].n += r.errors;
        errs[s].samples.push(...r.errorSamples);
      }
    }
    const sides = Object.fromEntries(
      SIDES.map((s) => [
        s,
        {
          latency: stats(lat[s]),
          ratePerSecond: Math.round((lat[s].length / (wall[s] / 1000)) * 10) / 10,
          errors: errs[s].n,
          errorSamples: errs[s].samples.slice(0, 5),
          cpuMsPerRequest: Object.fromEntries(
            PARTS.map((p) => [p, Math.round((cpu[s][p] * 1000 * 100) / Math.max(1, lat[s].length)) / 100]),
          ) as Record<Part, number>,
          disturbed: disturbed[s],
        },
      ]),
    ) as Record<Side, SideStats>;
    results.push({
      key: q.key,
      title: q.title,
      sides,
      equivalenceNote: notes[q.key] ?? '',
      baselineSql: q.baseline,
      prismaSql: prismaSql.get(q.key) ?? [],
    });
    log(
      SCOPE,
      `  p99: API ${sides.API.latency.p99} ms, SQL ${sides.SQL.latency.p99} ms, SQL + audit ${sides['SQL + audit'].latency.p99} ms`,
    );
  }

  // 4. Report.
  const pgInfo = await postgresInfo(sys.databaseUrl);
  const machine = { ...machineInfo(), postgres: pgInfo.version, postgresSettings: pgInfo, load: load.summary() };
  const out: string[] = [];
  out.push('');
  out.push(`listing reads benchmark — ${new Date().toISOString()}`);
  out.push(loadWarning(machine.load));
  out.push(
    `machine: ${machine.cpuCount} × ${machine.cpuModel}, ${machine.totalMemoryGiB} GiB, ${machine.os}, node ${machine.node}, Postgres ${pgInfo.version} (shared_buffers ${pgInfo.shared_buffers}, synchronous_commit ${pgInfo.synchronous_commit})`,
  );
  out.push(
    `data: ${sizes.cases} cases (a third each opened / notice served / listed), ${sizes.timeline_entries} timeline entries, ${sizes.deadlines} deadlines, ${sizes.documents} documents, ${sizes.public_listings} listings, ${sizes.subject_entries} entries, ${sizes.audit_entries} audit entries before the run; database ${sizes.database_size}`,
  );
  out.push(
    `${CLIENTS} concurrent clients, closed loop, ${N} measured requests per side after ${WARMUP} warm-up, ${BLOCKS} alternating blocks; pools of ${POOL_SIZE} connections; ms`,
  );
  out.push(
    '"bench" is the benchmark process: the clients and, on the API side, the API itself (built in-process); CPU per request from /proc',
  );
  out.push('');
  const rows: (string | number)[][] = [
    ['query', 'side', 'p50', 'p90', 'p99', 'mean', 'max', 'req/s', 'errors', 'p50/SQL', 'p99/SQL', 'CPU ms/req: bench / postgres', ''],
  ];
  for (const r of results) {
    for (const s of SIDES) {
      const x = r.sides[s];
      const isSql = s === 'SQL';
      rows.push([
        s === 'API' ? r.title : '',
        s,
        x.latency.p50,
        x.latency.p90,
        x.latency.p99,
        x.latency.mean,
        x.latency.max,
        x.ratePerSecond,
        x.errors,
        isSql ? '' : ratio(x.latency.p50, r.sides.SQL.latency.p50),
        isSql ? '' : ratio(x.latency.p99, r.sides.SQL.latency.p99),
        `${x.cpuMsPerRequest.bench} / ${x.cpuMsPerRequest.postgres}`,
        x.disturbed ? '!' : '',
      ]);
    }
  }
  out.push(table(rows));
  for (const r of results) {
    out.push('');
    out.push(`${r.title}${r.equivalenceNote ? `  !! ${r.equivalenceNote}` : ''}`);
    r.prismaSql.forEach((s, i) => out.push(`  route issued [${i + 1}]: ${brief(s)}`));
    r.baselineSql.forEach((s, i) => out.push(`  baseline    [${i + 1}]: ${s}`));
  }
  process.stdout.write(out.join('\n') + '\n');

  writeResults(SCOPE, 'reads', {
    benchmark: 'reads',
    at: new Date().toISOString(),
    options: { cases: CASES, clients: CLIENTS, n: N, warmup: WARMUP, blocks: BLOCKS },
    aim: null,
    machine,
    data: { ...sizes, fillMs: Math.round(fillMs) },
    method:
      `Closed loop, ${CLIENTS} clients in the benchmark process; API built in-process with buildApp, called over HTTP/1.1 keep-alive (the Node http client of bench/lib/http.ts), Prisma pool ${POOL_SIZE}; ` +
      `baselines with pg on a pool of ${POOL_SIZE}, same parallelism as the route; "SQL + audit" adds db/audit.ts's append (advisory lock, last entry, insert) in one transaction. ` +
      'Ids picked at random per request; sides alternate in blocks.',
    queries: results,
  });
});
