import { join } from 'node:path';
import { until } from '../support/until';
import { shanghaiDayOf } from '../../exchange/days';
import {
  allDelivered,
  enqueueFor,
  exchangeHarness,
  startPlatform,
  startExchangeWorker,
  statusesOf,
  type ExchangeHarness,
  type PlatformProcess,
  type WorkerProcess,
} from './support';

/**
 * The exchange's delivery end to end: entries written to the outbox (enqueueExchange, as a change writes them) reach the
 * reference platform (a process of its own) through the worker (a process of its own): once, in order per subject,
 * through the platform's outages, refusals and kills of either process; and reconciliation finds what the platform lost.
 */
jest.setTimeout(180_000);

let h: ExchangeHarness;
let platform: PlatformProcess;
let worker: WorkerProcess;
const run = `x${Date.now().toString(36)}`;
const dataFile = join(__dirname, '..', '..', '.data', `platform-test-${process.pid}.jsonl`);

beforeAll(async () => {
  h = await exchangeHarness();
  await h.endWorkflows();
  platform = await startPlatform({ dataFile, fresh: true });
  worker = await startExchangeWorker({ taskQueue: h.taskQueue, exchangeUrl: platform.url });
});
afterAll(async () => {
  // Each is unset when beforeAll failed before starting it.
  const started = [worker as WorkerProcess | undefined, platform as PlatformProcess | undefined];
  for (const p of started) await p?.kill();
  await (h as ExchangeHarness | undefined)?.close();
});

/** Each id taken exactly once as a new fact, and per subject in the order of the outbox. */
function expectOnceAndInOrder(ids: string[]): void {
  const taken = platform.takenIds().filter((id) => ids.includes(id));
  expect([...taken].sort()).toEqual([...ids].sort());
  const bySubject = new Map<string, string[]>();
  for (const id of taken) {
    const subject = id.replace(/-e\d+$/, '');
    bySubject.set(subject, [...(bySubject.get(subject) ?? []), id]);
  }
  for (const [subject, got] of bySubject) {
    const want = ids.filter((id) => id.startsWith(`${subject}-e`));
    expect(got).toEqual(want);
  }
}

it('delivers every entry once and in order per subject', async () => {
  const ids: string[] = [];
  for (let s = 0; s < 4; s++) ids.push(...(await enqueueFor(h.db, `${run}-order-${s}`, 5)));
  await h.wake();
  await allDelivered(h.db, ids);
  expectOnceAndInOrder(ids);
  const rows = await statusesOf(h.db, ids);
  for (const r of rows.values()) {
    expect(r).toMatchObject({ status: 'accepted', attempts: 1, lastError: null, refusal: null });
    expect(r.deliveredAt).toBeInstanceOf(Date);
    expect(r.answer).toMatchObject({ status: 201 });
  }
  // The platform holds exactly what was sent, payload and all.
  const held = new Map((await platform.entries()).map((e) => [e.entryId, e]));
  expect(held.get(ids[0]!)).toMatchObject({ subjectId: `${run}-order-0`, kind: 'record_supplied', payload: { n: 0, note: '第0条' } });
});

it('keeps a refusal with its reason; the subject waits behind it, others go on; set back to pending it is delivered', async () => {
  const [first, second] = await enqueueFor(h.db, `${run}-refused`, 2);
  await platform.control({ mode: 'refuse', reason: '统一社会信用代码校验不通过', ids: [first!] });
  const others = await enqueueFor(h.db, `${run}-bystander`, 3);
  await h.wake();
  await allDelivered(h.db, others);
  const refused = await until('the refusal recorded', async () => {
    const r = (await statusesOf(h.db, [first!])).get(first!);
    return r?.status === 'refused' ? r : null;
  });
  expect(refused.refusal).toEqual({ status: 422, reason: '统一社会信用代码校验不通过' });
  await h.wake(); // another batch: the later entry still waits behind the refusal
  await until(
    'a batch after the refusal',
    async () => (await h.db.exchangeEntry.count({ where: { id: { in: others }, status: 'accepted' } })) === 3,
  );
  await new Promise((r) => setTimeout(r, 1_500));
  expect((await statusesOf(h.db, [second!])).get(second!)).toMatchObject({ status: 'pending', attempts: 0 });
  expect(platform.takenIds()).not.toContain(second);

  // A person corrects it (the resend endpoint sets it back to pending); the platform now takes it.
  await platform.control({ mode: 'accept' });
  await h.db.exchangeEntry.update({ where: { id: first! }, data: { status: 'pending' } });
  await h.wake();
  await allDelivered(h.db, [first!, second!]);
  expectOnceAndInOrder([first!, second!]);
  expect((await statusesOf(h.db, [first!])).get(first!)).toMatchObject({ status: 'accepted', attempts: 2, refusal: null });
});

it('loses and doubles nothing while the platform fails for a while, then answers', async () => {
  await platform.control({ mode: 'fail' });
  const ids: string[] = [];
  for (let s = 0; s < 3; s++) ids.push(...(await enqueueFor(h.db, `${run}-outage-${s}`, 4)));
  await h.wake();
  await until('unanswered attempts recorded', async () => {
    const r = await h.db.exchangeEntry.findFirst({ where: { id: { in: ids }, lastError: { not: null } } });
    return r?.lastError?.includes('503') ? r : null;
  });
  expect(await h.db.exchangeEntry.count({ where: { id: { in: ids }, status: 'pending' } })).toBe(ids.length);
  await platform.control({ mode: 'accept' });
  await h.wake();
  await allDelivered(h.db, ids);
  expectOnceAndInOrder(ids);
});

it('holds back only its own subject when the platform fails on one entry alone', async () => {
  const [poison, behind] = await enqueueFor(h.db, `${run}-poison`, 2);
  await platform.control({ mode: 'fail', ids: [poison!] });
  const others = await enqueueFor(h.db, `${run}-healthy`, 3);
  await h.wake();
  await allDelivered(h.db, others, 15_000);
  await until('the failing entry tried', async () => ((await statusesOf(h.db, [poison!])).get(poison!)?.attempts ?? 0) >= 1);
  // Later entries of other subjects go out at once: the delivery does not back off as if the platform were down.
  const later = await enqueueFor(h.db, `${run}-healthy-later`, 2);
  const t0 = Date.now();
  await h.wake();
  await allDelivered(h.db, later, 15_000);
  expect(Date.now() - t0).toBeLessThan(5_000);
  const rows = await statusesOf(h.db, [poison!, behind!]);
  expect(rows.get(poison!)).toMatchObject({ status: 'pending' });
  expect(rows.get(poison!)?.lastError).toMatch(/503/);
  expect(rows.get(behind!)).toMatchObject({ status: 'pending', attempts: 0 });

  await platform.control({ mode: 'accept' });
  await h.wake();
  await allDelivered(h.db, [poison!, behind!]);
  expectOnceAndInOrder([poison!, behind!]);
});

it('loses and doubles nothing when the platform and then the worker are killed during delivery', async () => {
  // Slow answers, so the kills fall while entries are on the wire.
  await platform.control({ mode: 'delay', delayMs: 60 });
  const ids: string[] = [];
  for (let s = 0; s < 6; s++) ids.push(...(await enqueueFor(h.db, `${run}-kill-${s}`, 10)));
  await h.wake();
  await until('some delivered', async () => (await h.db.exchangeEntry.count({ where: { id: { in: ids }, status: 'accepted' } })) >= 8);
  await platform.kill();
  await until('the platform missed', async () => h.db.exchangeEntry.findFirst({ where: { id: { in: ids }, lastError: { not: null } } }));
  platform = await startPlatform({ port: platform.port, dataFile });
  await platform.control({ mode: 'delay', delayMs: 60 });
  await h.wake();
  const before = await h.db.exchangeEntry.count({ where: { id: { in: ids }, status: 'accepted' } });
  // Each entry that went unanswered waits its own backoff (1 s doubling) before it is tried again, so give it time.
  await until(
    'more delivered',
    async () => (await h.db.exchangeEntry.count({ where: { id: { in: ids }, status: 'accepted' } })) >= before + 8,
    60_000,
  );
  await worker.kill();
  worker = await startExchangeWorker({ taskQueue: h.taskQueue, exchangeUrl: platform.url });
  await platform.control({ mode: 'accept' });
  await h.wake();
  await allDelivered(h.db, ids, 120_000);
  expectOnceAndInOrder(ids);
});

it('reconciliation finds an entry the platform lost and sends it again', async () => {
  const ids = await enqueueFor(h.db, `${run}-recon`, 3);
  await h.wake();
  await allDelivered(h.db, ids);
  const day = shanghaiDayOf((await statusesOf(h.db, ids)).get(ids[1]!)!.occurredAt);
  await platform.lose(ids[1]!);

  const since = new Date();
  await h.reconcile(day);
  const repaired = await until('a reconciliation run', () =>
    h.db.exchangeReconciliation.findFirst({ where: { day, ranAt: { gte: since } }, orderBy: { ranAt: 'desc' } }),
  );
  expect(repaired.status).toBe('repaired');
  expect(repaired.resent).toContain(ids[1]);
  expect(repaired.resent).not.toContain(ids[0]);
  expect(repaired.platformCount).toBe(repaired.localCount - (repaired.resent as string[]).length);
  await until('the lost entry held again', async () => (await platform.entries()).some((e) => e.entryId === ids[1]));
  await allDelivered(h.db, ids);

  const again = new Date();
  await h.reconcile(day);
  const matched = await until('a second reconciliation run', () =>
    h.db.exchangeReconciliation.findFirst({ where: { day, ranAt: { gte: again } } }),
  );
  expect(matched).toMatchObject({ status: 'matched', resent: [] });
  expect(matched.platformDigest).toBe(matched.localDigest);
});
