// A side and its baseline measured in rounds, taking turns (issue 23): a window of the one, then of the other, the
// order swapped each round (A B, B A, A B …). Measured back to back in one window each, whichever side runs later
// meets a machine that drifted (another tenant's load, the servers' own growing state) and the ratio moves with it;
// in turns, both meet the same drift. Each side's windows are then combined as if they were one.
import type { Part } from './cpu';
import type { LoadResult, TimedLoadResult } from './load';

export type PartCpu = Record<Part, { cpuSeconds: number; coreShare: number }>;

/** One window of a side: what the load did, and what every part's CPU did over it. */
export interface MeteredWindow<R extends LoadResult> {
  run: R;
  cpu: PartCpu;
  /** Wall seconds over which `cpu` was metered. */
  meteredSeconds: number;
  disturbed: boolean;
  /** The worker's CPU seconds from the window's start until it was idle again (its catch-up included). */
  workerCpuSeconds: number;
}

/** The order of the two sides in round `round` (from 0): the first side first in even rounds. */
export function turnOrder<S>(round: number, sides: readonly [S, S]): [S, S] {
  return round % 2 === 0 ? [sides[0], sides[1]] : [sides[1], sides[0]];
}

/** The `index`-th of `count` near-equal consecutive slices of `items` (all of them together, each once). */
export function slice<T>(items: readonly T[], index: number, count: number): T[] {
  return items.slice(Math.floor((index * items.length) / count), Math.floor(((index + 1) * items.length) / count));
}

const round2 = (x: number) => Math.round(x * 100) / 100;

/** The CPU of every part over several windows: seconds summed, the share of a core over their summed wall time. */
export function combinedCpu(windows: readonly { cpu: PartCpu; meteredSeconds: number }[]): PartCpu {
  const wall = windows.reduce((s, w) => s + w.meteredSeconds, 0);
  const parts = Object.keys(windows[0]?.cpu ?? {}) as Part[];
  const out = {} as PartCpu;
  for (const part of parts) {
    const cpuSeconds = windows.reduce((s, w) => s + w.cpu[part].cpuSeconds, 0);
    out[part] = { cpuSeconds: round2(cpuSeconds), coreShare: wall > 0 ? round2(cpuSeconds / wall) : 0 };
  }
  return out;
}

/** The load over several windows as one: latencies pooled, counts, errors and wall time summed. */
export function combinedLoad(runs: readonly LoadResult[]): LoadResult {
  return {
    latencies: runs.flatMap((r) => r.latencies),
    errors: runs.reduce((s, r) => s + r.errors, 0),
    errorSamples: runs.flatMap((r) => r.errorSamples).slice(0, 5),
    wallMs: runs.reduce((s, r) => s + r.wallMs, 0),
  };
}

/** Timed windows as one: the rate is what completed inside the windows over their summed length. */
export function combinedTimedLoad(runs: readonly TimedLoadResult[]): TimedLoadResult {
  const base = combinedLoad(runs);
  const completed = runs.reduce((s, r) => s + r.completed, 0);
  return {
    ...base,
    completed,
    totalCompleted: runs.reduce((s, r) => s + r.totalCompleted, 0),
    ratePerSecond: base.wallMs > 0 ? Math.round((completed / (base.wallMs / 1000)) * 10) / 10 : 0,
  };
}
