import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface TestEnv {
  /** The application's role (not a superuser), on a database created fresh for this run. */
  databaseUrl: string;
  /** A superuser on the same database, for tests that act behind the application's back. */
  databaseSuperuserUrl: string;
  temporalAddress: string;
  timeSkippingServerPath: string;
  /** The workflows bundled once for the whole run (bundling takes seconds; every worker reuses it). */
  workflowBundlePath: string;
}

export const TEST_ENV_FILE = join(__dirname, '..', '..', '.data', 'test-env.json');

export function testEnv(): TestEnv {
  return JSON.parse(readFileSync(TEST_ENV_FILE, 'utf8')) as TestEnv;
}
