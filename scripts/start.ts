import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { dataDir, errorText, log, projectRoot } from './lib/paths';
import { startLocalPostgres, type LocalPostgres } from './lib/postgres';
import { devServerPorts, startTemporalDevServer, type TemporalDevServer } from './lib/temporal-cli';
import { startTemporalServer, temporalServerKind } from './lib/temporal-server';
import { tcpOpen } from './lib/proc';
import { startDevServerBySdkDownload } from './lib/temporal-sdk-download';
import { devAuditSigningKey, devJwtSecret } from './dev-secret';
import { applyMigrations } from '../db/migrate';
import { createDb } from '../db/client';
import { loadReferenceData } from '../db/reference-data';
import { seedDepartmentContacts } from '../db/department-contacts';
import { loadConfig, ConfigError } from '../config/config';
import { startEmbeddedPlatform } from './lib/embedded-platform';
import { startMailCatcher } from '../messaging/mail-catcher';
import { WORKER_NODE_FLAGS } from './lib/worker-flags';

/**
 * `npm start`: the whole system on one machine. Where DATABASE_URL / TEMPORAL_ADDRESS are unset it
 * runs its own Postgres cluster and Temporal dev server with their state under .data/ (kept across
 * restarts); where they are set it uses those. TEMPORAL_SERVER=full runs the full Temporal server
 * (temporal-server with Postgres persistence, in databases of its own in the same cluster) instead of
 * the dev server. Then migrations, reference data, the worker and the
 * API, each in its own process as in production. Ctrl-C stops everything it started.
 */
const SCOPE = 'start';

async function main(): Promise<void> {
  const started: { stop(): Promise<void> }[] = [];
  const children: ChildProcess[] = [];
  let stopping = false;

  const stopAll = async (code: number) => {
    if (stopping) return;
    stopping = true;
    log(SCOPE, 'stopping…');
    await Promise.all(children.map((c) => stopChild(c)));
    for (const s of started.reverse()) {
      await s.stop().catch((err: unknown) => {
        log(SCOPE, `stop failed: ${(err as Error).message}`);
      });
    }
    log(SCOPE, 'stopped; data kept in .data/');
    process.exit(code);
  };
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));

  const env: NodeJS.ProcessEnv = { ...process.env };
  let temporalUi: string | undefined;
  try {
    const temporalKind = env.TEMPORAL_ADDRESS ? undefined : temporalServerKind(env.TEMPORAL_SERVER, 'TEMPORAL_SERVER');
    let pg: LocalPostgres | undefined;
    if (!env.DATABASE_URL || temporalKind === 'full') {
      pg = await startLocalPostgres({ dataDir: join(dataDir(), 'postgres'), database: 'credit' });
      if (!pg.reused) started.push(pg);
      env.DATABASE_URL ??= pg.url;
    }
    if (temporalKind === 'full' && pg) {
      const port = (await tcpOpen(7233)) ? undefined : 7233;
      if (port === undefined) log(SCOPE, 'port 7233 is taken; the Temporal frontend takes a free port');
      const server = await startTemporalServer({
        postgresSuperuserUrl: pg.superuserUrl,
        databaseName: 'temporal',
        stateDir: join(dataDir(), 'temporal-server'),
        ...(port === undefined ? {} : { port }),
        ...(env.TEMPORAL_NAMESPACE ? { namespace: env.TEMPORAL_NAMESPACE } : {}),
      });
      started.push(server);
      env.TEMPORAL_ADDRESS = server.address;
      temporalUi = '(none: the full server has no Web UI of its own)';
    } else if (temporalKind === 'dev') {
      const wanted = { port: 7233, uiPort: 8233 };
      const free = !(await tcpOpen(wanted.port)) && !(await tcpOpen(wanted.uiPort));
      const dbFile = join(dataDir(), 'temporal.sqlite');
      const server: TemporalDevServer = await startTemporalDevServer({
        ...(free ? wanted : { port: 7233 }),
        dbFile,
      }).catch(async (err: unknown) => {
        if (err instanceof Error && /^No Temporal CLI/.test(err.message)) {
          return startDevServerBySdkDownload(free ? { ...wanted, dbFile } : { ...(await devServerPorts()), dbFile }).catch(
            (sdkErr: unknown) => {
              throw new Error(`${err.message}\nThe SDK's download failed too: ${(sdkErr as Error).message}`);
            },
          );
        }
        if (free) throw err;
        log(SCOPE, 'ports 7233/8233 are taken; using free ports');
        return startTemporalDevServer({ dbFile });
      });
      if (!server.reused) started.push(server);
      env.TEMPORAL_ADDRESS = server.address;
      temporalUi = server.uiUrl;
    }
    // The exchange's reference platform (docs/exchange.md), unless EXCHANGE_URL names a real one.
    const exchangePlatform = env.EXCHANGE_URL ? undefined : await startEmbeddedPlatform(env);
    if (exchangePlatform) started.push(exchangePlatform);
    env.AUTH_JWT_SECRET = devJwtSecret();
    env.AUDIT_SIGNING_KEY = devAuditSigningKey();
    // The embedded default runs on localhost over plain HTTP with the development identities to sign in as.
    env.CONSOLE_DEV_SIGN_IN ??= 'true';
    env.CONSOLE_SECURE_COOKIES ??= 'false';
    // Without SMTP_URL, documents served electronically go to a local mail catcher, listed on /console/supervise/mail.
    let mailPage: string | undefined;
    if (!env.SMTP_URL) {
      const catcher = await startMailCatcher({ dir: join(dataDir(), 'mail'), port: (await tcpOpen(1025)) ? 0 : 1025 });
      started.push(catcher);
      env.SMTP_URL = catcher.url;
      env.MAIL_CATCHER_DIR = catcher.dir;
      mailPage = `${catcher.url} (kept in ${catcher.dir})`;
    }
    const cfg = loadConfig(env);

    const migrated = await applyMigrations(cfg.DATABASE_URL);
    log(SCOPE, `migrations: ${migrated.applied.length} applied, ${migrated.alreadyApplied.length} already there`);
    const db = createDb(cfg.DATABASE_URL, { poolSize: 1 });
    const loaded = await loadReferenceData(db);
    await seedDepartmentContacts(db);
    await db.$disconnect();
    log(SCOPE, `reference data: ${loaded.departments} departments, ${loaded.measures} measures`);

    children.push(launch({ name: 'worker', entry: 'worker.ts', nodeFlags: WORKER_NODE_FLAGS }, env, () => void stopAll(1)));
    children.push(launch({ name: 'api', entry: 'api/main.ts' }, env, () => void stopAll(1)));
    await waitForApi(cfg.HOST, cfg.PORT);

    const api = `http://${cfg.HOST}:${cfg.PORT}`;
    process.stderr.write(
      [
        '',
        `  Console          ${api}/console`,
        `  API              ${api}`,
        `  API docs         ${api}/docs`,
        `  Temporal Web UI  ${temporalUi ?? '(external cluster)'}`,
        ...(mailPage ? [`  Mail caught      ${api}/console/supervise/mail (as a supervisor); SMTP ${mailPage}`] : []),
        `  Temporal         ${cfg.TEMPORAL_ADDRESS} (namespace ${cfg.TEMPORAL_NAMESPACE})`,
        `  Postgres         ${redact(cfg.DATABASE_URL)}`,
        `  Exchange         ${cfg.EXCHANGE_URL ?? '(none: the outbox waits)'}${exchangePlatform ? ' (reference platform, GET /_entries)' : ''}`,
        '',
        '  Mint a token:    npm run token -- --role officer --dept ZY-SAMR',
        '  Stop:            Ctrl-C (data is kept in .data/)',
        '',
      ].join('\n') + '\n',
    );
  } catch (err) {
    log(SCOPE, err instanceof ConfigError ? err.message : `start failed: ${errorText(err)}`);
    await stopAll(1);
  }
}

/** A TypeScript entry point of the project in a process of its own, with the Node flags it starts with. */
interface Launched {
  name: string;
  entry: string;
  nodeFlags?: readonly string[];
}

function launch({ name, entry, nodeFlags = [] }: Launched, env: NodeJS.ProcessEnv, onExit: () => void): ChildProcess {
  const tsx = join(projectRoot(), 'node_modules', '.bin', 'tsx');
  const child = spawn(tsx, [...nodeFlags, join(projectRoot(), entry)], { env, stdio: 'inherit', cwd: projectRoot() });
  child.on('exit', (code, signal) => {
    log(SCOPE, `${name} exited (${signal ?? code})`);
    onExit();
  });
  return child;
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

async function waitForApi(host: string, port: number): Promise<void> {
  const until = Date.now() + 60_000;
  while (Date.now() < until) {
    try {
      const res = await fetch(`http://${host}:${port}/healthz`);
      if (res.ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the API did not answer on ${host}:${port} within 60 s`);
}

function redact(url: string): string {
  const u = new URL(url);
  if (u.password) u.password = '***';
  return u.toString();
}

void main();
