import { randomUUID } from 'node:crypto';
import { NativeConnection } from '@temporalio/worker';
import { createDb, type Db } from '../../db/client';
import { buildWorker } from '../../worker';
import { testEnv } from '../support/test-env';
import { ifStarted } from '../support/teardown';

/**
 * How a worker polls for workflow tasks (worker.ts WORKFLOW_TASK_POLLS). A new case's first task comes on the task
 * queue, where the SDK's default share leaves two of its ten polls: cases opened at once waited on those (issue 23).
 */
let db: Db;
let native: NativeConnection;

beforeAll(async () => {
  const env = testEnv();
  db = createDb(env.databaseUrl);
  native = await NativeConnection.connect({ address: env.temporalAddress });
});

afterAll(async () => {
  await ifStarted(native)?.close();
  await ifStarted(db)?.$disconnect();
});

it('polls as many workflow tasks on the task queue as on its sticky queue', async () => {
  const worker = await buildWorker({
    connection: native,
    namespace: 'default',
    taskQueue: `test-polls-${randomUUID()}`,
    db,
    options: { workflowBundle: { codePath: testEnv().workflowBundlePath } },
  });
  const running = worker.run();
  try {
    // Ten polls, the task queue's share of them 0.2 by default.
    expect(worker.options.workflowTaskPollerBehavior).toEqual({ type: 'simple-maximum', maximum: 10 });
    expect(worker.options.nonStickyToStickyPollRatio).toBe(0.5);
  } finally {
    worker.shutdown();
    await running;
  }
});
