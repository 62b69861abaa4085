import { settledCase, startSystem, type System } from '../support/system';
import { listingBody, OFFICER, SECOND_SUPERVISOR, SUPERVISOR } from '../support/fixtures';
import { statutoryFestivals } from '../../domain/calendar';
import { ifStarted } from '../support/teardown';

/**
 * The city's legal settings change only with two supervisors (DOMAIN.md), and an override that breaks the law it
 * cites, or that the clocks and documents could not run, is refused before anything is stored.
 * Departments used here for overrides (ZY-ECO, ZY-HRSS, ZY-HEALTH) are this file's own.
 */
let sys: System;
beforeAll(async () => {
  sys = await startSystem();
});
afterAll(async () => {
  await ifStarted(sys)?.stop();
});
type Claims = Parameters<System['token']>[0];
const headers = (c: Claims, key?: string) => ({
  authorization: `Bearer ${sys.token(c)}`,
  ...(key ? { 'idempotency-key': key } : {}),
});
const get = (url: string, c: Claims = SUPERVISOR) => sys.app.inject({ method: 'GET', url, headers: headers(c) });
const post = (url: string, c: Claims, payload?: unknown, key?: string) =>
  sys.app.inject({
    method: 'POST',
    url,
    headers: headers(c, key),
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
const approve = (id: string, c: Claims) => post(`/v1/settings/proposals/${id}/approve`, c);

function notice(year: number) {
  const holidays = [...new Set(statutoryFestivals(year).flatMap((f) => f.days))].sort();
  return { source: `国务院办公厅关于${year}年部分节假日安排的通知（测试用）`, holidays, workdays: [] as string[] };
}

/** A year no other test loads or relies on: after every year loaded so far, and well after today. */
async function unpublishedYear(): Promise<number> {
  const loaded = (await get('/v1/calendar/years')).json().items.map((y: { year: number }) => y.year) as number[];
  return Math.max(Math.max(...loaded) + 1, new Date().getUTCFullYear() + 12);
}

const overrideRows = () => sys.db.policyOverride.findMany({ orderBy: { id: 'asc' } });
const proposalRows = () => sys.db.settingsProposal.findMany({ orderBy: { id: 'asc' } });

describe('loading a year takes two supervisors', () => {
  it('proposes with the dry run as preview, changes nothing until a second supervisor approves, and the proposer cannot', async () => {
    const year = await unpublishedYear();
    const url = `/v1/calendar/years/${year}`;
    const body = notice(year);
    const dry = await sys.app.inject({
      method: 'PUT',
      url: `${url}?dryRun=true`,
      headers: headers(SUPERVISOR),
      payload: body,
    });
    expect(dry.statusCode).toBe(200);

    const proposed = await sys.app.inject({
      method: 'PUT',
      url,
      headers: headers(SUPERVISOR, `load-${year}`),
      payload: body,
    });
    expect(proposed.statusCode).toBe(202);
    const p = proposed.json();
    expect(p).toMatchObject({
      kind: 'calendar_year',
      status: 'proposed',
      proposedBy: SUPERVISOR.sub,
      payload: { year, ...body },
      decidedBy: null,
    });
    expect(p.preview).toEqual(dry.json());
    // The same key and body answer the same proposal; no second one is made.
    const replay = await sys.app.inject({
      method: 'PUT',
      url,
      headers: headers(SUPERVISOR, `load-${year}`),
      payload: body,
    });
    expect(replay.json().id).toBe(p.id);
    expect(
      await sys.db.settingsProposal.count({
        where: { kind: 'calendar_year', payload: { path: ['year'], equals: year } },
      }),
    ).toBe(1);

    expect(await sys.db.calendarYear.findUnique({ where: { year } })).toBeNull();
    expect(
      (await get('/v1/settings/proposals?status=proposed&kind=calendar_year')).json().items.map((i: { id: string }) => i.id),
    ).toContain(p.id);
    expect((await get(`/v1/settings/proposals/${p.id}`)).json()).toMatchObject({ id: p.id, status: 'proposed' });
    expect((await get('/v1/settings/proposals', OFFICER)).statusCode).toBe(403);

    const own = await approve(p.id, SUPERVISOR);
    expect(own.statusCode).toBe(409);
    expect(own.headers['content-type']).toMatch(/problem\+json/);
    expect(own.json().detail).toMatch(/second supervisor/);
    expect((await approve(p.id, OFFICER)).statusCode).toBe(403);
    expect(await sys.db.calendarYear.findUnique({ where: { year } })).toBeNull();
    expect((await get(`/v1/calendar/deadline?from=${year}-05-05&workingDays=1`, OFFICER)).json().provisional).toBe(true);

    const approved = await approve(p.id, SECOND_SUPERVISOR);
    expect(approved.statusCode).toBe(200);
    expect(approved.json()).toMatchObject({
      status: 'approved',
      decidedBy: SECOND_SUPERVISOR.sub,
      result: { year, changed: true, loadedBy: SECOND_SUPERVISOR.sub },
    });
    expect(await sys.db.calendarYear.findUnique({ where: { year } })).toMatchObject({ version: p.preview.version });
    expect((await get(`/v1/calendar/deadline?from=${year}-05-05&workingDays=1`, OFFICER)).json().provisional).toBe(false);
    expect((await approve(p.id, SECOND_SUPERVISOR)).statusCode).toBe(409);
    const audit = await sys.db.auditEntry.findMany({
      where: { OR: [{ target: `settings:${p.id}` }, { target: `calendar:${year}` }] },
      orderBy: { id: 'asc' },
    });
    expect(audit.map((a) => [a.action, a.actor])).toEqual([
      ['settings.proposed', SUPERVISOR.sub],
      ['calendar.year_loaded', SECOND_SUPERVISOR.sub],
      ['settings.approved', SECOND_SUPERVISOR.sub],
    ]);
  });
});

describe('a policy override takes two supervisors', () => {
  const lawful = {
    procedure: 'listing',
    department: 'ZY-HRSS',
    source: '《张掖市人力资源和社会保障局行政处罚程序规定》（测试用）',
    values: { statement_window: { amount: 10 } },
  };

  it('takes effect only when a second supervisor approves; a rejected one never does', async () => {
    const before = await overrideRows();
    const proposed = await post('/v1/policy/overrides', SUPERVISOR, lawful);
    expect(proposed.statusCode).toBe(202);
    expect(proposed.json()).toMatchObject({ kind: 'policy_override', status: 'proposed' });
    expect(proposed.json().preview.changes).toEqual([
      {
        procedure: 'listing',
        department: 'ZY-HRSS',
        key: 'statement_window',
        from: { unit: 'working_days', amount: 5 },
        to: { unit: 'working_days', amount: 10 },
      },
    ]);
    expect(await overrideRows()).toEqual(before);
    expect((await get('/v1/policy?procedure=listing&department=ZY-HRSS')).json().statement_window.amount).toBe(5);
    expect((await approve(proposed.json().id, SUPERVISOR)).statusCode).toBe(409);
    expect(await overrideRows()).toEqual(before);

    const approved = await approve(proposed.json().id, SECOND_SUPERVISOR);
    expect(approved.statusCode).toBe(200);
    expect((await overrideRows()).length).toBe(before.length + 1);
    expect((await get('/v1/policy?procedure=listing&department=ZY-HRSS')).json().statement_window).toMatchObject({
      amount: 10,
      confidence: 'text',
    });
    // A new case of the department takes it, and its procedure runs: the notice is served with the new window.
    const hrss = { role: 'officer', sub: 'officer-hrss-1', dept: 'ZY-HRSS' } as const;
    const opened = await post('/v1/cases', hrss, listingBody());
    expect(opened.statusCode).toBe(201);
    await settledCase(sys, opened.json().id, 'opened');
    const served = await post(`/v1/cases/${opened.json().id}/actions/serve_notice`, hrss, {
      servedAt: new Date().toISOString(),
      method: 'in_person',
    });
    expect(served.statusCode).toBe(200);
    expect(
      served
        .json()
        .deadlines.find((d: { kind: string }) => d.kind === 'statement_window')
        .explanation.join(''),
    ).toMatch(/10个工作日/);

    const another = await post('/v1/policy/overrides', SUPERVISOR, {
      ...lawful,
      values: { statement_window: { amount: 12 } },
    });
    expect((await post(`/v1/settings/proposals/${another.json().id}/reject`, SECOND_SUPERVISOR, { reasons: [] })).statusCode).toBe(400);
    const rejected = await post(`/v1/settings/proposals/${another.json().id}/reject`, SECOND_SUPERVISOR, {
      reasons: ['无依据'],
    });
    expect(rejected.json()).toMatchObject({
      status: 'rejected',
      reasons: ['无依据'],
      decidedBy: SECOND_SUPERVISOR.sub,
    });
    expect((await approve(another.json().id, SECOND_SUPERVISOR)).statusCode).toBe(409);
    expect((await get('/v1/policy?procedure=listing&department=ZY-HRSS')).json().statement_window.amount).toBe(10);
  });

  it('checks again at approval: an override that the settings approved meanwhile make unlawful is refused then', async () => {
    // Each alone is lawful; once the first stands, the second would let repair come after the listing ends.
    const minimum = await post('/v1/policy/overrides', SUPERVISOR, {
      department: 'ZY-HEALTH',
      values: { min_listing_before_repair: { unit: 'years', amount: 3 } },
    });
    const shorter = await post('/v1/policy/overrides', SUPERVISOR, {
      department: 'ZY-HEALTH',
      values: { listing_period: { unit: 'years', amount: 2 } },
    });
    expect([minimum.statusCode, shorter.statusCode]).toEqual([202, 202]);
    expect((await approve(minimum.json().id, SECOND_SUPERVISOR)).statusCode).toBe(200);
    const before = await overrideRows();
    const refused = await approve(shorter.json().id, SECOND_SUPERVISOR);
    expect(refused.statusCode).toBe(422);
    expect(refused.json().errors).toEqual([expect.objectContaining({ path: 'body.values.min_listing_before_repair.amount' })]);
    expect(await overrideRows()).toEqual(before);
    expect((await get(`/v1/settings/proposals/${shorter.json().id}`)).json().status).toBe('proposed');
  });
});

describe('an override that breaks the law it cites, or could not run, is refused and changes nothing', () => {
  it.each([
    [
      'a statement window of 1 calendar day, with source "0" and confidence "text"',
      {
        department: 'ZY-ECO',
        source: '0',
        values: { statement_window: { unit: 'days', amount: 1, confidence: 'text' } },
      },
      ['body.source', 'body.values.statement_window.unit'],
    ],
    [
      'a statement window of 1 working day (Art 64 gives the subject 5)',
      { department: 'ZY-ECO', values: { statement_window: { amount: 1 } } },
      ['body.values.statement_window.amount'],
    ],
    [
      'an override for a department that does not exist',
      { department: 'ZY-NOWHERE', values: { statement_window: { amount: 7 } } },
      ['body.department'],
    ],
    [
      'a reconsideration window a department shortened',
      { department: 'ZY-ECO', values: { reconsideration_window: { amount: 30 } } },
      ['body.values.reconsideration_window.amount'],
    ],
  ])('%s', async (_name, override, paths) => {
    const [overrides, proposals, policy] = [
      await overrideRows(),
      await proposalRows(),
      (await get('/v1/policy?procedure=listing&department=ZY-ECO')).json(),
    ];
    const res = await post('/v1/policy/overrides', SUPERVISOR, override);
    expect(res.statusCode).toBe(422);
    expect(res.headers['content-type']).toMatch(/problem\+json/);
    const named = res.json().errors.map((e: { path: string }) => e.path);
    expect(named).toEqual(expect.arrayContaining(paths));
    for (const e of res.json().errors) expect(e.message.length).toBeGreaterThan(10);
    expect(await overrideRows()).toEqual(overrides);
    expect(await proposalRows()).toEqual(proposals);
    expect((await get('/v1/policy?procedure=listing&department=ZY-ECO')).json()).toEqual(policy);
  });

  it('shows each entry with its legal floor and ceiling and their source', async () => {
    const p = (await get('/v1/policy?procedure=listing&department=ZY-ECO', OFFICER)).json();
    expect(p.statement_window.legalBounds).toMatchObject({
      units: ['working_days'],
      floor: { unit: 'working_days', amount: 5, basis: 'law', source: expect.stringContaining('第六十四条') },
      ceiling: { basis: 'sane' },
    });
    expect(p.reconsideration_window.legalBounds.floor).toMatchObject({
      unit: 'days',
      amount: 60,
      basis: 'law',
      source: expect.stringContaining('行政复议法'),
    });
    expect(p.free_reports_per_year.legalBounds.floor).toMatchObject({ amount: 2, basis: 'law' });
    for (const [key, entry] of Object.entries<{ legalBounds?: unknown }>(p))
      expect({ key, bounds: entry.legalBounds !== undefined }).toEqual({ key, bounds: true });
  });

  it('declares the proposals in the OpenAPI document: 202 from the proposing routes, the bounds in the policy', async () => {
    const doc = (await sys.app.inject({ method: 'GET', url: '/docs/json' })).json();
    for (const [path, method] of [
      ['/v1/calendar/years/{year}', 'put'],
      ['/v1/policy/overrides', 'post'],
    ] as const) {
      expect(JSON.stringify(doc.paths[path][method].responses['202'])).toContain('proposedBy');
    }
    expect(doc.paths['/v1/settings/proposals/{id}/approve'].post.responses['409']).toBeDefined();
    expect(JSON.stringify(doc.paths['/v1/policy'].get.responses['200'])).toContain('legalBounds');
  });
});
