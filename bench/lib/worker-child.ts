// Starts bench/lib/worker-process.ts as a child process and talks to it over IPC: start-up phases,
// settings, memory and cache figures, graceful stop, kill.
import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../scripts/lib/paths';
import { WORKER_NODE_FLAGS } from '../../scripts/lib/worker-flags';
import type { ParentMessage, WorkerMessage, WorkerProcessConfig, WorkerSettings, WorkerStatusReport } from './worker-process';

export interface WorkerChild {
  pid: number;
  /** Date.now() just before the spawn. */
  spawnedAt: number;
  /** Start-up steps of the child, in ms after spawnedAt (process = when Node itself started). */
  phases: Record<string, number>;
  settings: WorkerSettings[];
  status(): Promise<WorkerStatusReport>;
  /** Resident and peak resident memory from /proc (bytes), readable even when the event loop is busy. */
  procMemory(): { rss: number; peakRss: number } | null;
  /** Graceful: the SDK's shutdown (drains in-flight tasks). */
  stop(timeoutMs?: number): Promise<void>;
  /** SIGKILL, as a crash or an OOM kill would end it. */
  kill(): Promise<void>;
  readonly exited: boolean;
}

export async function startWorkerProcess(
  cfg: WorkerProcessConfig,
  opts: { onUnexpectedExit?: (code: number | null) => void } = {},
): Promise<WorkerChild> {
  const entry = join(__dirname, 'worker-process.ts');
  const spawnedAt = Date.now();
  const child: ChildProcess = fork(entry, [], {
    // BENCH_WORKER_CPU_PROF=<dir>: a CPU profile of every thread of the worker, written when it stops (a diagnosis).
    execArgv: [
      ...WORKER_NODE_FLAGS,
      '--import',
      'tsx',
      ...(process.env.BENCH_WORKER_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_WORKER_CPU_PROF] : []),
    ],
    cwd: projectRoot(),
    env: { ...process.env, BENCH_WORKER: JSON.stringify(cfg) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  if (child.pid === undefined) throw new Error(`could not start ${entry}`);
  const pid = child.pid;
  const phases: Record<string, number> = {};
  let exited = false;
  let expectingExit = false;
  let nextId = 1;
  const waiting = new Map<number, (s: WorkerStatusReport) => void>();
  const exitPromise = new Promise<number | null>((resolve) => {
    child.on('exit', (code) => {
      exited = true;
      resolve(code);
      if (!expectingExit) opts.onUnexpectedExit?.(code);
    });
  });

  const settings = await new Promise<WorkerSettings[]>((resolve, reject) => {
    const onExit = (code: number | null) => {
      reject(new Error(`the bench worker exited (${code}) before it was ready`));
    };
    child.once('exit', onExit);
    child.on('message', (m: WorkerMessage) => {
      if (m.type === 'phase') phases[m.name] = m.at - spawnedAt;
      else if (m.type === 'ready') {
        child.off('exit', onExit);
        resolve(m.settings);
      } else if (m.type === 'status') {
        waiting.get(m.id)?.(m.status);
        waiting.delete(m.id);
      } else reject(new Error(`bench worker: ${m.message}`));
    });
  });

  const procMemory = (): { rss: number; peakRss: number } | null => {
    try {
      const s = readFileSync(`/proc/${pid}/status`, 'utf8');
      const kb = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+) kB`, 'm').exec(s)?.[1] ?? NaN) * 1024;
      return { rss: kb('VmRSS'), peakRss: kb('VmHWM') };
    } catch {
      return null;
    }
  };

  const sendMsg = (m: ParentMessage) => child.send(m);
  return {
    pid,
    spawnedAt,
    phases,
    settings,
    procMemory,
    get exited() {
      return exited;
    },
    status: () =>
      new Promise<WorkerStatusReport>((resolve, reject) => {
        if (exited) {
          reject(new Error('the bench worker has exited'));
          return;
        }
        const id = nextId++;
        const timer = setTimeout(() => {
          waiting.delete(id);
          reject(new Error('the bench worker did not answer a status request within 30 s'));
        }, 30_000);
        waiting.set(id, (s) => {
          clearTimeout(timer);
          resolve(s);
        });
        sendMsg({ type: 'status', id });
      }),
    async stop(timeoutMs = 30_000) {
      if (exited) return;
      expectingExit = true;
      sendMsg({ type: 'stop' });
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      await exitPromise;
      clearTimeout(timer);
    },
    async kill() {
      if (exited) return;
      expectingExit = true;
      child.kill('SIGKILL');
      await exitPromise;
    },
  };
}
