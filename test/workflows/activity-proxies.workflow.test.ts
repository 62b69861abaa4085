import { randomUUID } from 'node:crypto';
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { temporal } from '@temporalio/proto';
import { bundleTestWorkflows, startTimeSkippingServer } from '../support/time-skipping';
import { localFirstProbe, verdictProbe, type ProbeActivities } from './fixtures/local-first.workflow';
import { LOCAL_FIRST_PATCH } from '../../workflows/common/activity-proxies';
import { ifStarted } from '../support/teardown';

/**
 * The case activities run locally first and fall back to an ordinary activity (workflows/common/
 * activity-proxies.ts): checked on the time-skipping server by what each call leaves in history.
 */
let env: TestWorkflowEnvironment;
let workflowBundle: { code: string };
const attempts = new Map<string, number>();
let verdictCalls = 0;

const activities: ProbeActivities = {
  flaky(key, failures) {
    const attempt = (attempts.get(key) ?? 0) + 1;
    attempts.set(key, attempt);
    if (attempt <= failures) return Promise.reject(new Error(`outage, attempt ${attempt}`));
    return Promise.resolve({ local: Context.current().info.isLocal, attempt });
  },
  verdict() {
    verdictCalls += 1;
    return Promise.reject(ApplicationFailure.create({ type: 'NotAllowed', message: 'the record is closed', nonRetryable: true }));
  },
};

beforeAll(async () => {
  env = await startTimeSkippingServer();
  workflowBundle = await bundleTestWorkflows(require.resolve('./fixtures/local-first.workflow'));
}, 120_000);
afterAll(async () => {
  await ifStarted(env)?.teardown();
});

async function run<T>(fn: (taskQueue: string) => Promise<T>): Promise<T> {
  const taskQueue = `local-first-${randomUUID()}`;
  const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle, activities });
  return worker.runUntil(fn(taskQueue));
}

async function eventTypes(workflowId: string): Promise<string[]> {
  const h = await env.client.workflow.getHandle(workflowId).fetchHistory();
  return (h.events ?? []).map((e) => temporal.api.enums.v1.EventType[e.eventType ?? 0] ?? String(e.eventType));
}

it('runs a step as a local activity: a marker in history, no activity task', async () => {
  const id = `probe-${randomUUID()}`;
  const result = await run((taskQueue) => env.client.workflow.execute(localFirstProbe, { taskQueue, workflowId: id, args: [0] }));
  expect(result).toEqual({ local: true, attempt: 1 });
  const history = await env.client.workflow.getHandle(id).fetchHistory();
  const markers = history.events!.flatMap((e) => (e.markerRecordedEventAttributes ? [e.markerRecordedEventAttributes] : []));
  expect(markers.map((m) => m.markerName)).toEqual(['core_patch', 'core_local_activity']);
  expect(JSON.stringify(markers[0]!.details)).toContain(Buffer.from(JSON.stringify(LOCAL_FIRST_PATCH)).toString('base64'));
  expect((await eventTypes(id)).some((t) => t.includes('ACTIVITY_TASK_SCHEDULED'))).toBe(false);
});

it('hands a step that keeps failing locally to an ordinary activity, which retries it until it succeeds', async () => {
  const id = `probe-${randomUUID()}`;
  // 3 local tries fail, then the ordinary activity fails twice more and succeeds on its third attempt.
  const result = await run((taskQueue) => env.client.workflow.execute(localFirstProbe, { taskQueue, workflowId: id, args: [5] }));
  expect(result).toEqual({ local: false, attempt: 6 });
  const types = await eventTypes(id);
  expect(types.filter((t) => t.includes('ACTIVITY_TASK_SCHEDULED'))).toHaveLength(1);
  expect(types.some((t) => t.includes('ACTIVITY_TASK_FAILED'))).toBe(false);
});

it('throws a verdict to the workflow at once, without retrying it remotely', async () => {
  const id = `probe-${randomUUID()}`;
  verdictCalls = 0;
  const result = await run((taskQueue) => env.client.workflow.execute(verdictProbe, { taskQueue, workflowId: id }));
  expect(result).toBe('NotAllowed: the record is closed');
  expect(verdictCalls).toBe(1);
  expect((await eventTypes(id)).some((t) => t.includes('ACTIVITY_TASK_SCHEDULED'))).toBe(false);
});
