/**
 * An action on a case the worker no longer holds (`npm run bench:cold-actions`): what it costs when a city has more
 * open cases than its workers cache, the figure behind "a smaller cache trades memory for replays" (README, *Scale*).
 *
 * Brings up the servers `npm start` runs (bench/lib/system.ts: database credit_bench_cold_actions and its own Temporal
 * state, both emptied first), the worker in a process of its own with a cache of 2 × --n cases
 * (`maxCachedWorkflows`), and the API in-process, over HTTP with keep-alive. Then, not timed: a few warm-up cases
 * opened and served, and 3 × --n listings opened through the API, 8 clients at a time, in three groups in this order:
 *   evicted   the first --n: the worker has dropped them by the end, each case opened after them taking its place
 *   filler    the next --n: the least recently used of what the worker holds, so each replay below evicts one of these
 *   cached    the last --n: held by the worker throughout
 * Then `serve_notice` (service in person) at --clients clients on every case of the two measured groups, in --rounds
 * rounds taking turns (bench/lib/rounds.ts):
 *   cached    one workflow task on a case the worker holds: one activation
 *   evicted   the same action on a case it does not: the worker fetches the case's history and replays it, then takes
 *             the action
 * Each side's latency and the CPU of every part per action (metered over its windows) are reported, the evicted
 * side against the cached one in the same run.
 *
 * Options:
 *   --n 150        served notices per side (the cache is 2 × n)
 *   --clients 8    concurrent clients
 *   --rounds 2     rounds in which the two sides take turns
 *   --temporal sqlite          which Temporal server, as every benchmark takes it (bench/lib/system.ts; the full
 *                              server's results go to cold-actions-full-*.json)
 *
 * Writes bench/results/cold-actions-<Shanghai date>.json and cold-actions-latest.json. Exit code 0 whatever the
 * figures (a benchmark reports, it does not gate).
 */
import { log } from '../scripts/lib/paths';
import type { CaseView } from '../workflows/common/case-types';
import type { Part } from './lib/cpu';
import { ApiClient } from './lib/http';
import { ListingDriver, actionBodies } from './lib/listing';
import { runOverItems, type LoadResult } from './lib/load';
import { intArg, machineInfo, parseArgs, ratio, stats, table } from './lib/measure';
import { loadWarning, rejectUnknown, watchLoad, writeResults } from './lib/report';
import { combinedCpu, combinedLoad, slice, turnOrder, type MeteredWindow } from './lib/rounds';
import { cpuMeter, postgresInfo, runBenchmark, startBenchSystem } from './lib/system';

const SCOPE = 'bench:cold-actions';
const args = parseArgs(process.argv.slice(2));
rejectUnknown(args, ['n', 'clients', 'rounds']);
const N = intArg(args, 'n', 150);
const CLIENTS = intArg(args, 'clients', 8);
const ROUNDS = intArg(args, 'rounds', 2);
const CACHE = 2 * N;
const WARMUP = 20;
const PARTS: Part[] = ['bench', 'worker', 'temporal', 'postgres'];

runBenchmark(SCOPE, async (cleanups) => {
  const load = watchLoad();
  const sys = await startBenchSystem(
    { scope: SCOPE, name: 'cold-actions', fresh: true, emptyWorker: false, api: true, maxCachedWorkflows: CACHE },
    cleanups,
  );
  const driver = new ListingDriver(new ApiClient(sys.apiBase), sys.token);
  const serve = (c: CaseView) => driver.act(c, 'serve_notice', actionBodies.serve_notice()).then(() => undefined);
  // One client: the cases are opened, and so cached by the worker, in the order of each list.
  const openMany = (count: number) => driver.openMany(count, 1);

  log(SCOPE, `warming up: ${WARMUP} cases opened and served`);
  const warm = await openMany(WARMUP);
  await runOverItems(CLIENTS, warm, serve);
  log(SCOPE, `opening ${3 * N} cases (the worker caches ${CACHE}): ${N} to be evicted, ${N} filler, ${N} cached`);
  const evicted = await openMany(N);
  await openMany(N); // the filler
  const cached = await openMany(N);
  const before = await sys.worker.status();
  const held = before.workers[0]?.numCachedWorkflows ?? null;
  log(SCOPE, `the worker holds ${held} cases`);

  const meter = cpuMeter(sys);
  const measured = async (items: CaseView[]): Promise<MeteredWindow<LoadResult>> => {
    meter.start();
    const from = Date.now();
    const run = await runOverItems(CLIENTS, items, serve);
    const to = Date.now();
    // An action here is one workflow task, answered before the Update returns: the window's own reading holds the
    // worker's part, with no catch-up to wait for (workerCpuSeconds is the throughput benchmark's).
    return { run, cpu: meter.read(), meteredSeconds: (to - from) / 1000, disturbed: load.disturbedBetween(from, to), workerCpuSeconds: 0 };
  };
  const windows: Record<'cached' | 'evicted', MeteredWindow<LoadResult>[]> = { cached: [], evicted: [] };
  for (let round = 0; round < ROUNDS; round++) {
    for (const side of turnOrder(round, ['cached', 'evicted'] as const)) {
      windows[side].push(await measured(slice(side === 'cached' ? cached : evicted, round, ROUNDS)));
    }
  }

  const sideOf = (ws: MeteredWindow<LoadResult>[]) => {
    const r = combinedLoad(ws.map((w) => w.run));
    const cpu = combinedCpu(ws);
    const n = r.latencies.length;
    const perOp = Object.fromEntries(PARTS.map((p) => [p, n > 0 ? Math.round((cpu[p].cpuSeconds * 10_000) / n) / 10 : null])) as Record<
      Part,
      number | null
    >;
    return {
      actions: n,
      latency: stats(r.latencies),
      errors: r.errors,
      errorSamples: r.errorSamples,
      cpuMsPerAction: perOp,
      cpu,
      disturbed: ws.some((w) => w.disturbed),
    };
  };
  const sides = { cached: sideOf(windows.cached), evicted: sideOf(windows.evicted) };
  const total = (s: (typeof sides)['cached']) => PARTS.reduce((sum, p) => sum + (s.cpuMsPerAction[p] ?? 0), 0);
  const after = await sys.worker.status();

  const pgInfo = await postgresInfo(sys.databaseUrl);
  const machine = { ...machineInfo(), postgres: pgInfo.version, postgresSettings: pgInfo, load: load.summary() };
  const out: string[] = [''];
  out.push(`an action on a case the worker no longer holds — ${new Date().toISOString()}`);
  out.push(loadWarning(machine.load));
  out.push(
    `machine: ${machine.cpuCount} × ${machine.cpuModel}, node ${machine.node}; ${sys.temporal.description}; the worker caches ${CACHE} cases (held ${held} before, ${after.workers[0]?.numCachedWorkflows ?? '?'} after)`,
  );
  out.push(
    `serve_notice at ${CLIENTS} clients, ${N} per side in ${ROUNDS} rounds taking turns; ms; CPU ms per action: bench (clients and API) / worker / temporal / postgres`,
  );
  out.push('');
  const row = (name: string, s: (typeof sides)['cached']) => [
    name,
    s.actions,
    s.latency.p50,
    s.latency.p90,
    s.latency.p99,
    s.errors,
    PARTS.map((p) => s.cpuMsPerAction[p]).join(' / '),
    Math.round(total(s) * 10) / 10,
  ];
  out.push(
    table([
      ['case', 'n', 'p50', 'p90', 'p99', 'errors', 'CPU ms/action by part', 'CPU ms/action'],
      row('cached', sides.cached),
      row('evicted (replayed)', sides.evicted),
    ]),
  );
  const ratios = {
    p50: ratio(sides.evicted.latency.p50, sides.cached.latency.p50),
    workerCpu: ratio(sides.evicted.cpuMsPerAction.worker ?? 0, sides.cached.cpuMsPerAction.worker ?? 0),
    totalCpu: ratio(total(sides.evicted), total(sides.cached)),
  };
  out.push(`evicted against cached: p50 ${ratios.p50} ×, the worker's CPU ${ratios.workerCpu} ×, all parts' CPU ${ratios.totalCpu} ×`);
  console.log(out.join('\n'));
  writeResults(SCOPE, 'cold-actions', {
    at: new Date().toISOString(),
    options: { n: N, clients: CLIENTS, rounds: ROUNDS, maxCachedWorkflows: CACHE, warmup: WARMUP },
    machine,
    temporal: sys.temporal.description,
    worker: {
      settings: sys.worker.settings,
      heldBefore: held,
      heldAfter: after.workers[0]?.numCachedWorkflows ?? null,
      rssAfter: after.rss,
    },
    sides,
    ratios,
    notes: [
      'Cases opened one after another through the API, so the worker caches them in that order; the evicted group was opened first and dropped as later cases arrived; each of its served notices replays the case (its opening) before taking the action, and evicts one of the filler group.',
      'Closed loop, the API built in-process and called over HTTP/1.1 keep-alive (the Node http client of bench/lib/http.ts); CPU of each part over the windows of a side, divided by its actions.',
    ],
  });
});
