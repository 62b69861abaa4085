import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { testEnv } from '../support/test-env';
import { ifStarted } from '../support/teardown';
import { endWorkerSingletons, startWorkerProcess } from '../support/worker-process';

/**
 * WORKER_CACHED_CASES: how many cases a worker process holds between their actions (config/config.ts). worker.ts in a
 * process of its own, as `npm run start:worker` runs it, says in its start-up line what it holds.
 */
const taskQueue = `test-cache-${randomUUID()}`;
let connection: Connection;

beforeAll(async () => {
  connection = await Connection.connect({ address: testEnv().temporalAddress });
});

afterAll(async () => {
  // The workers started the system's singletons on this file's task queue, where no worker serves them any more.
  const started = ifStarted(connection);
  if (started) await endWorkerSingletons(new Client({ connection: started, namespace: 'default' }), taskQueue);
  await started?.close();
});

function cachedCasesLogged(log: string): number | undefined {
  const line = log.split('\n').find((l) => l.includes('worker started'));
  return line ? (JSON.parse(line) as { cachedCases?: number }).cachedCases : undefined;
}

it('holds as many cases as WORKER_CACHED_CASES says, and 1,000 without it, or one per MiB of a heap limit that holds fewer', async () => {
  const set = await startWorkerProcess({ taskQueue, env: { WORKER_CACHED_CASES: '37' } });
  try {
    expect(cachedCasesLogged(set.log())).toBe(37);
  } finally {
    await set.stop();
  }
  const unset = await startWorkerProcess({ taskQueue, env: { WORKER_CACHED_CASES: undefined, NODE_OPTIONS: '--max-old-space-size=4096' } });
  try {
    // Not the SDK's default for that heap limit (2,310): its core walks every case held on every task (config/config.ts).
    expect(cachedCasesLogged(unset.log())).toBe(1000);
  } finally {
    await unset.stop();
  }
  const small = await startWorkerProcess({ taskQueue, env: { WORKER_CACHED_CASES: undefined, NODE_OPTIONS: '--max-old-space-size=600' } });
  try {
    // One case per MiB of the heap limit V8 gives a process started so (the old space and the young generation).
    const heapLimit = Number(
      execFileSync(process.execPath, ['--max-old-space-size=600', '-p', 'require("node:v8").getHeapStatistics().heap_size_limit'], {
        encoding: 'utf8',
      }),
    );
    expect(cachedCasesLogged(small.log())).toBe(Math.floor(heapLimit / 1048576));
    expect(cachedCasesLogged(small.log())).toBeLessThan(1000);
  } finally {
    await small.stop();
  }
}, 90_000);

it('refuses to start with more cases than its heap limit holds, and says how to hold them', async () => {
  await expect(
    startWorkerProcess({ taskQueue, env: { WORKER_CACHED_CASES: '5000', NODE_OPTIONS: '--max-old-space-size=1024' } }),
  ).rejects.toThrow(
    /exited \(1\)[\s\S]*WORKER_CACHED_CASES: 5000 cases need more than the worker's heap limit of \d+ MiB holds \(at most \d+\); raise the limit \(NODE_OPTIONS=--max-old-space-size=<MiB>\)/,
  );
}, 60_000);
