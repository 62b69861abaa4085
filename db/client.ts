import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../generated/prisma/client';

export type Db = PrismaClient;
export type Tx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];

export function createDb(databaseUrl: string, opts: { poolSize?: number } = {}): Db {
  // A short connection timeout makes an unreachable database fail fast, so activity retries
  // (not hung requests) carry the case through an outage.
  const adapter = new PrismaPg({
    connectionString: databaseUrl,
    max: opts.poolSize ?? 10,
    connectionTimeoutMillis: 5_000,
  });
  // Audited writes queue on one advisory lock (db/audit.ts); under load a transaction may wait its turn
  // longer than Prisma's 5 s default, which would turn a queue into a 500.
  return new PrismaClient({ adapter, transactionOptions: { maxWait: 10_000, timeout: 30_000 } });
}
