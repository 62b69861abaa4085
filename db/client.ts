import { Pool, type PoolClient, type QueryResultRow } from 'pg';
import { PrismaPg } from '@prisma/adapter-pg';
import { Prisma, PrismaClient } from '../generated/prisma/client';

export type Db = PrismaClient;
export type Tx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];

export interface DbOptions {
  poolSize?: number;
  /** Told every statement's text, Prisma's and the raw ones' (a benchmark prints what a route issued). */
  onQuery?: (sql: string) => void;
}

/**
 * Statements sent straight to the pool under a Db, past Prisma: for the few that every read pays for (a case's view,
 * the read's audit entry), where Prisma's own CPU per query was most of the API's (issue 23).
 */
export interface Sql {
  query<R extends QueryResultRow>(text: string, values: unknown[]): Promise<R[]>;
  /** A transaction on one pooled connection, its statements sent straight to it (rolled back if `fn` throws). */
  transaction<T>(fn: (tx: SqlTx) => Promise<T>): Promise<T>;
}

/**
 * What a write that runs both in a Prisma transaction and in a raw one (`Sql.transaction`) may use: raw statements as
 * Prisma's tagged templates write them. A Prisma transaction is one as it is. In a raw one, rows come as pg gives them:
 * a `bigint` column as a string, so such a write reads none (or converts it).
 */
export interface SqlTx {
  $executeRaw(query: TemplateStringsArray | Prisma.Sql, ...values: unknown[]): PromiseLike<number>;
  $queryRaw<T = unknown>(query: TemplateStringsArray | Prisma.Sql, ...values: unknown[]): PromiseLike<T>;
}

function statementOf(query: TemplateStringsArray | Prisma.Sql, values: unknown[]): Prisma.Sql {
  return query instanceof Prisma.Sql ? query : Prisma.sql(query, ...values);
}

/**
 * A statement's text with the name it is prepared under on each connection, so Postgres parses and plans it once per
 * connection instead of on every call: the raw statements are a fixed set of texts (values are parameters), and the
 * statements of an action are most of Postgres' work per action (issue 23). Past a bound, new texts go unnamed, so a
 * caller that built its text from values could not fill the connections with prepared statements.
 */
const PREPARED_TEXTS_AT_MOST = 500;
const preparedNames = new Map<string, string>();

function prepared(text: string, values: unknown[]): { text: string; values: unknown[]; name?: string } {
  let name = preparedNames.get(text);
  if (name === undefined && preparedNames.size < PREPARED_TEXTS_AT_MOST) {
    name = `sql-${preparedNames.size + 1}`;
    preparedNames.set(text, name);
  }
  return name === undefined ? { text, values } : { text, values, name };
}

function rawTx(client: PoolClient, onQuery?: (sql: string) => void): SqlTx {
  const run = async (query: TemplateStringsArray | Prisma.Sql, values: unknown[]) => {
    const s = statementOf(query, values);
    onQuery?.(s.text);
    return client.query(prepared(s.text, s.values));
  };
  return {
    $executeRaw: async (query, ...values) => (await run(query, values)).rowCount ?? 0,
    $queryRaw: async <T>(query: TemplateStringsArray | Prisma.Sql, ...values: unknown[]) => (await run(query, values)).rows as T,
  };
}

const sqlOfDb = new WeakMap<Db, Sql>();

export function createDb(databaseUrl: string, opts: DbOptions = {}): Db {
  // A short connection timeout makes an unreachable database fail fast, so activity retries
  // (not hung requests) carry the case through an outage.
  const pool = new Pool({ connectionString: databaseUrl, max: opts.poolSize ?? 10, connectionTimeoutMillis: 5_000 });
  // An idle connection that breaks (a restarted database) must not end the process; the next query reconnects.
  pool.on('error', () => undefined);
  const adapter = new PrismaPg(pool, { disposeExternalPool: true });
  // A transaction may wait its turn for a connection under load longer than Prisma's 5 s default, which would turn a
  // queue into a 500.
  const db = new PrismaClient({
    adapter,
    transactionOptions: { maxWait: 10_000, timeout: 30_000 },
    ...(opts.onQuery ? { log: [{ emit: 'event' as const, level: 'query' as const }] } : {}),
  });
  const onQuery = opts.onQuery;
  if (onQuery)
    (db as unknown as LoggingDb).$on('query', (e) => {
      onQuery(e.query);
    });
  sqlOfDb.set(db, {
    async query<R extends QueryResultRow>(text: string, values: unknown[]) {
      onQuery?.(text);
      return (await pool.query<R>(prepared(text, values))).rows;
    },
    async transaction<T>(fn: (tx: SqlTx) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      let broken: Error | undefined;
      // A connection that breaks while it is checked out says so as an event: unheard, it would end the process.
      const onError = (e: Error) => (broken = e);
      client.on('error', onError);
      try {
        await client.query('BEGIN');
        const result = await fn(rawTx(client, onQuery));
        await client.query('COMMIT');
        return result;
      } catch (err) {
        // A connection that cannot even roll back is not given to the next caller.
        await client.query('ROLLBACK').catch((e: unknown) => (broken = e instanceof Error ? e : new Error(String(e))));
        throw err;
      } finally {
        client.off('error', onError);
        client.release(broken);
      }
    },
  });
  return db;
}

interface LoggingDb {
  $on(event: 'query', cb: (e: { query: string }) => void): void;
}

/** The raw statements of a Db (every Db is made by createDb). */
export function sqlOf(db: Db): Sql {
  const sql = sqlOfDb.get(db);
  if (!sql) throw new Error('sqlOf: this Prisma client was not made by createDb (db/client.ts)');
  return sql;
}
