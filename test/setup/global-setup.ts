import { copyFileSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { dataDir } from '../../scripts/lib/paths';
import { alive } from '../../scripts/lib/proc';
import { workflowBundle } from '../../scripts/build-workflows';
import { startLocalPostgres } from '../../scripts/lib/postgres';
import { ensureTemporalCli, startTemporalDevServer } from '../../scripts/lib/temporal-cli';
import { dropTemporalDatabases, startTemporalServer, temporalServerKind } from '../../scripts/lib/temporal-server';
import { ensureTimeSkippingServer } from '../../scripts/lib/time-skipping-server';
import { applyMigrations } from '../../db/migrate';
import { createDb } from '../../db/client';
import { loadReferenceData } from '../../db/reference-data';
import { seedTestCalendar } from '../support/test-calendar';
import { startMailCatcher } from '../../messaging/mail-catcher';
import { TEST_ENV_VARIABLE, testEnvFileFor, type TestEnv } from '../support/test-env';

/**
 * Brings up what the suite runs against: a real Postgres and a real Temporal dev server (or the ones
 * named by TEST_DATABASE_URL / TEST_TEMPORAL_ADDRESS), and the time-skipping test server for workflow
 * tests. Each run gets a fresh database so results never depend on an earlier run.
 * TEST_TEMPORAL_SERVER=full runs the full Temporal server instead of the dev server, with its state in
 * databases of this run's own in the same Postgres (.ci/run runs the API and end-to-end tests so once).
 */
export default async function globalSetup(): Promise<void> {
  const stops: (() => Promise<void>)[] = [];
  (globalThis as { __testStops?: typeof stops }).__testStops = stops;

  let superuserUrl = process.env.TEST_DATABASE_SUPERUSER_URL ?? process.env.TEST_DATABASE_URL;
  let adminDbUrl = superuserUrl;
  if (!superuserUrl) {
    // Runs side by side share the cluster; the last one to finish stops it.
    const users = join(dataDir(), 'test-postgres-users');
    mkdirSync(users, { recursive: true });
    writeFileSync(join(users, String(process.pid)), '');
    const pg = await startLocalPostgres({ dataDir: join(dataDir(), 'test-postgres'), database: 'credit_admin' });
    stops.push(async () => {
      rmSync(join(users, String(process.pid)), { force: true });
      if (readdirSync(users).some((pid) => alive(Number(pid)))) return;
      await pg.stop();
    });
    adminDbUrl = pg.superuserUrl;
    superuserUrl = pg.superuserUrl;
  }
  // One database per run, so two runs side by side (an editor's and a terminal's) never drop each other's.
  const dbName = `credit_test_${process.pid}`;
  const databaseUrl = process.env.TEST_DATABASE_URL ?? (await freshDatabase(adminDbUrl!, dbName));
  const databaseSuperuserUrl = process.env.TEST_DATABASE_URL ? superuserUrl : withDatabase(superuserUrl, dbName);
  if (!process.env.TEST_DATABASE_URL) stops.push(() => dropDatabase(adminDbUrl!, dbName));
  await applyMigrations(databaseUrl);
  const db = createDb(databaseUrl, { poolSize: 2 });
  await loadReferenceData(db);
  // The calendar reaches past today on any day the suite runs, as an operator keeps it (test/support/test-calendar.ts).
  await seedTestCalendar(db);
  await db.$disconnect();

  let temporalAddress = process.env.TEST_TEMPORAL_ADDRESS;
  const temporalServer = temporalAddress ? 'external' : temporalServerKind(process.env.TEST_TEMPORAL_SERVER, 'TEST_TEMPORAL_SERVER');
  if (temporalServer === 'full') {
    const temporalDb = `temporal_test_${process.pid}`;
    const stateDir = join(dataDir(), `test-temporal-server-${process.pid}`);
    const server = await startTemporalServer({ postgresSuperuserUrl: superuserUrl, databaseName: temporalDb, fresh: true, stateDir });
    stops.push(async () => {
      await server.stop();
      await dropTemporalDatabases(superuserUrl, temporalDb);
      rmSync(stateDir, { recursive: true, force: true });
    });
    temporalAddress = server.address;
  } else if (temporalServer === 'dev') {
    await ensureTemporalCli();
    const server = await startTemporalDevServer({});
    stops.push(() => server.stop());
    temporalAddress = server.address;
  }
  const timeSkippingServerPath = await ensureTimeSkippingServer();

  const workflowBundlePath = join(dataDir(), `test-workflow-bundle-${process.pid}.js`);
  stops.push(() => {
    rmSync(workflowBundlePath, { force: true });
    return Promise.resolve();
  });
  // The bundle `npm run build:workflows` made while it matches the sources (else built now and kept for the next run),
  // copied: a rebuild during this run must not change the code its later test files run.
  copyFileSync((await workflowBundle()).codePath, workflowBundlePath);

  // One mail catcher for the run: documents served electronically reach it (any address at bounce.test is refused).
  const mail = await startMailCatcher({ dir: join(dataDir(), `test-mail-${process.pid}`) });
  stops.push(async () => {
    await mail.stop();
    rmSync(mail.dir, { recursive: true, force: true });
  });

  const env: TestEnv = {
    smtpUrl: mail.url,
    mailDir: mail.dir,
    databaseUrl,
    databaseSuperuserUrl,
    temporalAddress: temporalAddress!,
    temporalServer,
    timeSkippingServerPath,
    workflowBundlePath,
  };
  const envFile = testEnvFileFor(process.pid);
  writeFileSync(envFile, JSON.stringify(env, null, 2));
  // Test files read it through this variable (in band, and in workers, which inherit it).
  process.env[TEST_ENV_VARIABLE] = envFile;
  stops.push(() => {
    rmSync(envFile, { force: true });
    return Promise.resolve();
  });
}

async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}

/** Drops and re-creates `name` as a database owned by the URL's role's peer app user. */
async function freshDatabase(adminUrl: string, name: string): Promise<string> {
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    const owner = await appRole(admin);
    await admin.query(`CREATE DATABASE ${name} OWNER ${owner}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.username = 'app';
  url.password = 'app';
  url.pathname = `/${name}`;
  return url.toString();
}

async function appRole(admin: Client): Promise<string> {
  await admin.query(`DO $$ BEGIN
      IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'app') THEN CREATE ROLE app LOGIN PASSWORD 'app'; END IF;
    END $$`);
  return 'app';
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}
