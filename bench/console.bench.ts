/**
 * The console's page render time at 10,000 open cases of one department (`npm run bench:console`), next to the
 * same data read through the JSON API in the same run (issue 15).
 *
 * Brings up the servers `npm start` runs (bench/lib/system.ts: database credit_bench_console, emptied first), the
 * worker in a process of its own, and the app with its console in this process over real HTTP. Opens --seed listing
 * cases of ZY-SAMR through the API and drives them on (a quarter each opened, notice served, statement in, and
 * listed, whose listing period is the department's own deadline), so their read models carry the timelines, deadlines and documents real cases do. The read model is
 * then copied in SQL (cases, timeline, deadlines, documents; due dates spread over 40 days) to --cases open cases of
 * ZY-SAMR and --others of other departments: what the pages read is the read model, and opening 10,000 workflows
 * would only measure the fill. Then, with --clients concurrent clients in a closed loop, in --blocks alternating
 * blocks per side:
 *
 *   workbench page   GET /console            (the officer's first page of 50, nearest deadline first)
 *   workbench JSON   GET /v1/workbench?limit=50
 *   case page        GET /console/cases/{id} (a case picked at random)
 *   case JSON        GET /v1/cases/{id}
 *
 * "Server" is Fastify's own time for the outer request (onResponse, reply.elapsedTime; a page includes the API call
 * it makes in-process), "client" is request sent to body read over loopback keep-alive. Every read leaves its audit
 * entry on both sides, as in production.
 *
 * Options:
 *   --cases 10000   open cases of ZY-SAMR
 *   --others 5000   open cases of other departments (the workbench must pass them by)
 *   --seed 60       cases opened through the API, whose read models are copied
 *   --clients 4     concurrent clients
 *   --n 600         measured requests per side
 *   --warmup 60     warm-up requests per side
 *   --blocks 4      alternating blocks per side
 *
 * No aim is given for this figure; writes bench/results/console-<Shanghai date>.json and console-latest.json.
 */
import { randomInt } from 'node:crypto';
import { Pool } from 'pg';
import pino from 'pino';
import { buildApp } from '../api/app';
import { log } from '../scripts/lib/paths';
import { intArg, machineInfo, nowMs, parseArgs, ratio, stats, table } from './lib/measure';
import { runBenchmark, startBenchSystem, postgresInfo, JWT_SECRET, LISTING_TASK_QUEUE } from './lib/system';
import { ApiClient, consoleSessionCookie } from './lib/http';
import { ListingDriver, OFFICER } from './lib/listing';
import { runOverItems } from './lib/load';
import { rejectUnknown, writeResults, watchLoad, loadWarning } from './lib/report';
import { cloneReadModels, seedListingCases } from './lib/read-model-clone';

const SCOPE = 'bench:console';
const args = parseArgs(process.argv.slice(2));
rejectUnknown(args, ['cases', 'others', 'seed', 'clients', 'n', 'warmup', 'blocks']);
const CASES = intArg(args, 'cases', 10_000);
const OTHERS = intArg(args, 'others', 5_000);
const SEED = intArg(args, 'seed', 60);
const CLIENTS = intArg(args, 'clients', 4);
const N = intArg(args, 'n', 600);
const WARMUP = intArg(args, 'warmup', 60);
const BLOCKS = intArg(args, 'blocks', 4);
const PAGE = 50;
const OTHER_DEPARTMENTS = ['ZY-HOUSING', 'ZY-TAX', 'ZY-ECO', 'ZY-HEALTH'];

type Side = 'workbench page' | 'workbench JSON' | 'case page' | 'case JSON';
const SIDES: Side[] = ['workbench page', 'workbench JSON', 'case page', 'case JSON'];

const pick = <T>(xs: T[]): T => xs[randomInt(xs.length)]!;

runBenchmark(SCOPE, async (cleanups) => {
  const load = watchLoad();
  const sys = await startBenchSystem({ scope: SCOPE, name: 'console', fresh: true, emptyWorker: false, api: false }, cleanups);

  // The app as npm start builds it, console included, with Fastify's own time of every outer request.
  const serverMs = new Map<string, number>();
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
  app.addHook('onResponse', async (request, reply) => {
    const tag = request.headers['x-bench-request'];
    if (typeof tag === 'string') serverMs.set(tag, reply.elapsedTime);
  });
  const base = await app.listen({ host: '127.0.0.1', port: 0 });
  cleanups.add(() => app.close());
  const api = new ApiClient(base);
  const driver = new ListingDriver(api, sys.token);
  const officer = sys.token(OFFICER);

  // 1. Data: real cases through the API, then their read models copied.
  log(SCOPE, `opening ${SEED} listing cases through the API and driving them on`);
  const t0 = nowMs();
  const pool = new Pool({ connectionString: sys.databaseUrl, max: 4 });
  cleanups.add(() => pool.end());
  const seedIds = await seedListingCases(driver, pool, SEED);
  await cloneReadModels(pool, { seedIds, total: CASES - SEED, departments: [OFFICER.dept] });
  await cloneReadModels(pool, { seedIds, total: OTHERS, departments: OTHER_DEPARTMENTS });
  await pool.query('ANALYZE');
  const sizes = (
    await pool.query<Record<string, string>>(
      `SELECT (SELECT count(*) FROM cases WHERE department = $1 AND NOT closed) AS open_cases_of_department,
              (SELECT count(*) FROM cases) AS cases, (SELECT count(*) FROM timeline_entries) AS timeline_entries,
              (SELECT count(*) FROM deadlines) AS deadlines, (SELECT count(*) FROM documents) AS documents,
              pg_size_pretty(pg_database_size(current_database())) AS database_size`,
      [OFFICER.dept],
    )
  ).rows[0]!;
  log(SCOPE, `data ready in ${((nowMs() - t0) / 1000).toFixed(1)} s: ${JSON.stringify(sizes)}`);
  const caseIds = (await pool.query<{ id: string }>(`SELECT id FROM cases WHERE department = $1`, [OFFICER.dept])).rows.map((r) => r.id);

  // 2. A console session for the officer (the portal's token handover).
  const cookie = await consoleSessionCookie(base, officer);

  const request: Record<Side, () => { url: string; headers: Record<string, string> }> = {
    'workbench page': () => ({ url: '/console', headers: { cookie } }),
    'workbench JSON': () => ({ url: `/v1/workbench?limit=${PAGE}`, headers: { authorization: `Bearer ${officer}` } }),
    'case page': () => ({ url: `/console/cases/${pick(caseIds)}`, headers: { cookie } }),
    'case JSON': () => ({ url: `/v1/cases/${pick(caseIds)}`, headers: { authorization: `Bearer ${officer}` } }),
  };
  let seq = 0;
  const once = async (side: Side): Promise<{ client: number; server: number; bytes: number }> => {
    const r = request[side]();
    const tag = String(++seq);
    const t = nowMs();
    const res = await fetch(base + r.url, { headers: { ...r.headers, 'x-bench-request': tag }, redirect: 'manual' });
    const body = await res.text();
    const client = nowMs() - t;
    if (res.status !== 200) throw new Error(`${side} ${r.url} answered ${res.status}: ${body.slice(0, 300)}`);
    const server = serverMs.get(tag) ?? NaN;
    serverMs.delete(tag);
    return { client, server, bytes: Buffer.byteLength(body) };
  };

  // 3. Equivalence: the workbench page lists the rows the JSON gives, first page and total alike.
  const json = JSON.parse(
    await (await fetch(`${base}/v1/workbench?limit=${PAGE}`, { headers: { authorization: `Bearer ${officer}` } })).text(),
  ) as { items: { id: string }[]; total: number };
  const html = await (await fetch(`${base}/console`, { headers: { cookie } })).text();
  const rowsOnPage = html.match(/<tr><td><a href="\/console\/cases\//g)?.length ?? 0;
  const sameRows = json.items.every((i) => html.includes(`/console/cases/${i.id}"`));
  log(
    SCOPE,
    `workbench: JSON total ${json.total}, first page ${json.items.length} rows; the page has ${rowsOnPage} rows${sameRows ? ', the same' : ', not the same'}`,
  );
  if (json.total < CASES || rowsOnPage !== json.items.length || !sameRows) throw new Error('the workbench page and the JSON disagree');

  // 4. Measure: warm-up, then alternating blocks per side.
  for (const side of SIDES) await runOverItems(CLIENTS, Array.from({ length: WARMUP }), () => once(side).then(() => undefined));
  const lat: Record<Side, { client: number[]; server: number[]; bytes: number[] }> = Object.fromEntries(
    SIDES.map((s) => [s, { client: [], server: [], bytes: [] }]),
  ) as never;
  const perBlock = Math.ceil(N / BLOCKS);
  for (let b = 0; b < BLOCKS; b++) {
    for (const side of SIDES) {
      const r = await runOverItems(CLIENTS, Array.from({ length: perBlock }), async () => {
        const m = await once(side);
        lat[side].client.push(m.client);
        lat[side].server.push(m.server);
        lat[side].bytes.push(m.bytes);
      });
      if (r.errors) throw new Error(`${side} failed ${r.errors} time(s): ${r.errorSamples.join(' | ')}`);
    }
    log(SCOPE, `block ${b + 1}/${BLOCKS} done`);
  }

  const results = SIDES.map((side) => ({
    side,
    server: stats(lat[side].server),
    client: stats(lat[side].client),
    meanBytes: Math.round(lat[side].bytes.reduce((a, x) => a + x, 0) / lat[side].bytes.length),
  }));
  const of = (s: Side) => results.find((r) => r.side === s)!;
  const rows: (string | number)[][] = [
    ['', 'server p50 ms', 'server p99 ms', 'client p50 ms', 'client p99 ms', 'mean bytes', 'server p50 vs JSON'],
    ...results.map((r) => [
      r.side,
      r.server.p50,
      r.server.p99,
      r.client.p50,
      r.client.p99,
      r.meanBytes,
      r.side.endsWith('page') ? `×${ratio(r.server.p50, of(r.side.replace('page', 'JSON') as Side).server.p50)}` : '',
    ]),
  ];
  process.stdout.write(
    `\n${CASES} open cases of ${OFFICER.dept} (+${OTHERS} of other departments), ${CLIENTS} clients, ${N} requests per side\n${table(rows)}\n`,
  );
  const warning = loadWarning(load.summary());
  if (warning) process.stdout.write(`${warning}\n`);
  const pgInfo = await postgresInfo(sys.superuserUrl);
  writeResults(SCOPE, 'console', {
    when: new Date().toISOString(),
    options: {
      cases: CASES,
      others: OTHERS,
      seed: SEED,
      clients: CLIENTS,
      n: N,
      warmup: WARMUP,
      blocks: BLOCKS,
      page: PAGE,
    },
    data: sizes,
    results,
    machine: { ...machineInfo(), postgres: pgInfo.version, load: load.summary() },
  });
});
