// The full Temporal server (`go.temporal.io/server` v1.29.1, `cmd/server`) with Postgres persistence: the
// server a production cluster runs, here as one process with all four services (frontend, history,
// matching, worker), its schema set up by its own sql tool (`cmd/tools/sql`).
//
// Like the CLI (temporal-cli.ts), no package ships it and Temporal's own download host is out of reach on
// offline machines, so both binaries are built from the Go module proxy once per machine into
// cacheDir()/temporal-server-v1.29.1/, next to a copy of the module's Postgres schema files, and every
// clone reuses that build. `go install …@v1.29.1` would work too (its go.mod has no replace directive), but
// a module of our own that requires the server builds both binaries from one resolved dependency graph,
// and keeps working should a later version add replace directives (we would copy them into our go.mod).
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { cacheDir, log } from './paths';
import { alive, freePorts, onPath, run, runOk, secondsSince, sleep, tcpOpen } from './proc';
import { ensureTemporalCli, killGroup, spawnUnderWatchdog } from './temporal-cli';

const SCOPE = 'temporal-server';
export const TEMPORAL_SERVER_VERSION = 'v1.29.1';
const MODULE = 'go.temporal.io/server';
/** The role the server connects as; it owns the server's databases and nothing else. Local clusters only. */
const TEMPORAL_ROLE = 'temporal';
const TEMPORAL_PASSWORD = 'temporal';
/** As in the module's config/development-postgres12.yaml; fixed for the life of a cluster's data. */
const HISTORY_SHARDS = 4;

export interface TemporalServerInstall {
  server: string;
  sqlTool: string;
  /** The module's schema/postgresql/v12 folder (temporal/ and visibility/, each with versioned/). */
  schemaDir: string;
}

function installIn(dir: string): TemporalServerInstall {
  return {
    server: join(dir, 'temporal-server'),
    sqlTool: join(dir, 'temporal-sql-tool'),
    schemaDir: join(dir, 'schema', 'postgresql', 'v12'),
  };
}

const complete = (i: TemporalServerInstall): boolean =>
  existsSync(i.server) && existsSync(i.sqlTool) && existsSync(join(i.schemaDir, 'temporal', 'versioned'));

function findGo(): string | undefined {
  return onPath('go') ?? (existsSync('/usr/local/go/bin/go') ? '/usr/local/go/bin/go' : undefined);
}

/**
 * One build at a time per machine (ci-prepare and a test run may both ask): a lock file holding the
 * builder's pid; a lock whose process is gone is stale and taken over.
 */
async function withBuildLock<T>(lockFile: string, fn: () => Promise<T>, done: () => boolean): Promise<T | undefined> {
  for (;;) {
    try {
      writeFileSync(lockFile, String(process.pid), { flag: 'wx' });
      break;
    } catch {
      const holder = Number(readFileSync(lockFile, 'utf8').trim());
      if (Number.isInteger(holder) && holder > 0 && alive(holder)) {
        log(SCOPE, `waiting for the build already running (pid ${holder})`);
        await sleep(5000);
        if (done()) return undefined;
      } else {
        rmSync(lockFile, { force: true });
      }
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(lockFile, { force: true });
  }
}

/**
 * The server and its sql tool: `$TEMPORAL_SERVER_DIR` (a folder laid out like the cache: temporal-server,
 * temporal-sql-tool, schema/postgresql/v12), else the cached build, else a build from the Go module proxy
 * (about 3 minutes on 2 cores with a warm module cache; once per machine).
 */
export async function ensureTemporalServer(): Promise<TemporalServerInstall> {
  const fromEnv = process.env.TEMPORAL_SERVER_DIR;
  if (fromEnv) {
    const given = installIn(resolve(fromEnv));
    if (!complete(given))
      throw new Error(`TEMPORAL_SERVER_DIR=${fromEnv} lacks temporal-server, temporal-sql-tool or schema/postgresql/v12`);
    return given;
  }
  const dir = join(cacheDir(), `temporal-server-${TEMPORAL_SERVER_VERSION}`);
  const cached = installIn(dir);
  if (complete(cached)) return cached;

  const go = findGo();
  if (!go) {
    throw new Error(
      'No Temporal server: set TEMPORAL_SERVER_DIR to a folder with temporal-server, temporal-sql-tool and schema/postgresql/v12, ' +
        `or install Go (>= 1.25) so that ${MODULE}@${TEMPORAL_SERVER_VERSION} can be built from the Go module proxy.`,
    );
  }
  await withBuildLock(
    `${dir}.lock`,
    () => buildInto(go, dir),
    () => complete(cached),
  );
  if (!complete(cached)) throw new Error(`the build of the Temporal server left ${dir} incomplete`);
  return cached;
}

async function buildInto(go: string, dir: string): Promise<void> {
  if (complete(installIn(dir))) return; // built by whoever held the lock before us
  // Built in a private folder renamed into place at the end: a half-built cache is never seen.
  const tmp = `${dir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  // The server's go.mod says `go 1.25.0`: an older Go fetches that toolchain through the same module proxy.
  writeFileSync(join(tmp, 'go.mod'), `module sc-cases/temporal-server-build\n\ngo 1.25.0\n`);
  const env = { ...process.env, GOFLAGS: '-mod=mod -buildvcs=false' };
  const go_ = async (args: string[]): Promise<string> => {
    const r = await run(go, args, { cwd: tmp, env });
    if (r.code !== 0) throw new Error(`go ${args.join(' ')} failed (${r.code}):\n${r.stderr.slice(-4000)}`);
    return r.stdout;
  };
  const t0 = Date.now();
  try {
    log(SCOPE, `building ${MODULE}@${TEMPORAL_SERVER_VERSION} (cmd/server, cmd/tools/sql) into ${dir}; minutes the first time`);
    await go_(['get', `${MODULE}/cmd/server@${TEMPORAL_SERVER_VERSION}`, `${MODULE}/cmd/tools/sql@${TEMPORAL_SERVER_VERSION}`]);
    await go_(['build', '-o', join(tmp, 'temporal-server'), `${MODULE}/cmd/server`]);
    log(SCOPE, `temporal-server built (${secondsSince(t0)})`);
    await go_(['build', '-o', join(tmp, 'temporal-sql-tool'), `${MODULE}/cmd/tools/sql`]);
    const moduleDir = (await go_(['list', '-m', '-f', '{{.Dir}}', MODULE])).trim();
    // The schema files travel with the binaries, so running needs neither Go nor the module cache.
    const schema = join(tmp, 'schema', 'postgresql', 'v12');
    cpSync(join(moduleDir, 'schema', 'postgresql', 'v12'), schema, { recursive: true });
    await runOk('chmod', ['-R', 'u+w', join(tmp, 'schema')]); // the module cache is read-only
    writeFileSync(
      join(tmp, 'BUILD.txt'),
      `${MODULE}@${TEMPORAL_SERVER_VERSION} cmd/server and cmd/tools/sql, built ${new Date().toISOString()} with ${spawnSync(go, ['version']).stdout.toString().trim()} in ${secondsSince(t0)}\n`,
    );
    rmSync(dir, { recursive: true, force: true });
    renameSync(tmp, dir);
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true });
    throw err;
  }
  log(SCOPE, `built ${dir} in ${secondsSince(t0)}`);
}

export interface FullTemporalServerOptions {
  /** A superuser connection to the Postgres it keeps its state in (any database): creates its role and databases. */
  postgresSuperuserUrl: string;
  /** Its databases: `<databaseName>` and `<databaseName>_visibility`. */
  databaseName: string;
  /** Drop both databases first (a run that starts from empty). */
  fresh?: boolean;
  /** Frontend gRPC port; a free one when unset. The other services always take free ports. */
  port?: number;
  namespace?: string;
  /** Where its configuration and log go (created). */
  stateDir: string;
}

export interface FullTemporalServer {
  /** host:port of the frontend gRPC service. */
  address: string;
  /** The full server has no Web UI of its own (a cluster runs temporalio/ui beside it). */
  uiUrl: undefined;
  reused: false;
  logFile: string;
  /** The server process itself (not its watchdog), for CPU figures. */
  serverPid: () => number | undefined;
  /** SIGTERM, SIGKILL after 10 s. The databases are kept. */
  stop(): Promise<void>;
}

async function withClient<T>(url: string, fn: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

function hostPort(url: string): { host: string; port: number } {
  const u = new URL(url);
  return { host: u.hostname || '127.0.0.1', port: Number(u.port || 5432) };
}

const onDatabase = (url: string, db: string): string => {
  const u = new URL(url);
  u.pathname = `/${db}`;
  return u.toString();
};

/** The role and both databases (idempotent), then the schema: setup at version 0.0 once, then every versioned step not yet applied. */
async function prepareDatabases(install: TemporalServerInstall, opts: FullTemporalServerOptions): Promise<void> {
  const postgres = hostPort(opts.postgresSuperuserUrl);
  const databases = [
    { name: opts.databaseName, schema: 'temporal' },
    { name: `${opts.databaseName}_visibility`, schema: 'visibility' },
  ];
  await withClient(onDatabase(opts.postgresSuperuserUrl, 'postgres'), async (su) => {
    await su.query(`DO $$ BEGIN
        IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${TEMPORAL_ROLE}') THEN
          CREATE ROLE ${TEMPORAL_ROLE} LOGIN PASSWORD '${TEMPORAL_PASSWORD}';
        END IF;
      END $$`);
    for (const { name } of databases) {
      if (opts.fresh) await su.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      const exists = await su.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
      if (exists.rowCount === 0) await su.query(`CREATE DATABASE "${name}" OWNER ${TEMPORAL_ROLE}`);
    }
  });
  for (const { name, schema } of databases) {
    const tool = (args: string[]): Promise<string> =>
      runOk(install.sqlTool, [
        '--plugin',
        'postgres12',
        '--ep',
        postgres.host,
        '-p',
        String(postgres.port),
        '-u',
        TEMPORAL_ROLE,
        '--pw',
        TEMPORAL_PASSWORD,
        '--db',
        name,
        ...args,
      ]);
    const set = await withClient(onDatabase(opts.postgresSuperuserUrl, name), (c) =>
      c.query<{ t: string | null }>("SELECT to_regclass('public.schema_version')::text AS t"),
    );
    if (set.rows[0]?.t == null) await tool(['setup-schema', '-v', '0.0']);
    await tool(['update-schema', '-d', join(install.schemaDir, schema, 'versioned')]);
  }
}

interface Ports {
  frontend: number;
  frontendHttp: number;
  frontendMembership: number;
  history: number;
  historyMembership: number;
  matching: number;
  matchingMembership: number;
  worker: number;
  workerMembership: number;
}

function configYaml(opts: FullTemporalServerOptions, ports: Ports, dynamicConfigFile: string): string {
  const postgres = hostPort(opts.postgresSuperuserUrl);
  const store = (db: string, maxConns: number): string => `      sql:
        pluginName: "postgres12"
        databaseName: "${db}"
        connectAddr: "${postgres.host}:${postgres.port}"
        connectProtocol: "tcp"
        user: "${TEMPORAL_ROLE}"
        password: "${TEMPORAL_PASSWORD}"
        maxConns: ${maxConns}
        maxIdleConns: ${maxConns}
        maxConnLifetime: "1h"`;
  const service = (grpc: number, membership: number, http?: number): string =>
    `    rpc:
      grpcPort: ${grpc}
      membershipPort: ${membership}
      bindOnLocalHost: true${http === undefined ? '' : `\n      httpPort: ${http}`}`;
  // The module's config/development-postgres12.yaml with our ports and databases; no pprof, metrics or archival.
  return `# Written by scripts/lib/temporal-server.ts on every start.
log:
  stdout: true
  level: warn

persistence:
  defaultStore: postgres-default
  visibilityStore: postgres-visibility
  numHistoryShards: ${HISTORY_SHARDS}
  datastores:
    postgres-default:
${store(opts.databaseName, 20)}
    postgres-visibility:
${store(`${opts.databaseName}_visibility`, 4)}

global:
  membership:
    maxJoinDuration: 30s
    broadcastAddress: "127.0.0.1"

services:
  frontend:
${service(ports.frontend, ports.frontendMembership, ports.frontendHttp)}
  history:
${service(ports.history, ports.historyMembership)}
  matching:
${service(ports.matching, ports.matchingMembership)}
  worker:
${service(ports.worker, ports.workerMembership)}

clusterMetadata:
  enableGlobalNamespace: false
  failoverVersionIncrement: 10
  masterClusterName: "active"
  currentClusterName: "active"
  clusterInformation:
    active:
      enabled: true
      initialFailoverVersion: 1
      rpcName: "frontend"
      rpcAddress: "127.0.0.1:${ports.frontend}"

dcRedirectionPolicy:
  policy: "noop"

dynamicConfigClient:
  filepath: "${dynamicConfigFile}"
  pollInterval: "10s"
`;
}

// What the SDK features we use need. Update and Update-with-Start (ExecuteMultiOperation) are on by default in
// 1.29 but said here so a change of default cannot take them away; the IDs are ours (case numbers), well within
// the limit. No custom search attributes: the system lists cases from Postgres, not from Temporal's visibility.
const DYNAMIC_CONFIG = `# Written by scripts/lib/temporal-server.ts on every start.
frontend.enableUpdateWorkflowExecution:
  - value: true
frontend.enableExecuteMultiOperation:
  - value: true
limit.maxIDLength:
  - value: 255
`;

function canListen(port: number): Promise<boolean> {
  return new Promise((resolvePromise) => {
    const srv = createServer();
    srv.unref();
    srv.once('error', () => {
      resolvePromise(false);
    });
    srv.listen(port, '127.0.0.1', () => {
      srv.close(() => {
        resolvePromise(true);
      });
    });
  });
}

/**
 * Free ports for the services' membership (ringpop) listeners. The server records them in a smallint column
 * (cluster_membership.rpc_port), so they must be below 32768, where the OS's ephemeral ports (freePort) are
 * not: scanned from a random start so that servers started side by side rarely probe the same ports.
 */
async function membershipPorts(): Promise<[number, number, number, number]> {
  const found: number[] = [];
  for (let p = 20000 + Math.floor(Math.random() * 10000); p < 32768; p++) {
    if (await canListen(p)) found.push(p);
    const [a, b, c, d] = found;
    if (a !== undefined && b !== undefined && c !== undefined && d !== undefined) return [a, b, c, d];
  }
  throw new Error("no free ports below 32768 for the Temporal services' membership");
}

/** The pid of the server process started with this --root, through /proc. */
function findServerPid(install: TemporalServerInstall, stateDir: string): number | undefined {
  for (const entry of existsSync('/proc') ? readdirSync('/proc') : []) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const argv = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (argv[0] === install.server && argv[argv.indexOf('--root') + 1] === stateDir) return Number(entry);
    } catch {
      /* gone */
    }
  }
  return undefined;
}

function tail(file: string): string {
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').slice(-30).join('\n') : '';
}

/**
 * Ready = the frontend answers, the namespace exists (created here when missing: the full server creates
 * none) and a request naming it is served (the frontend resolves namespaces from its own cache).
 */
async function waitUntilReady(
  cli: string,
  { address, namespace, exited, logFile }: { address: string; namespace: string; exited: () => boolean; logFile: string },
): Promise<void> {
  const common = ['--address', address, '--command-timeout', '3s', '--disable-config-file', '--disable-config-env'];
  const deadline = Date.now() + 120_000;
  let created = false;
  while (Date.now() < deadline) {
    if (exited()) throw new Error(`temporal-server exited during start-up; see ${logFile}:\n${tail(logFile)}`);
    const described = await run(cli, ['operator', 'namespace', 'describe', '--namespace', namespace, ...common, '-o', 'none']);
    if (described.code !== 0) {
      if (/not found/i.test(described.stderr) && !created) {
        const r = await run(cli, ['operator', 'namespace', 'create', '--namespace', namespace, '--retention', '72h', ...common]);
        if (r.code === 0 || /already/i.test(r.stderr)) {
          created = true;
          log(SCOPE, `namespace ${namespace} registered`);
        }
      }
      await sleep(500);
      continue;
    }
    const listed = await run(cli, ['workflow', 'list', '--namespace', namespace, '--limit', '1', ...common, '-o', 'json']);
    if (listed.code === 0) return;
    await sleep(500);
  }
  throw new Error(`temporal-server at ${address} not ready after 120 s; see ${logFile}:\n${tail(logFile)}`);
}

/**
 * Builds (once) and starts the full server on 127.0.0.1 with its state in the given Postgres, and resolves
 * once the namespace is served. The server does not outlive this Node process (spawnUnderWatchdog); stop()
 * ends it earlier.
 */
export async function startTemporalServer(opts: FullTemporalServerOptions): Promise<FullTemporalServer> {
  const install = await ensureTemporalServer();
  const cli = await ensureTemporalCli();
  const namespace = opts.namespace ?? 'default';
  const stateDir = resolve(opts.stateDir);
  mkdirSync(join(stateDir, 'config'), { recursive: true });

  let t0 = Date.now();
  await prepareDatabases(install, opts);
  log(SCOPE, `schema of ${opts.databaseName} and ${opts.databaseName}_visibility up to date (${secondsSince(t0)})`);

  if (opts.port !== undefined && (await tcpOpen(opts.port))) throw new Error(`port ${opts.port} is in use`);
  const [frontendMembership, historyMembership, matchingMembership, workerMembership] = await membershipPorts();
  // One call, so no two services get the same port (freePorts).
  const [free, frontendHttp, history, matching, worker] = await freePorts(5, opts.port === undefined ? [] : [opts.port]);
  const frontend = opts.port ?? free;
  if (frontend === undefined || frontendHttp === undefined || history === undefined || matching === undefined || worker === undefined) {
    throw new Error('no free ports for the Temporal services');
  }
  const ports: Ports = {
    frontend,
    frontendHttp,
    frontendMembership,
    history,
    historyMembership,
    matching,
    matchingMembership,
    worker,
    workerMembership,
  };
  const dynamicConfigFile = join(stateDir, 'config', 'dynamic.yaml');
  writeFileSync(dynamicConfigFile, DYNAMIC_CONFIG);
  writeFileSync(join(stateDir, 'config', 'temporal.yaml'), configYaml(opts, ports, dynamicConfigFile));

  const address = `127.0.0.1:${ports.frontend}`;
  const logFile = join(stateDir, 'temporal-server.log');
  log(SCOPE, `starting temporal-server ${TEMPORAL_SERVER_VERSION} at ${address} (Postgres ${opts.databaseName}); log ${logFile}`);
  t0 = Date.now();
  const child = spawnUnderWatchdog(
    install.server,
    ['--root', stateDir, '--config', 'config', '--env', 'temporal', '--allow-no-auth', 'start'],
    logFile,
    stateDir,
  );
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    log(SCOPE, `stopping temporal-server at ${address}`);
    await killGroup(child.pid);
  };
  try {
    await waitUntilReady(cli, { address, namespace, exited: () => child.exitCode !== null, logFile });
  } catch (err) {
    await stop();
    throw err;
  }
  log(SCOPE, `temporal-server ready at ${address} after ${secondsSince(t0)}`);
  return {
    address,
    uiUrl: undefined,
    reused: false,
    logFile,
    serverPid: () => findServerPid(install, stateDir),
    stop,
  };
}

/** Drops the server's two databases (a test run's, once its server is stopped). */
export async function dropTemporalDatabases(postgresSuperuserUrl: string, databaseName: string): Promise<void> {
  await withClient(onDatabase(postgresSuperuserUrl, 'postgres'), async (su) => {
    for (const name of [databaseName, `${databaseName}_visibility`]) await su.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  });
}

/** `TEMPORAL_SERVER` as npm start and the tests read it: `dev` (the CLI's start-dev, the default) or `full`. */
export function temporalServerKind(value: string | undefined, variable: string): 'dev' | 'full' {
  const v = (value ?? 'dev').trim().toLowerCase();
  if (v === '' || v === 'dev') return 'dev';
  if (v === 'full') return 'full';
  throw new Error(`${variable}=${value} is not a Temporal server: dev (temporal server start-dev) or full (temporal-server with Postgres)`);
}
