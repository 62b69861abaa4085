// Closed-loop load: N clients, each issuing its next request when its last one answered (as N users or
// N calling services would). Two shapes: over a list of items (each used once: a case takes each action
// once), or for a fixed time (throughput: completions per second within the window).
import { nowMs } from './measure';

export interface LoadResult {
  /** Latency of each operation that counted, milliseconds. */
  latencies: number[];
  /** Operations that threw, with the first few messages. */
  errors: number;
  errorSamples: string[];
  /** Wall time of the counted window (or of the whole run over items), milliseconds. */
  wallMs: number;
}

export interface TimedLoadResult extends LoadResult {
  /** Operations completed within the measured window. */
  completed: number;
  /** completed / window, per second. */
  ratePerSecond: number;
  /** Everything completed, warm-up and tail included (for the bookkeeping of what was created). */
  totalCompleted: number;
}

function recordError(r: { errors: number; errorSamples: string[] }, err: unknown): void {
  r.errors += 1;
  if (r.errorSamples.length < 5) r.errorSamples.push(err instanceof Error ? err.message : String(err));
}

/** Each item once, `clients` at a time; latencies in item order of completion. */
export async function runOverItems<T>(
  clients: number,
  items: readonly T[],
  op: (item: T, client: number) => Promise<void>,
): Promise<LoadResult> {
  const r: LoadResult = { latencies: [], errors: 0, errorSamples: [], wallMs: 0 };
  let next = 0;
  const t0 = nowMs();
  await Promise.all(
    Array.from({ length: Math.min(clients, items.length) }, async (_, c) => {
      while (next < items.length) {
        const item = items[next++]!;
        const s = nowMs();
        try {
          await op(item, c);
          r.latencies.push(nowMs() - s);
        } catch (err) {
          recordError(r, err);
        }
      }
    }),
  );
  r.wallMs = nowMs() - t0;
  return r;
}

/**
 * `clients` loops for warmupMs + durationMs; an operation counts when it completes inside the measured
 * window (after the warm-up). Operations still running at the end are awaited, not counted.
 */
export async function runForDuration(
  clients: number,
  warmupMs: number,
  durationMs: number,
  op: (client: number) => Promise<void>,
): Promise<TimedLoadResult> {
  const r: TimedLoadResult = {
    latencies: [],
    errors: 0,
    errorSamples: [],
    wallMs: durationMs,
    completed: 0,
    ratePerSecond: 0,
    totalCompleted: 0,
  };
  const t0 = nowMs();
  const from = t0 + warmupMs;
  const until = from + durationMs;
  await Promise.all(
    Array.from({ length: clients }, async (_, c) => {
      while (nowMs() < until) {
        const s = nowMs();
        try {
          await op(c);
          const e = nowMs();
          r.totalCompleted += 1;
          if (e >= from && e <= until) {
            r.completed += 1;
            r.latencies.push(e - s);
          }
        } catch (err) {
          recordError(r, err);
        }
      }
    }),
  );
  r.ratePerSecond = Math.round((r.completed / (durationMs / 1000)) * 10) / 10;
  return r;
}

/** Polls `done` every `everyMs` until it holds or `timeoutMs` passes; the time it took, or null on timeout. */
export async function waitUntil(done: () => Promise<boolean>, timeoutMs: number, everyMs = 250): Promise<number | null> {
  const t0 = nowMs();
  for (;;) {
    if (await done()) return nowMs() - t0;
    if (nowMs() - t0 > timeoutMs) return null;
    await new Promise((res) => setTimeout(res, everyMs));
  }
}
