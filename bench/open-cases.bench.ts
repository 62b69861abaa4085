/**
 * Open listing cases at scale (`npm run bench:open-cases`), figure 4 of issue 7: many cases left open
 * with their timers; the worker's resident memory and its sticky-cache settings, the size of the
 * servers' databases, and the time a restarted worker takes to pick up work.
 *
 * Brings up the servers `npm start` runs (bench/lib/system.ts: database credit_bench_open_cases and
 * .data/bench-temporal-open-cases.sqlite, both KEPT across runs, since the fill is the slow part) and the
 * worker in a process of its own, so its memory is the worker's alone. Then:
 *
 *   1. Fill: tops the open listing cases up to --open-cases, starting each through the SDK client
 *      directly (the API's share is measured by bench:throughput) with the input the API would build and
 *      the Update-with-Start the API sends,
 *      and serving its pre-listing notice (the `act` Update, as POST …/actions/serve_notice sends it),
 *      which opens the statement window: a legal clock with its workflow timer, days away. --concurrency
 *      at a time, for at most --fill-minutes per run; what is not reached is left for the next run (the
 *      count actually open is what the table reports, with the fill rate to extrapolate from).
 *   2. At rest, once the worker has written every change to Postgres: the worker's RSS (and its peak
 *      during the fill), its cached workflows against the cache settings Worker.create compiled
 *      (maxCachedWorkflows, sticky queue schedule-to-start timeout, …), the Temporal server's SQLite
 *      file (+ WAL) and the Postgres database with its largest tables.
 *   3. Restart: SIGKILL the worker (a crash), at once send work that needs a worker — a new case
 *      (update-with-start, as POST /v1/cases), an Update (submit_statement) on a case the dead worker had just
 *      handled (so its next task is bound to the dead worker's sticky queue), and one on the oldest open
 *      case (long evicted) — and start a new worker process as npm start would (bundling the workflows).
 *      Reports when the new worker was ready and when each piece of work was answered, from its spawn.
 *
 * Baselines: the fill rate of the same server for a plain start of the same workflow is bench:throughput's
 * raw start; the restarted worker's ready time is the floor of every probe; RSS is read next to the
 * freshly restarted worker's (empty cache).
 *
 * Options:
 *   --open-cases 100000    open listing cases wanted (the fill tops up to this; runs accumulate)
 *   --fill-minutes 30      longest fill per run
 *   --concurrency 12       cases being filled at a time (12 filled 12.3/s here where 32 filled 10.3/s: past
 *                          what the two cores serve, more at a time only adds contention)
 *   --without-timers       open cases only (no notice served, no timer): a faster fill, for a quick look
 *   --refill               empty the database and the Temporal state first
 *
 * Writes bench/results/open-cases-<Shanghai date>.json and open-cases-latest.json; exit code 0.
 */
import { Client as PgClient } from 'pg';
import { log } from '../scripts/lib/paths';
import { intArg, machineInfo, nowMs, parseArgs, table } from './lib/measure';
import { runBenchmark, startBenchSystem, postgresInfo, sqliteSize, cpuMeter, LISTING_TASK_QUEUE } from './lib/system';
import { SdkListing, actionBodies } from './lib/listing';
import { countWorkflows, flagArg, fmtBytes, mib, rejectUnknown, secs, writeResults, watchLoad, loadWarning } from './lib/report';

const SCOPE = 'bench:open-cases';
const args = parseArgs(process.argv.slice(2));
rejectUnknown(args, ['open-cases', 'fill-minutes', 'concurrency', 'without-timers', 'refill']);
const TARGET = intArg(args, 'open-cases', 100_000);
const FILL_MINUTES = intArg(args, 'fill-minutes', 30);
const CONCURRENCY = intArg(args, 'concurrency', 12);
const WITH_TIMERS = !flagArg(args, 'without-timers');
const REFILL = flagArg(args, 'refill');

const OPEN_QUERY = `WorkflowType="listingWorkflow" AND ExecutionStatus="Running"`;

interface Probe {
  name: string;
  caseId: string;
  /** From the new worker's spawn to the answer, ms (negative never: work was sent before the spawn). */
  answeredAfterSpawnMs: number | null;
  answeredAfterReadyMs: number | null;
  error?: string;
}

runBenchmark(SCOPE, async (cleanups) => {
  const load = watchLoad();
  const sys = await startBenchSystem({ scope: SCOPE, name: 'open-cases', fresh: REFILL, emptyWorker: false, api: false }, cleanups);
  const sdk = new SdkListing(sys.client, sys.db, LISTING_TASK_QUEUE);
  const pg = new PgClient({ connectionString: sys.superuserUrl });
  await pg.connect();
  cleanups.add(() => pg.end());
  const expectedVersion = WITH_TIMERS ? 2 : 1;
  const settled = async (): Promise<number> =>
    Number(
      (
        await pg.query<{ n: string }>(`SELECT count(*) AS n FROM cases WHERE procedure = 'listing' AND NOT closed AND version >= $1`, [
          expectedVersion,
        ])
      ).rows[0]!.n,
    );

  // 1. Fill.
  const openBefore = (await countWorkflows(sys.client, OPEN_QUERY)) ?? (await settled());
  // Cases an interrupted earlier run opened but never served a notice on are open without being "settled":
  // the wait below counts from what was settled, not from what is open.
  const settledBefore = await settled();
  const need = Math.max(0, TARGET - openBefore);
  log(
    SCOPE,
    `${openBefore} listing cases open already; filling ${need} more ${WITH_TIMERS ? '(start + serve_notice: a statement-window timer each)' : '(start only)'}, ${CONCURRENCY} at a time, for at most ${FILL_MINUTES} min`,
  );
  const recent: { id: string; subjectId: string }[] = [];
  const samples: { atS: number; filled: number; rssMiB: number; cached: number | null }[] = [];
  let filled = 0;
  let errors = 0;
  const errorSamples: string[] = [];
  let peakRss = 0;
  const fillT0 = nowMs();
  const until = Date.now() + FILL_MINUTES * 60_000;
  let lastLog = { t: fillT0, filled: 0 };
  const meter = cpuMeter(sys);
  meter.start();
  const sampler = setInterval(() => {
    void (async () => {
      const mem = sys.worker.procMemory();
      const st = await sys.worker.status().catch(() => null);
      const rss = st?.rss ?? mem?.rss ?? 0;
      peakRss = Math.max(peakRss, mem?.peakRss ?? 0, rss);
      samples.push({
        atS: Math.round((nowMs() - fillT0) / 1000),
        filled,
        rssMiB: mib(rss),
        cached: st?.workers[0]?.numCachedWorkflows ?? null,
      });
      const now = nowMs();
      if (now - lastLog.t >= 30_000) {
        const rate = ((filled - lastLog.filled) / ((now - lastLog.t) / 1000)).toFixed(1);
        log(
          SCOPE,
          `  ${filled}/${need} filled (${rate}/s over the last 30 s); worker RSS ${mib(rss)} MiB, ${st?.workers[0]?.numCachedWorkflows ?? '?'} cached; SQLite ${fmtBytes(sqliteSize(sys.temporal.dbFile).total)}${errors ? `; ${errors} errors` : ''}`,
        );
        lastLog = { t: now, filled };
      }
    })();
  }, 5_000);
  let started = 0;
  await Promise.all(
    Array.from({ length: Math.min(CONCURRENCY, need) }, async () => {
      while (started < need && Date.now() < until) {
        started += 1;
        try {
          const input = await sdk.input();
          await sdk.open(input);
          if (WITH_TIMERS) await sdk.act(input.caseId, 'serve_notice', actionBodies.serve_notice());
          filled += 1;
          recent.push({ id: input.caseId, subjectId: input.subject.id });
          if (recent.length > 200) recent.shift();
        } catch (err) {
          errors += 1;
          if (errorSamples.length < 5) errorSamples.push((err as Error).message);
          if (errors > 100 && errors > filled) throw new Error(`the fill fails: ${errorSamples.join(' | ')}`);
        }
      }
    }),
  );
  clearInterval(sampler);
  const fillMs = nowMs() - fillT0;
  const fillDisturbed = load.disturbedBetween(Date.now() - fillMs, Date.now());
  const fillCpu = meter.read();
  const fillRate = Math.round((filled / (fillMs / 1000)) * 10) / 10;
  log(
    SCOPE,
    `fill: ${filled} cases in ${secs(fillMs)} (${fillRate}/s)${filled < need ? `; stopped at the ${FILL_MINUTES}-minute limit, ${need - filled} short` : ''}`,
  );

  // 2. At rest: the worker has written every change.
  const totalWanted = settledBefore + filled;
  log(SCOPE, 'waiting until every change is in Postgres…');
  const drainT0 = nowMs();
  for (;;) {
    if ((await settled()) >= totalWanted) break;
    if (nowMs() - drainT0 > 30 * 60_000) {
      log(SCOPE, '  not settled after 30 min; measuring anyway');
      break;
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
  const drainMs = nowMs() - drainT0;
  await new Promise((r) => setTimeout(r, 5000));
  const open = (await countWorkflows(sys.client, OPEN_QUERY)) ?? (await settled());
  const settledCount = await settled();
  const atRest = await sys.worker.status();
  const atRestProc = sys.worker.procMemory();
  const settings = sys.worker.settings.find((s) => s.taskQueue === LISTING_TASK_QUEUE)!;
  const sqlite = sqliteSize(sys.temporal.dbFile);
  const dbSize = Number((await pg.query<{ s: string }>('SELECT pg_database_size(current_database()) AS s')).rows[0]!.s);
  const tables = (
    await pg.query<{ name: string; bytes: string }>(
      `SELECT c.relname AS name, pg_total_relation_size(c.oid) AS bytes FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = 'public' AND c.relkind = 'r' ORDER BY pg_total_relation_size(c.oid) DESC LIMIT 6`,
    )
  ).rows.map((r) => ({ name: r.name, bytes: Number(r.bytes) }));
  const timers = Number(
    (await pg.query<{ n: string }>(`SELECT count(*) AS n FROM deadlines WHERE status = 'open' AND procedure = 'listing'`)).rows[0]!.n,
  );

  // 3. Restart.
  const oldest = (
    await pg.query<{ id: string; subject_id: string }>(
      `SELECT id, subject_id FROM cases WHERE procedure = 'listing' AND NOT closed AND state = $1 ORDER BY created_at, id LIMIT 1`,
      [WITH_TIMERS ? 'notice_served' : 'opened'],
    )
  ).rows[0];
  const newest =
    recent.at(-1) ??
    ((
      await pg.query<{ id: string; subject_id: string }>(
        `SELECT id, subject_id AS "subjectId" FROM cases WHERE procedure = 'listing' AND NOT closed AND state = $1 ORDER BY created_at DESC, id DESC LIMIT 1`,
        [WITH_TIMERS ? 'notice_served' : 'opened'],
      )
    ).rows[0] as unknown as { id: string; subjectId: string } | undefined);
  log(SCOPE, `restart: killing worker ${sys.worker.pid} (SIGKILL), sending work, starting a new worker`);
  await sys.worker.kill();
  const action = WITH_TIMERS ? 'submit_statement' : 'serve_notice';
  const body = WITH_TIMERS ? actionBodies.submit_statement() : actionBodies.serve_notice();
  let spawnAt = 0;
  let readyAt = 0;
  const probe = async (name: string, caseId: string, run: () => Promise<unknown>): Promise<Probe> => {
    try {
      await run();
      const t = nowMs();
      return {
        name,
        caseId,
        answeredAfterSpawnMs: Math.round(t - spawnAt),
        answeredAfterReadyMs: readyAt ? Math.round(t - readyAt) : null,
      };
    } catch (err) {
      return { name, caseId, answeredAfterSpawnMs: null, answeredAfterReadyMs: null, error: (err as Error).message };
    }
  };
  const newInput = await sdk.input();
  spawnAt = nowMs();
  const probes = Promise.all([
    probe('new case: update-with-start, as POST /v1/cases', newInput.caseId, () => sdk.open(newInput)),
    ...(newest
      ? [
          probe(`${action} on the case the dead worker handled last (sticky)`, newest.id, () =>
            sdk.act(newest.id, action, body, newest.subjectId),
          ),
        ]
      : []),
    ...(oldest && oldest.id !== newest?.id
      ? [probe(`${action} on the oldest open case (not cached)`, oldest.id, () => sdk.act(oldest.id, action, body, oldest.subject_id))]
      : []),
  ]);
  const restartFrom = Date.now();
  const fresh = await sys.restartWorker();
  readyAt = nowMs();
  const readyMs = Math.round(readyAt - spawnAt);
  const probeResults = await probes;
  await new Promise((r) => setTimeout(r, 2000));
  const afterRestart = await fresh.status();
  const restartDisturbed = load.disturbedBetween(restartFrom, Date.now());

  // 4. Report.
  const pgInfo = await postgresInfo(sys.databaseUrl);
  const machine = { ...machineInfo(), postgres: pgInfo.version, postgresSettings: pgInfo, load: load.summary() };
  const hoursPer100k = fillRate > 0 ? Math.round((100_000 / fillRate / 3600) * 10) / 10 : null;
  const hoursToTarget = fillRate > 0 ? Math.round((Math.max(0, TARGET - open) / fillRate / 3600) * 10) / 10 : null;
  const out: string[] = [];
  out.push('');
  out.push(`open cases benchmark — ${new Date().toISOString()}`);
  out.push(loadWarning(machine.load));
  out.push(
    `machine: ${machine.cpuCount} × ${machine.cpuModel}, ${machine.totalMemoryGiB} GiB, ${machine.os}, node ${machine.node}, Postgres ${pgInfo.version}; Temporal dev server with SQLite file`,
  );
  out.push('');
  const rows: (string | number)[][] = [['figure', 'value', 'note']];
  rows.push([
    'open listing cases',
    open,
    `wanted ${TARGET}; ${openBefore} before this run${open < TARGET ? ' — NOT REACHED, see fill rate' : ''}`,
  ]);
  rows.push([
    '  with an open timer (statement window)',
    timers,
    WITH_TIMERS ? 'open deadlines in Postgres = workflow timers pending' : '--without-timers',
  ]);
  rows.push([
    `fill this run${fillDisturbed ? ' !' : ''}`,
    `${filled} in ${secs(fillMs)}`,
    `${fillRate} cases/s at ${CONCURRENCY} concurrent (${WITH_TIMERS ? 'start + serve_notice' : 'start only'}, SDK client)${errors ? `; ${errors} errors` : ''}`,
  ]);
  rows.push([
    '  cores during fill',
    `${fillCpu.worker.coreShare} / ${fillCpu.temporal.coreShare} / ${fillCpu.postgres.coreShare} / ${fillCpu.bench.coreShare}`,
    'worker / temporal / postgres / bench client',
  ]);
  rows.push([
    '  time for 100,000 at this rate',
    hoursPer100k === null ? '' : `${hoursPer100k} h`,
    open < TARGET && hoursToTarget !== null ? `${hoursToTarget} h more to reach ${TARGET} (runs accumulate)` : '',
  ]);
  rows.push(['  projection caught up after the fill', secs(drainMs), `${settledCount} cases recorded at rest`]);
  rows.push([
    'worker RSS at rest',
    `${mib(atRestProc?.rss ?? atRest.rss)} MiB`,
    `heap used ${mib(atRest.heapUsed)} MiB; ${atRest.workers[0]?.numCachedWorkflows ?? '?'} workflows cached`,
  ]);
  rows.push(['worker peak RSS during fill', `${mib(Math.max(peakRss, atRestProc?.peakRss ?? 0))} MiB`, 'VmHWM of the worker process']);
  rows.push([
    'restarted worker RSS',
    `${mib(afterRestart.rss)} MiB`,
    `baseline: empty cache but ${afterRestart.workers[0]?.numCachedWorkflows ?? '?'} cached after the probes`,
  ]);
  rows.push([
    'maxCachedWorkflows',
    settings.maxCachedWorkflows,
    `Worker.create's default for a V8 heap limit of ${settings.maxHeapMemoryMiB} MiB (reuseV8Context ${settings.reuseV8Context})`,
  ]);
  rows.push([
    'stickyQueueScheduleToStartTimeout',
    `${settings.stickyQueueScheduleToStartTimeoutMs} ms`,
    `workflow task polls ${settings.maxConcurrentWorkflowTaskPolls ?? '?'} at nonStickyToStickyPollRatio ${settings.nonStickyToStickyPollRatio}; max concurrent workflow tasks ${settings.maxConcurrentWorkflowTaskExecutions ?? '?'}, activities ${settings.maxConcurrentActivityTaskExecutions ?? '?'}`,
  ]);
  rows.push([
    'Temporal SQLite',
    fmtBytes(sqlite.total),
    `file ${fmtBytes(sqlite.main)} + WAL ${fmtBytes(sqlite.wal)} + shm ${fmtBytes(sqlite.shm)}; ${open > 0 ? `${fmtBytes(Math.round(sqlite.total / open))} per open case` : ''}`,
  ]);
  rows.push(['Postgres database', fmtBytes(dbSize), tables.map((t) => `${t.name} ${fmtBytes(t.bytes)}`).join(', ')]);
  rows.push([
    `restarted worker ready${restartDisturbed ? ' !' : ''}`,
    secs(readyMs),
    `from spawn: process ${fresh.phases.modules ?? '?'} ms (modules loaded), bundled and created ${fresh.phases['listing worker created'] ?? '?'} ms, polling ${fresh.phases.running ?? '?'} ms`,
  ]);
  for (const p of probeResults) {
    rows.push([
      `  ${p.name}`,
      p.error ? 'FAILED' : secs(p.answeredAfterSpawnMs),
      p.error ? p.error.slice(0, 120) : `${secs(p.answeredAfterReadyMs)} after the worker was ready`,
    ]);
  }
  out.push(table(rows, { noteLast: true }));
  process.stdout.write(out.join('\n') + '\n');

  writeResults(SCOPE, 'open-cases', {
    benchmark: 'open-cases',
    at: new Date().toISOString(),
    options: {
      openCases: TARGET,
      fillMinutes: FILL_MINUTES,
      concurrency: CONCURRENCY,
      withTimers: WITH_TIMERS,
      refill: REFILL,
    },
    aim: null,
    machine,
    counts: {
      openWanted: TARGET,
      openBefore,
      open,
      settled: settledCount,
      openTimers: timers,
      reachedTarget: open >= TARGET,
    },
    fill: {
      filled,
      ms: Math.round(fillMs),
      ratePerSecond: fillRate,
      errors,
      errorSamples,
      cpu: fillCpu,
      hoursPer100k,
      hoursToTarget,
      samples,
    },
    projectionDrainMs: Math.round(drainMs),
    worker: {
      settings: sys.worker.settings,
      atRest: { ...atRest, procRss: atRestProc?.rss ?? null },
      peakRssDuringFill: Math.max(peakRss, atRestProc?.peakRss ?? 0),
      afterRestart,
    },
    temporal: { sqlite },
    postgres: { databaseBytes: dbSize, largestTables: tables },
    disturbed: { fill: fillDisturbed, restart: restartDisturbed },
    restart: { kill: 'SIGKILL', readyMs, phases: fresh.phases, probes: probeResults },
  });
});
