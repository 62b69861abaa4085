import { randomBytes } from 'node:crypto';
import { apiAs, startSystem, type Claims, type System } from '../support/system';
import { OFFICER, OTHER_OFFICER, SECOND_SUPERVISOR, SUPERVISOR, recordBody } from '../support/fixtures';
import { applySetting } from '../support/settings';
import { shanghaiToday } from '../support/test-calendar';
import { CATALOGUE_VERSION } from '../../domain/credit-catalogue';
import { loadReferenceData } from '../../db/reference-data';
import { ifStarted } from '../support/teardown';

/**
 * The catalogue (Art 32) is one of the city's legal settings: an item is added, changed or withdrawn when a second
 * supervisor approves what a first proposed, and then counts at once for the records supplied, with no deploy.
 * Each test adds its own city items (codes unique to the run); the shipped items it changes (`wage_arrears`'s
 * publicity text) no other test reads.
 */
let sys: System;
beforeAll(async () => {
  sys = await startSystem();
});
afterAll(async () => {
  await ifStarted(sys)?.stop();
});
const api = () => apiAs(sys);
const post = (url: string, c: Claims, payload?: unknown, key?: string) => api().post(url, c, payload, key);
const get = (url: string, c: Claims) => api().get(url, c);
const approve = (id: string, c: Claims) => post(`/v1/settings/proposals/${id}/approve`, c);
const uniqueCode = (name: string) => `city_${name}_${randomBytes(4).toString('hex')}`;
const ACT = '《张掖市公共信用信息补充目录》（张政发〔2026〕1号）';

/** A city item under Art 34 (六) that only ZY-SAMR supplies. */
const cityItem = (code: string, over: Record<string, unknown> = {}) => ({
  code,
  title: '食品生产经营严重违法失信信息',
  category: 'dishonesty',
  article: '34(六)',
  departments: ['ZY-SAMR'],
  penalty: false,
  publicity: '自决定文书作出之日起按严重程度公示。',
  source: ACT,
  ...over,
});
const recordOf = (type: string, over: Record<string, unknown> = {}) =>
  recordBody({
    type,
    category: 'dishonesty',
    severity: 'general',
    decidedOn: shanghaiToday(-30),
    documentNumber: '张市监罚〔2026〕9号',
    ...over,
  });
const publicCatalogue = async () => (await sys.app.inject({ method: 'GET', url: '/v1/public/catalogue' })).json();
const itemRow = (code: string) => sys.db.catalogueItem.findUnique({ where: { code } });

describe('a catalogue change takes two supervisors', () => {
  it('is proposed with its preview, changes nothing until a second supervisor approves, and the proposer cannot', async () => {
    const code = uniqueCode('food');
    const before = await publicCatalogue();
    const proposed = await post('/v1/catalogue/items', SUPERVISOR, cityItem(code), `cat-${code}`);
    expect(proposed.statusCode).toBe(202);
    const p = proposed.json();
    expect(p).toMatchObject({
      kind: 'catalogue_item',
      status: 'proposed',
      proposedBy: SUPERVISOR.sub,
      payload: cityItem(code),
    });
    expect(p.preview).toMatchObject({
      action: 'add',
      code,
      before: null,
      after: {
        code,
        category: 'dishonesty',
        article: '34(六)',
        departments: ['ZY-SAMR'],
        scope: 'city',
        recordedBy: 'department',
      },
      recordsUsing: 0,
      catalogueVersion: { from: before.version, to: expect.stringMatching(/\+city\.\d+$/) },
    });
    // The same key and body answer the same proposal.
    expect((await post('/v1/catalogue/items', SUPERVISOR, cityItem(code), `cat-${code}`)).json().id).toBe(p.id);
    expect((await post('/v1/catalogue/items', OFFICER, cityItem(code))).statusCode).toBe(403);
    expect(
      (await post('/v1/catalogue/items', { role: 'subject', sub: 'subject-1', subjectId: '91620700MA00000000' }, cityItem(code)))
        .statusCode,
    ).toBe(403);

    // Nothing changes before approval: no item, the same version, and a record of it is refused.
    expect(await itemRow(code)).toBeNull();
    expect(
      (await get('/v1/settings/proposals?status=proposed&kind=catalogue_item', SUPERVISOR)).json().items.map((i: { id: string }) => i.id),
    ).toContain(p.id);
    expect((await publicCatalogue()).version).toBe(before.version);
    const early = await post('/v1/records', OFFICER, recordOf(code));
    expect(early.statusCode).toBe(422);
    expect(early.json().errors).toEqual([expect.objectContaining({ path: 'body.type' })]);

    const own = await approve(p.id, SUPERVISOR);
    expect(own.statusCode).toBe(409);
    expect(own.json().detail).toMatch(/second supervisor/);
    expect(await itemRow(code)).toBeNull();

    const approved = await approve(p.id, SECOND_SUPERVISOR);
    expect(approved.statusCode).toBe(200);
    expect(approved.json()).toMatchObject({
      status: 'approved',
      result: {
        action: 'add',
        code,
        catalogueVersion: p.preview.catalogueVersion.to,
        approvedBy: SECOND_SUPERVISOR.sub,
      },
    });

    // Published with the new version; admitted from its department, not from another.
    const after = await publicCatalogue();
    expect(after.version).toBe(p.preview.catalogueVersion.to);
    expect(after.version.startsWith(CATALOGUE_VERSION)).toBe(true);
    expect(after.items.find((i: { code: string }) => i.code === code)).toMatchObject({
      scope: 'city',
      departments: ['ZY-SAMR'],
      version: after.version,
      withdrawnAt: null,
    });
    const ok = await post('/v1/records', OFFICER, recordOf(code));
    expect(ok.statusCode).toBe(201);
    expect(ok.json()).toMatchObject({ type: code, article: '34(六)' });
    const other = await post('/v1/records', OTHER_OFFICER, recordOf(code, { reviewedBy: 'officer-housing-2' }));
    expect(other.statusCode).toBe(422);
    expect(other.json().errors).toEqual([expect.objectContaining({ path: 'body.type', message: expect.stringMatching(/only ZY-SAMR/) })]);

    const audit = await sys.db.auditEntry.findMany({ where: { target: `catalogue:${code}` } });
    expect(audit).toEqual([
      expect.objectContaining({
        action: 'catalogue.item_changed',
        actor: SECOND_SUPERVISOR.sub,
        detail: expect.objectContaining({
          proposalId: p.id,
          proposedBy: SUPERVISOR.sub,
          approvedBy: SECOND_SUPERVISOR.sub,
          catalogueVersion: after.version,
        }),
      }),
    ]);
  });

  it('withdraws an item: records already supplied keep their type, new records are refused', async () => {
    const code = uniqueCode('volunteer');
    await applySetting(sys, {
      method: 'POST',
      url: '/v1/catalogue/items',
      payload: cityItem(code, { category: 'other', article: '35(二)', departments: [] }),
    });
    const kept = await post('/v1/records', OFFICER, recordOf(code, { category: 'other', severity: undefined }));
    expect(kept.statusCode).toBe(201);

    const withdrawal = {
      code,
      withdraw: true,
      source: '张掖市人民政府关于调整公共信用信息补充目录的通知（张政发〔2026〕3号）',
    };
    const proposed = await post('/v1/catalogue/items', SUPERVISOR, withdrawal);
    expect(proposed.statusCode).toBe(202);
    expect(proposed.json().preview).toMatchObject({
      action: 'withdraw',
      before: { code, withdrawnAt: null },
      recordsUsing: 1,
    });
    expect((await itemRow(code))!.withdrawnAt).toBeNull();
    const { result } = await applySetting(sys, { method: 'POST', url: '/v1/catalogue/items', payload: withdrawal });
    expect(result).toMatchObject({ action: 'withdraw', item: { code, withdrawnAt: expect.any(String) } });
    // The first proposal met a world that changed: checked again on approval, it is refused and nothing changes.
    const stale = await approve(proposed.json().id, SECOND_SUPERVISOR);
    expect(stale.statusCode).toBe(422);
    expect(stale.json().errors).toEqual([expect.objectContaining({ path: 'body.code', message: expect.stringMatching(/withdrawn/) })]);

    const refused = await post('/v1/records', OFFICER, recordOf(code, { category: 'other', severity: undefined }));
    expect(refused.statusCode).toBe(422);
    expect(refused.json().errors).toEqual([expect.objectContaining({ path: 'body.type', message: expect.stringMatching(/withdrawn/) })]);
    // The record supplied before stays as it was, readable with its type.
    const read = await get(
      `/v1/subjects/${(await sys.db.creditRecord.findUniqueOrThrow({ where: { id: kept.json().id } })).subjectId}/records?purpose=${encodeURIComponent('行政许可审查')}`,
      OFFICER,
    );
    expect(read.statusCode).toBe(200);
    expect(read.json().items).toEqual([expect.objectContaining({ id: kept.json().id, type: code, disclosure: 'published' })]);
    expect((await publicCatalogue()).items.find((i: { code: string }) => i.code === code)).toMatchObject({
      withdrawnAt: expect.any(String),
    });
    // A withdrawn code is never reused.
    const reuse = await post('/v1/catalogue/items', SUPERVISOR, cityItem(code));
    expect(reuse.statusCode).toBe(422);
    expect(reuse.json().errors).toEqual([expect.objectContaining({ path: 'body.code' })]);
  });

  it('keeps what was approved when the reference data is loaded again at start', async () => {
    const code = uniqueCode('kept');
    await applySetting(sys, { method: 'POST', url: '/v1/catalogue/items', payload: cityItem(code) });
    const wage = (await itemRow('wage_arrears'))!;
    const changed = {
      code: 'wage_arrears',
      title: wage.title,
      category: 'dishonesty',
      article: '34(六)',
      departments: ['ZY-HRSS'],
      penalty: false,
      publicity: '测试：按严重程度公示。',
      source: wage.source,
    };
    const { proposed } = await applySetting(sys, { method: 'POST', url: '/v1/catalogue/items', payload: changed });
    expect(proposed.json().preview).toMatchObject({
      action: 'change',
      before: { publicity: wage.publicity, scope: 'provincial' },
      after: { publicity: changed.publicity, scope: 'provincial' },
    });
    const version = (await publicCatalogue()).version;

    await loadReferenceData(sys.db);
    expect(await itemRow(code)).toMatchObject({ departments: ['ZY-SAMR'] });
    expect(await itemRow('wage_arrears')).toMatchObject({ publicity: changed.publicity, scope: 'provincial' });
    expect((await publicCatalogue()).version).toBe(version);
    // A national item still follows the code.
    expect(await itemRow('administrative_penalty')).toMatchObject({ version: CATALOGUE_VERSION, proposalId: null });
  });
});

describe('a catalogue change that breaks the rules is refused, naming the field, and changes nothing', () => {
  const refused = async (payload: Record<string, unknown>, path: string, message: RegExp) => {
    const proposals = await sys.db.settingsProposal.count();
    const version = (await publicCatalogue()).version;
    const res = await post('/v1/catalogue/items', SUPERVISOR, payload);
    expect(res.statusCode).toBe(422);
    expect(res.headers['content-type']).toMatch(/problem\+json/);
    expect(res.json().errors).toEqual(expect.arrayContaining([expect.objectContaining({ path, message: expect.stringMatching(message) })]));
    expect(await sys.db.settingsProposal.count()).toBe(proposals);
    expect((await publicCatalogue()).version).toBe(version);
  };

  it('names the article and category that disagree, an unknown department, a source naming no act', async () => {
    const code = uniqueCode('bad');
    await refused(cityItem(code, { category: 'basic' }), 'body.category', /Art 34\(六\) is dishonesty/);
    await refused(cityItem(code, { article: '36(一)' }), 'body.article', /no item of Art 33/);
    await refused(cityItem(code, { departments: ['ZY-SAMR', 'ZY-NOWHERE'] }), 'body.departments.1', /ZY-NOWHERE does not exist/);
    await refused(cityItem(code, { source: '经市里研究同意' }), 'body.source', /names no act/);
    expect(await itemRow(code)).toBeNull();
  });

  it('leaves national items and the items the listing procedure writes alone', async () => {
    const before = await itemRow('administrative_penalty');
    await refused(cityItem('administrative_penalty', { article: '34(二)', penalty: true }), 'body.code', /national base catalogue/);
    await refused({ code: 'identity', withdraw: true, source: ACT }, 'body.code', /national base catalogue/);
    await refused(cityItem('responsible_person_entry'), 'body.code', /procedure of this system/);
    await refused({ code: 'serious_dishonesty_listing', withdraw: true, source: ACT }, 'body.code', /procedure of this system/);
    expect(await itemRow('administrative_penalty')).toEqual(before);
    // A malformed body is the boundary's 400, never a 500.
    expect((await post('/v1/catalogue/items', SUPERVISOR, { code: 'x', withdraw: true })).statusCode).toBe(400);
    expect(
      (await post('/v1/catalogue/items', SUPERVISOR, { ...cityItem(uniqueCode('x')), recordedBy: 'listing_procedure' })).statusCode,
    ).toBe(400);
  });

  it('is checked again when approved: a department the item names must still be one', async () => {
    const code = uniqueCode('recheck');
    const p = (await post('/v1/catalogue/items', SUPERVISOR, cityItem(code, { departments: ['ZY-AGRI'] }))).json();
    expect(p.status).toBe('proposed');
    await sys.db.$executeRawUnsafe(
      `UPDATE settings_proposals SET payload = jsonb_set(payload, '{departments}', '["ZY-GONE"]') WHERE id = $1`,
      p.id,
    );
    const res = await approve(p.id, SECOND_SUPERVISOR);
    expect(res.statusCode).toBe(422);
    expect(res.json().errors).toEqual([expect.objectContaining({ path: 'body.departments.0' })]);
    expect(await itemRow(code)).toBeNull();
    expect((await get(`/v1/settings/proposals/${p.id}`, SUPERVISOR)).json().status).toBe('proposed');
  });
});

describe('the OpenAPI document', () => {
  it('describes the proposing route with both bodies and its answers', async () => {
    const doc = (await sys.app.inject({ method: 'GET', url: '/docs/json' })).json();
    const route = doc.paths['/v1/catalogue/items'].post;
    expect(Object.keys(route.responses)).toEqual(expect.arrayContaining(['202', '400', '403', '422']));
    const body = JSON.stringify(route.requestBody.content['application/json'].schema);
    for (const field of ['withdraw', 'article', 'departments', 'penalty', 'publicity', 'source', 'scope']) expect(body).toContain(field);
    expect(JSON.stringify(doc.paths['/v1/public/catalogue'].get.responses['200'])).toContain('withdrawnAt');
  });
});
