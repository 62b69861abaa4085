import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { createDb, type Db } from '../../db/client';
import { buildWorker, DEFAULT_WORKFLOW_STACK_FRAMES } from '../../worker';
import { testEnv } from '../support/test-env';
import { until } from '../support/until';
import { ifStarted } from '../support/teardown';
import { endWorkerSingletons, startWorkerProcess, type WorkerProcess } from '../support/worker-process';

/**
 * The stack frames a worker's workflow threads capture (WORKFLOW_STACK_FRAMES, worker.ts): none by default, as the
 * SDK's promise hook captures a stack for every promise a workflow makes (issue 23); as many as asked where an operator
 * wants to see where a workflow waits or failed. Seen through the Temporal UI's own stack-trace query.
 */
let db: Db;
let connection: Connection;
let native: NativeConnection;
let client: Client;

beforeAll(async () => {
  const env = testEnv();
  db = createDb(env.databaseUrl);
  native = await NativeConnection.connect({ address: env.temporalAddress });
  connection = await Connection.connect({ address: env.temporalAddress });
  client = new Client({ connection, namespace: 'default' });
});

afterAll(async () => {
  await ifStarted(connection)?.close();
  await ifStarted(native)?.close();
  await ifStarted(db)?.$disconnect();
});

/** The `__stack_trace` query of a workflow that sleeps, on a worker serving `taskQueue`. */
async function stackTraceOn(taskQueue: string): Promise<string> {
  // The calendar watch raises its warnings, then sleeps until the next morning.
  const h = await client.workflow.start('calendarWatchWorkflow', { taskQueue, workflowId: `stack-${randomUUID()}`, args: [] });
  try {
    await until('the workflow sleeps', async () => (await h.fetchHistory()).events?.some((e) => e.timerStartedEventAttributes), 20_000);
    return await h.query<string>('__stack_trace');
  } finally {
    await h.terminate('test over');
  }
}

/** The `__stack_trace` query of a workflow waiting in a sleep, on a worker whose workflow threads capture `frames`. */
async function stackTraceWith(frames: number | undefined): Promise<string> {
  const taskQueue = `test-stack-frames-${randomUUID()}`;
  const worker = await buildWorker({
    connection: native,
    namespace: 'default',
    taskQueue,
    db,
    ...(frames !== undefined ? { workflowStackFrames: frames } : {}),
    options: { workflowBundle: { codePath: testEnv().workflowBundlePath } },
  });
  const running = worker.run();
  try {
    return await stackTraceOn(taskQueue);
  } finally {
    worker.shutdown();
    await running;
  }
}

it('captures no frames by default, so a promise costs the least', async () => {
  expect(DEFAULT_WORKFLOW_STACK_FRAMES).toBe(0);
  const trace = await stackTraceWith(undefined);
  expect(trace).not.toMatch(/\bat\b/);
});

it('captures the frames asked for, naming where the workflow waits', async () => {
  const trace = await stackTraceWith(4);
  // The SDK leaves its own frames out: the line of the workflow's source where it sleeps.
  expect(trace).toMatch(/^\s+at .*workflows\/calendar-watch\/workflow\.ts:\d+:\d+\)$/m);
});

describe('a worker process, as npm run start:worker starts it', () => {
  const taskQueue = `test-stack-preload-${randomUUID()}`;

  afterAll(async () => {
    // The worker processes started the system's singletons on this task queue, where no worker serves them any more.
    await endWorkerSingletons(client, taskQueue);
  });

  async function withWorkerProcess<T>(opts: { nodeFlags?: readonly string[] }, use: (w: WorkerProcess) => Promise<T>): Promise<T> {
    const w = await startWorkerProcess({ taskQueue, env: { WORKFLOW_STACK_FRAMES: undefined }, ...opts });
    try {
      return await use(w);
    } finally {
      await w.stop();
    }
  }

  it('keeps no promise hook in its workflow threads, and the stack-trace view says stack traces are off', async () => {
    await withWorkerProcess({}, async (w) => {
      expect(w.log()).toMatch(/"workflowStackTraces":"off"[^\n]*"msg":"worker started"/);
      await expect(stackTraceOn(taskQueue)).rejects.toThrow(/stack traces are not enabled on this worker/);
    });
  }, 60_000);

  it('warns when started without the preload, whose workflow threads then capture empty stacks', async () => {
    await withWorkerProcess({ nodeFlags: [] }, async (w) => {
      expect(w.log()).toMatch(/started without the workflow threads’ preload/);
      expect(w.log()).toMatch(/"workflowStackTraces":"empty"/);
      expect(await stackTraceOn(taskQueue)).not.toMatch(/\bat\b/);
    });
  }, 60_000);
});
