import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { buildApp } from '../../api/app';
import { maskResidentId } from '../../domain/identity';
import { startSystem, TEST_JWT_SECRET, type System } from '../support/system';
import { randomResidentId, randomUscc } from '../support/fixtures';
import { ifStarted } from '../support/teardown';

/**
 * The published list. Rows are written straight into `public_listings`, as the listing workflow's projection
 * writes them; every subject name carries this run's tag, so a search by the tag sees only this test's rows.
 */
let sys: System;
const TAG = `T${randomUUID().slice(0, 8).toUpperCase()}`;
const PERSON_ID = randomResidentId();
const REMOVED_PERSON_ID = randomResidentId();
const COMPANY_ID = randomUscc();
const ORG_ID = randomUscc();

const caseId = () => `LST-20260301-${randomUUID().replaceAll('-', '').slice(0, 10).toUpperCase()}`;
// Two rows share a listing date, so their case ids decide the order; sorted here so the expectations know it.
const [SAME_DAY_HIGH, SAME_DAY_LOW] = [caseId(), caseId()].sort().reverse() as [string, string];
const MEASURES = [
  { code: 'N-01', title: '限制参加政府采购', level: 'serious' },
  { code: 'N-03', title: '限制享受财政资金补助', level: 'general' },
];

const rows = {
  person: {
    caseId: caseId(),
    subjectKind: 'natural_person',
    subjectId: PERSON_ID,
    subjectName: `张三${TAG}`,
    listedFrom: '2026-03-05',
  },
  company: {
    caseId: SAME_DAY_HIGH,
    subjectKind: 'legal_person',
    subjectId: COMPANY_ID,
    subjectName: `张掖市${TAG}食品有限公司`,
    listedFrom: '2026-03-04',
  },
  org: {
    caseId: SAME_DAY_LOW,
    subjectKind: 'other_org',
    subjectId: ORG_ID,
    subjectName: `张掖市${TAG}_行业协会`,
    listedFrom: '2026-03-04',
  },
  removed: {
    caseId: caseId(),
    subjectKind: 'natural_person',
    subjectId: REMOVED_PERSON_ID,
    subjectName: `李四${TAG}`,
    listedFrom: '2026-03-06',
    status: 'removed',
  },
};

beforeAll(async () => {
  sys = await startSystem();
  for (const r of Object.values(rows)) {
    const removed = 'status' in r && r.status === 'removed';
    await sys.db.publicListing.create({
      data: {
        caseId: r.caseId,
        subjectKind: r.subjectKind,
        subjectId: r.subjectId,
        subjectName: r.subjectName,
        department: 'ZY-SAMR',
        category: 'health_safety',
        measures: MEASURES,
        decisionNumber: `张市监信认〔2026〕${r.caseId.slice(-4)}号`,
        listedFrom: r.listedFrom,
        listedUntil: '2029-03-04',
        status: removed ? 'removed' : 'listed',
        removedAt: removed ? new Date('2026-06-01T00:00:00Z') : null,
        removalOutcome: removed ? 'revoked' : null,
        updatedAt: new Date(),
      },
    });
  }
});
afterAll(async () => {
  await ifStarted(sys)?.stop();
});

const get = (url: string, headers: Record<string, string> = {}) => sys.app.inject({ method: 'GET', url, headers });
const search = async (q: string, extra = '') => {
  const res = await get(`/v1/public/listings?q=${encodeURIComponent(q)}${extra}`);
  expect(res.statusCode).toBe(200);
  return res.json<{
    items: { caseId: string; subject: { kind: string; id: string; name: string } }[];
    nextCursor: string | null;
  }>();
};
const caseIds = (body: { items: { caseId: string }[] }) => body.items.map((i) => i.caseId);

it('publishes listed rows without a token, a natural person’s ID number masked, removed rows left out', async () => {
  const res = await get(`/v1/public/listings?q=${TAG}`);
  expect(res.statusCode).toBe(200);
  expect(res.headers['x-ratelimit-limit']).toBe('120');
  const body = res.json();
  expect(caseIds(body)).toEqual([rows.person.caseId, rows.company.caseId, rows.org.caseId]);
  expect(body.nextCursor).toBeNull();
  expect(body.items[0]).toEqual({
    caseId: rows.person.caseId,
    subject: { kind: 'natural_person', name: `张三${TAG}`, id: maskResidentId(PERSON_ID) },
    category: 'health_safety',
    measures: [
      { code: 'N-01', title: '限制参加政府采购' },
      { code: 'N-03', title: '限制享受财政资金补助' },
    ],
    listedFrom: '2026-03-05',
    listedUntil: '2029-03-04',
    department: 'ZY-SAMR',
    decisionNumber: `张市监信认〔2026〕${rows.person.caseId.slice(-4)}号`,
  });
  expect(body.items[0].subject.id).toMatch(/^\d{6}\*{8}[\dX]{4}$/);
  // Organisation codes are public registration data (Art 33 (2)).
  expect(body.items[1].subject).toEqual({ kind: 'legal_person', name: `张掖市${TAG}食品有限公司`, id: COMPANY_ID });
  expect(body.items[2].subject).toEqual({ kind: 'other_org', name: `张掖市${TAG}_行业协会`, id: ORG_ID });
  expect(JSON.stringify(body)).not.toContain(PERSON_ID);

  const all = await get('/v1/public/listings?limit=500');
  expect(all.statusCode).toBe(200);
  expect(JSON.stringify(all.json())).not.toContain(PERSON_ID);
  expect(caseIds(all.json())).not.toContain(rows.removed.caseId);
});

it('finds by part of the name, with % and _ taken literally', async () => {
  expect(caseIds(await search(`张三${TAG}`))).toEqual([rows.person.caseId]);
  expect(caseIds(await search(`${TAG}食品`))).toEqual([rows.company.caseId]);
  expect(caseIds(await search(`${TAG.toLowerCase()}食品`))).toEqual([rows.company.caseId]); // ILIKE
  expect(caseIds(await search(`${TAG}_`))).toEqual([rows.org.caseId]);
  expect(caseIds(await search(`${TAG}%`))).toEqual([]);
  expect(caseIds(await search(`李四${TAG}`))).toEqual([]); // removed
});

it('finds by the exact identifier only: a full ID number matches, a masked or partial one reveals nobody', async () => {
  const byId = await search(PERSON_ID);
  expect(caseIds(byId)).toEqual([rows.person.caseId]);
  expect(byId.items[0]!.subject.id).toBe(maskResidentId(PERSON_ID));
  expect(caseIds(await search(` ${PERSON_ID.toLowerCase()} `))).toEqual([rows.person.caseId]);
  expect(caseIds(await search(COMPANY_ID))).toEqual([rows.company.caseId]);
  expect(caseIds(await search(maskResidentId(PERSON_ID)))).toEqual([]);
  // Other tests' rows may share the table: only this test's rows are in question here.
  expect(caseIds(await search(PERSON_ID.slice(0, 14)))).not.toContain(rows.person.caseId);
  expect(caseIds(await search(PERSON_ID.slice(-4)))).not.toContain(rows.person.caseId);
  expect(caseIds(await search(COMPANY_ID.slice(0, 10)))).not.toContain(rows.company.caseId);
  expect(caseIds(await search(REMOVED_PERSON_ID))).toEqual([]);
});

it('pages by listing date, then case id, with a cursor', async () => {
  const seen: string[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const body = await search(TAG, `&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
    seen.push(...caseIds(body));
    cursor = body.nextCursor;
    pages += 1;
  } while (cursor);
  expect(pages).toBe(2);
  expect(seen).toEqual([rows.person.caseId, SAME_DAY_HIGH, SAME_DAY_LOW]);
});

it('refuses bad queries as problems', async () => {
  for (const [url, status] of [
    [`/v1/public/listings?q=${'x'.repeat(101)}`, 400],
    ['/v1/public/listings?cursor=garbage', 422],
    ['/v1/public/listings?limit=0', 400],
  ] as const) {
    const res = await get(url);
    expect(res.statusCode).toBe(status);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  }
  expect((await get('/v1/public/listings?q=')).statusCode).toBe(200);
});

it('answers 429 as a problem with Retry-After once a client exceeds the limit, on this route only', async () => {
  const saved = process.env.PUBLIC_RATE_LIMIT_PER_MINUTE;
  process.env.PUBLIC_RATE_LIMIT_PER_MINUTE = '3';
  let limited: Awaited<ReturnType<typeof buildApp>>;
  try {
    limited = await buildApp(
      { db: sys.db, temporal: sys.temporal, taskQueue: sys.taskQueue, jwtSecret: TEST_JWT_SECRET },
      pino({ level: process.env.TEST_API_LOG ?? 'silent' }),
    );
    await limited.ready();
  } finally {
    if (saved === undefined) delete process.env.PUBLIC_RATE_LIMIT_PER_MINUTE;
    else process.env.PUBLIC_RATE_LIMIT_PER_MINUTE = saved;
  }
  try {
    const call = (remoteAddress: string) => limited.inject({ method: 'GET', url: `/v1/public/listings?q=${TAG}`, remoteAddress });
    for (let i = 0; i < 3; i++) {
      const ok = await call('203.0.113.7');
      expect(ok.statusCode).toBe(200);
      expect(ok.headers['x-ratelimit-remaining']).toBe(String(2 - i));
    }
    const refused = await call('203.0.113.7');
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    // In Chinese, as every problem is unless the client asks for English.
    expect(refused.headers['content-language']).toBe('zh-CN');
    expect(refused.json()).toMatchObject({
      type: expect.any(String),
      title: '请求过于频繁',
      status: 429,
      detail: expect.stringContaining('请求过于频繁：每分钟最多 3 次'),
    });
    // Another client is counted on its own; other routes are not limited at all.
    expect((await call('203.0.113.8')).statusCode).toBe(200);
    const health = await limited.inject({ method: 'GET', url: '/healthz', remoteAddress: '203.0.113.7' });
    expect(health.statusCode).toBe(200);
    expect(health.headers['x-ratelimit-limit']).toBeUndefined();
  } finally {
    await limited.close();
  }
});
