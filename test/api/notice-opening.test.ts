import { createHash, randomUUID } from 'node:crypto';
import { startSystem, type System } from '../support/system';
import { SUPERVISOR, randomResidentId, randomUscc } from '../support/fixtures';
import { ifStarted } from '../support/teardown';

/**
 * The opening of a notice served electronically (issue 22, "My notices"): the first opening by the subject it was
 * served on sets `openedAt` once and appends a `notice.opened` audit entry, as a delivery record would; nobody
 * else's read counts. Cases and documents are written straight into their tables, as the projection writes them,
 * for subjects and a department of this file's own.
 */
let sys: System;
const TAG = randomUUID().slice(0, 8).toUpperCase();
const DEPT = `T-OPEN-${TAG}`;
const OFFICER_HERE = { role: 'officer', sub: 'officer-open-t', dept: DEPT } as const;
const SUBJECT_ID = randomUscc();
const PERSON_ID = randomResidentId();
const SUBJECT = { role: 'subject', sub: 'subject-open-t', subjectId: SUBJECT_ID } as const;
const PERSON = { role: 'subject', sub: 'subject-open-p', subjectId: PERSON_ID } as const;
const CASE = `LST-20260301-${randomUUID().replaceAll('-', '').slice(0, 10).toUpperCase()}`;
const DOC = (name: string) => `${TAG}-${name}`;
const html = `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>告知书</title></head><body><h1>告知书</h1></body></html>\n`;

type Claims = Parameters<System['token']>[0];
const get = (url: string, claims?: Claims) =>
  sys.app.inject({ method: 'GET', url, headers: claims ? { authorization: `Bearer ${sys.token(claims)}` } : {} });

async function insertDocument(id: string, served: { to: string; at: string } | null) {
  await sys.db.document.create({
    data: {
      id,
      caseId: CASE,
      kind: 'pre_listing_notice',
      title: '拟列入严重失信主体名单告知书',
      issuedAt: new Date('2026-03-02T02:00:00.000Z'),
      fields: {},
      html,
      sha256: createHash('sha256').update(html, 'utf8').digest('hex'),
      servedTo: served?.to ?? null,
      servedMethod: served ? 'electronic' : null,
      servedAt: served ? new Date(served.at) : null,
    },
  });
}

const openings = (id: string) => sys.db.auditEntry.findMany({ where: { action: 'notice.opened', target: `document:${id}` } });
const openedAtOf = async (id: string) => (await sys.db.document.findUniqueOrThrow({ where: { id } })).openedAt;
const listed = async (claims: Claims, id: string) =>
  ((await get('/v1/me/notices', claims)).json().items as { id: string; openedAt: string | null }[]).find((i) => i.id === id);

beforeAll(async () => {
  sys = await startSystem({ withoutWorker: true });
  const now = new Date();
  await sys.db.case.create({
    data: {
      id: CASE,
      procedure: 'listing',
      state: 'notice_served',
      subjectKind: 'legal_person',
      subjectId: SUBJECT_ID,
      subjectName: '张掖市某某食品有限公司',
      department: DEPT,
      createdBy: OFFICER_HERE.sub,
      details: {},
      allowedActions: [],
      version: 1,
      createdAt: now,
      updatedAt: now,
    },
  });
  await insertDocument(DOC('notice'), { to: SUBJECT_ID, at: '2026-03-02T03:00:00.000Z' });
  await insertDocument(DOC('by-case-route'), { to: SUBJECT_ID, at: '2026-03-02T03:00:00.000Z' });
  await insertDocument(DOC('race'), { to: SUBJECT_ID, at: '2026-03-02T03:00:00.000Z' });
  // An Art 48 person's notice in the organisation's case.
  await insertDocument(DOC('person'), { to: PERSON_ID, at: '2026-03-02T03:00:00.000Z' });
  await insertDocument(DOC('unserved'), null);
});
afterAll(async () => {
  await ifStarted(sys)?.stop();
});

it('lists a notice as unread until the subject it was served on opens it, then records the first opening once', async () => {
  expect(await listed(SUBJECT, DOC('notice'))).toMatchObject({ openedAt: null });
  // Officials reading it open nothing for the subject.
  for (const claims of [OFFICER_HERE, SUPERVISOR])
    expect((await get(`/v1/cases/${CASE}/documents/${DOC('notice')}`, claims)).statusCode).toBe(200);
  expect(await openedAtOf(DOC('notice'))).toBeNull();
  expect(await openings(DOC('notice'))).toHaveLength(0);

  const before = Date.now();
  const first = await get(`/v1/me/notices/${DOC('notice')}`, SUBJECT);
  expect(first.statusCode).toBe(200);
  const body = first.json();
  expect(body).toMatchObject({ id: DOC('notice'), caseId: CASE, kind: 'pre_listing_notice', html, servedMethod: 'electronic' });
  const openedAt = Date.parse(body.openedAt as string);
  expect(openedAt).toBeGreaterThanOrEqual(before - 1);
  expect(openedAt).toBeLessThanOrEqual(Date.now());
  expect((await listed(SUBJECT, DOC('notice')))?.openedAt).toBe(body.openedAt);
  const [entry, ...more] = await openings(DOC('notice'));
  expect(more).toEqual([]);
  expect(entry).toMatchObject({
    actor: SUBJECT.sub,
    role: 'subject',
    caseId: CASE,
    subjectId: SUBJECT_ID,
    detail: { kind: 'pre_listing_notice', servedAt: '2026-03-02T03:00:00.000Z' },
  });
  expect(entry?.at.toISOString()).toBe(body.openedAt);

  // Opened again, through either route: the first opening stands, and is not recorded twice; each read is audited.
  const again = await get(`/v1/me/notices/${DOC('notice')}`, SUBJECT);
  expect(again.json().openedAt).toBe(body.openedAt);
  const read = await get(`/v1/cases/${CASE}/documents/${DOC('notice')}`, SUBJECT);
  expect(read.json().openedAt).toBe(body.openedAt);
  expect(await openings(DOC('notice'))).toHaveLength(1);
  const reads = await sys.db.auditEntry.count({
    where: { action: 'document.read', actor: SUBJECT.sub, target: `document:${DOC('notice')}` },
  });
  expect(reads).toBe(3);
  // An official's read shows when the subject opened it.
  expect((await get(`/v1/cases/${CASE}/documents/${DOC('notice')}`, OFFICER_HERE)).json().openedAt).toBe(body.openedAt);
});

it('records the opening when the subject reads the notice as a document of the case', async () => {
  expect((await get(`/v1/cases/${CASE}/documents/${DOC('by-case-route')}`, SUBJECT)).statusCode).toBe(200);
  expect(await openedAtOf(DOC('by-case-route'))).not.toBeNull();
  expect(await openings(DOC('by-case-route'))).toHaveLength(1);
  expect((await listed(SUBJECT, DOC('by-case-route')))?.openedAt).toBe((await openedAtOf(DOC('by-case-route')))?.toISOString());
});

it('records one opening when the subject opens a notice several times at once', async () => {
  const answers = await Promise.all(Array.from({ length: 6 }, () => get(`/v1/me/notices/${DOC('race')}`, SUBJECT)));
  expect(answers.map((a) => a.statusCode)).toEqual(Array(6).fill(200));
  expect(new Set(answers.map((a) => a.json().openedAt as string)).size).toBe(1);
  expect(await openings(DOC('race'))).toHaveLength(1);
});

it('answers 404 for a notice served on someone else, or on nobody, and records nothing', async () => {
  // The organisation does not open its responsible person's notice, nor does the person open the organisation's.
  for (const [claims, id] of [
    [SUBJECT, DOC('person')],
    [PERSON, DOC('notice')],
    [SUBJECT, DOC('unserved')],
    [SUBJECT, DOC('nothing')],
  ] as const) {
    const r = await get(`/v1/me/notices/${id}`, claims);
    expect({ id, status: r.statusCode, detail: r.json().detail }).toEqual({ id, status: 404, detail: `no notice ${id}` });
  }
  // The case subject may read a document of its case that was served on nobody; that opens no notice.
  expect((await get(`/v1/cases/${CASE}/documents/${DOC('unserved')}`, SUBJECT)).statusCode).toBe(200);
  for (const id of [DOC('person'), DOC('unserved')]) {
    expect(await openedAtOf(id)).toBeNull();
    expect(await openings(id)).toHaveLength(0);
  }
  // The person opens their own, in the organisation's case.
  const own = await get(`/v1/me/notices/${DOC('person')}`, PERSON);
  expect(own.json()).toMatchObject({ caseId: CASE, openedAt: expect.any(String) });
  expect(await openings(DOC('person'))).toEqual([expect.objectContaining({ subjectId: PERSON_ID, actor: PERSON.sub })]);
});

it('is for subjects only, with a document id of its shape', async () => {
  expect((await get(`/v1/me/notices/${DOC('notice')}`, OFFICER_HERE)).statusCode).toBe(403);
  expect((await get(`/v1/me/notices/${DOC('notice')}`, SUPERVISOR)).statusCode).toBe(403);
  expect((await get(`/v1/me/notices/${DOC('notice')}`)).statusCode).toBe(401);
  const bad = await get('/v1/me/notices/not%20an%20id', SUBJECT);
  expect(bad.statusCode).toBe(400);
  expect(bad.json().errors).toEqual([expect.objectContaining({ path: 'params.documentId' })]);
});
