import { randomUUID } from 'node:crypto';
import { createDb, sqlOf, type Db } from '../../db/client';
import { testEnv } from '../support/test-env';

/**
 * The raw transaction an action's changes are written in (`Sql.transaction`, db/client.ts): one pooled connection,
 * committed when its function returns, rolled back when it throws, and a connection that broke on the way never given
 * to the next caller.
 */
let db: Db;
beforeAll(() => {
  db = createDb(testEnv().databaseUrl, { poolSize: 2 });
});
afterAll(async () => {
  await db.$disconnect();
});

const named = async (sub: string) => (await db.actorName.findUnique({ where: { sub } }))?.name;

it('commits what its function wrote, and answers what it returned', async () => {
  const sub = `raw-tx-${randomUUID()}`;
  const changed = await sqlOf(db).transaction(async (tx) => {
    const n = await tx.$executeRaw`INSERT INTO actor_names (sub, name, updated_at) VALUES (${sub}, ${'甲'}, ${new Date()})`;
    const [row] = await tx.$queryRaw<{ name: string }[]>`SELECT name FROM actor_names WHERE sub = ${sub}`;
    return { n, name: row?.name };
  });
  expect(changed).toEqual({ n: 1, name: '甲' });
  expect(await named(sub)).toBe('甲');
});

it('leaves nothing when its function throws, and throws that error', async () => {
  const sub = `raw-tx-${randomUUID()}`;
  await expect(
    sqlOf(db).transaction(async (tx) => {
      await tx.$executeRaw`INSERT INTO actor_names (sub, name, updated_at) VALUES (${sub}, ${'乙'}, ${new Date()})`;
      throw new Error('refused half-way');
    }),
  ).rejects.toThrow('refused half-way');
  expect(await named(sub)).toBeUndefined();
});

it('does not give the next caller a connection that broke in a transaction', async () => {
  await expect(sqlOf(db).transaction(async (tx) => tx.$queryRaw`SELECT pg_terminate_backend(pg_backend_pid())`)).rejects.toThrow();
  // More transactions than the pool has connections: each one finds a working connection.
  for (let i = 0; i < 3; i++) {
    expect(await sqlOf(db).transaction(async (tx) => tx.$queryRaw<{ one: number }[]>`SELECT 1 AS one`)).toEqual([{ one: 1 }]);
  }
});
