import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface TestEnv {
  /** The application's role (not a superuser), on a database created fresh for this run. */
  databaseUrl: string;
  /** A superuser on the same database, for tests that act behind the application's back. */
  databaseSuperuserUrl: string;
  temporalAddress: string;
  /** Which Temporal server temporalAddress is: the CLI's dev server, the full server (TEST_TEMPORAL_SERVER=full), or one named by TEST_TEMPORAL_ADDRESS. */
  temporalServer: 'dev' | 'full' | 'external';
  timeSkippingServerPath: string;
  /** The workflows bundled once for the whole run (bundling takes seconds; every worker reuses it). */
  workflowBundlePath: string;
  /** The run's mail catcher (messaging/mail-catcher.ts): where a system's worker sends documents served electronically. */
  smtpUrl?: string;
  mailDir?: string;
}

/** Names the file the global setup of the current run wrote (one per run, so runs side by side never mix). */
export const TEST_ENV_VARIABLE = 'SC_TEST_ENV_FILE';

export function testEnvFileFor(pid: number): string {
  return join(__dirname, '..', '..', '.data', `test-env-${pid}.json`);
}

export function testEnv(): TestEnv {
  const file = process.env[TEST_ENV_VARIABLE];
  if (!file) throw new Error(`${TEST_ENV_VARIABLE} is not set: run the tests through jest (its global setup writes the test environment)`);
  return JSON.parse(readFileSync(file, 'utf8')) as TestEnv;
}
