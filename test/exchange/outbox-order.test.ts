import { createDb, type Db } from '../../db/client';
import { enqueueExchange } from '../../db/exchange-outbox';
import { testEnv } from '../support/test-env';

/**
 * One subject's entries commit in the order of their seq (db/exchange-outbox.ts): a second change of the same subject
 * waits for the first's transaction, so the delivery never sees a later entry before an earlier one. Other subjects
 * do not wait.
 */
let db: Db;
beforeAll(() => {
  db = createDb(testEnv().databaseUrl, { poolSize: 4 });
});
afterAll(async () => {
  await db.$disconnect();
});

const entry = (id: string, subjectId: string) => ({
  id,
  subjectId,
  kind: 'record_supplied' as const,
  payload: { id },
  occurredAt: new Date(),
});

it("holds a subject's second entry until the first one's transaction ends", async () => {
  const subject = `order-${Date.now().toString(36)}`;
  let releaseFirst!: () => void;
  const firstHeld = new Promise<void>((r) => (releaseFirst = r));
  let firstInserted!: () => void;
  const firstIn = new Promise<void>((r) => (firstInserted = r));
  const events: string[] = [];
  const first = db.$transaction(async (tx) => {
    await enqueueExchange(tx, entry(`${subject}-1`, subject));
    firstInserted();
    await firstHeld;
    events.push('first commits');
  });
  await firstIn;
  const second = db
    .$transaction(async (tx) => {
      await enqueueExchange(tx, entry(`${subject}-2`, subject));
    })
    .then(() => events.push('second committed'));
  const other = db
    .$transaction(async (tx) => {
      await enqueueExchange(tx, entry(`${subject}-other-1`, `${subject}-other`));
    })
    .then(() => events.push('other subject committed'));
  await other;
  await new Promise((r) => setTimeout(r, 500));
  expect(events).toEqual(['other subject committed']);
  releaseFirst();
  await Promise.all([first, second]);
  expect(events).toEqual(['other subject committed', 'first commits', 'second committed']);
  const rows = await db.exchangeEntry.findMany({ where: { subjectId: subject }, orderBy: { seq: 'asc' } });
  expect(rows.map((r) => r.id)).toEqual([`${subject}-1`, `${subject}-2`]);
});
