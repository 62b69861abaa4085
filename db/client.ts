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
  return new PrismaClient({ adapter });
}
