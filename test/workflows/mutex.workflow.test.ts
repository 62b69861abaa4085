import { randomUUID } from 'node:crypto';
import { NativeConnection, Worker } from '@temporalio/worker';
import { Client, Connection, WorkflowUpdateStage } from '@temporalio/client';
import { bundleTestWorkflows } from '../support/time-skipping';
import { testEnv } from '../support/test-env';
import { enterUpdate, lockStateQuery, mutexProbeWorkflow } from './fixtures/mutex-probe.workflow';
import { ifStarted } from '../support/teardown';

/**
 * The case lock (workflows/common/mutex.ts) when Updates arrive together: they are sent while no worker
 * polls, so the first workflow task delivers them all in one activation, as a double-click on a busy
 * worker does. One at a time, first come first served. On the real dev server: the time-skipping server
 * does not deliver Updates sent before a workflow's first task.
 */
let connection: Connection;
let native: NativeConnection;
let client: Client;
let workflowBundle: { code: string };
beforeAll(async () => {
  connection = await Connection.connect({ address: testEnv().temporalAddress });
  native = await NativeConnection.connect({ address: testEnv().temporalAddress });
  client = new Client({ connection });
  workflowBundle = await bundleTestWorkflows(require.resolve('./fixtures/mutex-probe.workflow'));
}, 120_000);
afterAll(async () => {
  await ifStarted(native)?.close();
  await ifStarted(connection)?.close();
});

it('lets one handler in at a time, in the order the Updates came, when they arrive in one activation', async () => {
  const taskQueue = `mutex-${randomUUID()}`;
  const h = await client.workflow.start(mutexProbeWorkflow, {
    taskQueue,
    workflowId: `mutex-${randomUUID()}`,
    args: [4],
  });
  const names = ['a', 'b', 'c', 'd'];
  const updates: Promise<unknown>[] = [];
  for (const n of names) {
    updates.push(h.startUpdate(enterUpdate, { args: [n], waitForStage: WorkflowUpdateStage.ACCEPTED }).then((u) => u.result()));
    await new Promise((r) => setTimeout(r, 100)); // admitted in this order
  }
  const worker = await Worker.create({ connection: native, taskQueue, workflowBundle });
  await worker.runUntil(async () => {
    await Promise.all(updates);
    await h.result();
  });
  const answers = (await Promise.all(updates)) as string[][];
  // Each handler saw the ones before it, in the order they came, and never shared the lock.
  expect(answers).toEqual(names.map((_, i) => names.slice(0, i + 1)));
  const worker2 = await Worker.create({ connection: native, taskQueue, workflowBundle });
  const state = await worker2.runUntil(h.query(lockStateQuery));
  expect(state).toEqual({ maxInside: 1, order: names });
});
