/**
 * `npm run test:contract`: the HTTP contract checked from outside by Schemathesis (PyPI), every check on,
 * against the OpenAPI document the server serves, as each role. It brings up the whole system on its own
 * throwaway database and in-memory Temporal dev server (the embedded defaults of scripts/lib), runs
 * Schemathesis from a virtual environment it makes once under .data/, and exits non-zero on any failure.
 *
 * After the supervisor's run it opens a listing case in every department and serves its notice, each within 20 s:
 * what the fuzz could send must not have stopped any procedure (scripts/lib/procedure-probe.ts).
 *
 * Options: CONTRACT_MAX_EXAMPLES (per operation and phase, default 12), CONTRACT_SEED (default fixed, so a
 * failure reproduces), SCHEMATHESIS_VERSION.
 */
import { execFileSync, spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { Client as PgClient } from 'pg';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Runtime, DefaultLogger } from '@temporalio/worker';
import { dataDir, errorText, log } from './lib/paths';
import { startLocalPostgres } from './lib/postgres';
import { startTemporalDevServer } from './lib/temporal-cli';
import { freePort } from './lib/proc';
import { applyMigrations } from '../db/migrate';
import { createDb } from '../db/client';
import { loadReferenceData } from '../db/reference-data';
import { buildApp } from '../api/app';
import { mintToken } from '../api/dev-tokens';
import { buildWorker } from '../worker';
import { probeListingInEveryDepartment } from './lib/procedure-probe';

const SCOPE = 'contract';
const SCHEMATHESIS = process.env.SCHEMATHESIS_VERSION ?? '4.32.5';
const SECRET = 'contract-test-secret-contract-test-secret';

/** A virtual environment with Schemathesis, made once and reused while its version matches. */
function schemathesis(): string {
  const venv = join(dataDir(), 'contract-venv');
  const st = join(venv, 'bin', 'st');
  const marker = join(venv, `.schemathesis-${SCHEMATHESIS}`);
  if (!existsSync(marker)) {
    log(SCOPE, `installing schemathesis ${SCHEMATHESIS} into ${venv}`);
    if (!existsSync(join(venv, 'bin', 'python'))) execFileSync('python3', ['-m', 'venv', venv], { stdio: 'inherit' });
    execFileSync(join(venv, 'bin', 'pip'), ['install', '-q', '--disable-pip-version-check', `schemathesis==${SCHEMATHESIS}`], {
      stdio: 'inherit',
    });
    execFileSync('touch', [marker]);
  }
  return st;
}

/** Runs a command with its output going to a log file; resolves with its exit code. */
function runLogged(cmd: string, args: string[], logPath: string): Promise<number> {
  return new Promise((resolve) => {
    const out = createWriteStream(logPath);
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.pipe(out, { end: false });
    child.stderr.pipe(out, { end: false });
    child.on('close', (code) => {
      out.end(() => {
        resolve(code ?? 1);
      });
    });
  });
}

/**
 * What a run's log tells in one line. Schemathesis ends its output with a pytest-style banner
 * ("==== 3 warnings in 56.40s ===="); CI's summary reader takes such a banner for the test run's own count
 * and, finding no test in it, judged a green run as having run none. So the full log stays in a file and
 * only this line (and, on failure, the log with its banners turned into plain headings) reaches the output.
 */
function summarise(role: string, code: number, logPath: string): string {
  const text = readFileSync(logPath, 'utf8');
  const cases = /(\d+) generated/.exec(text)?.[1] ?? '?';
  return `schemathesis as ${role}: exit ${code}, ${cases} generated cases (log: ${logPath})`;
}

function withoutBanners(text: string): string {
  return text.replace(/^=+ (.*?) =+$/gm, '--- $1 ---');
}

async function main(): Promise<number> {
  const st = schemathesis();
  const stops: (() => Promise<unknown>)[] = [];
  try {
    const pg = await startLocalPostgres({ dataDir: join(dataDir(), 'contract-postgres'), database: 'contract_admin' });
    if (!pg.reused) stops.push(() => pg.stop());
    // A fresh database per run: what one run's fuzzing wrote never meets the next.
    const name = `contract_${process.pid}`;
    const admin = new PgClient({ connectionString: pg.superuserUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    const owner = new URL(pg.url).username;
    await admin.query(`CREATE DATABASE ${name} OWNER ${owner}`);
    await admin.end();
    stops.unshift(async () => {
      const c = new PgClient({ connectionString: pg.superuserUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    });
    const url = new URL(pg.url);
    url.pathname = `/${name}`;
    const databaseUrl = url.toString();
    await applyMigrations(databaseUrl);
    const db = createDb(databaseUrl, { poolSize: 5 });
    stops.unshift(() => db.$disconnect());
    await loadReferenceData(db);

    const temporalServer = await startTemporalDevServer({});
    stops.push(() => temporalServer.stop());
    Runtime.install({ logger: new DefaultLogger('WARN') });
    const connection = await Connection.connect({ address: temporalServer.address });
    const native = await NativeConnection.connect({ address: temporalServer.address });
    const temporal = new Client({ connection, namespace: 'default' });
    const taskQueue = 'contract';
    const worker = await buildWorker({ connection: native, namespace: 'default', taskQueue, db, temporal });
    const running = worker.run();
    stops.unshift(async () => {
      worker.shutdown();
      await running;
      await native.close();
      await connection.close();
    });

    const app = await buildApp(
      { db, temporal, taskQueue, jwtSecret: SECRET, startAnswerDeadlineMs: 10_000 },
      pino({ level: process.env.CONTRACT_API_LOG ?? 'silent' }),
    );
    const port = await freePort();
    await app.listen({ host: '127.0.0.1', port });
    stops.unshift(() => app.close());
    const base = `http://127.0.0.1:${port}`;
    log(SCOPE, `system up at ${base}`);

    const ttl = 4 * 3600;
    const roles = [
      ['supervisor', mintToken({ role: 'supervisor', sub: 'contract-supervisor', dept: 'ZY-DRC' }, SECRET, ttl)],
      ['officer', mintToken({ role: 'officer', sub: 'contract-officer', dept: 'ZY-SAMR' }, SECRET, ttl)],
      ['subject', mintToken({ role: 'subject', sub: 'contract-subject', subjectId: '91620700MA71Y00240' }, SECRET, ttl)],
    ] as const;
    const reports = join(dataDir(), 'contract-reports');
    mkdirSync(reports, { recursive: true });
    let failed = 0;
    for (const [role, token] of roles) {
      log(SCOPE, `schemathesis as ${role}`);
      const logPath = join(reports, `${role}.log`);
      const code = await runLogged(
        st,
        [
          'run',
          `${base}/docs/json`,
          '--checks',
          'all',
          '--max-examples',
          process.env.CONTRACT_MAX_EXAMPLES ?? '12',
          '--seed',
          process.env.CONTRACT_SEED ?? '20261201',
          '--workers',
          '1',
          '--request-timeout',
          '30',
          '--header',
          `Authorization: Bearer ${token}`,
          '--report',
          'junit',
          '--report-junit-path',
          join(reports, `${role}.xml`),
          '--no-color',
        ],
        logPath,
      );
      if (code !== 0) {
        process.stdout.write(withoutBanners(readFileSync(logPath, 'utf8')));
        failed += 1;
      }
      log(SCOPE, summarise(role, code, logPath));
      if (role === 'supervisor') {
        // Whatever the supervisor's fuzz sent must not have stopped any procedure: every department still serves a notice.
        const probes = await probeListingInEveryDepartment(base, SECRET, 20_000);
        const stopped = probes.filter((p) => !p.ok);
        for (const p of stopped) log(SCOPE, `listing in ${p.department} after the supervisor's fuzz: ${p.detail}`);
        log(
          SCOPE,
          `listing procedure after the supervisor's fuzz: ${probes.length - stopped.length}/${probes.length} departments served a notice (slowest ${Math.max(...probes.map((p) => p.ms))} ms)`,
        );
        if (stopped.length) failed += 1;
      }
    }
    return failed === 0 ? 0 : 1;
  } finally {
    for (const stop of stops) {
      await stop().catch((err: unknown) => {
        log(SCOPE, `stop failed: ${(err as Error).message}`);
      });
    }
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    log(SCOPE, `failed: ${errorText(err)}`);
    process.exit(1);
  },
);
