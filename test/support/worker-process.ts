import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { testEnv } from './test-env';
import { WORKER_NODE_FLAGS } from '../../scripts/lib/worker-flags';
import { CALENDAR_WATCH_ID } from '../../workflows/calendar-watch/workflow';
import { REMINDERS_ID } from '../../workflows/reminders/workflow';
import { EXCHANGE_DELIVERY_ID, EXCHANGE_RECONCILIATION_ID } from '../../workflows/exchange/ids';

const ROOT = join(__dirname, '..', '..');

/** A TypeScript entry point of the project in a Node process of its own, as `npm run start:*` runs it. */
export function spawnTs(entry: string, args: string[], env: NodeJS.ProcessEnv, nodeFlags: readonly string[] = []): ChildProcess {
  return spawn(process.execPath, [...nodeFlags, '--import', 'tsx', join(ROOT, entry), ...args], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

export async function exitOf(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise((r) => child.once('exit', r));
}

export interface WorkerProcess {
  child: ChildProcess;
  /** What the process has logged so far (stdout and stderr). */
  log(): string;
  kill(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * worker.ts in a process of its own on the test's task queue, configured by `env` over the test servers' addresses;
 * resolved once it logs that it started, rejected with its log if it exits first.
 */
export async function startWorkerProcess(opts: {
  taskQueue: string;
  env?: NodeJS.ProcessEnv;
  /** The process's Node flags: WORKER_NODE_FLAGS, as `npm run start:worker` starts it, unless said otherwise. */
  nodeFlags?: readonly string[];
}): Promise<WorkerProcess> {
  const env = testEnv();
  const child = spawnTs(
    'worker.ts',
    [],
    {
      ...process.env,
      DATABASE_URL: env.databaseUrl,
      TEMPORAL_ADDRESS: env.temporalAddress,
      TEMPORAL_TASK_QUEUE: opts.taskQueue,
      AUTH_JWT_SECRET: 'worker-process-test-jwt-secret-0123456789',
      LOG_LEVEL: 'info',
      ...opts.env,
    },
    opts.nodeFlags ?? WORKER_NODE_FLAGS,
  );
  let log = '';
  await new Promise<void>((resolve, reject) => {
    const onData = (b: Buffer) => {
      log += b.toString();
      if (log.includes('worker started')) resolve();
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      reject(new Error(`the worker exited (${code}) before it started: ${log.slice(-2000)}`));
    });
  });
  return {
    child,
    log: () => log,
    kill: async () => {
      child.kill('SIGKILL');
      await exitOf(child);
    },
    stop: async () => {
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exitOf(child);
      clearTimeout(t);
    },
  };
}

/** The workflows every worker.ts starts once for the whole system, each under its fixed id. */
export const WORKER_SINGLETONS = [EXCHANGE_DELIVERY_ID, EXCHANGE_RECONCILIATION_ID, CALENDAR_WATCH_ID, REMINDERS_ID];

/**
 * Ends the singletons worker.ts started, those on `taskQueue` only (every one of them when it is undefined): left
 * running on a test's task queue, where no worker serves them once the test is over, they would stand in for the ones
 * other test files start on theirs (a start joins the one running).
 */
export async function endWorkerSingletons(client: Client, taskQueue?: string): Promise<void> {
  for (const id of WORKER_SINGLETONS) {
    const handle = client.workflow.getHandle(id);
    try {
      if (taskQueue !== undefined && (await handle.describe()).taskQueue !== taskQueue) continue;
      await handle.terminate('ended by a test (endWorkerSingletons)');
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
    }
  }
}
