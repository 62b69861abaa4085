// CPU time of each part of the system over a measured stretch, from /proc: the benchmark process
// itself (clients and, where built in-process, the API), the worker process, the Temporal server and
// Postgres (each with its child processes). On a 2-core machine every part competes for the same cores;
// this says which one a figure was waiting on.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const CLK_TCK = 100; // Linux's USER_HZ on every architecture Node runs on

export type Part = 'bench' | 'worker' | 'temporal' | 'postgres';

interface ProcStat {
  ppid: number;
  /** Own and reaped children's CPU ticks. */
  ticks: number;
  /** Own CPU ticks only. */
  own: number;
}

function readStats(): Map<number, ProcStat> {
  const out = new Map<number, ProcStat>();
  if (!existsSync('/proc')) return out;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const s = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const f = s.slice(s.lastIndexOf(')') + 2).split(' '); // f[0] is field 3 (state)
      // utime + stime, plus cutime + cstime: the time of children it has reaped (Postgres backends come and go;
      // an exited one's time moves into its parent's), so a subtree's sum never goes backwards.
      out.set(Number(entry), {
        ppid: Number(f[1]),
        ticks: Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]),
        own: Number(f[11]) + Number(f[12]),
      });
    } catch {
      /* process went away */
    }
  }
  return out;
}

/** The pid of the `temporal server start-dev` listening on this port, by its command line. */
export function temporalServerPid(port: number): number | undefined {
  for (const entry of existsSync('/proc') ? readdirSync('/proc') : []) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const argv = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      const i = argv.indexOf('--port');
      if (argv.includes('start-dev') && argv[i + 1] === String(port) && !argv[0]!.endsWith('sh')) return Number(entry);
    } catch {
      /* gone */
    }
  }
  return undefined;
}

/** The postmaster's pid (first line of postmaster.pid in the cluster folder). */
export function postmasterPid(clusterDir: string): number | undefined {
  try {
    const pid = Number(readFileSync(join(clusterDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

export interface CpuRoots {
  worker?: () => number | undefined;
  temporal?: number;
  postgres?: number;
}

/** CPU seconds per part since the last `start()`. */
export class CpuMeter {
  private base = new Map<Part, number>();
  private t0 = 0;
  constructor(private readonly roots: CpuRoots) {}

  private snapshot(): Map<Part, number> {
    const stats = readStats();
    const children = new Map<number, number[]>();
    for (const [pid, s] of stats) children.set(s.ppid, [...(children.get(s.ppid) ?? []), pid]);
    const tree = (root: number | undefined): number => {
      if (root === undefined || !stats.has(root)) return 0;
      let sum = 0;
      const stack = [root];
      while (stack.length) {
        const p = stack.pop()!;
        sum += stats.get(p)?.ticks ?? 0;
        stack.push(...(children.get(p) ?? []));
      }
      return sum;
    };
    return new Map<Part, number>([
      ['bench', stats.get(process.pid)?.own ?? 0], // not its children: the worker and the servers are parts of their own
      ['worker', tree(this.roots.worker?.())],
      ['temporal', tree(this.roots.temporal)],
      ['postgres', tree(this.roots.postgres)],
    ]);
  }

  start(): void {
    this.base = this.snapshot();
    this.t0 = Date.now();
  }

  /** Per part: CPU seconds used and the share of one core over the wall time since start(). */
  read(): Record<Part, { cpuSeconds: number; coreShare: number }> {
    const now = this.snapshot();
    const wall = (Date.now() - this.t0) / 1000;
    const out = {} as Record<Part, { cpuSeconds: number; coreShare: number }>;
    for (const [part, ticks] of now) {
      const cpuSeconds = (ticks - (this.base.get(part) ?? 0)) / CLK_TCK;
      out[part] = {
        cpuSeconds: Math.round(cpuSeconds * 100) / 100,
        coreShare: wall > 0 ? Math.round((cpuSeconds / wall) * 100) / 100 : 0,
      };
    }
    return out;
  }
}

/** "bench 0.95, worker 0.40, temporal 0.30, postgres 0.25" (cores busy on average). */
export function cpuLine(r: Record<Part, { coreShare: number }>): string {
  return (Object.keys(r) as Part[]).map((p) => `${p} ${r[p].coreShare.toFixed(2)}`).join(', ');
}
