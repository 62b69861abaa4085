/**
 * Case start throughput and action latency of the listing procedure (`npm run bench:throughput`),
 * figures 1 and 2 of issue 7.
 *
 * Brings up the servers `npm start` runs (bench/lib/system.ts: Postgres cluster .data/bench-postgres,
 * database credit_bench_throughput, and a Temporal dev server with SQLite persistence in
 * .data/bench-temporal-throughput.sqlite, both emptied first), the worker in a process of its own
 * (the project's worker, plus the baseline worker for bench/workflows on a task queue of its own), and
 * the API built in-process, over real HTTP with keep-alive. Then, level by level, each figure next to
 * its baseline on the same servers, measured back to back:
 *
 * 1. Case start throughput, closed loop at --start-clients (1, 8, 32) concurrent clients for --seconds
 *    after --warmup-seconds:
 *      API        POST /v1/cases (officer; a fresh listing body and Idempotency-Key each time) → 201
 *      raw start  client.workflow.start(emptyWorkflow) from the SDK client, same Temporal server
 *      raw update-with-start   an empty workflow that stays open, started with a `ping` Update in the same
 *                 call and answered by its first task: the one Temporal call POST /v1/cases makes, without
 *                 any of the API's or the procedure's work (finished, untimed, after the window)
 *    The raw start runs in one window; the raw update-with-start and the API take turns in --rounds windows.
 *    Aim: the API at least 60 % of the raw start rate at 32 clients. Between sides, the benchmark waits
 *    until the worker has caught up (every case's first write in Postgres; no empty workflow running)
 *    and reports how long that took: the API answers before the projection is written.
 *
 * 2. Action latency at --action-clients (1, 16) concurrent clients, --n actions of each kind per level
 *    after --warmup, each on a case of its own (cases opened through the API beforehand, not timed):
 *      raw Update       executeUpdate(ping) on an open empty workflow of its own (SDK client)
 *      serve_notice     POST /v1/cases/{id}/actions/serve_notice (officer), service in person (electronic service sends a mail since issue 24)
 *      submit_statement POST /v1/cases/{id}/actions/submit_statement (the case's subject), no hearing
 *    in --rounds slices of the cases, the raw Updates' slice and the API's taking turns.
 *    Aim: p99 under 100 ms at 16 clients.
 *
 * Options:
 *   --start-clients 1,8,32   concurrency levels of figure 1
 *   --seconds 15             measured window per side and level (figure 1)
 *   --warmup-seconds 3       warm-up before each window (not counted)
 *   --action-clients 1,16    concurrency levels of figure 2
 *   --n 200                  measured actions per kind and level (figure 2)
 *   --warmup 20              warm-up actions per kind and level
 *   --rounds 3               rounds in which the raw update-with-start and the API's starts, and the raw Updates and
 *                            the API's actions, take turns (bench/lib/rounds.ts): --seconds and --n are split
 *                            between the rounds, and each side's windows combined
 *   --temporal sqlite        `memory`: the dev server without its SQLite file, to see how much of a figure is
 *                            the persistence's (not what npm start runs; results go to throughput-memory-*.json);
 *                            `full`: the full Temporal server on Postgres (results go to throughput-full-*.json)
 *
 * Writes bench/results/throughput-<Shanghai date>.json and throughput-latest.json. The verdicts are
 * printed; the exit code is 0 whether or not the aims are met (a benchmark reports, it does not gate).
 */
import { randomUUID } from 'node:crypto';
import { Client as PgClient } from 'pg';
import { log } from '../scripts/lib/paths';
import { intArg, machineInfo, parseArgs, ratio, stats, table, type LatencyStats } from './lib/measure';
import {
  runBenchmark,
  startBenchSystem,
  startEmptyWorkflow,
  postgresInfo,
  cpuMeter,
  EMPTY_TASK_QUEUE,
  workerIdle,
  type BenchSystem,
} from './lib/system';
import type { Part } from './lib/cpu';
import { benchTemporalOption } from './lib/temporal-choice';
import { ApiClient } from './lib/http';
import { ListingDriver, actionBodies } from './lib/listing';
import { runForDuration, runOverItems, waitUntil, type LoadResult, type TimedLoadResult } from './lib/load';
import { combinedCpu, combinedLoad, combinedTimedLoad, slice, turnOrder, type MeteredWindow } from './lib/rounds';
import { countWorkflows, intListArg, mib, rejectUnknown, secs, writeResults, watchLoad, loadWarning } from './lib/report';
import { WithStartWorkflowOperation } from '@temporalio/client';
import { EMPTY_WORKFLOW_TYPE, finishSignal, pingUpdate, type EmptyWorkflowInput } from './workflows/definitions';

const SCOPE = 'bench:throughput';
const AIM_START_RATIO = 0.6;
const AIM_ACTION_P99_MS = 100;
const AIM_ACTION_CLIENTS = 16;
const AIM_START_CLIENTS = 32;
/** Issue 23: the worker on Temporal's floor. */
const AIM_START_TO_UWS_RATIO = 0.8;
const AIM_CASE_WORKER_MS = 20;
const AIM_ACTION_WORKER_MS = 5;
const AIM_ACTION_P50_TO_RAW = 2;

const args = parseArgs(process.argv.slice(2));
rejectUnknown(args, ['start-clients', 'seconds', 'warmup-seconds', 'action-clients', 'n', 'warmup', 'temporal', 'rounds']);
const START_CLIENTS = intListArg(args, 'start-clients', [1, 8, 32]);
const SECONDS = intArg(args, 'seconds', 15);
const WARMUP_SECONDS = intArg(args, 'warmup-seconds', 3);
const ACTION_CLIENTS = intListArg(args, 'action-clients', [1, 16]);
const N = intArg(args, 'n', 200);
const WARMUP = intArg(args, 'warmup', 20);
const ROUNDS = Math.max(1, intArg(args, 'rounds', 3));
// As the system starts it: `--temporal`, or BENCH_TEMPORAL (the report named the dev server for a run on the full one).
const TEMPORAL = benchTemporalOption();

interface SideResult {
  ratePerSecond: number;
  completed: number;
  /** Every operation done while the side was metered (its warm-ups and tails too): what its CPU is divided by. */
  operations: number;
  latency: LatencyStats;
  errors: number;
  errorSamples: string[];
  /** Time after the window until the worker had caught up with what this side started. */
  drainMs: number | null;
  /** Cores busy on average per part during warm-up and window. */
  cpu: Record<Part, { cpuSeconds: number; coreShare: number }>;
  /** Another workload (a test run) was seen on the machine during this side. */
  disturbed: boolean;
  /** Worker CPU per operation (warm-up included, and the worker's catch-up after the window), ms. */
  workerMsPerOp: number | null;
}

interface StartLevel {
  clients: number;
  api: SideResult;
  rawStart: SideResult;
  rawUpdateWithStart: SideResult;
  ratioToRawStart: number;
  ratioToRawUpdateWithStart: number;
  /** Each round's rates and ratio, in the order measured. */
  rounds: { api: number; rawUpdateWithStart: number; ratio: number }[];
}

interface ActionLevel {
  clients: number;
  rawUpdate: ReturnType<typeof combinedActionSide>;
  serveNotice: ReturnType<typeof combinedActionSide>;
  submitStatement: ReturnType<typeof combinedActionSide>;
}

/** Worker CPU ms per operation: CPU seconds of the worker process over `ops` operations. */
function msPerOp(workerCpuSeconds: number, ops: number): number | null {
  return ops > 0 ? Math.round(((workerCpuSeconds * 1000) / ops) * 10) / 10 : null;
}

/** A side measured in timed windows, as one (bench/lib/rounds.ts). */
function combinedSide(windows: MeteredWindow<TimedLoadResult>[], drainMs: number | null): SideResult {
  const r = combinedTimedLoad(windows.map((w) => w.run));
  const worker = windows.reduce((sum, w) => sum + w.workerCpuSeconds, 0);
  return {
    workerMsPerOp: msPerOp(worker, r.totalCompleted),
    ratePerSecond: r.ratePerSecond,
    completed: r.completed,
    operations: r.totalCompleted,
    latency: stats(r.latencies),
    errors: r.errors,
    errorSamples: r.errorSamples,
    drainMs,
    cpu: combinedCpu(windows),
    disturbed: windows.some((w) => w.disturbed),
  };
}

/** A kind of action measured in slices, as one. */
function combinedActionSide(windows: MeteredWindow<LoadResult>[]) {
  const r = combinedLoad(windows.map((w) => w.run));
  const worker = windows.reduce((sum, w) => sum + w.workerCpuSeconds, 0);
  return {
    workerMsPerOp: msPerOp(worker, r.latencies.length),
    latency: stats(r.latencies),
    errors: r.errors,
    errorSamples: r.errorSamples,
    wallMs: Math.round(r.wallMs),
    cpu: combinedCpu(windows),
    disturbed: windows.some((w) => w.disturbed),
  };
}

runBenchmark(SCOPE, async (cleanups) => {
  const load = watchLoad();
  const sys: BenchSystem = await startBenchSystem(
    {
      scope: SCOPE,
      name: 'throughput',
      fresh: true,
      emptyWorker: true,
      api: true,
      temporalInMemory: TEMPORAL === 'memory',
    },
    cleanups,
  );
  const api = new ApiClient(sys.apiBase);
  const driver = new ListingDriver(api, sys.token);
  const pg = new PgClient({ connectionString: sys.databaseUrl });
  await pg.connect();
  cleanups.add(() => pg.end());
  const casesInPostgres = async () => Number((await pg.query<{ n: string }>('SELECT count(*) AS n FROM cases')).rows[0]!.n);
  let apiCasesOpened = 0;

  /** Waits until every case opened so far has its first write in Postgres. */
  const projectionCaughtUp = () => waitUntil(async () => (await casesInPostgres()) >= apiCasesOpened, 600_000);
  /** Waits until no empty workflow is running (visibility is updated a moment after the close). */
  const emptiesDone = () =>
    waitUntil(async () => {
      const n = await countWorkflows(sys.client, `WorkflowType="${EMPTY_WORKFLOW_TYPE}" AND ExecutionStatus="Running"`);
      return n === null || n === 0;
    }, 600_000);

  const meter = cpuMeter(sys);
  /**
   * Runs one window of a side with the CPU of every part metered over it, then waits for the worker to be idle again
   * (its catch-up counted with the side).
   */
  const measured = async <R extends LoadResult>(run: () => Promise<R>): Promise<MeteredWindow<R>> => {
    meter.start();
    const from = Date.now();
    const r = await run();
    const to = Date.now();
    const cpu = meter.read();
    const disturbed = load.disturbedBetween(from, to);
    return { run: r, cpu, disturbed, meteredSeconds: (to - from) / 1000, workerCpuSeconds: await workerCpuUntilIdle() };
  };

  /**
   * Waits until the worker has nothing in flight (twice in a row, a poll apart), so that the work an operation
   * leaves behind (its projection, its timers) is counted with it, then reads its CPU since the side's start.
   */
  const workerCpuUntilIdle = async (): Promise<number> => {
    await workerIdle(sys.worker, 600_000);
    return meter.read().worker.cpuSeconds;
  };

  const startEmpty = (input: EmptyWorkflowInput): Promise<string> => startEmptyWorkflow(sys, input);

  /** Starts an empty workflow that stays open with a `ping` Update in the same call, as POST /v1/cases starts a case. */
  const updateWithStartEmpty = async (): Promise<string> => {
    const id = `empty-${randomUUID()}`;
    const input: EmptyWorkflowInput = { stayOpen: true };
    const startWorkflowOperation = new WithStartWorkflowOperation(EMPTY_WORKFLOW_TYPE, {
      taskQueue: EMPTY_TASK_QUEUE,
      workflowId: id,
      args: [input],
      workflowIdConflictPolicy: 'USE_EXISTING',
    });
    await sys.client.workflow.executeUpdateWithStart(pingUpdate, { args: [1], startWorkflowOperation });
    return id;
  };

  // A short run of each path first: bundles loaded, connections open, caches warm.
  log(SCOPE, 'warming up: a few cases and empty workflows');
  for (let i = 0; i < 5; i++) {
    await driver.open();
    apiCasesOpened += 1;
    await startEmpty({ stayOpen: false });
  }
  await projectionCaughtUp();

  // ---- 1. Case start throughput ----
  /** One timed window of a side: warm-up, then the window. */
  const timedWindow = (clients: number, warmupSeconds: number, seconds: number, op: () => Promise<void>) =>
    measured(() => runForDuration(clients, warmupSeconds * 1000, seconds * 1000, op));
  const startLevels: StartLevel[] = [];
  for (const clients of START_CLIENTS) {
    const windowSeconds = SECONDS / ROUNDS;
    log(
      SCOPE,
      `1. start throughput at ${clients} client(s): raw start (${WARMUP_SECONDS} s warm-up + ${SECONDS} s), then raw update-with-start and ` +
        `the API in ${ROUNDS} rounds, taking turns (${windowSeconds.toFixed(1)} s each after a warm-up)`,
    );
    const rawStart = await timedWindow(clients, WARMUP_SECONDS, SECONDS, async () => {
      await startEmpty({ stayOpen: false });
    });
    const rawStartDrain = await emptiesDone();
    const uwsWindows: MeteredWindow<TimedLoadResult>[] = [];
    const apiWindows: MeteredWindow<TimedLoadResult>[] = [];
    let uwsDrain: number | null = 0;
    let apiDrain: number | null = 0;
    const later = (a: number | null, b: number | null) => (a === null || b === null ? null : Math.max(a, b));
    for (let round = 0; round < ROUNDS; round++) {
      // The first two rounds warm each side up in full (each side's first turn, and its first after the other's); later
      // rounds only fill the loop again.
      const warmup = round < 2 ? WARMUP_SECONDS : Math.min(WARMUP_SECONDS, 1);
      for (const turn of turnOrder(round, ['uws', 'api'] as const)) {
        if (turn === 'uws') {
          const openEmpties: string[] = [];
          // The floor: the empty workflow's task answered the Update; finishing it afterwards is not part of a start.
          uwsWindows.push(
            await timedWindow(clients, warmup, windowSeconds, async () => {
              openEmpties.push(await updateWithStartEmpty());
            }),
          );
          // Not timed: the open empty workflows are finished before the next side runs.
          await runOverItems(8, openEmpties, async (id) => sys.client.workflow.getHandle(id).signal(finishSignal));
          uwsDrain = later(uwsDrain, await emptiesDone());
        } else {
          const w = await timedWindow(clients, warmup, windowSeconds, async () => {
            await driver.open();
          });
          apiCasesOpened += w.run.totalCompleted;
          apiWindows.push(w);
          apiDrain = later(apiDrain, await projectionCaughtUp());
        }
      }
    }
    const api = combinedSide(apiWindows, apiDrain);
    const rawUpdateWithStart = combinedSide(uwsWindows, uwsDrain);
    const rawStartSide = combinedSide([rawStart], rawStartDrain);
    const level: StartLevel = {
      clients,
      api,
      rawStart: rawStartSide,
      rawUpdateWithStart,
      ratioToRawStart: ratio(api.ratePerSecond, rawStartSide.ratePerSecond),
      ratioToRawUpdateWithStart: ratio(api.ratePerSecond, rawUpdateWithStart.ratePerSecond),
      rounds: apiWindows.map((w, i) => {
        const uws = uwsWindows[i]!.run.ratePerSecond;
        return { api: w.run.ratePerSecond, rawUpdateWithStart: uws, ratio: ratio(w.run.ratePerSecond, uws) };
      }),
    };
    startLevels.push(level);
    log(
      SCOPE,
      `   API ${level.api.ratePerSecond}/s, raw start ${level.rawStart.ratePerSecond}/s, raw update-with-start ${level.rawUpdateWithStart.ratePerSecond}/s ` +
        `(API/raw update-with-start ${level.ratioToRawUpdateWithStart}; by round ${level.rounds.map((r) => r.ratio).join(', ')}); ` +
        `projection caught up ${secs(apiDrain)} after a window at most`,
    );
  }

  // ---- 2. Action latency ----
  const actionLevels: ActionLevel[] = [];
  for (const clients of ACTION_CLIENTS) {
    const count = N + WARMUP;
    log(SCOPE, `2. action latency at ${clients} client(s): opening ${count} cases and ${count} empty workflows (not timed)`);
    const opened = await driver.openMany(count, 8);
    apiCasesOpened += count;
    const empties: string[] = [];
    await runOverItems(
      8,
      Array.from({ length: count }, (_, i) => i),
      async () => {
        empties.push(await startEmpty({ stayOpen: true }));
      },
    );
    await projectionCaughtUp();
    const warmCases = opened.slice(0, WARMUP);
    const cases = opened.slice(WARMUP);
    const ping = (id: string) => sys.client.workflow.getHandle(id).executeUpdate(pingUpdate, { args: [1] });

    // Warm-up of each kind, then the measured runs back to back.
    await runOverItems(clients, empties.slice(0, WARMUP), async (id) => {
      await ping(id);
    });
    await runOverItems(clients, warmCases, async (c) => {
      await driver.act(c, 'serve_notice', actionBodies.serve_notice());
    });
    await runOverItems(clients, warmCases, async (c) => {
      await driver.act(c, 'submit_statement', actionBodies.submit_statement());
    });
    log(SCOPE, `   measuring ${N} of each in ${ROUNDS} rounds, the raw Updates and the API's actions taking turns`);
    await workerCpuUntilIdle();
    /** One slice of a kind's items, each action once. */
    const overItems = <T>(items: readonly T[], op: (item: T) => Promise<void>) => measured(() => runOverItems(clients, items, op));
    const rawWindows: MeteredWindow<LoadResult>[] = [];
    const serveWindows: MeteredWindow<LoadResult>[] = [];
    const submitWindows: MeteredWindow<LoadResult>[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      for (const turn of turnOrder(round, ['raw', 'api'] as const)) {
        if (turn === 'raw') {
          rawWindows.push(await overItems(slice(empties.slice(WARMUP), round, ROUNDS), (id) => ping(id).then(() => undefined)));
        } else {
          const mine = slice(cases, round, ROUNDS);
          serveWindows.push(await overItems(mine, (c) => driver.act(c, 'serve_notice', actionBodies.serve_notice()).then(() => undefined)));
          submitWindows.push(
            await overItems(mine, (c) => driver.act(c, 'submit_statement', actionBodies.submit_statement()).then(() => undefined)),
          );
        }
      }
    }
    const level: ActionLevel = {
      clients,
      rawUpdate: combinedActionSide(rawWindows),
      serveNotice: combinedActionSide(serveWindows),
      submitStatement: combinedActionSide(submitWindows),
    };
    actionLevels.push(level);
    log(
      SCOPE,
      `   p99: raw ${level.rawUpdate.latency.p99} ms, serve_notice ${level.serveNotice.latency.p99} ms, submit_statement ${level.submitStatement.latency.p99} ms`,
    );
    await projectionCaughtUp();
  }

  // ---- Report ----
  const ws = await sys.worker.status();
  const pgInfo = await postgresInfo(sys.databaseUrl);
  const machine = { ...machineInfo(), postgres: pgInfo.version, postgresSettings: pgInfo, load: load.summary() };
  const out: string[] = [];
  out.push('');
  out.push(`listing throughput benchmark — ${new Date().toISOString()}`);
  out.push(loadWarning(machine.load));
  out.push(
    `machine: ${machine.cpuCount} × ${machine.cpuModel}, ${machine.totalMemoryGiB} GiB, ${machine.os}, node ${machine.node}, Postgres ${pgInfo.version} (shared_buffers ${pgInfo.shared_buffers}, synchronous_commit ${pgInfo.synchronous_commit}), ${TEMPORAL === 'full' ? 'the full Temporal server on Postgres' : `Temporal dev server (${TEMPORAL === 'memory' ? 'IN MEMORY, not as npm start runs it' : 'SQLite file, as npm start runs it'})`}`,
  );
  out.push(
    `client, API (in the client's process: "bench"), worker (own process), Temporal server and Postgres share the same ${machine.cpuCount} cores; "cores" = CPU seconds / wall seconds of each part during the side`,
  );
  out.push('');
  out.push(
    `1. Case start throughput — closed loop, ${SECONDS} s measured per side after a warm-up (the raw update-with-start and the API in ${ROUNDS} rounds, taking turns); rates per second, latencies ms`,
  );
  const cores = (c: SideResult['cpu']) =>
    (['bench', 'worker', 'temporal', 'postgres'] as Part[]).map((p) => c[p].coreShare.toFixed(2)).join(' / ');
  const mark = (s: { disturbed: boolean }) => (s.disturbed ? '!' : '');
  const t1: (string | number)[][] = [
    [
      'clients',
      'side',
      'rate/s',
      'p50',
      'p99',
      'errors',
      'caught up after',
      'API/side',
      'worker CPU ms/op',
      'cores: bench / worker / temporal / postgres',
      '',
    ],
  ];
  for (const l of startLevels) {
    const row = (clients: number | '', name: string, s: SideResult, toSide: number | '') => [
      clients,
      name,
      s.ratePerSecond,
      s.latency.p50,
      s.latency.p99,
      s.errors,
      secs(s.drainMs),
      toSide,
      s.workerMsPerOp ?? '',
      cores(s.cpu),
      mark(s),
    ];
    t1.push(row(l.clients, 'API POST /v1/cases', l.api, ''));
    t1.push(row('', 'raw start (SDK)', l.rawStart, l.ratioToRawStart));
    t1.push(row('', 'raw update-with-start', l.rawUpdateWithStart, l.ratioToRawUpdateWithStart));
  }
  out.push(table(t1));
  const at32 = startLevels.find((l) => l.clients === AIM_START_CLIENTS);
  const startMet = at32 ? at32.ratioToRawStart >= AIM_START_RATIO : null;
  out.push(
    at32
      ? `aim: API ≥ ${AIM_START_RATIO * 100} % of the raw start rate at ${AIM_START_CLIENTS} clients — ${Math.round(at32.ratioToRawStart * 100)} %: ${startMet ? 'met' : 'MISSED'}`
      : `aim: not measured (no level of ${AIM_START_CLIENTS} clients)`,
  );
  out.push('');
  out.push(
    `2. Action latency — ${N} actions per kind and level after ${WARMUP} warm-up, each on a case (or empty workflow) of its own; ms`,
  );
  const t2: (string | number)[][] = [
    [
      'clients',
      'action',
      'n',
      'p50',
      'p90',
      'p99',
      'mean',
      'max',
      'errors',
      'p99/raw p99',
      'p50/raw p50',
      `p99<${AIM_ACTION_P99_MS}`,
      'worker CPU ms/op',
      'cores: bench / worker / temporal / postgres',
      '',
    ],
  ];
  for (const l of actionLevels) {
    const row = (name: string, s: ActionLevel['rawUpdate'], { isRaw }: { isRaw: boolean }) => [
      isRaw ? l.clients : '',
      name,
      s.latency.n,
      s.latency.p50,
      s.latency.p90,
      s.latency.p99,
      s.latency.mean,
      s.latency.max,
      s.errors,
      isRaw ? '' : ratio(s.latency.p99, l.rawUpdate.latency.p99),
      isRaw ? '' : ratio(s.latency.p50, l.rawUpdate.latency.p50),
      isRaw ? '' : s.latency.p99 < AIM_ACTION_P99_MS ? 'yes' : 'NO',
      s.workerMsPerOp ?? '',
      cores(s.cpu),
      mark(s),
    ];
    t2.push(row('raw Update (ping, SDK)', l.rawUpdate, { isRaw: true }));
    t2.push(row('serve_notice (API)', l.serveNotice, { isRaw: false }));
    t2.push(row('submit_statement (API)', l.submitStatement, { isRaw: false }));
  }
  out.push(table(t2));
  const at16 = actionLevels.find((l) => l.clients === AIM_ACTION_CLIENTS);
  const actionMet = at16 ? at16.serveNotice.latency.p99 < AIM_ACTION_P99_MS && at16.submitStatement.latency.p99 < AIM_ACTION_P99_MS : null;
  out.push(
    at16
      ? `aim: p99 < ${AIM_ACTION_P99_MS} ms at ${AIM_ACTION_CLIENTS} clients — serve_notice ${at16.serveNotice.latency.p99} ms, submit_statement ${at16.submitStatement.latency.p99} ms: ${actionMet ? 'met' : 'MISSED'}`
      : `aim: not measured (no level of ${AIM_ACTION_CLIENTS} clients)`,
  );
  const workerAims = workerCpuAims(startLevels, actionLevels);
  out.push('');
  out.push('Worker CPU (issue 23): ms of the worker process per operation, warm-up and catch-up included');
  for (const line of workerAims.lines) out.push(`  ${line}`);
  out.push('');
  out.push(
    `worker at the end: RSS ${mib(ws.rss)} MiB; ${ws.workers.map((w) => `${w.taskQueue}: ${w.numCachedWorkflows} cached`).join(', ')}`,
  );
  const errs = [
    ...startLevels.flatMap((l) => [l.api, l.rawStart, l.rawUpdateWithStart]),
    ...actionLevels.flatMap((l) => [l.rawUpdate, l.serveNotice, l.submitStatement]),
  ].flatMap((s) => s.errorSamples);
  if (errs.length) out.push(`errors (first few): ${[...new Set(errs)].slice(0, 5).join(' | ')}`);
  process.stdout.write(out.join('\n') + '\n');

  writeResults(SCOPE, TEMPORAL === 'memory' ? 'throughput-memory' : 'throughput', {
    benchmark: 'throughput',
    at: new Date().toISOString(),
    options: {
      startClients: START_CLIENTS,
      seconds: SECONDS,
      warmupSeconds: WARMUP_SECONDS,
      actionClients: ACTION_CLIENTS,
      n: N,
      warmup: WARMUP,
      rounds: ROUNDS,
      temporal: TEMPORAL,
    },
    aims: {
      startRatioAt32: { aim: AIM_START_RATIO, measured: at32?.ratioToRawStart ?? null, met: startMet },
      workerCpu: workerAims.figures,
      actionP99MsAt16: {
        aim: AIM_ACTION_P99_MS,
        serveNotice: at16?.serveNotice.latency.p99 ?? null,
        submitStatement: at16?.submitStatement.latency.p99 ?? null,
        met: actionMet,
      },
    },
    machine,
    servers: {
      temporal: sys.temporal.description,
      postgres: `local cluster, database ${sys.database}, fresh`,
    },
    worker: { settings: sys.worker.settings, startup: sys.worker.phases, end: ws },
    method:
      'Closed-loop clients in the benchmark process; the API is built in the same process with buildApp and called over HTTP/1.1 keep-alive (the Node http client of bench/lib/http.ts); ' +
      'the worker (project worker + baseline worker) runs in a child process; raw baselines use the SDK client on the same Temporal server. ' +
      'Throughput: completions within the windows / their length. Between sides the benchmark waits until the worker has caught up. ' +
      `The raw update-with-start and the API's starts, and the raw Updates and the API's actions, take turns in ${ROUNDS} rounds (the order swapped each round) and each side's windows are combined.`,
    startThroughput: startLevels,
    actionLatency: actionLevels,
    casesOpened: apiCasesOpened,
  });
});

/** The issue-23 aims on worker CPU and latency, from the largest levels measured (32 start clients, 16 action clients). */
function workerCpuAims(startLevels: StartLevel[], actionLevels: ActionLevel[]) {
  const s = startLevels.find((l) => l.clients === AIM_START_CLIENTS) ?? startLevels.at(-1);
  const a = actionLevels.find((l) => l.clients === AIM_ACTION_CLIENTS) ?? actionLevels.at(-1);
  const verdict = (ok: boolean | null) => (ok === null ? 'not measured' : ok ? 'met' : 'MISSED');
  const startMs = s?.api.workerMsPerOp ?? null;
  const serveMs = a?.serveNotice.workerMsPerOp ?? null;
  const submitMs = a?.submitStatement.workerMsPerOp ?? null;
  const caseMs = startMs !== null && serveMs !== null ? Math.round((startMs + serveMs) * 10) / 10 : null;
  const p50 = (x: ActionLevel['serveNotice'] | undefined) => (a && x ? ratio(x.latency.p50, a.rawUpdate.latency.p50) : null);
  const figures = {
    startClients: s?.clients ?? null,
    actionClients: a?.clients ?? null,
    caseStartMs: startMs,
    rawUpdateWithStartMs: s?.rawUpdateWithStart.workerMsPerOp ?? null,
    serveNoticeMs: serveMs,
    submitStatementMs: submitMs,
    rawUpdateMs: a?.rawUpdate.workerMsPerOp ?? null,
    startPlusServeMs: caseMs,
    serveNoticeP50ToRaw: p50(a?.serveNotice),
    submitStatementP50ToRaw: p50(a?.submitStatement),
    apiToRawUpdateWithStart: s?.ratioToRawUpdateWithStart ?? null,
  };
  const lines = [
    `case start ${figures.caseStartMs ?? '-'} ms (raw update-with-start ${figures.rawUpdateWithStartMs ?? '-'} ms) at ${figures.startClients ?? '-'} clients; ` +
      `serve_notice ${serveMs ?? '-'} ms, submit_statement ${submitMs ?? '-'} ms (raw Update ${figures.rawUpdateMs ?? '-'} ms) at ${figures.actionClients ?? '-'} clients`,
    `aim: start + served notice ≤ ${AIM_CASE_WORKER_MS} ms — ${caseMs ?? '-'} ms: ${verdict(caseMs === null ? null : caseMs <= AIM_CASE_WORKER_MS)}`,
    `aim: serve_notice and submit_statement each ≤ ${AIM_ACTION_WORKER_MS} ms — ${serveMs ?? '-'} / ${submitMs ?? '-'} ms: ${verdict(
      serveMs === null || submitMs === null ? null : serveMs <= AIM_ACTION_WORKER_MS && submitMs <= AIM_ACTION_WORKER_MS,
    )}`,
    `aim: their p50 within ${AIM_ACTION_P50_TO_RAW}× a raw Update's — ${figures.serveNoticeP50ToRaw ?? '-'}× / ${figures.submitStatementP50ToRaw ?? '-'}×: ${verdict(
      figures.serveNoticeP50ToRaw === null || figures.submitStatementP50ToRaw === null
        ? null
        : figures.serveNoticeP50ToRaw <= AIM_ACTION_P50_TO_RAW && figures.submitStatementP50ToRaw <= AIM_ACTION_P50_TO_RAW,
    )}`,
    `aim: API starts ≥ ${AIM_START_TO_UWS_RATIO} of raw update-with-start at ${AIM_START_CLIENTS} clients — ${figures.apiToRawUpdateWithStart ?? '-'}: ${verdict(
      s?.clients === AIM_START_CLIENTS ? s.ratioToRawUpdateWithStart >= AIM_START_TO_UWS_RATIO : null,
    )}`,
  ];
  return { figures, lines };
}
