// The Temporal CLI (`temporal`), whose `server start-dev` is the local Temporal server (Temporal
// Server 1.29.1 with SQLite persistence and the Web UI).
//
// No npm package ships it, and the SDK's own fallback (`TestWorkflowEnvironment.createLocal()`)
// downloads it from Temporal's host, which offline machines cannot reach. So we build it from the
// Go module proxy once per machine into cacheDir() and every clone reuses that build.
// We do not fall back to the SDK's download: a machine with neither Go nor the CLI gets a clear
// error saying what to install, rather than a path that works only with the open internet.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, openSync, closeSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { cacheDir, dataDir, log } from './paths';
import { freePorts, onPath, run, secondsSince, sleep, tcpOpen } from './proc';

const SCOPE = 'temporal';
/** v1.5.1 is the last tag `go install …@version` accepts: from v1.6.0 on, go.mod carries a `replace` directive. */
export const TEMPORAL_CLI_VERSION = 'v1.5.1';
const MODULE = 'github.com/temporalio/cli/cmd/temporal';

function cliCacheDir(): string {
  return join(cacheDir(), `temporal-cli-${TEMPORAL_CLI_VERSION}`);
}

/** A `go install` of the CLI already running on this machine (e.g. started by hand), by /proc scan. */
function goInstallRunning(): number | undefined {
  if (!existsSync('/proc')) return undefined;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const argv = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (argv.includes('install') && argv.some((a) => a.startsWith(`${MODULE}@`))) return Number(entry);
    } catch {
      /* process went away */
    }
  }
  return undefined;
}

/**
 * Path to a `temporal` executable, in this order:
 * `$TEMPORAL_CLI_PATH` (must exist); the cached build `<cacheDir>/temporal-cli-v1.5.1/temporal`;
 * `temporal` on PATH; a fresh `go install` into the cache (minutes on 2 cores, once per machine).
 */
export async function ensureTemporalCli(): Promise<string> {
  const fromEnv = process.env.TEMPORAL_CLI_PATH;
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`TEMPORAL_CLI_PATH=${fromEnv} does not exist`);
    return fromEnv;
  }
  const dir = cliCacheDir();
  const cached = join(dir, 'temporal');

  // Someone else is building it into the cache already: wait rather than build twice.
  for (let pid = goInstallRunning(); pid !== undefined && !existsSync(cached); pid = goInstallRunning()) {
    log(SCOPE, `waiting for the go install already running (pid ${pid})`);
    await sleep(5000);
  }
  if (existsSync(cached)) return cached;

  const fromPath = onPath('temporal');
  if (fromPath) return fromPath;

  const go = onPath('go');
  if (!go) {
    throw new Error(
      'No Temporal CLI: set TEMPORAL_CLI_PATH to a `temporal` executable, put `temporal` on PATH, ' +
        `or install Go (>= 1.21) so that it can be built with \`go install ${MODULE}@${TEMPORAL_CLI_VERSION}\`.`,
    );
  }
  // Build into a private folder and rename the binary into place: a half-written binary is never seen.
  const tmp = `${dir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  const t0 = Date.now();
  log(SCOPE, `building the CLI: go install ${MODULE}@${TEMPORAL_CLI_VERSION} (several minutes the first time)`);
  const r = await run(go, ['install', `${MODULE}@${TEMPORAL_CLI_VERSION}`], { env: { ...process.env, GOBIN: tmp } });
  if (r.code !== 0) {
    rmSync(tmp, { recursive: true, force: true });
    throw new Error(`go install ${MODULE}@${TEMPORAL_CLI_VERSION} failed (${r.code}):\n${r.stderr.slice(-4000)}`);
  }
  mkdirSync(dir, { recursive: true });
  renameSync(join(tmp, 'temporal'), cached);
  rmSync(tmp, { recursive: true, force: true });
  log(SCOPE, `built ${cached} in ${secondsSince(t0)}`);
  return cached;
}

export interface TemporalDevServer {
  /** host:port of the frontend gRPC service. */
  address: string;
  uiUrl: string;
  /** True when a dev server with the same port and db file was already running and we attached to it. */
  reused: boolean;
  /** SIGTERM to the server's process group, SIGKILL after 10 s (also when reused). */
  stop(): Promise<void>;
}

/** The pid of a running `temporal server start-dev` with this port and db file, found through /proc. */
function findRunningDevServer(port: number, dbFile: string | undefined): number | undefined {
  if (!existsSync('/proc')) return undefined;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const argv = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      const flag = (name: string): string | undefined => {
        const i = argv.indexOf(name);
        return i >= 0 ? argv[i + 1] : undefined;
      };
      if (!argv.includes('start-dev') || flag('--port') !== String(port)) continue;
      const itsDb = flag('--db-filename');
      if ((itsDb && resolve(itsDb)) === (dbFile && resolve(dbFile))) return Number(entry);
    } catch {
      /* process went away */
    }
  }
  return undefined;
}

/** Ready = the frontend answers and the namespace exists (start-dev creates namespaces before serving, but check). */
async function waitUntilReady(
  cli: string,
  { address, namespace, child, logFile }: { address: string; namespace: string; child: ChildProcess | undefined; logFile: string },
): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null) {
      throw new Error(`temporal server start-dev exited with ${child.exitCode}; see ${logFile}:\n${tail(logFile)}`);
    }
    const r = await run(cli, [
      'operator',
      'namespace',
      'describe',
      '--namespace',
      namespace,
      '--address',
      address,
      '--command-timeout',
      '2s',
      '--disable-config-file',
      '--disable-config-env',
      '-o',
      'none',
    ]).catch(() => undefined);
    if (r?.code === 0) return;
    await sleep(250);
  }
  throw new Error(`temporal dev server at ${address} not ready after 60 s; see ${logFile}:\n${tail(logFile)}`);
}

function tail(file: string): string {
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').slice(-20).join('\n') : '';
}

/** Ends a process group (or, failing that, a single process), waiting until every member has exited. */
export async function killGroup(pid: number): Promise<void> {
  const alive = (): boolean => {
    for (const target of [-pid, pid]) {
      try {
        process.kill(target, 0);
        return true;
      } catch {
        /* no such group / process */
      }
    }
    return false;
  };
  const signal = (sig: NodeJS.Signals): void => {
    try {
      process.kill(-pid, sig); // the whole group: the CLI and anything it started
    } catch {
      try {
        process.kill(pid, sig); // not a group leader (a reused server we did not start)
      } catch {
        /* already gone */
      }
    }
  };
  signal('SIGTERM');
  for (let i = 0; i < 100 && alive(); i++) await sleep(100);
  if (alive()) {
    log(SCOPE, `pid ${pid} ignored SIGTERM for 10 s: SIGKILL`);
    signal('SIGKILL');
  }
}

/** A dev server's frontend and UI ports: those asked for, else free ones, never the same. */
export async function devServerPorts(opts: { port?: number; uiPort?: number } = {}): Promise<{ port: number; uiPort: number }> {
  const [a, b] = await freePorts(
    2,
    [opts.port, opts.uiPort].filter((p): p is number => p !== undefined),
  );
  const port = opts.port ?? a;
  const uiPort = opts.uiPort ?? b;
  if (port === undefined || uiPort === undefined) throw new Error('no ports for the dev server');
  return { port, uiPort };
}

/**
 * Starts `temporal server start-dev` on 127.0.0.1 and resolves once its frontend answers.
 * Free ports are picked when none are given. With `dbFile`, state persists in that SQLite file
 * across restarts; without it, state is in memory. A dev server already running with the same port
 * and db file is reused. The server does not outlive this Node process (see the watchdog below);
 * stop() ends it earlier.
 */
export async function startTemporalDevServer(
  opts: { port?: number; uiPort?: number; dbFile?: string; namespace?: string } = {},
): Promise<TemporalDevServer> {
  const cli = await ensureTemporalCli();
  const namespace = opts.namespace ?? 'default';

  if (opts.port !== undefined) {
    const existing = findRunningDevServer(opts.port, opts.dbFile);
    if (existing !== undefined) {
      const address = `127.0.0.1:${opts.port}`;
      log(SCOPE, `reusing the dev server already running at ${address} (pid ${existing})`);
      await waitUntilReady(cli, { address, namespace, child: undefined, logFile: '(its own log)' });
      return {
        address,
        uiUrl: `http://127.0.0.1:${opts.uiPort ?? opts.port + 1000}`,
        reused: true,
        stop: () => killGroup(existing),
      };
    }
    if (await tcpOpen(opts.port)) throw new Error(`port ${opts.port} is in use by something other than a matching temporal dev server`);
  }

  const { port, uiPort } = await devServerPorts(opts);
  const address = `127.0.0.1:${port}`;
  const args = [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(port),
    '--ui-port',
    String(uiPort),
    '--log-level',
    'warn',
    '--disable-config-file',
    '--disable-config-env',
  ];
  if (opts.dbFile) {
    mkdirSync(dirname(resolve(opts.dbFile)), { recursive: true });
    args.push('--db-filename', resolve(opts.dbFile));
    // Write-ahead logging: one fsync per commit instead of the rollback journal's several, which doubles
    // what the server can persist per second on this kind of machine (README, Performance). synchronous
    // stays at SQLite's FULL, so a commit the server acknowledged survives a power cut.
    args.push('--sqlite-pragma', 'journal_mode=wal');
  }
  // "default" is always created; other namespaces must be asked for.
  if (namespace !== 'default') args.push('--namespace', namespace);
  // Workflow Update is on by default in server 1.29 (frontend.enableUpdateWorkflowExecution = true), so no
  // --dynamic-config-value is needed for it.

  const logFile = opts.dbFile ? `${resolve(opts.dbFile)}.log` : join(dataDir(), `temporal-dev-${port}.log`);
  log(
    SCOPE,
    `starting dev server at ${address}, UI http://127.0.0.1:${uiPort}${opts.dbFile ? `, db ${opts.dbFile}` : ' (in memory)'}; log ${logFile}`,
  );
  const t0 = Date.now();
  const child = spawnUnderWatchdog(cli, args, logFile);
  const pid = child.pid;
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    log(SCOPE, `stopping dev server at ${address}`);
    await killGroup(pid);
    // An in-memory server's log is of no use once it is gone (start-up failures quote it in the error).
    if (!opts.dbFile) rmSync(logFile, { force: true });
  };
  try {
    await waitUntilReady(cli, { address, namespace, child, logFile });
  } catch (err) {
    await stop();
    throw err;
  }
  log(SCOPE, `dev server ready at ${address} after ${secondsSince(t0)}`);
  return { address, uiUrl: `http://127.0.0.1:${uiPort}`, reused: false, stop };
}

/**
 * Spawns `cmd args` with stdout and stderr appended to logFile; its pid is that of its process group.
 * The command runs under a small sh watchdog that holds a pipe from us: when this Node process ends for
 * any reason (normal exit, SIGTERM from a CI timeout, SIGKILL), the pipe closes, `read` returns, and
 * the command is sent SIGTERM, so no orphan keeps a port and memory. sh exits with the command's status.
 * The pipe is unref'd so it does not keep Node alive. Own process group (detached), so killGroup(pid)
 * signals sh, the watcher and the command together.
 */
export function spawnUnderWatchdog(cmd: string, args: string[], logFile: string, cwd?: string): ChildProcess & { pid: number } {
  const fd = openSync(logFile, 'a');
  const watchdog = [
    'exec 3<&0 0</dev/null',
    '"$@" & pid=$!',
    '(read -r _ <&3; kill -TERM "$pid" 2>/dev/null) & watcher=$!',
    'wait "$pid"; rc=$?',
    'kill "$watcher" 2>/dev/null',
    'exit "$rc"',
  ].join('\n');
  const child = spawn('/bin/sh', ['-c', watchdog, 'sh', cmd, ...args], { detached: true, stdio: ['pipe', fd, fd], cwd });
  closeSync(fd);
  child.unref();
  (child.stdin as unknown as { unref?: () => void } | null)?.unref?.();
  if (child.pid === undefined) throw new Error(`could not spawn ${cmd}`);
  return child as ChildProcess & { pid: number };
}
