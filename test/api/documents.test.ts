import { createHash, randomUUID } from 'node:crypto';
import type { Prisma } from '../../generated/prisma/client';
import { startSystem, type System } from '../support/system';
import { SUPERVISOR, randomUscc } from '../support/fixtures';
import { ifStarted } from '../support/teardown';

/**
 * Reading issued documents and the notices served on a subject. Cases and documents are written straight
 * into their tables, as the listing workflow's projection writes them, in a department and for subjects of
 * this test's own, so nothing else in the run shows up; how workflows issue documents is tested with them.
 */
let sys: System;
const TAG = randomUUID().slice(0, 8).toUpperCase();
const DEPT = `T-DOC-${TAG}`;
const OFFICER_HERE = { role: 'officer', sub: 'officer-doc-t', dept: DEPT } as const;
const OFFICER_ELSEWHERE = { role: 'officer', sub: 'officer-doc-x', dept: 'ZY-HOUSING' } as const;
const SUBJECT_ID = randomUscc();
const OTHER_SUBJECT_ID = randomUscc();
const SUBJECT = { role: 'subject', sub: 'subject-doc-t', subjectId: SUBJECT_ID } as const;
const OTHER_SUBJECT = { role: 'subject', sub: 'subject-doc-x', subjectId: OTHER_SUBJECT_ID } as const;

const CASE_A = caseId();
const CASE_B = caseId();
const CASE_C = caseId();
const DOC = (name: string) => `${TAG}-${name}`;
const html = (body: string) =>
  `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>告知书</title></head><body>${body}</body></html>\n`;
const sha = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');

interface DocSeed {
  id: string;
  caseId: string;
  kind: string;
  title: string;
  issuedAt: string;
  html: string;
  /** Stored as the document's JSON fields. */
  fields: Prisma.InputJsonObject;
  served?: { to: string; method: string; at: string };
}

const noticeHtml = html('<h1>失信惩戒措施事先告知书</h1><p>当事人：张掖市某某食品有限公司 &amp; 分公司</p>');
const seeds: DocSeed[] = [
  {
    id: DOC('notice'),
    caseId: CASE_A,
    kind: 'pre_listing_notice',
    title: '失信惩戒措施事先告知书',
    issuedAt: '2026-03-02T02:00:00.000Z',
    html: noticeHtml,
    fields: { 当事人: '张掖市某某食品有限公司', measures: [{ code: 'N-01' }] },
    served: { to: SUBJECT_ID, method: 'electronic', at: '2026-03-02T03:00:00.000Z' },
  },
  {
    id: DOC('recognition'),
    caseId: CASE_A,
    kind: 'recognition_document',
    title: '严重失信主体名单认定书',
    issuedAt: '2026-04-10T02:00:00.000Z',
    html: html('<h1>认定书</h1>'),
    fields: { number: '张市监信认〔2026〕1号' },
  },
  {
    id: DOC('served-later'),
    caseId: CASE_A,
    kind: 'recognition_document',
    title: '严重失信主体名单认定书（送达）',
    issuedAt: '2026-04-12T02:00:00.000Z',
    html: html('<h1>认定书（送达）</h1>'),
    fields: {},
    served: { to: SUBJECT_ID, method: 'electronic', at: '2026-04-12T05:00:00.000Z' },
  },
  // Same issue instant as served-later: the id breaks the tie.
  {
    id: DOC('served-same-instant'),
    caseId: CASE_C,
    kind: 'removal_notice',
    title: '移出严重失信主体名单告知书',
    issuedAt: '2026-04-12T02:00:00.000Z',
    html: html('<h1>移出告知书</h1>'),
    fields: {},
    served: { to: SUBJECT_ID, method: 'electronic', at: '2026-04-12T06:00:00.000Z' },
  },
  {
    id: DOC('other-subject'),
    caseId: CASE_B,
    kind: 'pre_listing_notice',
    title: '失信惩戒措施事先告知书',
    issuedAt: '2026-04-20T02:00:00.000Z',
    html: html('<h1>另一当事人</h1>'),
    fields: {},
    served: { to: OTHER_SUBJECT_ID, method: 'electronic', at: '2026-04-20T03:00:00.000Z' },
  },
];

function caseId(): string {
  return `LST-20260301-${randomUUID().replaceAll('-', '').slice(0, 10).toUpperCase()}`;
}

async function insertCase(id: string, subjectId: string, department: string) {
  const now = new Date();
  await sys.db.case.create({
    data: {
      id,
      procedure: 'listing',
      state: 'notice_served',
      subjectKind: 'legal_person',
      subjectId,
      subjectName: '张掖市某某食品有限公司',
      department,
      createdBy: OFFICER_HERE.sub,
      details: {},
      allowedActions: [],
      version: 1,
      createdAt: now,
      updatedAt: now,
    },
  });
}

beforeAll(async () => {
  sys = await startSystem();
  await insertCase(CASE_A, SUBJECT_ID, DEPT);
  await insertCase(CASE_B, OTHER_SUBJECT_ID, DEPT);
  await insertCase(CASE_C, SUBJECT_ID, DEPT);
  for (const d of seeds) {
    await sys.db.document.create({
      data: {
        id: d.id,
        caseId: d.caseId,
        kind: d.kind,
        title: d.title,
        issuedAt: new Date(d.issuedAt),
        fields: d.fields,
        html: d.html,
        sha256: sha(d.html),
        servedTo: d.served?.to ?? null,
        servedMethod: d.served?.method ?? null,
        servedAt: d.served ? new Date(d.served.at) : null,
      },
    });
  }
});
afterAll(async () => {
  await ifStarted(sys)?.stop();
});

type Claims = Parameters<System['token']>[0];
const get = (url: string, claims?: Claims) =>
  sys.app.inject({ method: 'GET', url, headers: claims ? { authorization: `Bearer ${sys.token(claims)}` } : {} });
const docUrl = (caseId: string, docId: string) => `/v1/cases/${caseId}/documents/${docId}`;

describe('GET /v1/cases/:id/documents/:documentId', () => {
  it('returns the document as stored, html and sha256 untouched, with its service', async () => {
    const res = await get(docUrl(CASE_A, DOC('notice')), OFFICER_HERE);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      id: DOC('notice'),
      kind: 'pre_listing_notice',
      title: '失信惩戒措施事先告知书',
      issuedAt: '2026-03-02T02:00:00.000Z',
      fields: { 当事人: '张掖市某某食品有限公司', measures: [{ code: 'N-01' }] },
      html: noticeHtml,
      sha256: sha(noticeHtml),
      servedAt: '2026-03-02T03:00:00.000Z',
      servedMethod: 'electronic',
    });
    expect(sha(res.json().html)).toBe(res.json().sha256);
  });

  it('leaves out servedAt and servedMethod while a document is not served', async () => {
    const body = (await get(docUrl(CASE_A, DOC('recognition')), OFFICER_HERE)).json();
    expect(body).toMatchObject({
      id: DOC('recognition'),
      kind: 'recognition_document',
      fields: { number: '张市监信认〔2026〕1号' },
    });
    expect(body).not.toHaveProperty('servedAt');
    expect(body).not.toHaveProperty('servedMethod');
  });

  it('shows a document to the case subject and to supervisors, and audits every read', async () => {
    for (const claims of [SUBJECT, SUPERVISOR] as const) {
      const res = await get(docUrl(CASE_A, DOC('notice')), claims);
      expect(res.statusCode).toBe(200);
      expect(res.json().sha256).toBe(sha(noticeHtml));
      const entry = await sys.db.auditEntry.findFirst({
        where: { action: 'document.read', actor: claims.sub, target: `document:${DOC('notice')}` },
        orderBy: { id: 'desc' },
      });
      expect(entry).toMatchObject({ role: claims.role, caseId: CASE_A, subjectId: SUBJECT_ID });
    }
  });

  it('answers 404 for what the caller may not see, exactly as for what does not exist', async () => {
    const unknown = await get(docUrl(CASE_A, DOC('nothing')), SUPERVISOR);
    expect(unknown.statusCode).toBe(404);
    expect(unknown.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(unknown.json()).toMatchObject({ status: 404, title: 'Not Found', detail: `no document ${DOC('nothing')}` });

    const refused: [string, string, Claims][] = [
      [CASE_A, DOC('notice'), OFFICER_ELSEWHERE], // another department's officer
      [CASE_A, DOC('notice'), OTHER_SUBJECT], // a subject that is not the case's
      [CASE_A, DOC('other-subject'), SUPERVISOR], // a document of another case, even for a supervisor
      [CASE_A, DOC('other-subject'), OTHER_SUBJECT], // its own document, under somebody else's case
      [CASE_B, DOC('notice'), SUBJECT], // its own document, under another case
      [caseId(), DOC('notice'), SUPERVISOR], // a case that does not exist
    ];
    for (const [c, d, claims] of refused) {
      const res = await get(docUrl(c, d), claims);
      expect({ url: docUrl(c, d), actor: claims.sub, status: res.statusCode, detail: res.json().detail }).toEqual({
        url: docUrl(c, d),
        actor: claims.sub,
        status: 404,
        detail: `no document ${d}`,
      });
    }
    const audited = await sys.db.auditEntry.count({
      where: { action: 'document.read', actor: { in: [OFFICER_ELSEWHERE.sub, OTHER_SUBJECT.sub] } },
    });
    expect(audited).toBe(0);
  });

  it('needs a token and a case id', async () => {
    expect((await get(docUrl(CASE_A, DOC('notice')))).statusCode).toBe(401);
    const bad = await get(docUrl('not-a-case', DOC('notice')), SUPERVISOR);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors).toEqual([expect.objectContaining({ path: 'params.id' })]);
  });
});

describe('GET /v1/me/notices', () => {
  it('lists the documents served on the caller, newest first, and nothing else', async () => {
    const res = await get('/v1/me/notices', SUBJECT);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.nextCursor).toBeNull();
    expect(body.items.map((i: { id: string }) => i.id)).toEqual([DOC('served-same-instant'), DOC('served-later'), DOC('notice')]);
    expect(body.items[2]).toEqual({
      id: DOC('notice'),
      caseId: CASE_A,
      kind: 'pre_listing_notice',
      title: '失信惩戒措施事先告知书',
      issuedAt: '2026-03-02T02:00:00.000Z',
      servedAt: '2026-03-02T03:00:00.000Z',
      servedMethod: 'electronic',
      sha256: sha(noticeHtml),
      // Opened by SUBJECT in the document reads above; the others are still unread.
      openedAt: expect.any(String),
    });
    expect(body.items[0].openedAt).toBeNull();
    const other = (await get('/v1/me/notices', OTHER_SUBJECT)).json();
    expect(other.items.map((i: { id: string }) => i.id)).toEqual([DOC('other-subject')]);
    const entry = await sys.db.auditEntry.findFirst({
      where: { action: 'notices.read', actor: SUBJECT.sub },
      orderBy: { id: 'desc' },
    });
    expect(entry).toMatchObject({
      role: 'subject',
      subjectId: SUBJECT_ID,
      detail: expect.objectContaining({ count: 3 }),
    });
  });

  it('pages with a cursor', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await get(`/v1/me/notices?limit=2${cursor ? `&cursor=${cursor}` : ''}`, SUBJECT);
      expect(res.statusCode).toBe(200);
      seen.push(...res.json().items.map((i: { id: string }) => i.id));
      cursor = res.json().nextCursor;
      pages += 1;
    } while (cursor);
    expect(pages).toBe(2);
    expect(seen).toEqual([DOC('served-same-instant'), DOC('served-later'), DOC('notice')]);
    expect((await get('/v1/me/notices?cursor=garbage', SUBJECT)).statusCode).toBe(422);
    expect((await get('/v1/me/notices?limit=501', SUBJECT)).statusCode).toBe(400);
  });

  it('is for subjects only', async () => {
    const officer = await get('/v1/me/notices', OFFICER_HERE);
    expect(officer.statusCode).toBe(403);
    expect(officer.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect((await get('/v1/me/notices', SUPERVISOR)).statusCode).toBe(403);
    expect((await get('/v1/me/notices')).statusCode).toBe(401);
  });
});
