/**
 * The Flowable peer (`npm run bench:flowable`), item 6 of issue 23: what an operator would pick instead of our
 * procedures, a BPM engine, measured on the same machine and the same Postgres as bench:throughput measures our API.
 *
 * Brings up the bench Postgres cluster (.data/bench-postgres, as bench/lib/system.ts does) with a database of the
 * peer's own, flowable_bench, dropped and created afresh; builds bench/peers/flowable (Maven, offline when ~/.m2
 * already holds flowable-engine 7.1.0 and its dependencies, online otherwise); runs it. The program embeds the
 * Flowable engine, deploys the start of the listing procedure as BPMN (a start event, a user task "serve notice", a
 * user task "submit statement" under a P10D timer boundary event, end), and measures at the client counts of
 * bench:throughput:
 *
 * 1. Process starts per second, closed loop at --start-clients threads (1, 8, 32), --seconds after --warmup-seconds,
 *    with the CPU per start of the JVM and of Postgres (postmaster subtree from /proc, as bench/lib/cpu.ts).
 * 2. Latency of completing "serve notice" (task query by process instance + complete) at --task-clients threads
 *    (1, 16), --n per level after --warmup, and its CPU per completion.
 *
 * The program writes bench/results/flowable-<Shanghai date>.json and flowable-latest.json; this runner adds the
 * machine, its load and Postgres' settings to them and prints the table. Not run in CI: it needs a JDK 17+ and
 * Maven (bench/run-all.ts skips it with the reason when they are missing).
 *
 * Options:
 *   --start-clients 1,8,32   threads of figure 1 (as bench:throughput)
 *   --seconds 15             measured window per level
 *   --warmup-seconds 3       warm-up before each window (not counted)
 *   --task-clients 1,16      threads of figure 2 (as bench:throughput's action latency)
 *   --n 200                  measured completions per level
 *   --warmup 20              warm-up completions per level
 *   --jvm-warmup-seconds 20  starts and completions at 8 threads before everything (the JIT's warm-up, not counted)
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Client as PgClient } from 'pg';
import { dataDir, log } from '../scripts/lib/paths';
import { run } from '../scripts/lib/proc';
import { startLocalPostgres, type LocalPostgres } from '../scripts/lib/postgres';
import { intArg, machineInfo, parseArgs, table } from './lib/measure';
import { runBenchmark, postgresInfo, type Cleanups } from './lib/system';
import { postmasterPid } from './lib/cpu';
import { RESULTS_DIR, intListArg, loadWarning, rejectUnknown, watchLoad, writeResults } from './lib/report';
import { FLOWABLE_PEER_DIR, missingJavaToolchain } from './peers/flowable/toolchain';

const SCOPE = 'bench:flowable';
const DATABASE = 'flowable_bench';

const args = parseArgs(process.argv.slice(2));
rejectUnknown(args, ['start-clients', 'seconds', 'warmup-seconds', 'task-clients', 'n', 'warmup', 'jvm-warmup-seconds']);
const START_CLIENTS = intListArg(args, 'start-clients', [1, 8, 32]);
const SECONDS = intArg(args, 'seconds', 15);
const WARMUP_SECONDS = intArg(args, 'warmup-seconds', 3);
const TASK_CLIENTS = intListArg(args, 'task-clients', [1, 16]);
const N = intArg(args, 'n', 200);
const WARMUP = intArg(args, 'warmup', 20);
const JVM_WARMUP_SECONDS = intArg(args, 'jvm-warmup-seconds', 20);

interface Latency {
  n: number;
  p50: number | null;
  p90: number | null;
  p99: number | null;
}
interface Cores {
  jvm: number;
  jit: number | null;
  postgres: number | null;
}
interface StartLevel {
  clients: number;
  ratePerSecond: number;
  completed: number;
  latency: Latency;
  errors: number;
  errorSamples: string[];
  cpuMsPerStart: number | null;
  jvmCpuMsPerStart: number | null;
  jitCpuMsPerStart: number | null;
  postgresCpuMsPerStart: number | null;
  cores: Cores;
}
interface TaskLevel {
  clients: number;
  latency: Latency;
  errors: number;
  errorSamples: string[];
  cpuMsPerCompletion: number | null;
  jvmCpuMsPerCompletion: number | null;
  jitCpuMsPerCompletion: number | null;
  postgresCpuMsPerCompletion: number | null;
  cores: Cores;
}
interface PeerReport {
  startThroughput: StartLevel[];
  firstTaskLatency: TaskLevel[];
  [key: string]: unknown;
}

/** The bench cluster with flowable_bench dropped and created afresh (a run measures from an empty schema). */
async function freshDatabase(cleanups: Cleanups): Promise<LocalPostgres> {
  const clusterDir = join(dataDir(), 'bench-postgres');
  const postgres = await startLocalPostgres({ dataDir: clusterDir, database: DATABASE });
  if (!postgres.reused) cleanups.add(() => postgres.stop());
  else log(SCOPE, 'Postgres was already running on .data/bench-postgres: leaving it running at the end');
  const su = new PgClient({ connectionString: `postgresql://postgres@127.0.0.1:${postgres.port}/postgres` });
  await su.connect();
  await su.query(`DROP DATABASE IF EXISTS "${DATABASE}" WITH (FORCE)`);
  await su.end();
  await startLocalPostgres({ dataDir: clusterDir, database: DATABASE }); // attaches, creates the database again
  log(SCOPE, `database ${DATABASE} dropped and created afresh`);
  return postgres;
}

/** `mvn package`, offline first (no network when ~/.m2 has everything), online when that fails. */
async function buildPeer(): Promise<void> {
  const mvn = ['-q', '-B', '-Dstyle.color=never', 'package'];
  const t0 = Date.now();
  const offline = await run('mvn', ['-o', ...mvn], { cwd: FLOWABLE_PEER_DIR });
  if (offline.code !== 0) {
    log(SCOPE, 'offline Maven build failed (dependencies not in ~/.m2 yet?): building online');
    const online = await run('mvn', mvn, { cwd: FLOWABLE_PEER_DIR });
    if (online.code !== 0) throw new Error(`mvn package failed in ${FLOWABLE_PEER_DIR}:\n${online.stdout}${online.stderr}`);
  }
  log(SCOPE, `built bench/peers/flowable in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

/** Runs the peer; its progress and its own summary go to our stderr, so the table below is the one on stdout. */
function runPeer(argv: string[], cleanups: Cleanups): Promise<void> {
  const target = join(FLOWABLE_PEER_DIR, 'target');
  const classpath = [join(target, 'flowable-peer.jar'), ...readdirSync(join(target, 'lib')).map((f) => join(target, 'lib', f))].join(':');
  const child = spawn('java', ['-Xmx1g', '-cp', classpath, 'bench.flowable.FlowablePeer', ...argv], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  child.stdout.pipe(process.stderr);
  let exited = false;
  cleanups.add(async () => {
    if (!exited) child.kill('SIGTERM');
    await Promise.resolve();
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      exited = true;
      if (code === 0) resolve();
      else reject(new Error(`the Flowable peer exited with ${code ?? signal ?? 'unknown'}`));
    });
  });
}

const fmt = (x: number | null | undefined): string | number => (x === null || x === undefined ? '–' : x);

/** Our side from the last bench:throughput run, for reading the peer's figures beside it (another run). */
function ourLatestThroughput(): string[] {
  const path = join(RESULTS_DIR, 'throughput-latest.json');
  if (!existsSync(path)) return [];
  const t = JSON.parse(readFileSync(path, 'utf8'));
  const rows: (string | number)[][] = [['clients', 'API POST /v1/cases /s', 'raw start /s', 'raw update-with-start /s']];
  for (const l of t.startThroughput ?? [])
    rows.push([l.clients, l.api.ratePerSecond, l.rawStart.ratePerSecond, l.rawUpdateWithStart.ratePerSecond]);
  const lat: (string | number)[][] = [['clients', 'raw Update p50 / p99', 'serve_notice p50 / p99']];
  for (const l of t.actionLatency ?? [])
    lat.push([
      l.clients,
      `${l.rawUpdate.latency.p50} / ${l.rawUpdate.latency.p99}`,
      `${l.serveNotice.latency.p50} / ${l.serveNotice.latency.p99}`,
    ]);
  return [`for reading beside it: our side in bench/results/throughput-latest.json (another run, ${t.at})`, table(rows), table(lat)];
}

const missing = missingJavaToolchain();
if (missing) {
  log(SCOPE, `cannot run: ${missing}`);
  process.exit(1);
}

runBenchmark(SCOPE, async (cleanups) => {
  const load = watchLoad();
  const postgres = await freshDatabase(cleanups);
  await buildPeer();
  const pid = postmasterPid(postgres.clusterDir);
  await runPeer(
    [
      ['--jdbc-url', `jdbc:postgresql://127.0.0.1:${postgres.port}/${DATABASE}`],
      ['--jdbc-user', 'app'],
      ['--jdbc-password', 'app'],
      ...(pid === undefined ? [] : [['--postmaster-pid', String(pid)]]),
      ['--start-clients', START_CLIENTS.join(',')],
      ['--seconds', String(SECONDS)],
      ['--warmup-seconds', String(WARMUP_SECONDS)],
      ['--task-clients', TASK_CLIENTS.join(',')],
      ['--n', String(N)],
      ['--warmup', String(WARMUP)],
      ['--jvm-warmup-seconds', String(JVM_WARMUP_SECONDS)],
      ['--results-dir', RESULTS_DIR],
    ].flat(),
    cleanups,
  );

  const peer = JSON.parse(readFileSync(join(RESULTS_DIR, 'flowable-latest.json'), 'utf8')) as PeerReport;
  const pgInfo = await postgresInfo(postgres.url);
  const machine = { ...machineInfo(), postgres: pgInfo.version, postgresSettings: pgInfo, load: load.summary() };

  const out: string[] = ['', `Flowable peer benchmark — ${new Date().toISOString()}`, loadWarning(machine.load)];
  out.push(
    `machine: ${machine.cpuCount} × ${machine.cpuModel}, ${machine.totalMemoryGiB} GiB; Postgres ${pgInfo.version} (shared_buffers ${pgInfo.shared_buffers}, synchronous_commit ${pgInfo.synchronous_commit}), database ${DATABASE}, fresh; ${JSON.stringify(peer.engine)}`,
  );
  out.push(
    'the client threads run in the engine\'s JVM; CPU in ms per operation over the window, "(JIT)" the part of the JVM\'s its JIT compiler threads took; "cores" = CPU seconds / wall seconds',
  );
  out.push('');
  out.push(
    `1. Process starts — closed loop, ${SECONDS} s measured after ${WARMUP_SECONDS} s warm-up per level; latencies ms, CPU ms per start`,
  );
  const t1: (string | number)[][] = [
    ['threads', 'starts/s', 'p50', 'p99', 'errors', 'CPU/start', 'JVM', '(JIT)', 'Postgres', 'cores: JVM / Postgres'],
  ];
  for (const l of peer.startThroughput)
    t1.push([
      l.clients,
      l.ratePerSecond,
      fmt(l.latency.p50),
      fmt(l.latency.p99),
      l.errors,
      fmt(l.cpuMsPerStart),
      fmt(l.jvmCpuMsPerStart),
      `(${fmt(l.jitCpuMsPerStart)})`,
      fmt(l.postgresCpuMsPerStart),
      `${l.cores.jvm.toFixed(2)} / ${fmt(l.cores.postgres)}`,
    ]);
  out.push(table(t1));
  out.push('');
  out.push(
    `2. Completing "serve notice" (task query + complete) — ${N} per level after ${WARMUP} warm-up, each on a process of its own; ms`,
  );
  const t2: (string | number)[][] = [['threads', 'n', 'p50', 'p90', 'p99', 'errors', 'CPU/completion', 'JVM', '(JIT)', 'Postgres']];
  for (const l of peer.firstTaskLatency)
    t2.push([
      l.clients,
      l.latency.n,
      fmt(l.latency.p50),
      fmt(l.latency.p90),
      fmt(l.latency.p99),
      l.errors,
      fmt(l.cpuMsPerCompletion),
      fmt(l.jvmCpuMsPerCompletion),
      `(${fmt(l.jitCpuMsPerCompletion)})`,
      fmt(l.postgresCpuMsPerCompletion),
    ]);
  out.push(table(t2));
  const errs = [...peer.startThroughput, ...peer.firstTaskLatency].flatMap((l) => l.errorSamples);
  if (errs.length) out.push(`errors (first few): ${[...new Set(errs)].slice(0, 5).join(' | ')}`);
  out.push('', ...ourLatestThroughput());
  process.stdout.write(out.join('\n') + '\n');

  writeResults(SCOPE, 'flowable', {
    ...peer,
    machine,
    servers: { postgres: `local cluster .data/bench-postgres, database ${DATABASE}, fresh` },
  });
});
