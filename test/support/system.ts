import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Runtime, DefaultLogger } from '@temporalio/worker';
import pino from 'pino';
import { buildApp } from '../../api/app';
import { mintToken, type TokenClaims } from '../../api/dev-tokens';
import { createDb, type Db } from '../../db/client';
import { buildWorker } from '../../worker';
import { testEnv } from './test-env';

export const TEST_JWT_SECRET = 'test-secret-test-secret-test-secret-0123';

let runtimeInstalled = false;

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
  stop(): Promise<void>;
}

/**
 * The whole system against the real dev server and Postgres: a worker on its own task queue (so test
 * files never steal each other's tasks), the API built as in production and driven through `inject`.
 */
export async function startSystem(opts: { workerDatabaseUrl?: string } = {}): Promise<System> {
  installQuietRuntime();
  const env = testEnv();
  const db = createDb(env.databaseUrl, { poolSize: 5 });
  const workerDb = opts.workerDatabaseUrl ? createDb(opts.workerDatabaseUrl, { poolSize: 3 }) : db;
  const connection = await Connection.connect({ address: env.temporalAddress });
  const temporal = new Client({ connection, namespace: 'default' });
  const nativeConnection = await NativeConnection.connect({ address: env.temporalAddress });
  const taskQueue = `test-${randomUUID()}`;
  const worker = await buildWorker({
    connection: nativeConnection,
    namespace: 'default',
    taskQueue,
    db: workerDb,
    temporal,
    options: { workflowBundle: { codePath: env.workflowBundlePath } },
  });
  const running = worker.run();
  const app = await buildApp(
    { db, temporal, taskQueue, jwtSecret: TEST_JWT_SECRET },
    pino({ level: process.env.TEST_API_LOG ?? 'silent' }),
  );
  await app.ready();
  return {
    db,
    temporal,
    app,
    taskQueue,
    token: (claims) => mintToken(claims, TEST_JWT_SECRET),
    async stop() {
      await app.close();
      worker.shutdown();
      await running;
      await nativeConnection.close();
      await connection.close();
      if (workerDb !== db) await workerDb.$disconnect();
      await db.$disconnect();
    },
  };
}
