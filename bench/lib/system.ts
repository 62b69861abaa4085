// The system a benchmark measures, brought up the way `npm start` brings it up: a local Postgres
// cluster (scripts/lib/postgres.ts), a Temporal server, migrations and reference data, the worker in a
// process of its own, and the API (built in-process with buildApp, listening on a real port). Every
// benchmark has its own database and Temporal state, so one benchmark's data never colours another's, and
// nothing touches the user's .data/postgres, .data/temporal.sqlite or ports 7233/8233:
//   Postgres  .data/bench-postgres (the cluster bench:deadlines uses), database credit_bench_<name>
//   Temporal  `--temporal sqlite` (the default, what npm start runs): the dev server with
//             .data/bench-temporal-<name>.sqlite; `--temporal memory`: the dev server with its state in memory;
//             `--temporal full`: the full server (scripts/lib/temporal-server.ts) with its state in the bench
//             cluster, databases temporal_bench_<name> and temporal_bench_<name>_visibility; all on free ports.
//             BENCH_TEMPORAL does the same as --temporal; every benchmark accepts the option (report.ts) and
//             its results name the server (and go to <name>-full-*.json for the full server).
// BENCH_API_LOG=info (or any pino level) shows the API's log, silent by default.
import { randomUUID } from 'node:crypto';
import { existsSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Client as PgClient } from 'pg';
import pino from 'pino';
import { Client, Connection } from '@temporalio/client';
import { dataDir, errorText, log } from '../../scripts/lib/paths';
import { startLocalPostgres, type LocalPostgres } from '../../scripts/lib/postgres';
import { startTemporalDevServer } from '../../scripts/lib/temporal-cli';
import { startTemporalServer } from '../../scripts/lib/temporal-server';
import { applyMigrations } from '../../db/migrate';
import { createDb, type Db } from '../../db/client';
import { loadReferenceData } from '../../db/reference-data';
import { buildApp } from '../../api/app';
import { startAuditSequencer } from '../../db/audit-sequencer';
import { auditSignerOf, generateAuditSigningKey } from '../../db/audit-signing';
import { mintToken, type TokenClaims } from '../../api/dev-tokens';
import { startWorkerProcess, type WorkerChild } from './worker-child';
import type { WorkerProcessConfig } from './worker-process';
import { CpuMeter, postmasterPid, temporalServerPid } from './cpu';
import { benchTemporalOption, describeTemporal, recordBenchTemporal, type BenchTemporal } from './temporal-choice';
import { EMPTY_WORKFLOW_TYPE, type EmptyWorkflowInput } from '../workflows/definitions';
import { waitUntil } from './load';

export const JWT_SECRET = 'bench-secret-bench-secret-bench-secret-0123';
export const NAMESPACE = 'default';
export const LISTING_TASK_QUEUE = 'bench-listing';
export const EMPTY_TASK_QUEUE = 'bench-empty';

export type Cleanup = () => Promise<void>;

/** Cleanups run in reverse order; a signal runs them and exits 130; see runBenchmark. */
export class Cleanups {
  private readonly fns: Cleanup[] = [];
  add(fn: Cleanup): void {
    this.fns.push(fn);
  }
  async run(scope: string): Promise<void> {
    for (const f of this.fns.splice(0).reverse()) {
      await f().catch((err: unknown) => {
        log(scope, `cleanup: ${(err as Error).message}`);
      });
    }
  }
}

let stopping = false;

/**
 * Runs a benchmark's main with the conventions of bench:deadlines: Ctrl-C (or SIGTERM) stops what was
 * started and exits 130; a failure exits 1; otherwise 0, whether or not the aims are met.
 */
export function runBenchmark(scope: string, main: (cleanups: Cleanups) => Promise<void>): void {
  const cleanups = new Cleanups();
  const onSignal = (signal: string) => {
    if (stopping) {
      log(scope, 'second signal: exiting now');
      process.exit(130);
    }
    stopping = true;
    log(scope, `${signal}: stopping…`);
    void cleanups.run(scope).then(() => process.exit(130));
  };
  process.on('SIGINT', () => {
    onSignal('SIGINT');
  });
  process.on('SIGTERM', () => {
    onSignal('SIGTERM');
  });
  main(cleanups)
    .finally(() => (stopping ? undefined : cleanups.run(scope)))
    .then(
      () => {
        if (!stopping) process.exit(0);
      },
      (err: unknown) => {
        // After Ctrl-C the signal handler finishes the cleanup and exits; errors from cut connections are expected.
        if (stopping) return;
        log(scope, `failed: ${errorText(err)}`);
        process.exit(1);
      },
    );
}

export interface BenchSystem {
  name: string;
  postgres: LocalPostgres;
  database: string;
  databaseUrl: string;
  /** Superuser connection string of the same database (sizes, EXPLAIN, statistics). */
  superuserUrl: string;
  /** Prisma, as the API uses it. */
  db: Db;
  temporal: {
    address: string;
    uiUrl: string | undefined;
    /** The dev server's SQLite file ('' for the full server and the in-memory dev server). */
    dbFile: string;
    server: BenchTemporal;
    /** Says which server, for the results. */
    description: string;
    /** The server process, for CPU figures. */
    pid: () => number | undefined;
  };
  connection: Connection;
  client: Client;
  /** The worker process (project worker on LISTING_TASK_QUEUE, and the baseline worker when asked for). */
  worker: WorkerChild;
  /** Starts a new worker process with the same configuration (after the old one was stopped or killed). */
  restartWorker(): Promise<WorkerChild>;
  /** The API over HTTP, when asked for. */
  apiBase: string;
  /** A caller's bearer token, minted once per caller for the run (valid 24 h) and reused, as a real client keeps its own. */
  token: (claims: TokenClaims) => string;
}

export interface SystemOptions {
  scope: string;
  /** Names the database (credit_bench_<name>) and the Temporal SQLite file. */
  name: string;
  /** Drop the database and the Temporal state first (a benchmark that measures from empty). */
  fresh: boolean;
  /** Also run the baseline worker (bench/workflows) on EMPTY_TASK_QUEUE. */
  emptyWorker: boolean;
  /** Build the API and listen on a free port. */
  api: boolean;
  /** Run the dev server with its state in memory instead of the SQLite file (a diagnosis, not what npm start runs). */
  temporalInMemory?: boolean;
  /** Which Temporal server; by default `--temporal` / BENCH_TEMPORAL, else `sqlite`. */
  temporal?: BenchTemporal;
  /** The workers' `maxCachedWorkflows`; by default the project's, from the worker process's heap limit (defaultCachedCases). */
  maxCachedWorkflows?: number;
}

/** Bytes of the SQLite database the dev server keeps (main file, write-ahead log, shared memory). */
export function sqliteSize(dbFile: string): { main: number; wal: number; shm: number; total: number } {
  const size = (p: string) => (existsSync(p) ? statSync(p).size : 0);
  const main = size(dbFile);
  const wal = size(`${dbFile}-wal`);
  const shm = size(`${dbFile}-shm`);
  return { main, wal, shm, total: main + wal + shm };
}

export async function startBenchSystem(opts: SystemOptions, cleanups: Cleanups): Promise<BenchSystem> {
  const { scope } = opts;
  const database = `credit_bench_${opts.name.replace(/\W/g, '_')}`;

  // 1. Postgres: the bench cluster, a database of this benchmark's own.
  const postgres = await startLocalPostgres({ dataDir: join(dataDir(), 'bench-postgres'), database });
  if (!postgres.reused) cleanups.add(() => postgres.stop());
  else log(scope, 'Postgres was already running on .data/bench-postgres: leaving it running at the end');
  if (opts.fresh) {
    const su = new PgClient({ connectionString: `postgresql://postgres@127.0.0.1:${postgres.port}/postgres` });
    await su.connect();
    await su.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    await su.end();
    await startLocalPostgres({ dataDir: join(dataDir(), 'bench-postgres'), database }); // attaches, creates the database again
    log(scope, `database ${database} dropped and created afresh`);
  }
  const migrated = await applyMigrations(postgres.url);
  log(scope, `migrations: ${migrated.applied.length} applied, ${migrated.alreadyApplied.length} already there`);
  const db = createDb(postgres.url);
  cleanups.add(() => db.$disconnect());
  const ref = await loadReferenceData(db);
  log(scope, `reference data: ${ref.departments} departments, ${ref.measures} measures`);

  // 2. Temporal: the dev server with SQLite persistence, as npm start runs it, on free ports and its own file;
  // or the dev server in memory; or the full server with its own databases in the bench cluster.
  const kind: BenchTemporal = opts.temporal ?? (opts.temporalInMemory ? 'memory' : benchTemporalOption());
  const dbFile = kind === 'sqlite' ? join(dataDir(), `bench-temporal-${opts.name}.sqlite`) : '';
  let server: { address: string; uiUrl: string | undefined; stop(): Promise<void> };
  let serverPid: () => number | undefined;
  if (kind === 'full') {
    const full = await startTemporalServer({
      postgresSuperuserUrl: postgres.superuserUrl,
      databaseName: `temporal_bench_${opts.name.replace(/\W/g, '_')}`,
      fresh: opts.fresh,
      stateDir: join(dataDir(), `bench-temporal-server-${opts.name}`),
    });
    server = full;
    serverPid = full.serverPid;
  } else {
    if (opts.fresh && dbFile) for (const f of [dbFile, `${dbFile}-wal`, `${dbFile}-shm`]) rmSync(f, { force: true });
    server = await startTemporalDevServer(dbFile ? { dbFile } : {});
    const port = Number(server.address.split(':').pop());
    serverPid = () => temporalServerPid(port);
  }
  cleanups.add(() => server.stop());
  const description = describeTemporal(kind);
  recordBenchTemporal({ server: kind, description });
  log(scope, `Temporal: ${description}`);
  const connection = await Connection.connect({ address: server.address });
  cleanups.add(() => connection.close());
  const client = new Client({ connection, namespace: NAMESPACE });

  // 3. The worker, in a process of its own.
  const workerConfig: WorkerProcessConfig = {
    address: server.address,
    namespace: NAMESPACE,
    databaseUrl: postgres.url,
    listingTaskQueue: LISTING_TASK_QUEUE,
    ...(opts.emptyWorker ? { emptyTaskQueue: EMPTY_TASK_QUEUE } : {}),
    ...(opts.maxCachedWorkflows !== undefined ? { maxCachedWorkflows: opts.maxCachedWorkflows } : {}),
  };
  let current: WorkerChild | undefined;
  const launch = async (): Promise<WorkerChild> => {
    const t0 = Date.now();
    const w = await startWorkerProcess(workerConfig, {
      onUnexpectedExit: (code) => {
        if (stopping) return;
        stopping = true;
        log(scope, `the worker process exited unexpectedly (${code}): stopping`);
        void cleanups.run(scope).then(() => process.exit(1));
      },
    });
    current = w;
    log(
      scope,
      `worker process ${w.pid} ready after ${((Date.now() - t0) / 1000).toFixed(1)} s (task queues: ${w.settings.map((s) => s.taskQueue).join(', ')})`,
    );
    return w;
  };
  const worker = await launch();
  cleanups.add(async () => {
    await current?.stop();
  });

  // 4. The API, in this process, on a real port, with the audit sequencer that runs beside it in production (its cost
  // is part of every audited figure).
  let apiBase = '';
  if (opts.api) {
    const auditSigner = auditSignerOf(generateAuditSigningKey());
    const sequencer = startAuditSequencer({ db, databaseUrl: postgres.url, signer: auditSigner });
    cleanups.add(() => sequencer.stop());
    const app = await buildApp(
      { db, temporal: client, taskQueue: LISTING_TASK_QUEUE, jwtSecret: JWT_SECRET, auditSigner },
      pino({ level: process.env.BENCH_API_LOG ?? 'silent' }),
    );
    apiBase = await app.listen({ host: '127.0.0.1', port: 0 });
    cleanups.add(() => app.close());
    log(scope, `API on ${apiBase}`);
  }

  const tokens = new Map<string, string>();
  const system: BenchSystem = {
    name: opts.name,
    postgres,
    database,
    databaseUrl: postgres.url,
    superuserUrl: postgres.superuserUrl,
    db,
    temporal: { address: server.address, uiUrl: server.uiUrl, dbFile, server: kind, description, pid: serverPid },
    connection,
    client,
    worker,
    restartWorker: async () => {
      const w = await launch();
      system.worker = w;
      return w;
    },
    apiBase,
    token: (claims) => {
      const id = JSON.stringify(claims);
      let token = tokens.get(id);
      if (token === undefined) tokens.set(id, (token = mintToken(claims, JWT_SECRET, 24 * 3600)));
      return token;
    },
  };
  return system;
}

/** Postgres version and the settings that shape the figures. */
/** Starts the baseline's empty workflow (bench/workflows) on EMPTY_TASK_QUEUE under a new id, and answers that id. */
export async function startEmptyWorkflow(sys: Pick<BenchSystem, 'client'>, input: EmptyWorkflowInput): Promise<string> {
  const id = `empty-${randomUUID()}`;
  await sys.client.workflow.start(EMPTY_WORKFLOW_TYPE, { taskQueue: EMPTY_TASK_QUEUE, workflowId: id, args: [input] });
  return id;
}

export async function postgresInfo(url: string): Promise<Record<string, string>> {
  const pg = new PgClient({ connectionString: url });
  await pg.connect();
  try {
    return (
      await pg.query<Record<string, string>>(
        `SELECT current_setting('server_version') AS version, current_setting('shared_buffers') AS shared_buffers,
                current_setting('work_mem') AS work_mem, current_setting('synchronous_commit') AS synchronous_commit,
                current_setting('max_connections') AS max_connections`,
      )
    ).rows[0]!;
  } finally {
    await pg.end();
  }
}

/** A CPU meter over the parts of this system (bench process, worker, Temporal server, Postgres). */
export function cpuMeter(sys: BenchSystem): CpuMeter {
  return new CpuMeter({
    worker: () => (sys.worker.exited ? undefined : sys.worker.pid),
    temporal: sys.temporal.pid(),
    postgres: postmasterPid(sys.postgres.clusterDir),
  });
}

/**
 * Waits until the worker has nothing in flight, twice in a row a poll apart (or `timeoutMs` passed), so that what a
 * window of operations left behind (their projections, their timers) is done before its CPU is read.
 */
export async function workerIdle(worker: Pick<WorkerChild, 'status'>, timeoutMs: number): Promise<void> {
  let quiet = 0;
  await waitUntil(async () => {
    const s = await worker.status();
    const busy = s.workers.some((w) => w.numInFlightWorkflowActivations > 0 || w.numInFlightActivities > 0);
    quiet = busy ? 0 : quiet + 1;
    return quiet >= 2;
  }, timeoutMs);
}
