// Temporal's time-skipping test server, for `TestWorkflowEnvironment.createTimeSkipping()`.
//
// The SDK would download a native build of it from Temporal's host; offline machines cannot. The same
// server is published on Maven Central as io.temporal:temporal-test-server (the Java SDK's
// io.temporal.testserver.TestServer), so we resolve it with Maven into cacheDir() once per machine
// and hand the SDK a wrapper script as an `existing-path` executable.
//
// What the SDK runs (core-bridge sdk-core/crates/sdk-core/src/ephemeral_server/mod.rs, TestServerConfig):
//   <path> <port> [...server.extraArgs]
// i.e. just the port: no `--enable-time-skipping`. The server then starts with time skipping *locked*
// and the SDK's client unlocks it while it awaits a workflow result or runs env.sleep(). The wrapper passes
// its arguments through unchanged, so behaviour matches the SDK's own downloaded server.
// The SDK gives the server 5 s to answer (50 tries, 100 ms apart) and kills its direct child on teardown:
// hence `exec java`, and JVM flags for a fast start (a class-data-sharing archive made at install time,
// C1 only, serial GC): ~0.7 s instead of ~4 s on 2 busy cores.
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cacheDir, log } from './paths';
import { freePort, onPath, run, secondsSince, sleep, tcpOpen } from './proc';

const SCOPE = 'test-server';
/** Newest on Maven Central that resolves here (2026-11); runs on Java 17. */
export const TEST_SERVER_VERSION = '1.38.0';
const MAIN_CLASS = 'io.temporal.testserver.TestServer';
const JVM_FLAGS = '-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xlog:cds=off -Xlog:cds+dynamic=off';

function pom(version: string): string {
  // slf4j-nop: the server logs through slf4j-api; without a binding slf4j prints a warning on every start.
  return `<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.sc-cases</groupId>
  <artifactId>temporal-test-server-deps</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency><groupId>io.temporal</groupId><artifactId>temporal-test-server</artifactId><version>${version}</version></dependency>
    <dependency><groupId>org.slf4j</groupId><artifactId>slf4j-nop</artifactId><version>1.7.36</version></dependency>
  </dependencies>
</project>
`;
}

function wrapper(version: string): string {
  return `#!/bin/sh
# Temporal test server io.temporal:temporal-test-server:${version}, made by scripts/lib/time-skipping-server.ts.
# Usage: run.sh <port> [--enable-time-skipping]   (the TypeScript SDK passes just <port>)
# exec: the SDK kills its direct child on teardown, so java must be that child.
DIR=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)
JAVA=\${JAVA_HOME:+$JAVA_HOME/bin/}java
CDS=
[ -f "$DIR/cds.jsa" ] && CDS="-XX:SharedArchiveFile=$DIR/cds.jsa"
exec "$JAVA" ${JVM_FLAGS} $CDS -cp "$DIR/lib/*" ${MAIN_CLASS} "$@"
`;
}

/**
 * A class-data-sharing archive of the classes loaded while the server starts: run it once with
 * -XX:ArchiveClassesAtExit, wait for its port, stop it (the JVM writes the archive on exit).
 * Only a speed-up: if anything fails, the wrapper runs without it.
 */
async function makeCdsArchive(dir: string, java: string): Promise<void> {
  const port = await freePort();
  const child = spawn(
    java,
    [...JVM_FLAGS.split(' '), `-XX:ArchiveClassesAtExit=${join(dir, 'cds.jsa')}`, '-cp', `${join(dir, 'lib')}/*`, MAIN_CLASS, String(port)],
    { stdio: 'ignore' },
  );
  const exited = new Promise<void>((r) => {
    child.once('exit', () => {
      r();
    });
  });
  for (let i = 0; i < 300 && child.exitCode === null && !(await tcpOpen(port)); i++) await sleep(100);
  await sleep(500); // let start-up finish past the port opening
  child.kill('SIGTERM');
  await exited;
  if (!existsSync(join(dir, 'cds.jsa'))) log(SCOPE, 'no class-data-sharing archive was written; start-up will be slower');
}

/**
 * Path of an executable that runs the time-skipping test server: `$TEMPORAL_TEST_SERVER_PATH` if set,
 * else `<cacheDir>/temporal-test-server-<version>/run.sh`, resolving the jars with Maven on first use
 * (Maven's own cache, ~/.m2, makes later builds on the same machine quick).
 */
export async function ensureTimeSkippingServer(): Promise<string> {
  const fromEnv = process.env.TEMPORAL_TEST_SERVER_PATH;
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`TEMPORAL_TEST_SERVER_PATH=${fromEnv} does not exist`);
    return fromEnv;
  }
  const dir = join(cacheDir(), `temporal-test-server-${TEST_SERVER_VERSION}`);
  const runSh = join(dir, 'run.sh');
  const done = join(dir, '.complete');
  if (existsSync(done) && existsSync(runSh)) return runSh;

  const java = process.env.JAVA_HOME ? join(process.env.JAVA_HOME, 'bin', 'java') : onPath('java');
  const mvn = onPath('mvn');
  if (!java || !existsSync(java) || !mvn) {
    throw new Error(
      'The time-skipping test server needs Java (>= 8) and Maven to be fetched from Maven Central ' +
        `(io.temporal:temporal-test-server:${TEST_SERVER_VERSION}); install them (Debian: apt-get install -y ` +
        'default-jdk-headless maven) or set TEMPORAL_TEST_SERVER_PATH to a test-server executable.',
    );
  }

  // Assemble in a private folder, then rename into place; `.complete` marks a finished folder.
  const tmp = `${dir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  writeFileSync(join(tmp, 'pom.xml'), pom(TEST_SERVER_VERSION));
  const t0 = Date.now();
  log(SCOPE, `resolving io.temporal:temporal-test-server:${TEST_SERVER_VERSION} and its runtime dependencies with Maven`);
  const r = await run(
    mvn,
    [
      '-B',
      '-q',
      '-f',
      join(tmp, 'pom.xml'),
      'dependency:copy-dependencies',
      '-DincludeScope=runtime',
      `-DoutputDirectory=${join(tmp, 'lib')}`,
    ],
    { cwd: tmp },
  );
  if (r.code !== 0) {
    rmSync(tmp, { recursive: true, force: true });
    throw new Error(`mvn dependency:copy-dependencies failed (${r.code}):\n${(r.stdout + r.stderr).slice(-4000)}`);
  }
  log(SCOPE, `resolved in ${secondsSince(t0)}`);
  writeFileSync(join(tmp, 'run.sh'), wrapper(TEST_SERVER_VERSION));
  chmodSync(join(tmp, 'run.sh'), 0o755);

  rmSync(dir, { recursive: true, force: true });
  renameSync(tmp, dir);
  // The archive records the classpath, so it is made in the final folder.
  const t1 = Date.now();
  await makeCdsArchive(dir, java).catch((err: unknown) => {
    log(SCOPE, `class-data-sharing archive skipped: ${String(err)}`);
  });
  log(SCOPE, `class-data-sharing archive made in ${secondsSince(t1)}`);
  writeFileSync(done, `${new Date().toISOString()}\n`);
  log(SCOPE, `ready: ${runSh}`);
  return runSh;
}
