import { bodyOf, dayDigest, payloadSha256, signatureMatches, signatureOf } from '../../exchange/protocol';
import { shanghaiDayBounds, shanghaiDayOf, untilNextShanghaiHour } from '../../exchange/days';

/**
 * The reference protocol's computations (docs/exchange.md) against values computed independently (Python's hmac and
 * hashlib over the same text), so an implementer at the platform can check theirs against the same vectors.
 */
const SECRET = '0123456789abcdef-secret';
const entry = {
  subjectId: '91620700MA00000000',
  seq: 7,
  payload: { b: [2, { d: null, c: '信用' }], a: 1 },
  occurredAt: '2026-12-05T02:00:00.000Z',
  kind: 'record_supplied',
  entryId: 'e-1',
};

it('sends the entry as canonical JSON and signs "<timestamp>.<body>" with HMAC-SHA256', () => {
  const body = bodyOf(entry);
  expect(body).toBe(
    '{"entryId":"e-1","kind":"record_supplied","occurredAt":"2026-12-05T02:00:00.000Z","payload":{"a":1,"b":[2,{"c":"信用","d":null}]},"seq":7,"subjectId":"91620700MA00000000"}',
  );
  const sig = signatureOf(SECRET, '1764900000', body);
  expect(sig).toBe('sha256=f914f36c4d0f049e64e95d15e90fa1afd220d2a4a7189f5472cb0cd7f2de4759');
  expect(signatureMatches({ secret: SECRET, timestamp: '1764900000', signed: body, given: sig })).toBe(true);
  expect(signatureMatches({ secret: SECRET, timestamp: '1764900001', signed: body, given: sig })).toBe(false);
  expect(signatureMatches({ secret: `${SECRET}x`, timestamp: '1764900000', signed: body, given: sig })).toBe(false);
  expect(signatureMatches({ secret: SECRET, timestamp: '1764900000', signed: `${body} `, given: sig })).toBe(false);
  expect(signatureMatches({ secret: SECRET, timestamp: '1764900000', signed: body, given: undefined })).toBe(false);
});

it('digests a day as SHA-256 of the sorted lines "<entryId>:<sha256 of canonical payload>\\n"', () => {
  const h1 = payloadSha256(entry.payload);
  expect(h1).toBe('89f8e73b876288c6fc40d271e0cab067c58a14de630d0e900a447b12de7b5103');
  const lines = [
    { entryId: 'e-2', payloadSha256: payloadSha256({}) },
    { entryId: 'e-1', payloadSha256: h1 },
  ];
  expect(dayDigest(lines)).toBe('cc8fbb4335c3af30efd63693f70552134919c214581f1f56e8faceb3942c4497');
  expect(dayDigest([...lines].reverse())).toBe(dayDigest(lines));
  expect(dayDigest(lines.slice(0, 1))).not.toBe(dayDigest(lines));
  expect(dayDigest([])).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
});

it('counts an entry for the Asia/Shanghai day of its occurredAt', () => {
  expect(shanghaiDayOf('2026-12-04T15:59:59.999Z')).toBe('2026-12-04');
  expect(shanghaiDayOf('2026-12-04T16:00:00.000Z')).toBe('2026-12-05');
  expect(shanghaiDayBounds('2026-12-05')).toEqual({ from: new Date('2026-12-04T16:00:00.000Z'), to: new Date('2026-12-05T16:00:00.000Z') });
  // 03:00 Shanghai → the run at 04:00 is one hour away; at 04:00 exactly, the next is a day away.
  expect(untilNextShanghaiHour(Date.parse('2026-12-04T19:00:00.000Z'), 4)).toBe(3_600_000);
  expect(untilNextShanghaiHour(Date.parse('2026-12-04T20:00:00.000Z'), 4)).toBe(24 * 3_600_000);
});
