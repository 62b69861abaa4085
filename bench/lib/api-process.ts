// An API process of its own, as `npm start` or a deployment runs it (`node --import tsx api/main.ts`): for the
// benches that compare one API process with several against the same Postgres and Temporal. Each runs the audit
// sequencer too, as api/main.ts does; one of them leads.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../scripts/lib/paths';
import { freePort, tcpOpen } from '../../scripts/lib/proc';

export interface ApiProcess {
  pid: number;
  base: string;
  /** CPU ticks (1/100 s) of the process and its children so far, from /proc. */
  cpuTicks(): number;
  stop(): Promise<void>;
}

export async function startApiProcess(env: Record<string, string>): Promise<ApiProcess> {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', join(projectRoot(), 'api', 'main.ts')], {
    cwd: projectRoot(),
    env: { ...process.env, LOG_LEVEL: 'warn', HOST: '127.0.0.1', PORT: String(port), ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const state = { exited: false };
  const exited = () => state.exited;
  const gone = new Promise<void>((resolve) => {
    child.on('exit', () => {
      state.exited = true;
      resolve();
    });
  });
  const until = Date.now() + 60_000;
  while (!(await tcpOpen(port))) {
    if (exited()) throw new Error('the API process exited before it listened');
    if (Date.now() > until) {
      child.kill('SIGKILL');
      throw new Error('the API process did not listen within 60 s');
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const pid = child.pid!;
  return {
    pid,
    base: `http://127.0.0.1:${port}`,
    cpuTicks: () => treeTicks(pid),
    async stop() {
      if (!exited()) child.kill('SIGTERM');
      await Promise.race([gone, new Promise((r) => setTimeout(r, 10_000))]);
      if (!exited()) child.kill('SIGKILL');
    },
  };
}

/** User + system ticks of a process and its descendants (reaped children included). */
export function treeTicks(root: number): number {
  if (!existsSync('/proc')) return 0;
  const stats = new Map<number, { ppid: number; ticks: number }>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const s = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
      stats.set(Number(entry), { ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]) });
    } catch {
      /* gone */
    }
  }
  let sum = 0;
  const stack = [root];
  while (stack.length) {
    const p = stack.pop()!;
    sum += stats.get(p)?.ticks ?? 0;
    for (const [pid, s] of stats) if (s.ppid === p) stack.push(pid);
  }
  return sum;
}
