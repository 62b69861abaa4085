// Where the project keeps things it builds or starts for itself.
//  - cacheDir(): machine-wide, shared by every clone (CI clones afresh each run but
//    the Temporal CLI build and the Java test server are expensive to make).
//  - dataDir(): per clone, git-ignored; state that must survive restarts (Postgres
//    cluster, Temporal SQLite file).
import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { resolve } from 'node:path';

/** Root of this clone (scripts/lib/ is two levels below it). The project is CommonJS, so __dirname. */
export function projectRoot(): string {
  return resolve(__dirname, '..', '..');
}

/** `$SC_CACHE_DIR` or `~/.cache/sc-cases`, created on demand. */
export function cacheDir(): string {
  const dir = process.env.SC_CACHE_DIR ?? resolve(homedir(), '.cache', 'sc-cases');
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** `<project root>/.data`, created on demand. */
export function dataDir(): string {
  const dir = resolve(projectRoot(), '.data');
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Progress messages go to stderr so stdout stays clean for callers. */
export function log(scope: string, msg: string): void {
  process.stderr.write(`[${scope}] ${msg}\n`);
}

/** A thrown value for a log line: an error's stack where it has one, anything else as text. */
export function errorText(err: unknown): string {
  return err instanceof Error && err.stack !== undefined ? err.stack : String(err);
}
