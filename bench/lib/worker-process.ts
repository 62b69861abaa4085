/**
 * The worker in a process of its own, as `npm start` runs it (`worker.ts`), for the benchmarks: its
 * resident memory is then the worker's alone, and it can be killed and restarted like a real one.
 *
 * Started by `startWorkerProcess()` (bench/lib/worker-child.ts) with `node --import tsx` (one process,
 * no tsx wrapper in between) and a Node IPC channel. Configuration comes as JSON in the environment
 * variable BENCH_WORKER (see WorkerProcessConfig). It runs:
 *   - the project's worker (`buildWorker` from worker.ts: every procedure's workflows and activities)
 *     on `listingTaskQueue`, bundling the workflows at start-up as `npm run start:worker` does;
 *   - optionally the baseline worker (bench/workflows: `emptyWorkflow`) on `emptyTaskQueue`.
 *
 * Messages to the parent: {type:'phase', name, at} for each start-up step (epoch ms), then
 * {type:'ready', settings}; it answers {type:'status', id} with memory and cache figures and stops
 * gracefully on {type:'stop'} (SIGTERM works too; SIGKILL is the crash the restart figure simulates).
 */
import { performance } from 'node:perf_hooks';
import { getHeapStatistics } from 'node:v8';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { buildWorker, DEFAULT_WORKFLOW_STACK_FRAMES, withWorkflowStackFrames, WORKFLOW_TASK_POLLS } from '../../worker';
import { workflowBundle } from '../../scripts/build-workflows';
import { CALENDAR_MAX_AGE_MS } from '../../activities/calendar';
import { createDb } from '../../db/client';
import { defaultCachedCases } from '../../config/config';
import { errorText } from '../../scripts/lib/paths';
import { workflowThreadsPreloaded } from '../../scripts/lib/worker-flags';

export interface WorkerProcessConfig {
  address: string;
  namespace: string;
  databaseUrl: string;
  /** The project's worker; omitted: none. */
  listingTaskQueue?: string;
  /** The baseline worker (bench/workflows); omitted: none. */
  emptyTaskQueue?: string;
  /**
   * A bundle of workflows/ (`bundleWorkflowCode` output); omitted: the worker's own choice, as in production (the
   * bundle `npm run build:workflows` made while it matches the sources, else one built at start-up).
   */
  listingBundlePath?: string;
  /**
   * The project worker's cache, in cases, and the empty worker's; omitted: the project's default for this process's heap
   * (config/config.ts defaultCachedCases), as in production.
   */
  maxCachedWorkflows?: number;
  logLevel?: 'WARN' | 'INFO' | 'ERROR';
}

/** The settings a worker runs with, as Worker.create compiled them (defaults filled in). */
export interface WorkerSettings {
  taskQueue: string;
  maxCachedWorkflows: number;
  stickyQueueScheduleToStartTimeoutMs: number;
  nonStickyToStickyPollRatio: number;
  /** Workflow task polls at once, a share of them (nonStickyToStickyPollRatio) on the task queue itself. */
  maxConcurrentWorkflowTaskPolls: number | null;
  maxConcurrentWorkflowTaskExecutions: number | null;
  maxConcurrentActivityTaskExecutions: number | null;
  reuseV8Context: boolean | null;
  workflowThreadPoolSize: number;
  /** Stack frames its workflow threads capture (worker.ts DEFAULT_WORKFLOW_STACK_FRAMES), the same for both workers. */
  workflowStackFrames: number;
  /** Whether its workflow threads, which capture no stack frames, run without the SDK's promise hook, as worker.ts's do. */
  workflowPromiseHookOff: boolean;
  /** V8 heap limit of the worker process, from which maxCachedWorkflows's default is derived. */
  maxHeapMemoryMiB: number;
  bundled: 'at start-up' | 'pre-built';
}

export interface WorkerStatusReport {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  workers: {
    taskQueue: string;
    state: string;
    numCachedWorkflows: number;
    numInFlightWorkflowActivations: number;
    numInFlightActivities: number;
  }[];
}

export type WorkerMessage =
  | { type: 'phase'; name: string; at: number }
  | { type: 'ready'; settings: WorkerSettings[] }
  | { type: 'status'; id: number; status: WorkerStatusReport }
  | { type: 'error'; message: string };

export type ParentMessage = { type: 'status'; id: number } | { type: 'stop' };

const send = (m: WorkerMessage): void => {
  process.send?.(m);
};

function settingsOf(w: Worker, bundled: WorkerSettings['bundled']): WorkerSettings {
  // `options` is the compiled form: every default Worker.create applies is filled in.
  const o = w.options as unknown as Record<string, unknown>;
  // Concurrency limits live in the compiled tuner as fixed-size slot suppliers (unless a resource-based tuner is set).
  const tuner = (o.tuner ?? {}) as Record<string, { type?: string; numSlots?: number } | undefined>;
  const slots = (k: string): number | null => {
    const supplier = tuner[k];
    return supplier?.type === 'fixed-size' && typeof supplier.numSlots === 'number' ? supplier.numSlots : null;
  };
  const polls = o.workflowTaskPollerBehavior as { type?: string; maximum?: number } | undefined;
  // maxCachedWorkflows's default is derived from this process's V8 heap limit.
  const heap = getHeapStatistics().heap_size_limit;
  return {
    taskQueue: w.options.taskQueue,
    maxCachedWorkflows: w.options.maxCachedWorkflows,
    stickyQueueScheduleToStartTimeoutMs: w.options.stickyQueueScheduleToStartTimeoutMs,
    nonStickyToStickyPollRatio: w.options.nonStickyToStickyPollRatio,
    maxConcurrentWorkflowTaskPolls: polls?.type === 'simple-maximum' && typeof polls.maximum === 'number' ? polls.maximum : null,
    maxConcurrentWorkflowTaskExecutions: slots('workflowTaskSlotSupplier'),
    maxConcurrentActivityTaskExecutions: slots('activityTaskSlotSupplier'),
    reuseV8Context: typeof o.reuseV8Context === 'boolean' ? o.reuseV8Context : null,
    workflowThreadPoolSize: w.options.workflowThreadPoolSize,
    workflowStackFrames: DEFAULT_WORKFLOW_STACK_FRAMES,
    workflowPromiseHookOff: workflowThreadsPreloaded(),
    maxHeapMemoryMiB: Math.round(heap / 2 ** 20),
    bundled,
  };
}

async function main(): Promise<void> {
  // Node started this process at performance.timeOrigin; the module graph (SDK, Prisma, the project) is loaded now.
  send({ type: 'phase', name: 'process', at: Math.round(performance.timeOrigin) });
  send({ type: 'phase', name: 'modules', at: Date.now() });
  const cfg = JSON.parse(process.env.BENCH_WORKER ?? '{}') as WorkerProcessConfig;
  if (!cfg.address || !cfg.databaseUrl) throw new Error('BENCH_WORKER must name address and databaseUrl');
  Runtime.install({ logger: new DefaultLogger(cfg.logLevel ?? 'WARN') });

  const connection = await NativeConnection.connect({ address: cfg.address });
  // A client for activities that act on another case's workflow, as worker.ts's main() passes one.
  const clientConnection = await Connection.connect({ address: cfg.address });
  const temporal = new Client({ connection: clientConnection, namespace: cfg.namespace });
  const db = createDb(cfg.databaseUrl);
  send({ type: 'phase', name: 'connected', at: Date.now() });

  const workers: Worker[] = [];
  const settings: WorkerSettings[] = [];
  if (cfg.listingTaskQueue) {
    // Built as a variable, not an object literal in the call: buildWorker's dependencies grow (the client
    // arrived with the objection procedure); a field it does not know yet is then ignored, not a type error.
    const bundle = cfg.listingBundlePath ? { codePath: cfg.listingBundlePath, how: 'pre-built' as const } : await workflowBundle();
    send({ type: 'phase', name: 'workflow bundle', at: Date.now() });
    const deps = {
      connection,
      namespace: cfg.namespace,
      taskQueue: cfg.listingTaskQueue,
      db,
      temporal,
      options: {
        workflowBundle: { codePath: bundle.codePath },
        ...(cfg.maxCachedWorkflows !== undefined ? { maxCachedWorkflows: cfg.maxCachedWorkflows } : {}),
      },
      // As worker.ts's main() runs it.
      calendarMaxAgeMs: CALENDAR_MAX_AGE_MS,
    };
    const w = await buildWorker(deps);
    workers.push(w);
    settings.push(settingsOf(w, bundle.how === 'pre-built' ? 'pre-built' : 'at start-up'));
    send({ type: 'phase', name: 'listing worker created', at: Date.now() });
  }
  const emptyTaskQueue = cfg.emptyTaskQueue;
  if (emptyTaskQueue) {
    // Its workflow threads capture as many stack frames as the project worker's, and preload its modules as the
    // project's bundle does (scripts/build-workflows.ts): every promise and every workflow's start cost both the same.
    const w = await withWorkflowStackFrames(DEFAULT_WORKFLOW_STACK_FRAMES, () =>
      Worker.create({
        connection,
        namespace: cfg.namespace,
        taskQueue: emptyTaskQueue,
        // It polls as the project worker does: with the SDK's share a new workflow's first task waits on two polls.
        ...WORKFLOW_TASK_POLLS,
        // It holds as many workflows as the project worker: the SDK's work per task grows with the workflows held.
        maxCachedWorkflows: cfg.maxCachedWorkflows ?? defaultCachedCases(getHeapStatistics().heap_size_limit),
        workflowsPath: require.resolve('../workflows'),
        bundlerOptions: { preloadModules: [require.resolve('../workflows')] },
      }),
    );
    workers.push(w);
    settings.push(settingsOf(w, 'at start-up'));
    send({ type: 'phase', name: 'empty worker created', at: Date.now() });
  }

  const stop = (): void => {
    for (const w of workers) if (w.getState() === 'RUNNING') w.shutdown();
  };
  process.on('message', (m: ParentMessage) => {
    if (m.type === 'stop') stop();
    else {
      const mem = process.memoryUsage();
      send({
        type: 'status',
        id: m.id,
        status: {
          rss: mem.rss,
          heapUsed: mem.heapUsed,
          heapTotal: mem.heapTotal,
          external: mem.external,
          workers: workers.map((w) => {
            const s = w.getStatus();
            return {
              taskQueue: w.options.taskQueue,
              state: s.runState,
              numCachedWorkflows: s.numCachedWorkflows,
              numInFlightWorkflowActivations: s.numInFlightWorkflowActivations,
              numInFlightActivities: s.numInFlightActivities,
            };
          }),
        },
      });
    }
  });
  // The parent going away (a crashed benchmark) ends the worker too.
  process.on('disconnect', stop);

  const running = Promise.all(workers.map((w) => w.run()));
  send({ type: 'phase', name: 'running', at: Date.now() });
  send({ type: 'ready', settings });
  await running;
  await db.$disconnect();
  await clientConnection.close();
  await connection.close();
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    send({ type: 'error', message: errorText(err) });
    process.stderr.write(`[bench worker] ${errorText(err)}\n`);
    process.exit(1);
  },
);
