// Which Temporal server a benchmark runs on (`--temporal sqlite|memory|full`, or BENCH_TEMPORAL), and which one it
// did start, so that the results name it. Apart from system.ts, which starts the server, so that report.ts can
// read it without loading the whole system.
import { TEMPORAL_CLI_VERSION } from '../../scripts/lib/temporal-cli';
import { TEMPORAL_SERVER_VERSION } from '../../scripts/lib/temporal-server';
import { parseArgs } from './measure';

export type BenchTemporal = 'sqlite' | 'memory' | 'full';

/** The server `--temporal` (or BENCH_TEMPORAL) asks for: `sqlite` (default), `memory` or `full`. */
export function benchTemporalOption(): BenchTemporal {
  const v = parseArgs(process.argv.slice(2)).get('temporal') ?? process.env.BENCH_TEMPORAL ?? 'sqlite';
  if (v === 'sqlite' || v === 'memory' || v === 'full') return v;
  throw new Error(
    '--temporal must be sqlite (the dev server with its SQLite file), memory (the dev server in memory) or full (the full server on Postgres)',
  );
}

export function describeTemporal(server: BenchTemporal): string {
  if (server === 'full')
    return `temporal-server ${TEMPORAL_SERVER_VERSION} (go.temporal.io/server cmd/server, all four services in one process), Postgres persistence in the bench cluster (its queries count in the postgres CPU), 4 history shards`;
  return `temporal server start-dev (CLI ${TEMPORAL_CLI_VERSION}, server 1.29.1), ${server === 'memory' ? 'state in memory (NOT what npm start runs)' : 'SQLite file'}`;
}

let started: { server: BenchTemporal; description: string } | undefined;

export function recordBenchTemporal(server: { server: BenchTemporal; description: string }): void {
  started = server;
}

/** The Temporal server this process's benchmark started (undefined when it started none), for writeResults. */
export function benchTemporalServer(): { server: BenchTemporal; description: string } | undefined {
  return started;
}
