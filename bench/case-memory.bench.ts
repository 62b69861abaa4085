/**
 * What a case the worker holds costs in memory (`npm run bench:case-memory`): the figure behind WORKER_CACHED_CASES
 * (config/config.ts) and the README's *What to scale when*.
 *
 * Brings up the servers `npm start` runs (bench/lib/system.ts: database credit_bench_case_memory and its own Temporal
 * state, both emptied first), the worker in a process of its own with the baseline worker beside it (bench/workflows,
 * an empty workflow that waits), and the API in-process. Both hold every workflow opened here (a cache of --base
 * plus --n, past the project's default of 1,000). Not measured: --base listings and --base empty workflows, so the
 * worker has settled into its steady size. Then, each followed by a settle of a few seconds before the worker's RSS is
 * read:
 *   empty     --n empty workflows started and left waiting: the baseline, what Temporal's SDK holds per workflow
 *   opened    --n listings opened through the API (16 clients)
 *   listed    the same listings taken to `listed` (notice served, statement, decision proposed, approved, served)
 * A group's memory per case is the RSS it added over the cases the worker cached more; the listed group's is the
 * opened group's plus what its five actions added. The SDK's own sizing (its default cache, about 600 cases per GiB
 * of heap limit) assumes about 1.7 MiB a case.
 *
 * Options:
 *   --n 1000       cases per group
 *   --base 300     listings and empty workflows opened first, not measured
 *   --temporal sqlite          which Temporal server, as every benchmark takes it
 *
 * Writes bench/results/case-memory-<Shanghai date>.json and case-memory-latest.json. Exit code 0 whatever the figures
 * (a benchmark reports, it does not gate).
 */
import { log } from '../scripts/lib/paths';
import { ApiClient } from './lib/http';
import { ListingDriver } from './lib/listing';
import { runOverItems } from './lib/load';
import { intArg, machineInfo, parseArgs, table } from './lib/measure';
import { loadWarning, rejectUnknown, watchLoad, writeResults } from './lib/report';
import { EMPTY_TASK_QUEUE, LISTING_TASK_QUEUE, runBenchmark, startBenchSystem, startEmptyWorkflow } from './lib/system';
import type { WorkerStatusReport } from './lib/worker-process';

const SCOPE = 'bench:case-memory';
const args = parseArgs(process.argv.slice(2));
rejectUnknown(args, ['n', 'base']);
const N = intArg(args, 'n', 1000);
const BASE = intArg(args, 'base', 300);
const CLIENTS = 16;
/** Long enough for the worker's collector to have run after a burst (its RSS read steady in a few seconds). */
const SETTLE_MS = 4000;
const MIB = 1048576;
/** What the SDK's default cache allows a case: a GiB of heap limit over 600 cases (worker-options.js). */
const SDK_MIB_PER_CASE = 1024 / 600;

runBenchmark(SCOPE, async (cleanups) => {
  const load = watchLoad();
  const sys = await startBenchSystem(
    { scope: SCOPE, name: 'case-memory', fresh: true, emptyWorker: true, api: true, maxCachedWorkflows: BASE + N },
    cleanups,
  );
  const driver = new ListingDriver(new ApiClient(sys.apiBase), sys.token);
  const startEmpties = (count: number) =>
    runOverItems(
      CLIENTS,
      Array.from({ length: count }, (_, i) => i),
      () => startEmptyWorkflow(sys, { stayOpen: true }).then(() => undefined),
    );
  const settled = async (): Promise<WorkerStatusReport> => {
    await new Promise((r) => setTimeout(r, SETTLE_MS));
    return sys.worker.status();
  };
  const cachedOn = (s: WorkerStatusReport, taskQueue: string) => s.workers.find((w) => w.taskQueue === taskQueue)?.numCachedWorkflows ?? 0;
  /** RSS per case the worker cached more between two readings, in MiB (null where it cached none more). */
  const perCase = (
    a: WorkerStatusReport,
    b: WorkerStatusReport,
    taskQueue: string,
    cases = cachedOn(b, taskQueue) - cachedOn(a, taskQueue),
  ) => (cases > 0 ? Math.round(((b.rss - a.rss) / MIB / cases) * 1000) / 1000 : null);

  log(SCOPE, `not measured: ${BASE} listings and ${BASE} empty workflows`);
  await driver.openMany(BASE, CLIENTS);
  await startEmpties(BASE);
  const base = await settled();

  log(SCOPE, `empty: ${N} empty workflows started, left waiting`);
  const empties = await startEmpties(N);
  const afterEmpty = await settled();

  log(SCOPE, `opened: ${N} listings opened through the API`);
  const listings = await driver.openMany(N, CLIENTS);
  const afterOpened = await settled();

  log(SCOPE, `listed: the same ${N} listings taken to listed`);
  const listed = await runOverItems(CLIENTS, listings, async (c) => {
    await driver.toListed(c);
  });
  const afterListed = await settled();

  const opened = perCase(afterEmpty, afterOpened, LISTING_TASK_QUEUE);
  // The same cases, held throughout (the cache is larger than all of them): what their actions added, over how many took them.
  const evicted = cachedOn(afterOpened, LISTING_TASK_QUEUE) - cachedOn(afterListed, LISTING_TASK_QUEUE);
  const growth = evicted === 0 ? perCase(afterOpened, afterListed, LISTING_TASK_QUEUE, N - listed.errors) : null;
  const groups = {
    empty: { mibPerCase: perCase(base, afterEmpty, EMPTY_TASK_QUEUE), errors: empties.errors },
    opened: { mibPerCase: opened, errors: 0 },
    listed: {
      mibPerCase: opened !== null && growth !== null ? Math.round((opened + growth) * 1000) / 1000 : null,
      errors: listed.errors,
      errorSamples: listed.errorSamples,
    },
  };
  const casesPerGiB = (mib: number | null) => (mib ? Math.floor(1024 / mib) : null);

  const listingWorker = sys.worker.settings.find((w) => w.taskQueue === LISTING_TASK_QUEUE);
  const machine = { ...machineInfo(), load: load.summary() };
  const out: string[] = [''];
  out.push(`what a case the worker holds costs in memory — ${new Date().toISOString()}`);
  out.push(loadWarning(machine.load));
  out.push(
    `machine: ${machine.cpuCount} × ${machine.cpuModel}, node ${machine.node}; ${sys.temporal.description}; worker heap limit ${listingWorker?.maxHeapMemoryMiB ?? '?'} MiB, its cache ${listingWorker?.maxCachedWorkflows ?? '?'} cases`,
  );
  out.push(
    `${N} cases a group over ${BASE} of each first; the worker's RSS ${Math.round(base.rss / MIB)} → ${Math.round(afterEmpty.rss / MIB)} → ${Math.round(afterOpened.rss / MIB)} → ${Math.round(afterListed.rss / MIB)} MiB; cached listings ${cachedOn(afterListed, LISTING_TASK_QUEUE)}, empty workflows ${cachedOn(afterListed, EMPTY_TASK_QUEUE)}`,
  );
  out.push('');
  out.push(
    table([
      ['cached case', 'MiB of RSS each', 'cases per GiB', 'errors'],
      ['empty workflow (baseline)', groups.empty.mibPerCase ?? '-', casesPerGiB(groups.empty.mibPerCase) ?? '-', groups.empty.errors],
      ['listing, just opened', groups.opened.mibPerCase ?? '-', casesPerGiB(groups.opened.mibPerCase) ?? '-', 0],
      ['listing, listed (5 actions)', groups.listed.mibPerCase ?? '-', casesPerGiB(groups.listed.mibPerCase) ?? '-', groups.listed.errors],
      ["the SDK's default cache allows", Math.round(SDK_MIB_PER_CASE * 1000) / 1000, 600, ''],
    ]),
  );
  console.log(out.join('\n'));
  writeResults(SCOPE, 'case-memory', {
    at: new Date().toISOString(),
    options: { n: N, base: BASE, clients: CLIENTS, settleMs: SETTLE_MS },
    machine,
    temporal: sys.temporal.description,
    worker: { settings: sys.worker.settings },
    rss: { base: base.rss, afterEmpty: afterEmpty.rss, afterOpened: afterOpened.rss, afterListed: afterListed.rss },
    groups,
    sdkMibPerCase: SDK_MIB_PER_CASE,
    notes: [
      "RSS of the worker process, read a few seconds after each group, over the cases it cached more; the workflow thread's heap is in it.",
      'The listed group is the opened one taken through five actions: its figure is the opened one plus what the actions added.',
    ],
  });
});
