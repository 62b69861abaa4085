import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { Client, Connection } from '@temporalio/client';
import { createActivities } from './activities';
import { auditSignerOfConfig, loadConfig, ConfigError } from './config/config';
import { temporalConnectionOptions } from './config/temporal';
import { createDb, type Db } from './db/client';
import { startAuditSequencer } from './db/audit-sequencer';
import { createLogger } from './api/logger';
import { CALENDAR_WATCH_ID } from './workflows/calendar-watch/workflow';

export interface WorkerDeps {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  db: Db;
  /** For activities that act on another case's workflow (an objection or a repair ending a listing). */
  temporal?: Client;
  options?: Partial<WorkerOptions>;
}

/** Builds a worker serving every procedure's workflows and activities on one task queue. */
export async function buildWorker(deps: WorkerDeps): Promise<Worker> {
  return Worker.create({
    connection: deps.connection,
    namespace: deps.namespace,
    taskQueue: deps.taskQueue,
    activities: createActivities({ db: deps.db, ...(deps.temporal ? { temporal: deps.temporal } : {}) }),
    ...(deps.options?.workflowBundle ? {} : { workflowsPath: require.resolve('./workflows') }),
    ...deps.options,
  });
}

/** Starts the calendar watch (workflows/calendar-watch) unless it runs already; every worker may call it. */
export async function ensureCalendarWatch(client: Client, taskQueue: string): Promise<void> {
  await client.workflow.start('calendarWatchWorkflow', {
    workflowId: CALENDAR_WATCH_ID,
    taskQueue,
    args: [],
    workflowIdConflictPolicy: 'USE_EXISTING',
  });
}

async function main(): Promise<void> {
  const cfg = loadConfig();
  const log = createLogger(cfg.LOG_LEVEL).child({ component: 'worker' });
  const connection = await NativeConnection.connect(temporalConnectionOptions(cfg));
  const clientConnection = await Connection.connect(temporalConnectionOptions(cfg));
  const db = createDb(cfg.DATABASE_URL);
  const client = new Client({ connection: clientConnection, namespace: cfg.TEMPORAL_NAMESPACE });
  const worker = await buildWorker({
    connection,
    namespace: cfg.TEMPORAL_NAMESPACE,
    taskQueue: cfg.TEMPORAL_TASK_QUEUE,
    db,
    temporal: client,
  });
  // A missing watch only delays warnings (GET /v1/calendar/status raises them too): never a reason not to serve cases.
  await ensureCalendarWatch(client, cfg.TEMPORAL_TASK_QUEUE).catch((err: unknown) => {
    log.warn({ err: (err as Error).message }, 'calendar watch not started');
  });
  log.info({ taskQueue: cfg.TEMPORAL_TASK_QUEUE, namespace: cfg.TEMPORAL_NAMESPACE }, 'worker started');
  const auditSequencer = startAuditSequencer({
    db,
    databaseUrl: cfg.DATABASE_URL,
    signer: auditSignerOfConfig(cfg),
    log: log.child({ component: 'audit-sequencer' }),
  });
  // Worker.run() installs SIGINT/SIGTERM handlers and drains in-flight tasks before it resolves.
  await worker.run();
  await auditSequencer.stop();
  await db.$disconnect();
  await clientConnection.close();
  await connection.close();
  log.info('worker stopped');
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err instanceof ConfigError ? err.message : err);
    process.exit(1);
  });
}
