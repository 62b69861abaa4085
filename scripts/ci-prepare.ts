// Prepares this machine for the test suite and prints how long each part took. Called by .ci/run;
// also handy on a new developer machine (`npx tsx scripts/ci-prepare.ts`). Every step is cached per
// machine, so a second run takes seconds.
import { log } from './lib/paths';
import { ensurePostgresInstalled } from './lib/postgres';
import { secondsSince } from './lib/proc';
import { ensureTemporalCli } from './lib/temporal-cli';
import { ensureTemporalServer } from './lib/temporal-server';
import { ensureTimeSkippingServer } from './lib/time-skipping-server';

async function step<T>(name: string, fn: () => Promise<T>): Promise<T> {
  const t0 = Date.now();
  const result = await fn();
  log('ci-prepare', `${name}: ${String(result)} (${secondsSince(t0)})`);
  return result;
}

async function main(): Promise<void> {
  await step('postgres binaries', ensurePostgresInstalled);
  await step('temporal CLI', ensureTemporalCli);
  await step('temporal server (full, Postgres)', async () => (await ensureTemporalServer()).server);
  await step('time-skipping test server', ensureTimeSkippingServer);
}

main().catch((err: unknown) => {
  process.stderr.write(`ci-prepare failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
