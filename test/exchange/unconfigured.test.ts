import { createDb, type Db } from '../../db/client';
import { enqueueExchange } from '../../db/exchange-outbox';
import { exchangeDeliveryActivities } from '../../activities/exchange-delivery';
import { shanghaiDayOf } from '../../exchange/days';
import { testEnv } from '../support/test-env';

/** No EXCHANGE_URL: no adapter; the outbox fills and waits, and a reconciliation says it could not compare. */
let db: Db;
beforeAll(() => {
  db = createDb(testEnv().databaseUrl, { poolSize: 2 });
});
afterAll(async () => {
  await db.$disconnect();
});

it('sends nothing and touches no entry without a platform; the reconciliation run is stored as unconfigured', async () => {
  const id = `unconfigured-${Date.now().toString(36)}`;
  await db.$transaction((tx) =>
    enqueueExchange(tx, { id, subjectId: id, kind: 'record_supplied', payload: { id }, occurredAt: new Date() }),
  );
  const acts = exchangeDeliveryActivities({ db, adapter: null });
  expect(await acts.deliverExchangeBatch()).toMatchObject({ unconfigured: true, accepted: 0, unanswered: 0 });
  expect(await db.exchangeEntry.findUniqueOrThrow({ where: { id } })).toMatchObject({
    status: 'pending',
    attempts: 0,
    lastAttemptAt: null,
  });

  const day = shanghaiDayOf(new Date());
  const runId = `${id}-run`;
  expect(await acts.reconcileExchangeDay({ id: runId, day })).toEqual({ status: 'unconfigured', resent: [] });
  // A retried run stores one row and answers the same.
  expect(await acts.reconcileExchangeDay({ id: runId, day })).toEqual({ status: 'unconfigured', resent: [] });
  expect(await db.exchangeReconciliation.findMany({ where: { id: runId } })).toEqual([
    expect.objectContaining({ day, status: 'unconfigured', platformCount: null, platformDigest: null, resent: [] }),
  ]);
});
