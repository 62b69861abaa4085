import { createHash, randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Runtime, DefaultLogger } from '@temporalio/worker';
import pino, { type Logger } from 'pino';
import type { ProviderTokenSettings } from '../../api/provider-tokens';
import type { OidcSettings } from '../../console/oidc';
import { buildApp } from '../../api/app';
import { mintToken, type TokenClaims } from '../../api/dev-tokens';
import { createDb, type Db } from '../../db/client';
import { startAuditSequencer } from '../../db/audit-sequencer';
import { auditSignerOf, type AuditSigner } from '../../db/audit-signing';
import { buildWorker } from '../../worker';
import { testEnv } from './test-env';
import type { ElectronicServiceDeps } from '../../activities/electronic-service';
import { smtpMessenger } from '../../messaging/messenger';
import { getCaseQuery } from '../../workflows/common/definitions';

export const TEST_JWT_SECRET = 'test-secret-test-secret-test-secret-0123';

let runtimeInstalled = false;

/**
 * The run's audit checkpoint key: an Ed25519 key whose seed is the hash of the run's database URL, so every test file
 * of a run (each in a module registry of its own) signs and verifies with the same key, and each run has its own.
 */
export function testAuditSigner(): AuditSigner {
  const seed = createHash('sha256').update(`audit-signing:${testEnv().databaseUrl}`).digest();
  const pkcs8 = Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]);
  return auditSignerOf(pkcs8.toString('base64'));
}

/** Quiet the worker's own logging in tests unless asked for. */
function installQuietRuntime(): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  Runtime.install({ logger: new DefaultLogger(process.env.TEST_WORKER_LOG === '1' ? 'INFO' : 'WARN') });
}

export interface System {
  db: Db;
  temporal: Client;
  app: Awaited<ReturnType<typeof buildApp>>;
  taskQueue: string;
  token(claims: TokenClaims): string;
  /** Starts the worker of a system started `withoutWorker` (a worker coming back); a no-op if it runs. */
  startWorker(): Promise<void>;
  /** Stops the worker (a worker away); `startWorker` brings it back. */
  stopWorker(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The whole system against the real dev server and Postgres: a worker on its own task queue (so test
 * files never steal each other's tasks), the API built as in production and driven through `inject`.
 */
export async function startSystem(
  opts: {
    workerDatabaseUrl?: string;
    apiDatabaseUrl?: string;
    withoutWorker?: boolean;
    startAnswerDeadlineMs?: number;
    actionAnswerDeadlineMs?: number;
    clock?: () => Date;
    console?: boolean | { devSignIn: boolean; oidc?: OidcSettings };
    /** The identity provider's own bearer tokens (api/provider-tokens.ts). */
    providerTokens?: ProviderTokenSettings;
    /** The API's logger (silent unless TEST_API_LOG names a level); a test that reads the log passes its own. */
    logger?: Logger;
    /**
     * The Accept-Language a request through `inject` carries unless it names its own: English by default, as the
     * API tests were written (their expectations are the API's English texts); null sends none, so the API's own
     * default (Chinese) is what a test sees.
     */
    clientLanguage?: string | null;
    /** Where the worker sends documents served electronically (a test's own SMTP server and SMS gateway). */
    delivery?: ElectronicServiceDeps;
    /** A mail catcher's directory: the API lists its mails for the supervisors (GET /v1/dev/mail), as under `npm start`. */
    mailCatcherDir?: string;
    /** Hears every statement of the API's own connections (the worker's are its own when this is given). */
    apiOnQuery?: (sql: string) => void;
    /** The API's look for abandoned actions (AppDeps.actionChangesSweepMs): 0 runs none. */
    actionChangesSweepMs?: number;
  } = {},
): Promise<System> {
  installQuietRuntime();
  const env = testEnv();
  const db = createDb(opts.apiDatabaseUrl ?? env.databaseUrl, { poolSize: 5, ...(opts.apiOnQuery ? { onQuery: opts.apiOnQuery } : {}) });
  // The worker keeps the direct connection when only the API's goes through a proxy.
  const workerDb = opts.workerDatabaseUrl
    ? createDb(opts.workerDatabaseUrl, { poolSize: 3 })
    : opts.apiDatabaseUrl || opts.apiOnQuery
      ? createDb(env.databaseUrl, { poolSize: 3 })
      : db;
  const connection = await Connection.connect({ address: env.temporalAddress });
  const temporal = new Client({ connection, namespace: 'default' });
  const nativeConnection = await NativeConnection.connect({ address: env.temporalAddress });
  const taskQueue = `test-${randomUUID()}`;
  let stopWorker: (() => Promise<void>) | undefined;
  const startWorker = async () => {
    if (stopWorker) return;
    const worker = await buildWorker({
      connection: nativeConnection,
      namespace: 'default',
      taskQueue,
      db: workerDb,
      temporal,
      options: { workflowBundle: { codePath: env.workflowBundlePath } },
      ...((opts.delivery ?? runDelivery(env)) ? { delivery: opts.delivery ?? runDelivery(env)! } : {}),
    });
    const running = worker.run();
    stopWorker = async () => {
      worker.shutdown();
      await running;
    };
  };
  if (!opts.withoutWorker) await startWorker();
  const auditSigner = testAuditSigner();
  // As in production, a sequencer links what is appended a moment later; fast here, so tests wait little for a seq.
  // Its own connections, straight to the database: tests that cut the API's or the worker's leave it alone.
  const sequencerDb = createDb(env.databaseUrl, { poolSize: 2 });
  const auditSequencer = startAuditSequencer({
    db: sequencerDb,
    databaseUrl: env.databaseUrl,
    signer: auditSigner,
    intervalMs: 50,
    retryMs: 200,
    checkpointEveryMs: 500,
  });
  const app = await buildApp(
    {
      db,
      temporal,
      taskQueue,
      jwtSecret: TEST_JWT_SECRET,
      auditSigner,
      ...(opts.startAnswerDeadlineMs !== undefined ? { startAnswerDeadlineMs: opts.startAnswerDeadlineMs } : {}),
      ...(opts.actionAnswerDeadlineMs !== undefined ? { actionAnswerDeadlineMs: opts.actionAnswerDeadlineMs } : {}),
      ...(opts.actionChangesSweepMs !== undefined ? { actionChangesSweepMs: opts.actionChangesSweepMs } : {}),
      ...(opts.clock ? { clock: opts.clock } : {}),
      ...(opts.mailCatcherDir ? { mailCatcherDir: opts.mailCatcherDir } : {}),
      ...(opts.providerTokens ? { providerTokens: opts.providerTokens } : {}),
      ...(opts.console
        ? {
            console: {
              devSignIn: true,
              secureCookies: false,
              ...(typeof opts.console === 'object' ? opts.console : {}),
            },
          }
        : {}),
    },
    opts.logger ?? pino({ level: process.env.TEST_API_LOG ?? 'silent' }),
  );
  await app.ready();
  const language = opts.clientLanguage === undefined ? 'en' : opts.clientLanguage;
  if (language !== null) {
    const inject = app.inject.bind(app) as (o?: unknown) => unknown;
    (app as { inject: unknown }).inject = (o?: unknown) => inject(withLanguage(o, language));
  }
  return {
    db,
    temporal,
    app,
    taskQueue,
    token: (claims) => mintToken(claims, TEST_JWT_SECRET),
    startWorker,
    async stopWorker() {
      const stopping = stopWorker;
      stopWorker = undefined;
      await stopping?.();
    },
    async stop() {
      await app.close();
      await auditSequencer.stop();
      await sequencerDb.$disconnect();
      await stopWorker?.();
      await nativeConnection.close();
      await connection.close();
      if (workerDb !== db) await workerDb.$disconnect();
      await db.$disconnect();
    },
  };
}

/** Inject options with `language` as their Accept-Language, unless they name one. */
function withLanguage(o: unknown, language: string): unknown {
  if (typeof o !== 'object' || o === null) return o;
  const given = o as { headers?: Record<string, unknown> };
  const headers = given.headers ?? {};
  if (Object.keys(headers).some((k) => k.toLowerCase() === 'accept-language')) return o;
  return { ...given, headers: { 'accept-language': language, ...headers } };
}

export type Claims = TokenClaims;
export interface Reply {
  statusCode: number;
  json(): any;
  headers: Record<string, unknown>;
}

/**
 * Hears the statements of one request at a time, on one line each: `options` for `startSystem`, then `of(request)`.
 * The API's look for abandoned actions runs on its own clock and finishes whatever another test left in the shared
 * database, at any moment: its statements are not a request's, so the system heard runs none.
 */
export function requestStatements() {
  let heard: string[] = [];
  return {
    options: { apiOnQuery: (sql: string) => heard.push(sql.replace(/\s+/g, ' ')), actionChangesSweepMs: 0 },
    async of<T>(request: () => Promise<T>): Promise<{ result: T; statements: string[] }> {
      heard = [];
      const result = await request();
      return { result, statements: heard };
    },
  };
}

/** Expects a statement heard through `apiOnQuery` to name each of `tables` (a round trip that writes or reads them all). */
export function expectTouches(statement: string | undefined, ...tables: string[]): void {
  for (const t of tables) expect(statement).toContain(t);
}

/** Requests through `inject` as a given caller: the shape every API test file uses. */
export function apiAs(sys: System) {
  const auth = (c: Claims, key?: string) => ({
    authorization: `Bearer ${sys.token(c)}`,
    ...(key ? { 'idempotency-key': key } : {}),
  });
  const post = (url: string, c: Claims, payload?: unknown, key?: string) =>
    sys.app.inject({
      method: 'POST',
      url,
      headers: auth(c, key),
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
  return {
    auth,
    post,
    get: (url: string, c: Claims) => sys.app.inject({ method: 'GET', url, headers: auth(c) }),
    act: (id: string, action: string, c: Claims, payload: unknown) => post(`/v1/cases/${id}/actions/${action}`, c, payload),
  };
}

/** A subject's own token claims. */
export const subjectOf = (id: string) => ({ role: 'subject', sub: `user-${id}`, subjectId: id }) as const;

/**
 * Waits until Postgres holds the case in `state` with every change its workflow has made (the row's version
 * is the workflow's own count of changes), so a test compares before and after on a settled read model.
 */
export async function settledCase(sys: System, id: string, state: string, closed?: boolean) {
  const until = Date.now() + 15_000;
  for (;;) {
    const row = await sys.db.case.findUnique({ where: { id } });
    const view = await sys.temporal.workflow.getHandle(id).query(getCaseQuery);
    if (row?.state === state && row.version === view.timeline.length && (closed === undefined || row.closed === closed)) return row;
    if (Date.now() > until) throw new Error(`case ${id} not recorded as ${state}; last ${row?.state} v${row?.version}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Waits until each case's workflow has no activity scheduled or running and Postgres holds every change it has made
 * (the row's version is the workflow's own count of changes): the point after which "nothing changed" can be read,
 * in place of a fixed sleep. A refused request that the workflow took after all would show as a change by then.
 */
export async function quietCases(sys: System, ids: Iterable<string>): Promise<void> {
  for (const id of new Set(ids)) {
    const h = sys.temporal.workflow.getHandle(id);
    const pending = async () => ((await h.describe()).raw.pendingActivities ?? []).length;
    const until = Date.now() + 15_000;
    for (;;) {
      const d = await h.describe();
      if (d.status.name !== 'RUNNING') break;
      if ((d.raw.pendingActivities ?? []).length === 0) {
        const view = await h.query(getCaseQuery);
        const row = await sys.db.case.findUnique({ where: { id }, select: { version: true } });
        if (row?.version === view.timeline.length && (await pending()) === 0) break;
      }
      if (Date.now() > until) throw new Error(`case ${id} did not come to rest`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

/** Where a system's worker sends documents served electronically unless a test names its own: the run's mail catcher. */
function runDelivery(env: ReturnType<typeof testEnv>): ElectronicServiceDeps | undefined {
  if (!env.smtpUrl) return undefined;
  return {
    consoleUrl: 'http://console.example.test',
    messenger: smtpMessenger({ smtpUrl: env.smtpUrl, from: 'test <no-reply@credit.localhost>' }),
  };
}
