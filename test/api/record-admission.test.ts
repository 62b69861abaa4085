import { apiAs, startSystem, subjectOf, type Claims, type System } from '../support/system';
import { AGENCY_OFFICER, OFFICER, OTHER_OFFICER, REVIEWER, SUPERVISOR, randomUscc, recordBody } from '../support/fixtures';
import { shanghaiDate } from '../../api/case-ids';
import { addDays } from '../../domain/calendar/dates';
import { catalogueItems, CATALOGUE_VERSION } from '../../domain/credit-catalogue';
import { measures, MEASURES_VERSION } from '../../domain/reference-data';
import { ifStarted } from '../support/teardown';

/**
 * What a department may record (Art 32-34: the published catalogue, the Art 34 (二) exclusions, a legal document
 * with its issuer) and the review before disclosure (Art 36), through the API against the dev server and Postgres.
 * Records that must still be disclosed are decided 30 days before today.
 */
let sys: System;
beforeAll(async () => {
  sys = await startSystem();
});
afterAll(async () => {
  await ifStarted(sys)?.stop();
});
const post = (url: string, c: Claims, payload?: unknown) => apiAs(sys).post(url, c, payload);
const get = (url: string, c: Claims) => apiAs(sys).get(url, c);
const recent = () => addDays(shanghaiDate(new Date()), -30);
const penalty = (p: Partial<{ procedure: string; minor: boolean; remedied: boolean }>) => ({
  procedure: 'general',
  minor: false,
  remedied: false,
  ...p,
});
const ids = (items: { id: string }[]) => items.map((i) => i.id);
const purpose = 'purpose=%E8%A1%8C%E6%94%BF%E8%AE%B8%E5%8F%AF%E5%AE%A1%E6%9F%A5';

/** A record awaiting review here: supplied without `reviewedBy`. */
async function supplyPending(overrides: Record<string, unknown> = {}) {
  const res = await post('/v1/records', OFFICER, recordBody({ decidedOn: recent(), reviewedBy: undefined, ...overrides }));
  expect(res.statusCode).toBe(201);
  return res.json();
}

async function expectRefused(body: Record<string, unknown>, path: string, message: RegExp, by: Claims = OFFICER) {
  const before = await sys.db.creditRecord.count({ where: { subjectId: (body.subject as { id: string }).id } });
  const res = await post('/v1/records', by, body);
  expect(res.statusCode).toBe(422);
  expect(res.headers['content-type']).toMatch(/problem\+json/);
  expect(res.json().errors).toEqual(expect.arrayContaining([expect.objectContaining({ path, message: expect.stringMatching(message) })]));
  expect(await sys.db.creditRecord.count({ where: { subjectId: (body.subject as { id: string }).id } })).toBe(before);
}

describe('admission (Art 32-34)', () => {
  it('refuses a penalty by summary procedure, for a minor violation or with its harm remedied as dishonesty information, naming the field', async () => {
    await expectRefused(recordBody({ penalty: penalty({ procedure: 'summary' }) }), 'body.penalty.procedure', /summary procedure.*Art 34/);
    await expectRefused(recordBody({ penalty: penalty({ minor: true }) }), 'body.penalty.minor', /minor violation.*Art 34/);
    await expectRefused(recordBody({ penalty: penalty({ remedied: true }) }), 'body.penalty.remedied', /removed or reduced.*Art 34/);
    // The penalty facts are required for an item resting on a penalty, and refused for one that does not.
    await expectRefused(recordBody({ penalty: undefined }), 'body.penalty', /rests on an administrative penalty/);
    await expectRefused(
      recordBody({ type: 'false_commitment', penalty: penalty({}) }),
      'body.penalty',
      /does not rest on an administrative penalty/,
    );
    const bad = await post('/v1/records', OFFICER, recordBody({ penalty: { procedure: 'oral', minor: false, remedied: false } }));
    expect(bad.statusCode).toBe(400);
  });

  it('admits only a type of the catalogue, from a department the item names, in the item’s category', async () => {
    await expectRefused(recordBody({ type: 'rumour' }), 'body.type', /not an item of the public credit information catalogue/);
    // Only the court supplies findings of Art 34 (五).
    await expectRefused(recordBody({ type: 'judgment_default', severity: 'serious' }), 'body.type', /only ZY-COURT/);
    // The listing's own record is written by the listing procedure, never supplied.
    await expectRefused(recordBody({ type: 'serious_dishonesty_listing' }), 'body.type', /listing procedure/);
    await expectRefused(recordBody({ category: 'other' }), 'body.category', /dishonesty information \(Art 34\(二\)\)/);
    const court = { role: 'officer', sub: 'officer-court-1', dept: 'ZY-COURT' } as const;
    const ok = await post(
      '/v1/records',
      court,
      recordBody({
        type: 'judgment_default',
        severity: 'serious',
        decidedOn: recent(),
        issuedBy: '张掖市中级人民法院',
        reviewedBy: 'officer-court-2',
      }),
    );
    expect(ok.statusCode).toBe(201);
    expect(ok.json()).toMatchObject({
      article: '34(五)',
      issuedBy: '张掖市中级人民法院',
      penalty: null,
      disclosure: 'published',
    });
  });

  it('keeps what the record rests on: its article, its legal document and issuer, its penalty', async () => {
    const r = (await post('/v1/records', OFFICER, recordBody({ decidedOn: recent() }))).json();
    expect(r).toMatchObject({
      type: 'administrative_penalty',
      article: '34(二)',
      documentNumber: '张市监罚〔2026〕7号',
      decidedOn: recent(),
      issuedBy: '张掖市市场监督管理局',
      penalty: { procedure: 'general', minor: false, remedied: false },
    });
    expect((await post('/v1/records', OFFICER, recordBody({ issuedBy: undefined }))).statusCode).toBe(400);
  });
});

describe('the published catalogue and measure list', () => {
  it('are read without a token, with versions and sources, rate limited like the public list', async () => {
    const cat = await sys.app.inject({ method: 'GET', url: '/v1/public/catalogue' });
    expect(cat.statusCode).toBe(200);
    expect(cat.headers['x-ratelimit-limit']).toBeDefined();
    const body = cat.json();
    // The shipped version, with the count of changes two supervisors approved since where another test made some.
    expect(body.version).toMatch(new RegExp(`^${CATALOGUE_VERSION.replace(/[.+]/g, '\\$&')}(\\+city\\.\\d+)?$`));
    expect(body.sources.map((s: { scope: string }) => s.scope)).toEqual(['national', 'provincial', 'city']);
    expect(body.items.length).toBeGreaterThanOrEqual(catalogueItems.length);
    expect(body.items.find((i: { code: string }) => i.code === 'administrative_penalty')).toMatchObject({
      category: 'dishonesty',
      article: '34(二)',
      departments: [],
      penalty: true,
      publicity: expect.stringContaining('公示'),
      source: expect.stringContaining('第三十四条'),
    });
    // In the regulation's order (item 二 before 三, not in character order), every item of Art 33-35 present.
    const order: string[] = [...new Set<string>(body.items.map((i: { article: string }) => i.article))];
    expect(order.slice(0, 10)).toEqual([
      '33(一)',
      '33(二)',
      '33(三)',
      '33(四)',
      '34(一)',
      '34(二)',
      '34(三)',
      '34(四)',
      '34(五)',
      '34(六)',
    ]);
    const articles = new Set(body.items.map((i: { article: string }) => i.article));
    for (const a of [
      '33(一)',
      '33(二)',
      '33(三)',
      '33(四)',
      '34(一)',
      '34(二)',
      '34(三)',
      '34(四)',
      '34(五)',
      '34(六)',
      '35(一)',
      '35(二)',
      '35(三)',
      '35(四)',
      '35(五)',
    ]) {
      expect(articles).toContain(a);
    }

    const list = await sys.app.inject({ method: 'GET', url: '/v1/public/measures' });
    expect(list.statusCode).toBe(200);
    expect(list.headers['x-ratelimit-limit']).toBeDefined();
    expect(list.json()).toMatchObject({
      version: MEASURES_VERSION,
      sources: expect.arrayContaining([expect.objectContaining({ scope: 'national' })]),
    });
    expect(list.json().items.map((m: { code: string }) => m.code)).toEqual(expect.arrayContaining(measures.map((m) => m.code)));
  });
});

describe('review before disclosure (Art 36)', () => {
  it('keeps a record supplied by an officer from everyone but its department and its subject until a second officer releases it', async () => {
    const subject = { kind: 'legal_person', id: randomUscc(), name: '张掖市某某待审有限公司' };
    const r = await supplyPending({ subject });
    expect(r).toMatchObject({ disclosure: 'pending_review', review: null });
    const stored = await sys.db.creditRecord.findUniqueOrThrow({ where: { id: r.id } });
    expect(stored.status).toBe('pending_review');

    // The subject may see what is being recorded about them; other officials, supervisors and reports do not.
    const own = (await get(`/v1/subjects/${subject.id}/records`, subjectOf(subject.id))).json();
    expect(own.items).toEqual([expect.objectContaining({ id: r.id, disclosure: 'pending_review' })]);
    for (const other of [OTHER_OFFICER, AGENCY_OFFICER, SUPERVISOR]) {
      expect(ids((await get(`/v1/subjects/${subject.id}/records?${purpose}`, other)).json().items)).toEqual([]);
      expect((await get(`/v1/subjects/${subject.id}/records/${r.id}/history?${purpose}`, other)).statusCode).toBe(404);
    }
    expect(ids((await get(`/v1/subjects/${subject.id}/records?${purpose}`, REVIEWER)).json().items)).toEqual([r.id]);
    const report = await post(`/v1/subjects/${subject.id}/reports`, subjectOf(subject.id));
    expect(report.statusCode).toBe(201);
    expect(report.json().document.html).not.toContain('因销售过期食品被处罚款五万元。');
    // Nothing to object to or repair yet.
    const objection = await post('/v1/cases', subjectOf(subject.id), {
      procedure: 'objection',
      recordId: r.id,
      grounds: 'error_or_omission',
      statement: '记载错误。',
      evidence: [{ title: '凭证', description: '说明' }],
    });
    expect(objection.statusCode).toBe(409);
    expect(objection.json().detail).toMatch(/pending review/);

    // The department's queue of records to review names who supplied each.
    const queue = (await get('/v1/records/pending-review?limit=200', REVIEWER)).json();
    expect(queue.items).toEqual(
      expect.arrayContaining([expect.objectContaining({ id: r.id, suppliedBy: OFFICER.sub, disclosure: 'pending_review' })]),
    );
    expect(ids((await get('/v1/records/pending-review?limit=200', OTHER_OFFICER)).json().items)).not.toContain(r.id);
    expect((await get('/v1/records/pending-review', SUPERVISOR)).statusCode).toBe(403);

    // Its supplier may not release it; another department does not see it.
    const own403 = await post(`/v1/records/${r.id}/release`, OFFICER);
    expect(own403.statusCode).toBe(403);
    expect(own403.json().detail).toMatch(/second officer/);
    expect((await post(`/v1/records/${r.id}/release`, OTHER_OFFICER)).statusCode).toBe(404);
    expect((await post(`/v1/records/${r.id}/release`, SUPERVISOR)).statusCode).toBe(403);
    expect((await sys.db.creditRecord.findUniqueOrThrow({ where: { id: r.id } })).status).toBe('pending_review');

    const released = await post(`/v1/records/${r.id}/release`, REVIEWER);
    expect(released.statusCode).toBe(200);
    expect(released.json()).toMatchObject({
      disclosure: 'published',
      review: { by: REVIEWER.sub },
      publicUntil: r.publicUntil,
    });
    // Publicity still runs from the decision date.
    expect(released.json().publicUntil).toBe(r.publicUntil);
    expect((await post(`/v1/records/${r.id}/release`, REVIEWER)).statusCode).toBe(409);
    expect((await post(`/v1/records/${r.id}/return`, REVIEWER, { reasons: '晚了' })).statusCode).toBe(409);
    expect(ids((await get('/v1/records/pending-review?limit=200', REVIEWER)).json().items)).not.toContain(r.id);

    expect(ids((await get(`/v1/subjects/${subject.id}/records?${purpose}`, OTHER_OFFICER)).json().items)).toEqual([r.id]);
    const history = (await get(`/v1/subjects/${subject.id}/records/${r.id}/history`, subjectOf(subject.id))).json().items;
    expect(history.map((e: { action: string; actor: string }) => [e.action, e.actor])).toEqual([
      ['supplied', OFFICER.sub],
      ['queried', REVIEWER.sub],
      ['released', REVIEWER.sub],
      ['queried', OTHER_OFFICER.sub],
    ]);
    const audit = await sys.db.auditEntry.findMany({
      where: { target: `record:${r.id}`, action: { in: ['record.create', 'record.release'] } },
      orderBy: { id: 'asc' },
    });
    expect(audit.map((a) => [a.action, a.actor])).toEqual([
      ['record.create', OFFICER.sub],
      ['record.release', REVIEWER.sub],
    ]);
    const second = await post(`/v1/subjects/${subject.id}/reports`, subjectOf(subject.id));
    expect(second.json().document.html).toContain('因销售过期食品被处罚款五万元。');
  });

  it('returns a record to its supplier with reasons: never disclosed, audited, in its history', async () => {
    const subject = { kind: 'legal_person', id: randomUscc(), name: '张掖市某某退回有限公司' };
    const r = await supplyPending({ subject });
    expect((await post(`/v1/records/${r.id}/return`, REVIEWER, {})).statusCode).toBe(400);
    expect((await post(`/v1/records/${r.id}/return`, OFFICER, { reasons: '自己退回' })).statusCode).toBe(403);
    const returned = await post(`/v1/records/${r.id}/return`, REVIEWER, {
      reasons: '处罚决定书文号有误，请核实后重新报送。',
    });
    expect(returned.statusCode).toBe(200);
    expect(returned.json()).toMatchObject({ disclosure: 'returned', review: { by: REVIEWER.sub } });
    expect((await post(`/v1/records/${r.id}/release`, REVIEWER)).statusCode).toBe(409);
    expect(ids((await get(`/v1/subjects/${subject.id}/records?${purpose}`, OTHER_OFFICER)).json().items)).toEqual([]);
    const history = (await get(`/v1/subjects/${subject.id}/records/${r.id}/history?${purpose}`, REVIEWER)).json().items;
    expect(history.at(-1)).toMatchObject({
      action: 'returned',
      actor: REVIEWER.sub,
      detail: { reasons: '处罚决定书文号有误，请核实后重新报送。', suppliedBy: OFFICER.sub },
    });
    expect(
      await sys.db.auditEntry.count({
        where: { target: `record:${r.id}`, action: 'record.return', actor: REVIEWER.sub },
      }),
    ).toBe(1);
  });

  it('releases at once a record whose reviewing officer the department’s own system names, and audits who it was', async () => {
    const same = recordBody({ reviewedBy: OFFICER.sub });
    await expectRefused(same, 'body.reviewedBy', /another officer/);
    const r = (await post('/v1/records', OFFICER, recordBody({ decidedOn: recent(), reviewedBy: 'officer-samr-9' }))).json();
    expect(r).toMatchObject({ disclosure: 'published', review: { by: 'officer-samr-9' } });
    const audit = await sys.db.auditEntry.findFirstOrThrow({
      where: { target: `record:${r.id}`, action: 'record.release' },
    });
    expect(audit).toMatchObject({
      actor: OFFICER.sub,
      detail: expect.objectContaining({ reviewedBy: 'officer-samr-9' }),
    });
    const events = await sys.db.recordEvent.findMany({ where: { recordId: r.id }, orderBy: { id: 'asc' } });
    expect(events.map((e) => [e.action, e.actor])).toEqual([
      ['supplied', OFFICER.sub],
      ['released', 'officer-samr-9'],
    ]);
    // The history says which catalogue the type was admitted under.
    expect(events[0]!.detail).toMatchObject({
      type: 'administrative_penalty',
      article: '34(二)',
      catalogueVersion: CATALOGUE_VERSION,
      issuedBy: '张掖市市场监督管理局',
    });
  });
});

describe('the OpenAPI document', () => {
  it('describes the new fields and routes as the server answers them', async () => {
    const doc = (await sys.app.inject({ method: 'GET', url: '/docs/json' })).json();
    const create = JSON.stringify(doc.paths['/v1/records'].post.requestBody.content['application/json'].schema);
    for (const field of ['issuedBy', 'penalty', 'reviewedBy', 'procedure', 'summary', 'remedied']) expect(create).toContain(field);
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/v1/public/catalogue',
        '/v1/public/measures',
        '/v1/catalogue/records',
        '/v1/records/pending-review',
        '/v1/records/{recordId}/release',
        '/v1/records/{recordId}/return',
      ]),
    );
    expect(doc.paths['/v1/public/catalogue'].get.security).toEqual([]);
    expect(Object.keys(doc.paths['/v1/public/catalogue'].get.responses)).toEqual(expect.arrayContaining(['200', '429']));
    expect(Object.keys(doc.paths['/v1/records/{recordId}/release'].post.responses)).toEqual(
      expect.arrayContaining(['200', '403', '404', '409']),
    );
    expect(JSON.stringify(doc.paths['/v1/records/{recordId}/return'].post.requestBody)).toContain('reasons');
  });
});
