import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { Client, Connection } from '@temporalio/client';
import { createActivities } from './activities';
import { CALENDAR_MAX_AGE_MS } from './activities/calendar';
import { auditSignerOfConfig, defaultCachedCases, loadConfig, ConfigError, workerCachedCasesOf } from './config/config';
import { temporalConnectionOptions } from './config/temporal';
import { createDb, type Db } from './db/client';
import { startAuditSequencer } from './db/audit-sequencer';
import { createLogger } from './api/logger';
import { CALENDAR_WATCH_ID } from './workflows/calendar-watch/workflow';
import { workflowBundle } from './scripts/build-workflows';
import { WORKER_NODE_FLAGS, workflowThreadsPreloaded } from './scripts/lib/worker-flags';
import { REMINDERS_ID } from './workflows/reminders/workflow';
import type { ExchangeAdapter } from './exchange/adapter';
import { httpExchangeAdapter } from './exchange/http-adapter';
import { EXCHANGE_DELIVERY_ID, EXCHANGE_RECONCILIATION_ID } from './workflows/exchange/ids';
import type { ElectronicServiceDeps } from './activities/electronic-service';
import { deliveryOfConfig } from './messaging/delivery-config';

/**
 * How long a workflow task waits on the sticky queue of the worker that has its case cached before any worker may take
 * it (replaying the history). The SDK's 10 s is what a case on a dead worker waited (issue 23); a live worker takes its
 * sticky tasks in milliseconds, so 3 s leaves a busy one ample room and a dead one's cases move on soon.
 */
export const STICKY_QUEUE_TIMEOUT = '3 seconds';

/**
 * The share of the worker's workflow task polls (the SDK's 10) that wait on the task queue itself rather than on its
 * sticky queue. A new case's first task (its opening) comes on the task queue; an action on a case the worker holds, on
 * the sticky queue. The SDK's 0.2 leaves two polls on the task queue: cases opened at 32 clients on the full server
 * waited on those two with the cores not full (issue 23: 103 and 116 cases/s, then 108 and 127 with half the polls
 * there, in paired runs). Half leaves five on the sticky queue, where actions were taken as fast as with eight.
 */
export const WORKFLOW_TASK_POLLS = { nonStickyToStickyPollRatio: 0.5 } as const;

/**
 * How many stack frames the workflow threads capture (WORKFLOW_STACK_FRAMES; V8's default is 10). The SDK's promise
 * hook captures a stack for every promise a workflow makes and maps each frame through the bundle's source map, for
 * the Temporal UI's stack-trace view (temporalio/sdk-typescript#1587). Measured on the worker here (an Update making
 * 20,000 promises): about 135 µs a promise at 10 frames, 45-85 at 3, 50 at 1 and 30 at none, the first frame bringing
 * in the source map. A served notice makes some 45 promises, a statement some 25. So by default the
 * workflow threads keep none: a workflow task that fails shows its error's message without a location, and its stack
 * shows on its next attempt once the workers run with WORKFLOW_STACK_FRAMES=10 (a failed task is retried until it
 * passes). The activities, in the main thread, keep Node's default. With no frames the hook itself still cost about 30 µs
 * a promise (a function compiled for each), so in a worker process started with WORKER_NODE_FLAGS such threads have no
 * promise hook at all (workflow-threads.cjs).
 */
export const DEFAULT_WORKFLOW_STACK_FRAMES = 0;
const NODE_STACK_FRAMES = 10;

/**
 * Creates a worker whose workflow threads capture `frames` stack frames: a V8 context takes its Error.stackTraceLimit
 * from the flag when it is created, and the workflow threads' contexts are created within Worker.create. Every context
 * created afterwards (and this thread's own) keeps Node's default.
 */
export async function withWorkflowStackFrames<T>(frames: number, create: () => Promise<T>): Promise<T> {
  setFlagsFromString(`--stack-trace-limit=${frames}`);
  try {
    return await create();
  } finally {
    setFlagsFromString(`--stack-trace-limit=${NODE_STACK_FRAMES}`);
  }
}

export interface WorkerDeps {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  db: Db;
  /** For activities that act on another case's workflow (an objection or a repair ending a listing). */
  temporal?: Client;
  options?: Partial<WorkerOptions>;
  /** Told when the pre-built workflow bundle does not match the sources, so the worker bundles them at start-up. */
  onBundling?: (why: string) => void;
  /** Stack frames the workflow threads capture (DEFAULT_WORKFLOW_STACK_FRAMES by default). */
  workflowStackFrames?: number;
  /** How long the activities compute on the calendar they read (activities/calendar.ts); every time by default. */
  calendarMaxAgeMs?: number;
  /**
   * Where e-mails and SMS go (SMTP_URL, SMS_GATEWAY_URL) and the console's address for their links: documents served
   * electronically and the reminders. Nothing is sent without a messenger.
   */
  delivery?: ElectronicServiceDeps;
  /** The platform the exchange's outbox is delivered to; none (no EXCHANGE_URL): the outbox fills and waits. */
  exchange?: ExchangeAdapter | null;
}

/**
 * Builds a worker serving every procedure's workflows and activities on one task queue. The workflows come from the
 * bundle `npm run build:workflows` made when it matches the sources (scripts/build-workflows.ts), else from one built
 * now: bundling took most of a worker's start-up. It holds defaultCachedCases cases unless `options` says otherwise.
 */
export async function buildWorker(deps: WorkerDeps): Promise<Worker> {
  const bundle = deps.options?.workflowBundle ?? { codePath: (await workflowBundle({ onRebuild: deps.onBundling })).codePath };
  return withWorkflowStackFrames(deps.workflowStackFrames ?? DEFAULT_WORKFLOW_STACK_FRAMES, () =>
    Worker.create({
      connection: deps.connection,
      namespace: deps.namespace,
      taskQueue: deps.taskQueue,
      activities: createActivities({
        db: deps.db,
        ...(deps.temporal ? { temporal: deps.temporal } : {}),
        ...(deps.calendarMaxAgeMs !== undefined ? { calendarMaxAgeMs: deps.calendarMaxAgeMs } : {}),
        ...(deps.delivery ? { delivery: deps.delivery } : {}),
        exchange: deps.exchange ?? null,
      }),
      stickyQueueScheduleToStartTimeout: STICKY_QUEUE_TIMEOUT,
      ...WORKFLOW_TASK_POLLS,
      maxCachedWorkflows: defaultCachedCases(getHeapStatistics().heap_size_limit),
      ...deps.options,
      workflowBundle: bundle,
    }),
  );
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

/** Starts the reminders (workflows/reminders) unless they run already; every worker may call it. */
export async function ensureReminders(client: Client, taskQueue: string): Promise<void> {
  await client.workflow.start('remindersWorkflow', {
    workflowId: REMINDERS_ID,
    taskQueue,
    args: [{}],
    workflowIdConflictPolicy: 'USE_EXISTING',
  });
}

/** The reference protocol's adapter (docs/exchange.md) when EXCHANGE_URL is set; null otherwise. */
export function exchangeAdapterOf(cfg: {
  EXCHANGE_URL?: string | undefined;
  EXCHANGE_SECRET?: string | undefined;
}): ExchangeAdapter | null {
  return cfg.EXCHANGE_URL ? httpExchangeAdapter({ baseUrl: cfg.EXCHANGE_URL, secret: cfg.EXCHANGE_SECRET }) : null;
}

/** Starts the exchange's delivery and daily reconciliation (workflows/exchange/) unless they run already. */
export async function ensureExchangeWorkflows(client: Client, taskQueue: string): Promise<void> {
  await client.workflow.start('exchangeDeliveryWorkflow', {
    workflowId: EXCHANGE_DELIVERY_ID,
    taskQueue,
    args: [{}],
    workflowIdConflictPolicy: 'USE_EXISTING',
  });
  await client.workflow.start('exchangeReconciliationWorkflow', {
    workflowId: EXCHANGE_RECONCILIATION_ID,
    taskQueue,
    args: [[]],
    workflowIdConflictPolicy: 'USE_EXISTING',
  });
}

async function main(): Promise<void> {
  const cfg = loadConfig();
  const cachedCases = workerCachedCasesOf(cfg, getHeapStatistics().heap_size_limit);
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
    // Calendars change through the loader, which tells every case it concerns (workflows/common/legal-clock.ts).
    calendarMaxAgeMs: CALENDAR_MAX_AGE_MS,
    workflowStackFrames: cfg.WORKFLOW_STACK_FRAMES,
    ...(cachedCases !== undefined ? { options: { maxCachedWorkflows: cachedCases } } : {}),
    delivery: deliveryOfConfig(cfg),
    exchange: exchangeAdapterOf(cfg),
    onBundling: (why) => {
      log.warn({ why }, 'bundling the workflows at start-up (npm run build:workflows saves this)');
    },
  });
  // A missing watch only delays warnings (GET /v1/calendar/status raises them too): never a reason not to serve cases.
  await ensureCalendarWatch(client, cfg.TEMPORAL_TASK_QUEUE).catch((err: unknown) => {
    log.warn({ err: (err as Error).message }, 'calendar watch not started');
  });
  // Missing reminders delay mails, never cases: a worker that cannot start them still serves.
  await ensureReminders(client, cfg.TEMPORAL_TASK_QUEUE).catch((err: unknown) => {
    log.warn({ err: (err as Error).message }, 'reminders not started');
  });
  await ensureExchangeWorkflows(client, cfg.TEMPORAL_TASK_QUEUE).catch((err: unknown) => {
    log.warn({ err: (err as Error).message }, 'exchange delivery not started');
  });
  if (!cfg.EXCHANGE_URL) log.warn('no EXCHANGE_URL: the exchange outbox fills and waits (docs/exchange.md)');
  const stackFrames = cfg.WORKFLOW_STACK_FRAMES;
  const preloaded = workflowThreadsPreloaded();
  if (stackFrames === 0 && !preloaded) {
    log.warn(
      { flags: WORKER_NODE_FLAGS.join(' ') },
      'started without the workflow threads’ preload: the SDK’s promise hook runs for every promise a workflow makes',
    );
  }
  log.info(
    {
      taskQueue: cfg.TEMPORAL_TASK_QUEUE,
      namespace: cfg.TEMPORAL_NAMESPACE,
      cachedCases: worker.options.maxCachedWorkflows,
      workflowStackTraces: stackFrames > 0 ? `${stackFrames} frames` : preloaded ? 'off' : 'empty',
    },
    'worker started',
  );
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
