/**
 * How soon a worker serves after it starts, and how long a case waits when its worker dies (`npm run bench:worker-start`),
 * figures of issue 23 ("worker start to first poll, and the time an Update on a dead worker's case waits").
 *
 * Brings up the servers `npm start` runs (bench/lib/system.ts: database credit_bench_worker_start and a Temporal dev server
 * with its own SQLite file, both emptied first), the worker in a process of its own and the API in-process. Then, for
 * --rounds rounds:
 *   1. opens --cases cases through the API (each now cached on the worker, its next task on that worker's sticky queue)
 *      and serves the notice on one of them on the live worker (the baseline);
 *   2. kills the worker with SIGKILL (a crash, an OOM kill) and starts another, timing its start-up phases from spawn
 *      (process, modules loaded, connected, workflow bundle ready, worker created, polling);
 *   3. as soon as it polls, serves the notice on every other case at once and times each answer: the wait beyond the
 *      baseline is the sticky queue's schedule-to-start timeout (worker.ts, STICKY_QUEUE_TIMEOUT) plus the replay.
 *
 * The workflow bundle is the worker's own choice (the pre-built one of `npm run build:workflows` while it matches the
 * sources); the bench builds it first if it does not, so the figures are those of a deployment that built at install.
 *
 * Options: --rounds 3, --cases 6. Writes bench/results/worker-start-<Shanghai date>.json and worker-start-latest.json.
 */
import { log } from '../scripts/lib/paths';
import { workflowBundle } from '../scripts/build-workflows';
import { intArg, machineInfo, parseArgs, stats, table } from './lib/measure';
import { runBenchmark, startBenchSystem } from './lib/system';
import { ApiClient } from './lib/http';
import { ListingDriver, actionBodies } from './lib/listing';
import { loadWarning, rejectUnknown, watchLoad, writeResults } from './lib/report';
import type { CaseView } from '../workflows/common/case-types';

const SCOPE = 'bench:worker-start';
const AIM_FIRST_POLL_MS = 2_000;

const args = parseArgs(process.argv.slice(2));
rejectUnknown(args, ['rounds', 'cases']);
const ROUNDS = intArg(args, 'rounds', 3);
const CASES = Math.max(2, intArg(args, 'cases', 6));

interface Round {
  /** Start-up phases of the replacement worker, ms after its spawn. */
  phases: Record<string, number>;
  /** serve_notice on a live worker's cached case, ms. */
  liveMs: number;
  /** serve_notice on each case the dead worker had cached, sent when the new worker polls, ms. */
  afterCrashMs: number[];
}

runBenchmark(SCOPE, async (cleanups) => {
  const load = watchLoad();
  const bundle = await workflowBundle({
    onRebuild: (why) => {
      log(SCOPE, `building the workflow bundle first (${why})`);
    },
  });
  log(SCOPE, `workflow bundle: ${bundle.how}, ${(bundle.bytes / 1024).toFixed(0)} KiB`);
  const sys = await startBenchSystem({ scope: SCOPE, name: 'worker-start', fresh: true, emptyWorker: false, api: true }, cleanups);
  const driver = new ListingDriver(new ApiClient(sys.apiBase), sys.token);
  const firstStart = { ...sys.worker.phases };
  const settings = sys.worker.settings;

  const rounds: Round[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    log(SCOPE, `round ${r + 1}/${ROUNDS}: opening ${CASES} cases on worker ${sys.worker.pid}`);
    const cases: CaseView[] = [];
    for (let i = 0; i < CASES; i++) cases.push((await driver.open()).view);
    const [live, ...orphaned] = cases as [CaseView, ...CaseView[]];
    const liveMs = (await driver.act(live, 'serve_notice', actionBodies.serve_notice())).ms;
    await sys.worker.kill();
    const w = await sys.restartWorker();
    const afterCrashMs = await Promise.all(
      orphaned.map(async (c) => (await driver.act(c, 'serve_notice', actionBodies.serve_notice())).ms),
    );
    rounds.push({ phases: { ...w.phases }, liveMs, afterCrashMs });
    log(
      SCOPE,
      `   polling ${w.phases.running ?? '-'} ms after spawn; serve_notice live ${Math.round(liveMs)} ms, after the crash p50 ${stats(afterCrashMs).p50} ms`,
    );
  }

  const polls = rounds.map((r) => r.phases.running ?? NaN);
  const waits = rounds.flatMap((r) => r.afterCrashMs);
  const lives = rounds.map((r) => r.liveMs);
  const phaseNames = Object.keys(rounds[0]?.phases ?? firstStart);
  const machine = { ...machineInfo(), load: load.summary() };
  const out: string[] = [''];
  out.push(`worker start and crash benchmark — ${new Date().toISOString()}`);
  out.push(loadWarning(machine.load));
  out.push(
    `workflow bundle ${bundle.how} (${(bundle.bytes / 1024).toFixed(0)} KiB); sticky queue schedule-to-start timeout ${settings[0]?.stickyQueueScheduleToStartTimeoutMs ?? '-'} ms`,
  );
  out.push('');
  out.push('Start-up phases of each replacement worker, ms after its spawn (the first start as the bench launched it)');
  const t: (string | number)[][] = [['start', ...phaseNames]];
  t.push(['first', ...phaseNames.map((p) => firstStart[p] ?? '')]);
  rounds.forEach((r, i) => t.push([`after crash ${i + 1}`, ...phaseNames.map((p) => r.phases[p] ?? '')]));
  out.push(table(t));
  const pollStats = stats(polls);
  out.push(
    `aim: a worker polls within ${AIM_FIRST_POLL_MS} ms of its start — worst ${pollStats.max} ms: ${pollStats.max <= AIM_FIRST_POLL_MS ? 'met' : 'MISSED'}`,
  );
  out.push('');
  const waitStats = stats(waits);
  const liveStats = stats(lives);
  out.push(
    `serve_notice (API) on a case the dead worker had cached, sent as the new worker polls: n ${waitStats.n}, p50 ${waitStats.p50} ms, max ${waitStats.max} ms; on a live worker's case: p50 ${liveStats.p50} ms`,
  );
  process.stdout.write(out.join('\n') + '\n');

  writeResults(SCOPE, 'worker-start', {
    benchmark: 'worker-start',
    at: new Date().toISOString(),
    options: { rounds: ROUNDS, cases: CASES },
    machine,
    bundle: { how: bundle.how, bytes: bundle.bytes, files: bundle.files },
    settings,
    firstStart,
    rounds,
    aims: { firstPollMs: { aim: AIM_FIRST_POLL_MS, worst: pollStats.max, met: pollStats.max <= AIM_FIRST_POLL_MS } },
    summary: { firstPollMs: pollStats, updateAfterCrashMs: waitStats, updateOnLiveWorkerMs: liveStats },
  });
});
