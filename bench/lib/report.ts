// Small helpers the listing benchmarks share on top of measure.ts: list and flag options, unknown-option
// checks, byte and duration formatting, the results file pair, counting workflows.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import { log, projectRoot } from '../../scripts/lib/paths';
import { shanghaiDate } from '../../api/case-ids';
import { writeJson } from './measure';
import { benchTemporalServer } from './temporal-choice';

export const RESULTS_DIR = join(projectRoot(), 'bench', 'results');

/** `--name 1,8,32`: positive integers. */
export function intListArg(args: Map<string, string | true>, name: string, dflt: number[]): number[] {
  const v = args.get(name);
  if (v === undefined) return dflt;
  const list = String(v)
    .split(',')
    .map((x) => Number(x.trim()));
  if (v === true || list.some((n) => !Number.isInteger(n) || n < 1))
    throw new Error(`--${name} must be a comma-separated list of positive integers`);
  return list;
}

/** `--name 1.5`: a positive number. */
export function numArg(args: Map<string, string | true>, name: string, dflt: number): number {
  const v = args.get(name);
  if (v === undefined) return dflt;
  const n = Number(v);
  if (v === true || !Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number`);
  return n;
}

export function flagArg(args: Map<string, string | true>, name: string): boolean {
  const v = args.get(name);
  if (v === undefined) return false;
  if (v === true || v === 'true') return true;
  if (v === 'false') return false;
  throw new Error(`--${name} is a flag (no value, or true/false)`);
}

/** Every benchmark also takes `--temporal sqlite|memory|full` (read by system.ts, which starts the server). */
export function rejectUnknown(args: Map<string, string | true>, known: string[]): void {
  for (const k of args.keys())
    if (!known.includes(k) && k !== 'temporal') throw new Error(`unknown option --${k} (known: ${known.map((x) => `--${x}`).join(', ')})`);
}

export function mib(bytes: number): number {
  return Math.round((bytes / 2 ** 20) * 10) / 10;
}

export function fmtBytes(bytes: number): string {
  if (bytes >= 2 ** 30) return `${(bytes / 2 ** 30).toFixed(2)} GiB`;
  if (bytes >= 2 ** 20) return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
  if (bytes >= 2 ** 10) return `${(bytes / 2 ** 10).toFixed(1)} KiB`;
  return `${bytes} B`;
}

export const secs = (ms: number | null): string => (ms === null ? 'timeout' : `${(ms / 1000).toFixed(1)} s`);

/**
 * Writes <name>-<Shanghai date>.json and <name>-latest.json under bench/results, naming the Temporal server the
 * benchmark ran on (`temporalServer`); on the full server the files are <name>-full-…, beside the dev server's.
 */
export function writeResults(scope: string, name: string, report: unknown): void {
  const day = shanghaiDate(new Date());
  const temporal = benchTemporalServer();
  const file = temporal?.server === 'full' ? `${name}-full` : name;
  const named = { ...(report as Record<string, unknown>), temporalServer: temporal ?? null };
  const p1 = writeJson(RESULTS_DIR, `${file}-${day}.json`, named);
  const p2 = writeJson(RESULTS_DIR, `${file}-latest.json`, named);
  log(scope, `wrote ${p1} and ${p2}`);
}

/** Workflows matching a visibility query, or null where the server cannot count (it then says why once). */
export async function countWorkflows(client: Client, query: string): Promise<number | null> {
  try {
    return (await client.workflow.count(query)).count;
  } catch {
    return null;
  }
}

/**
 * What else loads the machine: the 1-minute load average and any test run (jest) found in /proc. On a
 * 2-core machine a concurrent `npm test` changes every figure; the report says so rather than hide it.
 */
export function machineLoad(): { loadAverage1m: number; otherWorkloads: string[] } {
  const others = new Set<string>();
  for (const entry of existsSync('/proc') ? readdirSync('/proc') : []) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const argv = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').join(' ');
      if (/\bjest\b/.test(argv)) others.add('jest (npm test)');
    } catch {
      /* gone */
    }
  }
  return { loadAverage1m: Math.round(loadavg()[0]! * 100) / 100, otherWorkloads: [...others] };
}

export interface LoadSummary {
  loadAverage1mMax: number;
  loadAverage1mAtEnd: number;
  otherWorkloads: string[];
  /** When another workload was seen, seconds after the benchmark started (one look every 5 s). */
  otherWorkloadSeenAtS: number[];
}

export interface LoadWatch {
  summary(): LoadSummary;
  /** True when another workload was seen between these two Date.now() instants (or within 5 s of them). */
  disturbedBetween(from: number, to: number): boolean;
}

/** Looks at the machine every 5 s for the whole run (a test run may start at any time). */
export function watchLoad(): LoadWatch {
  const t0 = Date.now();
  let max = 0;
  const others = new Set<string>();
  const seenAt: number[] = [];
  const look = () => {
    const l = machineLoad();
    max = Math.max(max, l.loadAverage1m);
    for (const o of l.otherWorkloads) others.add(o);
    if (l.otherWorkloads.length) seenAt.push(Date.now());
  };
  look();
  const timer = setInterval(look, 5_000);
  timer.unref();
  return {
    summary: () => {
      look();
      return {
        loadAverage1mMax: max,
        loadAverage1mAtEnd: machineLoad().loadAverage1m,
        otherWorkloads: [...others],
        otherWorkloadSeenAtS: seenAt.map((t) => Math.round((t - t0) / 1000)),
      };
    },
    disturbedBetween: (from, to) => seenAt.some((t) => t >= from - 5_000 && t <= to + 5_000),
  };
}

/** One line on the machine's load during the run, with a warning when something else was running. */
export function loadWarning(load: LoadSummary): string {
  const avg = `load average (1 min) at most ${load.loadAverage1mMax} during the run`;
  if (!load.otherWorkloads.length) return avg;
  const at = load.otherWorkloadSeenAtS;
  return `!! another workload ran during this benchmark (${load.otherWorkloads.join(', ')}, seen from ${at[0]} s to ${at[at.length - 1]} s): rows marked ! overlapped it; ${avg}`;
}
