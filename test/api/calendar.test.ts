import { randomUUID } from 'node:crypto';
import { tsToMs } from '@temporalio/common/lib/time';
import type { temporal } from '@temporalio/proto';
import { bundleWorkflowCode, NativeConnection, Worker } from '@temporalio/worker';
import { createActivities } from '../../activities';
import { ensureCalendarWatch } from '../../worker';
import { CALENDAR_WATCH_ID } from '../../workflows/calendar-watch/workflow';
import { settledCase, startSystem, type System } from '../support/system';
import { listingBody, OFFICER, SECOND_SUPERVISOR, SUPERVISOR } from '../support/fixtures';
import { applySetting } from '../support/settings';
import { testEnv } from '../support/test-env';
import { clockProbeWorkflow, probeUpdate } from '../workflows/fixtures/clock-probe.workflow';
import { statutoryFestivals, statutorySchedule } from '../../domain/calendar';
import { until } from '../support/until';
import { firstUnpublishedYear, shanghaiToday } from '../support/test-calendar';
import { countWorkingDays, scheduleOf } from '../support/working-days';
import { ifStarted } from '../support/teardown';

/** A schedule that can pass as the State Council's notice: every statutory day off, the notice named, and `extra` days. */
function notice(year: number, extra: string[] = [], workdays: string[] = []) {
  const holidays = [...new Set([...statutoryFestivals(year).flatMap((f) => f.days), ...extra])].sort();
  return { source: `国务院办公厅关于${year}年部分节假日安排的通知（测试用）`, holidays, workdays };
}

/**
 * The calculator and the yearly schedules through the API. `U`, the first year after the test calendar's last
 * loaded one (test/support/test-calendar.ts), is never loaded by any test: it stands for "the year whose notice is
 * not out yet", whatever the day the suite runs and whatever notices the build ships. Tests that load a year use
 * years no other test depends on.
 */
let sys: System;
/** The first year without a schedule. */
let U: number;
/** The API's legal "now" in this file: 1 December of the year before U, so the year change is ahead and U's notice not out. */
let TODAY: Date;
beforeAll(async () => {
  sys = await startSystem({ clock: () => TODAY });
  U = await firstUnpublishedYear(sys.db);
  TODAY = new Date(`${U - 1}-12-01T02:00:00.000Z`);
});
const afterAllCleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const cleanup of afterAllCleanups) await cleanup();
  await ifStarted(sys)?.stop();
});
const auth = (claims: Parameters<System['token']>[0]) => ({ authorization: `Bearer ${sys.token(claims)}` });
const get = (url: string, claims: Parameters<System['token']>[0] = OFFICER) =>
  sys.app.inject({ method: 'GET', url, headers: auth(claims) });

describe('GET /v1/calendar/deadline', () => {
  it('counts working days over National Day 2026 with its make-up Saturday, and explains why', async () => {
    const res = await get('/v1/calendar/deadline?from=2026-09-30&workingDays=5');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    // 10-01..10-07 off; 10-08 (1), 10-09 (2), 10-10 make-up Saturday (3), 10-12 (4), 10-13 (5).
    expect(body).toMatchObject({
      dueDate: '2026-10-13',
      dueAt: '2026-10-14T00:00:00+08:00',
      provisional: false,
      calendarVersion: '2026-official-1',
    });
    const text = body.explanation.join('\n');
    expect(text).toContain('2026年10月10日');
    expect(text).toContain('调休上班');
    expect(text).toContain('2026年10月13日');
  });

  it('takes an instant and counts from its date in Asia/Shanghai', async () => {
    const res = await get(`/v1/calendar/deadline?from=${encodeURIComponent('2026-09-29T17:30:00Z')}&workingDays=5`);
    expect(res.json()).toMatchObject({ from: '2026-09-30', dueDate: '2026-10-13' });
  });

  it('counts a working-day period into a year without a published schedule on its statutory holidays, provisionally', async () => {
    // A notice can be served from 28 December on: its window reaches into U, whose notice is not out.
    const from = `${U - 1}-12-28`;
    const res = await get(`/v1/calendar/deadline?from=${from}&workingDays=5`);
    expect(res.statusCode).toBe(200);
    const last = await scheduleOf(sys.db, U - 1);
    expect(res.json()).toMatchObject({
      dueDate: countWorkingDays(from, 5, [last, statutorySchedule(U)]),
      provisional: true,
      calendarVersion: `${last.version}+${U}-statutory-provisional`,
    });
    expect(res.json().explanation.join('')).toMatch(
      new RegExp(`${U}年的节假日安排尚未公布.*暂按《全国年节及纪念日放假办法》规定的法定节假日计算`),
    );
  });

  it('computes a calendar period ending in such a year as provisional, and says so', async () => {
    const res = await get(`/v1/calendar/deadline?from=${U - 3}-03-02&years=3`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ provisional: true });
    expect(res.json().calendarVersion).toContain(`${U}-statutory-provisional`);
  });

  it.each([
    ['far past every rule', '/v1/calendar/deadline?from=9999-12-31&years=9999'],
    ['a working-day count past 2199', '/v1/calendar/deadline?from=2199-12-30&workingDays=5'],
    ['before the statutory holidays had their present list', '/v1/calendar/deadline?from=2007-06-01&days=3'],
  ])('answers a period that no calendar can give (%s) with a 422 problem', async (_n, url) => {
    const res = await get(url);
    expect(res.statusCode).toBe(422);
    expect(res.headers['content-type']).toMatch(/problem\+json/);
    expect(res.json().detail).toMatch(/2008–2199/);
  });

  it.each([
    ['two periods at once', '/v1/calendar/deadline?from=2026-03-02&years=3&days=2', 422],
    ['no period', '/v1/calendar/deadline?from=2026-03-02', 422],
    ['a date that does not exist', '/v1/calendar/deadline?from=2026-02-30&days=2', 400],
    ['a negative period', '/v1/calendar/deadline?from=2026-03-02&days=-2', 400],
  ])('answers %s with a %i problem', async (_n, url, status) => {
    const res = await get(url);
    expect(res.statusCode).toBe(status);
    expect(res.headers['content-type']).toMatch(/problem\+json/);
  });
});

describe('calendar years', () => {
  it('lists the built-in years with their source and version', async () => {
    const items = (await get('/v1/calendar/years')).json().items;
    const byYear = Object.fromEntries(items.map((y: { year: number }) => [y.year, y]));
    expect(byYear[2025]).toMatchObject({
      version: '2025-official-1',
      source: expect.stringContaining('国办发明电〔2024〕12号'),
    });
    expect(byYear[2026]).toMatchObject({
      version: '2026-official-1',
      workdays: expect.arrayContaining(['2026-10-10']),
    });
  });

  it('lets only supervisors propose a year, refuses an unsound schedule, and changes nothing then', async () => {
    const body = notice(2032, [], ['2032-10-09']);
    expect(
      (await sys.app.inject({ method: 'PUT', url: '/v1/calendar/years/2032', headers: auth(OFFICER), payload: body })).statusCode,
    ).toBe(403);
    const bad = await sys.app.inject({
      method: 'PUT',
      url: '/v1/calendar/years/2032',
      headers: auth(SUPERVISOR),
      payload: { ...body, workdays: ['2032-10-11'] },
    });
    expect(bad.statusCode).toBe(422); // 2032-10-11 is a Monday: not a make-up day
    const outOfYear = await sys.app.inject({
      method: 'PUT',
      url: '/v1/calendar/years/2032',
      headers: auth(SUPERVISOR),
      payload: { ...body, holidays: [...body.holidays, '2033-01-01'] },
    });
    expect(outOfYear.statusCode).toBe(422);
    expect(await sys.db.calendarYear.findUnique({ where: { year: 2032 } })).toBeNull();

    const ok = (await applySetting(sys, { method: 'PUT', url: '/v1/calendar/years/2032', payload: body })).result;
    expect(ok).toMatchObject({ year: 2032, changed: true, loadedBy: SECOND_SUPERVISOR.sub });
    const again = (await applySetting(sys, { method: 'PUT', url: '/v1/calendar/years/2032', payload: body })).result;
    expect(again).toMatchObject({ changed: false, version: ok.version });
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
    const worker = await Worker.create({
      connection,
      taskQueue,
      workflowBundle: bundle,
      activities: createActivities({ db: sys.db }),
    });
    await worker.runUntil(async () => {
      const caseId = `OBJ-20260101-${randomUUID().replace(/-/g, '').slice(0, 10).toUpperCase()}`;
      const h = await sys.temporal.workflow.start(clockProbeWorkflow, {
        taskQueue,
        workflowId: caseId,
        args: [caseId, 'T-CAL'],
      });
      const year = 2034;
      const from = `${year - 5}-06-01`;
      const opened = await h.executeUpdate(probeUpdate, {
        args: [
          {
            op: 'open',
            kind: 'long_period',
            party: 'subject',
            from,
            startsAt: new Date().toISOString(),
            period: { unit: 'years', amount: 5 },
          },
        ],
      });
      const d = opened.deadlines[0]!;
      // 2034-06-01 is a Thursday; provisional while 2034 has no schedule.
      expect(d).toMatchObject({ dueDate: '2034-06-01', provisional: true });
      expect(await runningTimers(h)).toEqual([expect.closeTo(Date.parse(d.dueAt), -4)]);

      // The year arrives with 2034-06-01 and 06-02 as holidays: the period ends on Monday 2034-06-05.
      const res = await applySetting(sys, {
        method: 'PUT',
        url: `/v1/calendar/years/${year}`,
        payload: notice(year, ['2034-06-01', '2034-06-02']),
      });
      // The deadline may still be on its way to the registry: then the loader does not see it, and the
      // registry write tells the workflow instead. Either way it moves.

      const limit = Date.now() + 20_000;
      let row = await sys.db.deadline.findUnique({ where: { id: d.id } });
      while (row?.dueDate !== '2034-06-05' && Date.now() < limit) {
        await new Promise((r) => setTimeout(r, 200));
        row = await sys.db.deadline.findUnique({ where: { id: d.id } });
      }
      expect(row).toMatchObject({ dueDate: '2034-06-05', provisional: false });
      expect(row!.calendarVersion).toContain(res.result.version);
      expect(row!.dueAt.toISOString()).toBe('2034-06-05T16:00:00.000Z');
      // The workflow's timer moved with it: the one aimed at the old instant is cancelled, one runs to the new.
      await until('the timer aimed at the new due instant', async () => {
        const timers = await runningTimers(h);
        return timers.length === 1 && Math.abs(timers[0]! - Date.parse('2034-06-05T16:00:00.000Z')) < 5_000;
      });
      await h.terminate('test over');
    });
    await connection.close();
  });
});

/**
 * The instants the workflow's running timers fire at (started, neither fired nor cancelled), from its history: to
 * within the time between the workflow's clock and its task's completion.
 */
async function runningTimers(h: { fetchHistory(): Promise<temporal.api.history.v1.IHistory> }): Promise<number[]> {
  const running = new Map<string, number>();
  for (const e of (await h.fetchHistory()).events ?? []) {
    const started = e.timerStartedEventAttributes;
    if (started) running.set(started.timerId!, tsToMs(e.eventTime) + tsToMs(started.startToFireTimeout));
    const ended = e.timerFiredEventAttributes ?? e.timerCanceledEventAttributes;
    if (ended) running.delete(ended.timerId!);
  }
  return [...running.values()];
}

/** Runs `fn` with a worker of the clock-probe workflow (test/workflows/fixtures) on the real activities and database. */
async function withProbe(
  fn: (
    open: (
      ops: { kind: string; party: 'subject' | 'authority'; from: string; workingDays: number }[],
    ) => Promise<{ id: string; h: ReturnType<System['temporal']['workflow']['getHandle']> }>,
  ) => Promise<void>,
) {
  const bundle = await bundleWorkflowCode({
    workflowsPath: require.resolve('../workflows/fixtures/clock-probe.workflow'),
    logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error: console.error },
  });
  const connection = await NativeConnection.connect({ address: testEnv().temporalAddress });
  const taskQueue = `cal-${randomUUID()}`;
  const worker = await Worker.create({
    connection,
    taskQueue,
    workflowBundle: bundle,
    activities: createActivities({ db: sys.db }),
  });
  const started: { terminate(reason: string): Promise<unknown> }[] = [];
  try {
    await worker.runUntil(
      fn(async (ops) => {
        const caseId = `OBJ-20261201-${randomUUID().replace(/-/g, '').slice(0, 10).toUpperCase()}`;
        const h = await sys.temporal.workflow.start(clockProbeWorkflow, {
          taskQueue,
          workflowId: caseId,
          args: [caseId, 'T-CAL'],
        });
        started.push(h);
        for (const o of ops) {
          await h.executeUpdate(probeUpdate, {
            args: [
              {
                op: 'open',
                kind: o.kind,
                party: o.party,
                from: o.from,
                startsAt: TODAY.toISOString(),
                period: { unit: 'working_days', amount: o.workingDays },
              },
            ],
          });
        }
        return { id: caseId, h };
      }).finally(() => Promise.all(started.map((h) => h.terminate('test over').catch(() => undefined)))),
    );
  } finally {
    await connection.close();
  }
}

/** The deadline's registry row once `pred` holds for it. */
const recorded = (id: string, pred: (row: { dueDate: string; provisional: boolean }) => boolean) =>
  until(
    `deadline ${id} as expected`,
    async () => {
      const row = await sys.db.deadline.findUnique({ where: { id } });
      return row && pred(row) ? row : undefined;
    },
    20_000,
  );

describe('the year change', () => {
  const put = (year: number, payload: unknown, query = '', claims: Parameters<System['token']>[0] = SUPERVISOR) =>
    sys.app.inject({
      method: 'PUT',
      url: `/v1/calendar/years/${year}${query}`,
      headers: auth(claims),
      payload: payload as object,
    });

  it('refuses a schedule that cannot be the State Council’s notice, naming what it lacks, and changes nothing', async () => {
    // Every statutory day off of U but 劳动节 and 国庆节, and a source that names no notice.
    const festivals = statutoryFestivals(U);
    const daysOf = (name: string) => festivals.find((f) => f.name === name)!.days;
    const probe = {
      source: 'dry-run probe (not an official notice)',
      holidays: festivals.filter((f) => f.name !== '劳动节' && f.name !== '国庆节').flatMap((f) => f.days),
      workdays: [],
    };
    const from = `${U - 1}-12-28`;
    const before = (await get(`/v1/calendar/deadline?from=${from}&workingDays=5`)).json();
    for (const query of ['', '?dryRun=true']) {
      const res = await put(U, probe, query);
      expect(res.statusCode).toBe(422);
      const messages = res
        .json()
        .errors.map((e: { message: string }) => e.message)
        .join('\n');
      // A day another festival shares (中秋 on 10月3日 in 2028) is still off: only the others are missing.
      const missing = (name: string) =>
        daysOf(name)
          .filter((d) => !probe.holidays.includes(d))
          .join(', ');
      expect(messages).toContain(`劳动节 (${missing('劳动节')})`);
      expect(messages).toContain(`国庆节 (${missing('国庆节')})`);
      expect(messages).toMatch(/source: must name the notice/);
    }
    expect(await sys.db.calendarYear.findUnique({ where: { year: U } })).toBeNull();
    expect((await get(`/v1/calendar/deadline?from=${from}&workingDays=5`)).json()).toMatchObject({
      dueDate: before.dueDate,
      provisional: true,
    });
  });

  it('warns supervisors of the missing year from 1 November, as an escalation, while /readyz stays 200', async () => {
    const status = await get('/v1/calendar/status', SUPERVISOR);
    expect(status.statusCode).toBe(200);
    expect(status.json()).toMatchObject({ today: `${U - 1}-12-01`, publishedThrough: U - 1 });
    expect(status.json().missing).toEqual(
      expect.arrayContaining([{ year: U, provisionalDeadlines: expect.any(Number), warnFrom: `${U - 1}-11-01`, warning: true }]),
    );
    const escalations = (await get('/v1/escalations?limit=500', SUPERVISOR)).json().items;
    expect(escalations).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          id: `calendar:${U}:missing`,
          kind: 'calendar_missing',
          department: 'ZY-DRC',
          caseId: null,
        }),
      ]),
    );
    expect((await sys.app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
    expect((await get('/v1/calendar/status', { role: 'subject', sub: 'u-1', subjectId: '11010519491231002X' })).statusCode).toBe(403);
  });

  it('previews what loading a year moves without changing anything, then moves it: reliance for subjects, the official date for authorities', async () => {
    /*
     * 2036 has no notice: 国庆 10/1–3 (Wed–Fri), 中秋 10/4 (Sat) made up on Monday 10/6. The notice loaded here also gives
     * 10/7 off and works Sunday 9/28 and Saturday 10/11.
     * A subject 5 from Fri 9/26: provisional 9/29 9/30 10/7 10/8 10/9 → 10/9; official 9/28 9/29 9/30 10/8 10/9 → 10/9 (same).
     * B subject 3 from Sun 10/5: provisional 10/7 10/8 10/9 → 10/9; official 10/8 10/9 10/10 → 10/10, later: taken.
     * C authority 3 from Wed 10/8: provisional 10/9 10/10 10/13 → 10/13; official 10/9 10/10 Sat 10/11 → 10/11, earlier: taken.
     * D subject, as C: official 10/11 is earlier than the 10/13 it was told: kept (信赖保护).
     */
    const body = notice(2036, ['2036-10-06', '2036-10-07'], ['2036-09-28', '2036-10-11']);
    const status2036 = async () =>
      (await get('/v1/calendar/status', SUPERVISOR)).json().missing.find((m: { year: number }) => m.year === 2036);
    // Listed only once a provisional deadline counts on it.
    const provisionalBefore = ((await status2036())?.provisionalDeadlines ?? 0) as number;
    await withProbe(async (open) => {
      const c = await open([
        { kind: 'a_window', party: 'subject', from: '2036-09-26', workingDays: 5 },
        { kind: 'b_window', party: 'subject', from: '2036-10-05', workingDays: 3 },
        { kind: 'c_period', party: 'authority', from: '2036-10-08', workingDays: 3 },
        { kind: 'd_window', party: 'subject', from: '2036-10-08', workingDays: 3 },
      ]);
      const id = (k: string) => `${c.id}:${k}`;
      for (const [k, due] of [
        ['a_window', '2036-10-09'],
        ['b_window', '2036-10-09'],
        ['c_period', '2036-10-13'],
        ['d_window', '2036-10-13'],
      ] as const) {
        await recorded(id(k), (r) => r.dueDate === due && r.provisional);
      }
      // The four deadlines of this case count among the provisional ones of 2036 (others of the shared database may too).
      expect(await status2036()).toEqual({
        year: 2036,
        provisionalDeadlines: provisionalBefore + 4,
        warnFrom: '2035-11-01',
        warning: false,
      });

      const preview = await put(2036, body, '?dryRun=true');
      expect(preview.statusCode).toBe(200);
      const mine = preview.json().moved.filter((m: { caseId: string }) => m.caseId === c.id);
      expect(mine).toEqual([
        {
          deadlineId: id('b_window'),
          caseId: c.id,
          kind: 'b_window',
          party: 'subject',
          from: '2036-10-09',
          to: '2036-10-10',
          rule: 'official',
        },
        {
          deadlineId: id('c_period'),
          caseId: c.id,
          kind: 'c_period',
          party: 'authority',
          from: '2036-10-13',
          to: '2036-10-11',
          rule: 'official',
        },
        {
          deadlineId: id('d_window'),
          caseId: c.id,
          kind: 'd_window',
          party: 'subject',
          from: '2036-10-13',
          to: '2036-10-13',
          rule: 'reliance',
        },
      ]);
      expect(preview.json()).toMatchObject({ dryRun: true, year: 2036 });
      expect(await sys.db.calendarYear.findUnique({ where: { year: 2036 } })).toBeNull();
      expect((await sys.db.deadline.findUniqueOrThrow({ where: { id: id('b_window') } })).dueDate).toBe('2036-10-09');

      const loaded = await applySetting(sys, { method: 'PUT', url: '/v1/calendar/years/2036', payload: body });
      // The proposal previews exactly what the dry run answered; approval moves them.
      expect(loaded.proposed.json().preview.moved.filter((m: { caseId: string }) => m.caseId === c.id)).toEqual(mine);
      expect(loaded.result).toMatchObject({ dryRun: false, changed: true, year: 2036 });
      expect(loaded.result.moved.filter((m: { caseId: string }) => m.caseId === c.id)).toEqual(mine);
      expect(await recorded(id('a_window'), (r) => !r.provisional)).toMatchObject({ dueDate: '2036-10-09' });
      expect(await recorded(id('b_window'), (r) => !r.provisional)).toMatchObject({ dueDate: '2036-10-10' });
      expect(await recorded(id('c_period'), (r) => !r.provisional)).toMatchObject({ dueDate: '2036-10-11' });
      const d = await recorded(id('d_window'), (r) => !r.provisional);
      expect(d).toMatchObject({ dueDate: '2036-10-13' });
      expect((d as unknown as { explanation: string[] }).explanation.join('')).toContain('信赖保护');
      expect((await get('/v1/calendar/status', SUPERVISOR)).json().missing.map((m: { year: number }) => m.year)).not.toContain(2036);
    });
  });
});

describe('policy', () => {
  it('resolves the defaults, applies a department override to new cases only, and refuses officers', async () => {
    // ZY-TRANSPORT's listing policy is this test's own: no other test opens a listing there.
    const base = (await get('/v1/policy?procedure=listing&department=ZY-TRANSPORT')).json();
    expect(base.statement_window).toMatchObject({ unit: 'working_days', amount: 5 });
    const override = {
      procedure: 'listing',
      department: 'ZY-TRANSPORT',
      source: '《张掖市交通运输局行政处罚程序规定》（测试用）',
      values: { statement_window: { amount: 7 } },
    };
    expect(
      (await sys.app.inject({ method: 'POST', url: '/v1/policy/overrides', headers: auth(OFFICER), payload: override })).statusCode,
    ).toBe(403);
    // A case opened before the override, and one opened after it, both served now in person.
    const transport = { role: 'officer', sub: 'officer-transport-1', dept: 'ZY-TRANSPORT' } as const;
    const openCase = async () => {
      const res = await sys.app.inject({ method: 'POST', url: '/v1/cases', headers: auth(transport), payload: listingBody() });
      expect(res.statusCode).toBe(201);
      return res.json().id as string;
    };
    const servedWindow = async (id: string, servedAt: string) => {
      await settledCase(sys, id, 'opened');
      const res = await sys.app.inject({
        method: 'POST',
        url: `/v1/cases/${id}/actions/serve_notice`,
        headers: auth(transport),
        payload: { servedAt, method: 'in_person' },
      });
      expect(res.statusCode).toBe(200);
      return res.json().deadlines.find((d: { kind: string }) => d.kind === 'statement_window').dueDate as string;
    };
    const existing = await openCase();
    const lastOverride = (await sys.db.policyOverride.aggregate({ _max: { id: true } }))._max.id ?? 0n;
    await applySetting(sys, { method: 'POST', url: '/v1/policy/overrides', payload: override });
    // The override is this test's alone: later files find ZY-TRANSPORT on the defaults.
    afterAllCleanups.push(() => sys.db.policyOverride.deleteMany({ where: { id: { gt: lastOverride }, department: 'ZY-TRANSPORT' } }));
    const fresh = await openCase();
    const servedAt = new Date().toISOString();
    const servedOn = shanghaiToday();
    const schedules = await Promise.all(
      [...new Set([servedOn, shanghaiToday(30)].map((d) => Number(d.slice(0, 4))))].map((y) => scheduleOf(sys.db, y)),
    );
    // The case opened before keeps the policy it started with; the new one takes the department's override.
    expect(await servedWindow(existing, servedAt)).toBe(countWorkingDays(servedOn, 5, schedules));
    expect(await servedWindow(fresh, servedAt)).toBe(countWorkingDays(servedOn, 7, schedules));
    const after = (await get('/v1/policy?procedure=listing&department=ZY-TRANSPORT')).json();
    expect(after.statement_window).toMatchObject({
      amount: 7,
      overriddenBy: [expect.stringContaining('ZY-TRANSPORT')],
    });
    expect((await get('/v1/policy?procedure=listing&department=ZY-COURT')).json().statement_window.amount).toBe(5);
    expect((await get('/v1/policy?procedure=objection&department=ZY-TRANSPORT')).json().statement_window.amount).toBe(5);
    const bad = await sys.app.inject({
      method: 'POST',
      url: '/v1/policy/overrides',
      headers: auth(SUPERVISOR),
      payload: { values: { nonsense: { amount: 1 } } },
    });
    expect(bad.statusCode).toBe(400);
  });

  it('shows every entry with its source and confidence, citing the rules in force on the date asked', async () => {
    const now = (await get('/v1/policy?procedure=repair&department=T-SRC')).json();
    expect(now.repair_decide).toMatchObject({ confidence: 'unverified', source: expect.stringContaining('令第36号') });
    expect(now.hearing_notice).toMatchObject({ confidence: 'text', source: expect.stringContaining('第六十四条') });
    for (const [key, e] of Object.entries<{ source: string; confidence: string }>(now)) {
      expect({ key, ok: e.source.length > 0 && ['text', 'practice', 'unverified'].includes(e.confidence) }).toEqual({
        key,
        ok: true,
      });
    }
    const before = (await get('/v1/policy?procedure=repair&department=T-SRC&on=2026-03-01')).json();
    expect(before.repair_decide.source).toContain('第58号');
    expect((await get('/v1/policy?procedure=repair&department=T-SRC&on=2026-02-30')).statusCode).toBe(400);
  });
});

describe('the calendar watch', () => {
  it('is started by a worker (ensureCalendarWatch, as worker.ts calls it) once: another worker joins it, and it checks the calendar', async () => {
    const h = sys.temporal.workflow.getHandle(CALENDAR_WATCH_ID);
    // One watch per namespace: one a worker of another test file left running would stand in for this file's.
    await h.terminate('test: a watch of this file').catch(() => undefined);
    await ensureCalendarWatch(sys.temporal, sys.taskQueue);
    try {
      const first = await h.describe();
      expect(first).toMatchObject({ type: 'calendarWatchWorkflow', taskQueue: sys.taskQueue, status: { name: 'RUNNING' } });
      await ensureCalendarWatch(sys.temporal, sys.taskQueue);
      const again = await h.describe();
      expect(again.runId).toBe(first.runId);
      // Its first daily check ran on this file's worker.
      await until('the watch’s first check', async () =>
        ((await h.fetchHistory()).events ?? []).some((e) => e.markerRecordedEventAttributes || e.activityTaskCompletedEventAttributes),
      );
    } finally {
      await h.terminate('test over').catch(() => undefined);
    }
  });
});
