// What the Flowable peer needs on the machine: a JDK (17 or later, for the engine and the program's records)
// and Maven (to resolve flowable-engine from Maven Central or ~/.m2 and build). Shared by bench/flowable.bench.ts
// and bench/run-all.ts, which skips the peer with this reason rather than fail the whole run.
import { join } from 'node:path';
import { projectRoot } from '../../../scripts/lib/paths';
import { onPath } from '../../../scripts/lib/proc';

export const FLOWABLE_PEER_DIR = join(projectRoot(), 'bench', 'peers', 'flowable');

/** Why the peer cannot run here (the missing commands), or null when java and mvn are on PATH. */
export function missingJavaToolchain(): string | null {
  const missing = ['java', 'mvn'].filter((cmd) => !onPath(cmd));
  return missing.length ? `${missing.join(' and ')} not on PATH (the Flowable peer needs a JDK 17+ and Maven 3)` : null;
}
