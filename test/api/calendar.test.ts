import { randomUUID } from 'node:crypto';
import { bundleWorkflowCode, NativeConnection, Worker } from '@temporalio/worker';
import { createActivities } from '../../activities';
import { startSystem, type System } from '../support/system';
import { OFFICER, SUPERVISOR } from '../support/fixtures';
import { testEnv } from '../support/test-env';
import { clockProbeWorkflow, probeUpdate } from '../workflows/fixtures/clock-probe.workflow';

/**
 * The calculator and the yearly schedules through the API. 2027 is never loaded by any test: it stands for
 * "the year whose notice is not out yet". Tests that load a year use years no other test depends on.
 */
let sys: System;
beforeAll(async () => {
  sys = await startSystem();
});
afterAll(async () => {
  await sys?.stop();
});
const auth = (claims: Parameters<System['token']>[0]) => ({ authorization: `Bearer ${sys.token(claims)}` });
const get = (url: string, claims: Parameters<System['token']>[0] = OFFICER) => sys.app.inject({ method: 'GET', url, headers: auth(claims) });

describe('GET /v1/calendar/deadline', () => {
  it('counts working days over National Day 2026 with its make-up Saturday, and explains why', async () => {
    const res = await get('/v1/calendar/deadline?from=2026-09-30&workingDays=5');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    // 10-01..10-07 off; 10-08 (1), 10-09 (2), 10-10 make-up Saturday (3), 10-12 (4), 10-13 (5).
    expect(body).toMatchObject({ dueDate: '2026-10-13', dueAt: '2026-10-14T00:00:00+08:00', provisional: false, calendarVersion: '2026-official-1' });
    const text = body.explanation.join('\n');
    expect(text).toContain('2026年10月10日');
    expect(text).toContain('调休上班');
    expect(text).toContain('2026年10月13日');
  });

  it('takes an instant and counts from its date in Asia/Shanghai', async () => {
    const res = await get(`/v1/calendar/deadline?from=${encodeURIComponent('2026-09-29T17:30:00Z')}&workingDays=5`);
    expect(res.json()).toMatchObject({ from: '2026-09-30', dueDate: '2026-10-13' });
  });

  it('refuses a working-day period that runs into a year without a published schedule', async () => {
    const res = await get('/v1/calendar/deadline?from=2026-12-28&workingDays=10');
    expect(res.statusCode).toBe(422);
    expect(res.json().detail).toMatch(/2027/);
  });

  it('computes a calendar period ending in such a year as provisional, and says so', async () => {
    const res = await get('/v1/calendar/deadline?from=2026-03-02&years=3');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ provisional: true });
    expect(res.json().calendarVersion).toContain('2029-weekends-only');
  });

  it.each([
    ['two periods at once', '/v1/calendar/deadline?from=2026-03-02&years=3&days=2'],
    ['no period', '/v1/calendar/deadline?from=2026-03-02'],
    ['a date that does not exist', '/v1/calendar/deadline?from=2026-02-30&days=2'],
    ['a negative period', '/v1/calendar/deadline?from=2026-03-02&days=-2'],
  ])('answers %s with a 400 problem', async (_n, url) => {
    const res = await get(url);
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/problem\+json/);
  });
});

describe('calendar years', () => {
  it('lists the built-in years with their source and version', async () => {
    const items = (await get('/v1/calendar/years')).json().items;
    const byYear = Object.fromEntries(items.map((y: { year: number }) => [y.year, y]));
    expect(byYear[2025]).toMatchObject({ version: '2025-official-1', source: expect.stringContaining('国办发明电〔2024〕12号') });
    expect(byYear[2026]).toMatchObject({ version: '2026-official-1', workdays: expect.arrayContaining(['2026-10-10']) });
  });

  it('lets only supervisors load a year, refuses an unsound schedule, and changes nothing then', async () => {
    const body = { source: '国务院办公厅关于2032年部分节假日安排的通知（测试）', holidays: ['2032-10-01'], workdays: ['2032-10-09'] };
    expect((await sys.app.inject({ method: 'PUT', url: '/v1/calendar/years/2032', headers: auth(OFFICER), payload: body })).statusCode).toBe(403);
    const bad = await sys.app.inject({ method: 'PUT', url: '/v1/calendar/years/2032', headers: auth(SUPERVISOR), payload: { ...body, workdays: ['2032-10-11'] } });
    expect(bad.statusCode).toBe(422); // 2032-10-11 is a Monday: not a make-up day
    const outOfYear = await sys.app.inject({ method: 'PUT', url: '/v1/calendar/years/2032', headers: auth(SUPERVISOR), payload: { ...body, holidays: ['2033-01-01'] } });
    expect(outOfYear.statusCode).toBe(422);
    expect(await sys.db.calendarYear.findUnique({ where: { year: 2032 } })).toBeNull();

    const ok = await sys.app.inject({ method: 'PUT', url: '/v1/calendar/years/2032', headers: auth(SUPERVISOR), payload: body });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ year: 2032, changed: true, loadedBy: SUPERVISOR.sub });
    const again = await sys.app.inject({ method: 'PUT', url: '/v1/calendar/years/2032', headers: auth(SUPERVISOR), payload: body });
    expect(again.json()).toMatchObject({ changed: false, version: ok.json().version });
    expect(await sys.db.auditEntry.count({ where: { target: 'calendar:2032', action: 'calendar.year_loaded' } })).toBe(1);
    // Working days now count through 2032's schedule: 2032-10-09 (Saturday) is a make-up day.
    expect((await get('/v1/calendar/deadline?from=2032-10-08&workingDays=1')).json().dueDate).toBe('2032-10-09');
  });

  it('moves the provisional deadline of a running case, and its timer, when the year it ends in is loaded', async () => {
    const env = testEnv();
    const bundle = await bundleWorkflowCode({
      workflowsPath: require.resolve('../workflows/fixtures/clock-probe.workflow'),
      logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error: console.error },
    });
    const connection = await NativeConnection.connect({ address: env.temporalAddress });
    const taskQueue = `cal-${randomUUID()}`;
    const worker = await Worker.create({ connection, taskQueue, workflowBundle: bundle, activities: createActivities({ db: sys.db }) });
    await worker.runUntil(async () => {
      const caseId = `OBJ-20260101-${randomUUID().replace(/-/g, '').slice(0, 10).toUpperCase()}`;
      const h = await sys.temporal.workflow.start(clockProbeWorkflow, { taskQueue, workflowId: caseId, args: [caseId, 'T-CAL'] });
      const year = 2034;
      const from = `${year - 5}-06-01`;
      const opened = await h.executeUpdate(probeUpdate, {
        args: [{ op: 'open', kind: 'listing_period', party: 'subject', from, startsAt: new Date().toISOString(), period: { unit: 'years', amount: 5 } }],
      });
      const d = opened.deadlines[0]!;
      // 2034-06-01 is a Thursday; provisional while 2034 has no schedule.
      expect(d).toMatchObject({ dueDate: '2034-06-01', provisional: true });

      // The year arrives with 2034-06-01 and 06-02 as holidays: the period ends on Monday 2034-06-05.
      const res = await sys.app.inject({
        method: 'PUT',
        url: `/v1/calendar/years/${year}`,
        headers: auth(SUPERVISOR),
        payload: { source: '测试', holidays: ['2034-06-01', '2034-06-02'], workdays: [] },
      });
      expect(res.statusCode).toBe(200);
      // The deadline may still be on its way to the registry: then the loader does not see it, and the
      // registry write tells the workflow instead. Either way it moves.

      const until = Date.now() + 20_000;
      let row = await sys.db.deadline.findUnique({ where: { id: d.id } });
      while (row?.dueDate !== '2034-06-05' && Date.now() < until) {
        await new Promise((r) => setTimeout(r, 200));
        row = await sys.db.deadline.findUnique({ where: { id: d.id } });
      }
      expect(row).toMatchObject({ dueDate: '2034-06-05', provisional: false });
      expect(row!.calendarVersion).toContain(res.json().version);
      expect(row!.dueAt.toISOString()).toBe('2034-06-05T16:00:00.000Z');
      await h.terminate('test over');
    });
    await connection.close();
  });
});

describe('policy', () => {
  it('resolves the defaults, applies a department override to new cases only, and refuses officers', async () => {
    const base = (await get('/v1/policy?procedure=listing&department=T-POL')).json();
    expect(base.statement_window).toMatchObject({ unit: 'working_days', amount: 5 });
    const override = { procedure: 'listing', department: 'T-POL', source: '测试规则', values: { statement_window: { amount: 7 } } };
    expect((await sys.app.inject({ method: 'POST', url: '/v1/policy/overrides', headers: auth(OFFICER), payload: override })).statusCode).toBe(403);
    const created = await sys.app.inject({ method: 'POST', url: '/v1/policy/overrides', headers: auth(SUPERVISOR), payload: override });
    expect(created.statusCode).toBe(201);
    const after = (await get('/v1/policy?procedure=listing&department=T-POL')).json();
    expect(after.statement_window).toMatchObject({ amount: 7, overriddenBy: [expect.stringContaining('T-POL')] });
    expect((await get('/v1/policy?procedure=listing&department=T-OTHER')).json().statement_window.amount).toBe(5);
    expect((await get('/v1/policy?procedure=objection&department=T-POL')).json().statement_window.amount).toBe(5);
    const bad = await sys.app.inject({ method: 'POST', url: '/v1/policy/overrides', headers: auth(SUPERVISOR), payload: { values: { nonsense: { amount: 1 } } } });
    expect(bad.statusCode).toBe(400);
  });
});
