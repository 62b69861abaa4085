import { apiAs, startSystem, subjectOf, type Claims, type System } from '../support/system';
import { OFFICER, SUPERVISOR, randomResidentId, randomUscc, recordBody } from '../support/fixtures';
import { ifStarted } from '../support/teardown';
import { enqueueExchange } from '../../db/exchange-outbox';
import { latestReconciliationAfter } from '../exchange/support';

/**
 * The supervisors' view of the exchange (GET /v1/exchange/status), the correction of a refusal (POST
 * /v1/exchange/entries/{id}/resend) and where one record went (its history's `exchange`, Art 49). The delivery is
 * another part's: entries are put in with enqueueExchange or by the change itself, and their status set in SQL.
 */
let sys: System;
beforeAll(async () => {
  sys = await startSystem();
});
afterAll(async () => {
  await ifStarted(sys)?.stop();
});
const post = (url: string, c: Claims, payload?: unknown, key?: string) => apiAs(sys).post(url, c, payload, key);
const get = (url: string, c: Claims) => apiAs(sys).get(url, c);
const status = async () => {
  const res = await get('/v1/exchange/status', SUPERVISOR);
  expect(res.statusCode).toBe(200);
  return res.json();
};

async function enqueue(id: string, subjectId: string, occurredAt: Date) {
  await sys.db.$transaction((tx) => enqueueExchange(tx, { id, subjectId, kind: 'record_supplied', payload: { entryId: id }, occurredAt }));
}
const refuse = (id: string, reason: string) =>
  sys.db.$executeRaw`UPDATE exchange_outbox SET status = 'refused', attempts = 1, last_attempt_at = now(),
                      refusal = ${JSON.stringify({ status: 422, reason })}::jsonb WHERE id = ${id}`;
const accept = (id: string, at: Date) =>
  sys.db.$executeRaw`UPDATE exchange_outbox SET status = 'accepted', attempts = 1, last_attempt_at = ${at}, delivered_at = ${at},
                      answer = '{"status":201}'::jsonb WHERE id = ${id}`;

it('says what waits, what the platform refused and why, the last delivery and the last reconciliation, to supervisors only', async () => {
  const before = (await status()) as { pending: number; refused: number };
  const tag = randomUscc();
  const person = randomResidentId();
  const old = new Date(Date.now() - 3_600_000);
  await enqueue(`${tag}:a`, tag, old);
  await enqueue(`${tag}:b`, person, new Date());
  await enqueue(`${tag}:c`, tag, new Date());
  await refuse(`${tag}:b`, '证件号码与姓名不一致');
  const deliveredAt = new Date(Date.now() + 1_000);
  await accept(`${tag}:c`, deliveredAt);
  const ranAt = await latestReconciliationAfter(sys.db);
  await sys.db.exchangeReconciliation.create({
    data: {
      id: `REC-${tag}`,
      day: '2026-12-04',
      ranAt,
      status: 'repaired',
      localCount: 12,
      localDigest: 'aa',
      platformCount: 11,
      platformDigest: 'bb',
      resent: [`${tag}:a`],
    },
  });

  const s = await status();
  expect(s.pending).toBe(before.pending + 1);
  expect(s.refused).toBe(before.refused + 1);
  const refused = s.refusedEntries.find((e: { id: string }) => e.id === `${tag}:b`);
  expect(refused).toMatchObject({
    kind: 'record_supplied',
    // A natural person's ID number is masked for the supervisors.
    subjectId: expect.not.stringMatching(person),
    platformStatus: 422,
    reason: '证件号码与姓名不一致',
    refusedAt: expect.any(String),
    attempts: 1,
  });
  expect(s.lastDelivery).toEqual({ id: `${tag}:c`, kind: 'record_supplied', status: 'accepted', deliveredAt: deliveredAt.toISOString() });
  expect(s.lastReconciliation).toEqual({
    id: `REC-${tag}`,
    day: '2026-12-04',
    ranAt: ranAt.toISOString(),
    status: 'repaired',
    localCount: 12,
    platformCount: 11,
    resent: [`${tag}:a`],
  });
  // The oldest unsent is at least as old as ours, and its age is counted from its change.
  expect(s.oldestUnsent).not.toBeNull();
  expect(Date.parse(s.oldestUnsent.occurredAt)).toBeLessThanOrEqual(old.getTime());
  expect(s.oldestUnsent.ageSeconds).toBeGreaterThanOrEqual(3600);

  for (const who of [OFFICER, subjectOf(tag)] as Claims[]) {
    const res = await get('/v1/exchange/status', who);
    expect(res.statusCode).toBe(403);
    expect(res.headers['content-type']).toMatch(/problem\+json/);
  }
  expect(await sys.db.auditEntry.count({ where: { action: 'exchange.status.read', actor: SUPERVISOR.sub } })).toBeGreaterThanOrEqual(2);
});

it('sends a refused entry again built from the corrected record, audited with the refusal; anything else is a 409; the subject sees where the record went', async () => {
  const r = (await post('/v1/records', OFFICER, recordBody())).json();
  const subject = subjectOf(r.subject.id);
  const entryId = `${r.id}:record_supplied`;
  const history = async () => {
    const res = await get(`/v1/subjects/${r.subject.id}/records/${r.id}/history`, subject);
    expect(res.statusCode).toBe(200);
    return res.json().exchange;
  };
  expect(await history()).toEqual([{ entryId, kind: 'record_supplied', occurredAt: expect.any(String), state: 'waiting', sentAt: null }]);

  const url = `/v1/exchange/entries/${encodeURIComponent(entryId)}/resend`;
  // Pending: not refused, so nothing to send again.
  const early = await post(url, SUPERVISOR, { reason: '已改正' }, `resend-early-${r.id}`);
  expect(early.statusCode).toBe(409);
  expect(early.json()).toMatchObject({ entryStatus: 'pending' });
  expect(early.json().detail).toMatch(/only an entry the platform refused/);

  await refuse(entryId, '处罚机关名称不规范');
  expect(await history()).toEqual([expect.objectContaining({ entryId, state: 'returned', sentAt: null })]);
  expect((await status()).refusedEntries).toEqual(expect.arrayContaining([expect.objectContaining({ id: entryId, recordId: r.id })]));

  // Only supervisors; a reason is required; an unknown entry is not found.
  expect((await post(url, OFFICER, { reason: 'x' })).statusCode).toBe(403);
  const blank = await post(url, SUPERVISOR, { reason: '  ' });
  expect([400, 422]).toContain(blank.statusCode);
  expect((await post('/v1/exchange/entries/NOPE-1/resend', SUPERVISOR, { reason: 'x' })).statusCode).toBe(404);
  expect(await sys.db.exchangeEntry.findUnique({ where: { id: entryId } })).toMatchObject({ status: 'refused' });

  // The person corrects the record first (here in SQL, standing in for the correction), then sends it again.
  await sys.db.$executeRaw`UPDATE credit_records SET issued_by = '张掖市市场监督管理局（执法支队）' WHERE id = ${r.id}`;
  const key = `resend-${r.id}`;
  const resent = await post(url, SUPERVISOR, { reason: '已按省平台要求改正处罚机关名称' }, key);
  expect(resent.statusCode).toBe(200);
  expect(resent.json()).toMatchObject({
    id: entryId,
    status: 'pending',
    payload: { entryId, kind: 'record_supplied', decidingAuthority: '张掖市市场监督管理局（执法支队）' },
  });
  // A retry with the same key answers the same and changes nothing again.
  const replay = await post(url, SUPERVISOR, { reason: '已按省平台要求改正处罚机关名称' }, key);
  expect(replay.statusCode).toBe(200);
  expect(replay.headers['idempotent-replayed']).toBe('true');
  const audit = await sys.db.auditEntry.findMany({ where: { action: 'exchange.entry.resend', target: `exchange:${entryId}` } });
  expect(audit).toHaveLength(1);
  expect(audit[0]).toMatchObject({
    actor: SUPERVISOR.sub,
    subjectId: r.subject.id,
    detail: {
      reason: '已按省平台要求改正处罚机关名称',
      refusal: { status: 422, reason: '处罚机关名称不规范' },
      payloadChanged: true,
    },
  });
  expect(await sys.db.exchangeEntry.findUnique({ where: { id: entryId } })).toMatchObject({ status: 'pending', refusal: null });
  expect((await status()).refusedEntries.map((e: { id: string }) => e.id)).not.toContain(entryId);
  // Pending again: a second resend is a 409.
  expect((await post(url, SUPERVISOR, { reason: '再次' }, `${key}-2`)).statusCode).toBe(409);
  expect(await history()).toEqual([expect.objectContaining({ entryId, state: 'waiting' })]);

  // Accepted by the platform: the subject sees when.
  const at = new Date();
  await accept(entryId, at);
  expect(await history()).toEqual([expect.objectContaining({ entryId, state: 'sent', sentAt: at.toISOString() })]);
  const done = await post(url, SUPERVISOR, { reason: '再次' }, `${key}-3`);
  expect(done.statusCode).toBe(409);
  expect(done.json()).toMatchObject({ entryStatus: 'accepted' });
});
