import { ExchangeUnavailable } from '../../exchange/adapter';
import { httpExchangeAdapter } from '../../exchange/http-adapter';
import { dayDigest, payloadSha256 } from '../../exchange/protocol';
import { shanghaiDayOf } from '../../exchange/days';
import { startReferencePlatform, type ReferencePlatform } from '../../exchange/reference-platform';

/** The HTTP adapter against the reference platform: each answer of docs/exchange.md and what the adapter makes of it. */
const SECRET = 'protocol-test-secret-0123456789';
let platform: ReferencePlatform;
beforeAll(async () => {
  platform = await startReferencePlatform({ secret: SECRET });
});
afterAll(async () => {
  await platform.close();
});

const entry = (id: string, payload: Record<string, unknown> = { n: 1 }) => ({
  entryId: id,
  seq: 1,
  kind: 'record_supplied',
  occurredAt: new Date().toISOString(),
  subjectId: 'S-protocol',
  payload,
});
const control = (c: unknown) => fetch(`${platform.url}/_control`, { method: 'POST', body: JSON.stringify(c) });

it('is accepted once, then held; another payload under a held id is refused', async () => {
  const adapter = httpExchangeAdapter({ baseUrl: platform.url, secret: SECRET });
  expect(await adapter.deliver(entry('p-1'))).toMatchObject({ outcome: 'accepted', answer: { status: 201 } });
  expect(await adapter.deliver(entry('p-1'))).toMatchObject({ outcome: 'held', answer: { status: 409 } });
  expect(await adapter.deliver(entry('p-1', { n: 2 }))).toMatchObject({
    outcome: 'refused',
    reason: 'entry p-1 is held with another payload',
  });
  expect(platform.entries().filter((e) => e.entryId === 'p-1')).toHaveLength(1);
});

it('takes a refusal with its reason, and a failure or a wrong secret as no answer', async () => {
  const adapter = httpExchangeAdapter({ baseUrl: platform.url, secret: SECRET });
  await control({ mode: 'refuse', reason: '缺少决定文书号', kinds: ['record_supplied'] });
  expect(await adapter.deliver(entry('p-2'))).toMatchObject({ outcome: 'refused', reason: '缺少决定文书号', answer: { status: 422 } });
  await control({ mode: 'fail' });
  await expect(adapter.deliver(entry('p-2'))).rejects.toThrow(ExchangeUnavailable);
  await control({ mode: 'accept' });
  const wrong = httpExchangeAdapter({ baseUrl: platform.url, secret: `${SECRET}-wrong` });
  await expect(wrong.deliver(entry('p-2'))).rejects.toThrow(/401/);
  const late = httpExchangeAdapter({ baseUrl: platform.url, secret: SECRET, now: () => new Date(Date.now() - 10 * 60_000) });
  await expect(late.deliver(entry('p-2'))).rejects.toThrow(/401/);
  await control({ mode: 'delay', delayMs: 1_000 });
  const impatient = httpExchangeAdapter({ baseUrl: platform.url, secret: SECRET, timeoutMs: 200 });
  await expect(impatient.deliver(entry('p-3'))).rejects.toThrow(/timed out/);
  await control({ mode: 'accept' });
  expect(platform.entries().map((e) => e.entryId)).not.toContain('p-2');
  await expect(httpExchangeAdapter({ baseUrl: 'http://127.0.0.1:9', secret: SECRET }).deliver(entry('p-4'))).rejects.toThrow(
    ExchangeUnavailable,
  );
});

it("answers reconciliation with the day's count, digest and entries as docs/exchange.md computes them", async () => {
  const adapter = httpExchangeAdapter({ baseUrl: platform.url, secret: SECRET });
  const day = shanghaiDayOf(new Date());
  const held = platform.entries().filter((e) => shanghaiDayOf(e.occurredAt) === day);
  expect(held.length).toBeGreaterThan(0);
  const lines = held.map((e) => ({ entryId: e.entryId, payloadSha256: payloadSha256(e.payload) }));
  expect(await adapter.reconciliation(day)).toEqual({ count: held.length, digest: dayDigest(lines) });
  const withEntries = await adapter.reconciliation(day, { withEntries: true });
  expect(withEntries.entries).toEqual(expect.arrayContaining(lines));
  expect(await adapter.reconciliation('2001-01-01')).toEqual({ count: 0, digest: dayDigest([]) });
  const wrong = httpExchangeAdapter({ baseUrl: platform.url, secret: `${SECRET}-wrong` });
  await expect(wrong.reconciliation(day)).rejects.toThrow(ExchangeUnavailable);
});
