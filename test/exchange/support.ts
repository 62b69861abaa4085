import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { Client, Connection } from '@temporalio/client';
import { createDb, type Db } from '../../db/client';
import { enqueueExchange, type ExchangeKind } from '../../db/exchange-outbox';
import { testEnv } from '../support/test-env';
import { until } from '../support/until';
import { endWorkerSingletons, exitOf, spawnTs, startWorkerProcess, type WorkerProcess } from '../support/worker-process';
import { EXCHANGE_DELIVERY_ID, EXCHANGE_RECONCILIATION_ID } from '../../workflows/exchange/ids';
import type { Control, HeldEntry } from '../../exchange/reference-platform';

/**
 * The exchange as it runs: the reference platform (scripts/platform.ts) and the worker (worker.ts) each a process of its
 * own, so either can be killed with SIGKILL; real Postgres and Temporal from the test run's global setup.
 */

export type { WorkerProcess };
export const EXCHANGE_TEST_SECRET = 'exchange-test-secret-0123456789';

export interface PlatformProcess {
  url: string;
  port: number;
  dataFile: string;
  child: ChildProcess;
  control(c: Control): Promise<void>;
  lose(entryId: string): Promise<void>;
  entries(): Promise<HeldEntry[]>;
  /** Every entry id the platform took as a new fact, in the order taken, read from its file (survives kill -9). */
  takenIds(): string[];
  kill(): Promise<void>;
}

export async function startPlatform(opts: { port?: number; dataFile: string; fresh?: boolean }): Promise<PlatformProcess> {
  if (opts.fresh && existsSync(opts.dataFile)) rmSync(opts.dataFile);
  const child = spawnTs('scripts/platform.ts', ['--port', String(opts.port ?? 0), '--data', opts.dataFile], {
    ...process.env,
    EXCHANGE_SECRET: EXCHANGE_TEST_SECRET,
  });
  let stderr = '';
  child.stderr?.on('data', (b: Buffer) => (stderr += b.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (b: Buffer) => {
      out += b.toString();
      const m = /platform listening on (\S+)/.exec(out);
      if (m?.[1]) resolve(m[1]);
    });
    child.once('exit', (code) => {
      reject(new Error(`the platform exited (${code}) before it listened: ${stderr}`));
    });
  });
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return res.status === 204 ? null : ((await res.json()) as unknown);
  };
  return {
    url,
    port: Number(new URL(url).port),
    dataFile: opts.dataFile,
    child,
    control: async (c) => {
      await call('POST', '/_control', c);
    },
    lose: async (id) => {
      await call('DELETE', `/_control/entries/${encodeURIComponent(id)}`);
    },
    entries: async () => ((await call('GET', '/_entries')) as { entries: HeldEntry[] }).entries,
    takenIds: () =>
      existsSync(opts.dataFile)
        ? readFileSync(opts.dataFile, 'utf8')
            .split('\n')
            .filter((l) => l.startsWith('{"held"'))
            .map((l) => (JSON.parse(l) as { held: HeldEntry }).held.entryId)
        : [],
    kill: async () => {
      child.kill('SIGKILL');
      await exitOf(child);
    },
  };
}

/** worker.ts in a process of its own, delivering to `exchangeUrl` on the test's task queue. */
export function startExchangeWorker(opts: { taskQueue: string; exchangeUrl: string }): Promise<WorkerProcess> {
  return startWorkerProcess({
    taskQueue: opts.taskQueue,
    env: {
      AUTH_JWT_SECRET: 'exchange-test-jwt-secret-0123456789abcdef',
      EXCHANGE_URL: opts.exchangeUrl,
      EXCHANGE_SECRET: EXCHANGE_TEST_SECRET,
    },
  });
}

export interface ExchangeHarness {
  db: Db;
  temporal: Client;
  taskQueue: string;
  wake(): Promise<void>;
  reconcile(day: string): Promise<void>;
  /** Ends the exchange's workflows (an earlier run's may still wait on a task queue no worker serves). */
  endWorkflows(): Promise<void>;
  close(): Promise<void>;
}

export async function exchangeHarness(): Promise<ExchangeHarness> {
  const env = testEnv();
  const db = createDb(env.databaseUrl, { poolSize: 3 });
  const connection = await Connection.connect({ address: env.temporalAddress });
  const temporal = new Client({ connection, namespace: 'default' });
  // Every singleton worker.ts starts, wherever it runs: the exchange's begin afresh.
  const endWorkflows = () => endWorkerSingletons(temporal);
  return {
    db,
    temporal,
    taskQueue: `test-exchange-${randomUUID()}`,
    wake: () => temporal.workflow.getHandle(EXCHANGE_DELIVERY_ID).signal('wake'),
    reconcile: (day) => temporal.workflow.getHandle(EXCHANGE_RECONCILIATION_ID).signal('reconcile', { day }),
    endWorkflows,
    async close() {
      await endWorkflows();
      await connection.close();
      await db.$disconnect();
    },
  };
}

/** `count` entries for a subject, in order, each in its own transaction as a change would write it. */
export async function enqueueFor(
  db: Db,
  subjectId: string,
  count: number,
  opts: { kind?: ExchangeKind; at?: Date } = {},
): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const id = `${subjectId}-e${i}`;
    await db.$transaction(async (tx) => {
      await enqueueExchange(tx, {
        id,
        subjectId,
        kind: opts.kind ?? 'record_supplied',
        payload: { subjectId, n: i, note: `第${i}条` },
        occurredAt: opts.at ?? new Date(),
      });
    });
    ids.push(id);
  }
  return ids;
}

export async function statusesOf(db: Db, ids: string[]) {
  const rows = await db.exchangeEntry.findMany({ where: { id: { in: ids } }, orderBy: { seq: 'asc' } });
  return new Map(rows.map((r) => [r.id, r]));
}

export async function allDelivered(db: Db, ids: string[], timeoutMs = 60_000): Promise<void> {
  await until(
    `${ids.length} entries accepted or held`,
    async () => (await db.exchangeEntry.count({ where: { id: { in: ids }, status: { in: ['accepted', 'held'] } } })) === ids.length,
    timeoutMs,
  );
}

/**
 * A run time later than every reconciliation stored (and than now): the test database is shared by the run's files, and
 * the status shows the latest run, so a test's own must come last.
 */
export async function latestReconciliationAfter(db: Db): Promise<Date> {
  const latest = await db.exchangeReconciliation.findFirst({ orderBy: { ranAt: 'desc' } });
  return new Date(Math.max(Date.now() + 2_000, (latest?.ranAt.getTime() ?? 0) + 1_000));
}
