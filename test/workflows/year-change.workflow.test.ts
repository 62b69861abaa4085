import assert from 'node:assert';
import type { WorkflowHandle } from '@temporalio/client';
import { addDays, CalendarRangeError, defaultPolicy, StatutoryCalendar, statutorySchedule, type YearSchedule } from '../../domain/calendar';
import { datesBetween, isWeekend } from '../../domain/calendar/dates';
import { calendarChangedSignal, getCaseQuery } from '../../workflows/common/definitions';
import type { Actor, CaseView, DeadlineView } from '../../workflows/common/case-types';
import type { RepairTarget } from '../../workflows/repair/definitions';
import { listingWorkflowInput, randomUscc } from '../support/fixtures';
import { claimedRepairInput, markedPenaltyRow, objectionWorkflowInput } from '../support/filings';
import { caseIdFor, DAY, useTimeSkipping, type Start } from '../support/time-skipping';
import { testCalendarSchedules } from '../support/test-calendar';
import { countWorkingDays, zhDate } from '../support/working-days';
import { until as poll } from '../support/until';

/*
 * The year change (issue 12) on Temporal's time-skipping server. The activities' calendar holds every year through
 * Y (the shipped notices, then the test stand-ins of test/support/test-calendar.ts) and nothing of Y + 1, as in a
 * December whose next notice is not out. Y is the first year whose 28 December the server's clock has not reached
 * and whose first days of January let the scenarios below happen (a weekend day before the second working day of
 * Y + 1), so the file runs the same on any day and with any notice shipped; the clock is moved forward to the days
 * that matter (28 December, New Year's Eve, the due day in January). Every expected date is counted by the
 * day-by-day oracle of test/support/working-days.ts on the same schedules.
 * Two synthetic notices of Y + 1 stand for what the State Council might publish (tests only; none is shipped):
 * BRIDGING gives the provisional last day of the statement window off (later dates), WORKS_WEEKEND makes a weekend
 * day of early January a working day (earlier dates).
 */
const ts = useTimeSkipping({ historyName: 'year-change', maxHistoryEvents: 200 });
const { now, iso, doAction, passDue, settled } = ts;

interface YearChange {
  /** The last published year, and its successor whose notice is not out. */
  Y: number;
  next: number;
  published: YearSchedule[];
  /** The statement window of a notice served on 28 December of Y, provisionally; the objection_forward period from 31 December. */
  window: string;
  forward: string;
  bridging: YearSchedule;
  worksWeekend: YearSchedule;
  /** The make-up working day WORKS_WEEKEND gives. */
  workedDay: string;
}
let yc: YearChange;

/** The first year that can stand for "this December" on the server's clock, with every date the tests expect of it. */
function yearChangeFrom(nowMs: number): YearChange {
  for (let Y = new Date(nowMs + 8 * 3_600_000).getUTCFullYear(); ; Y++) {
    if (Date.parse(`${Y}-12-28T02:00:00.000Z`) < nowMs + DAY) continue;
    const next = Y + 1;
    const published = testCalendarSchedules(Date.parse(`${Y}-07-01T00:00:00.000Z`)).filter((s) => s.year <= Y);
    const provisionalNext = statutorySchedule(next);
    const window = countWorkingDays(`${Y}-12-28`, 5, [...published, provisionalNext]);
    const forward = countWorkingDays(`${Y}-12-31`, 2, [...published, provisionalNext]);
    const off = new Set(provisionalNext.holidays);
    const workedDay = datesBetween(`${next}-01-01`, forward).find((d) => isWeekend(d) && !off.has(d) && d < forward && d < window);
    if (!workedDay) continue;
    const source = `国务院办公厅关于${next}年部分节假日安排的通知（测试用）`;
    return {
      Y,
      next,
      published,
      window,
      forward,
      workedDay,
      bridging: {
        year: next,
        source,
        version: `${next}-test-bridging`,
        holidays: [...new Set([...provisionalNext.holidays, window])].sort(),
        workdays: [],
      },
      worksWeekend: {
        year: next,
        source,
        version: `${next}-test-weekend`,
        holidays: provisionalNext.holidays,
        workdays: [workedDay],
      },
    };
  }
}
beforeAll(async () => {
  yc = yearChangeFrom(await now());
});

/** What the activities' calendar holds: the years through Y, Y + 1 once a test "loads" it, or nothing computable at all. */
let loadedNext: YearSchedule | undefined;
let unusable = false;
class NothingComputable extends StatutoryCalendar {
  override addWorkingDays(): never {
    throw new CalendarRangeError(2200, 2008, 2199);
  }
}
const calendar = () =>
  Promise.resolve(unusable ? new NothingComputable([]) : new StatutoryCalendar(loadedNext ? [...yc.published, loadedNext] : yc.published));
const withWorker = (fn: (start: Start) => Promise<void>) => ts.withWorker(fn, { calendar });
beforeEach(() => {
  loadedNext = undefined;
  unusable = false;
});
/** The version the calendar gives a period that counted days of Y and of Y + 1 (on `nextVersion`). */
const versionAcross = (nextVersion: string) => `${yc.published.find((s) => s.year === yc.Y)!.version}+${nextVersion}`;

const OFFICER: Actor = { id: 'officer-1', role: 'officer', department: 'ZY-SAMR' };
const SUBJECT: Actor = { id: 'company', role: 'subject' };
const SUPERVISOR: Actor = { id: 'supervisor-1', role: 'supervisor', department: 'ZY-DRC' };
const deadline = (v: CaseView, kind: string): DeadlineView => v.deadlines.filter((d) => d.kind === kind).pop()!;

/** Moves the test server's clock forward to `at` (never back: the suite may run later than the dates it names). */
async function clockTo(at: string): Promise<void> {
  const ms = Date.parse(at) - (await now());
  if (ms > 0) await ts.env.sleep(ms);
}

/** The year's notice is loaded: the activities see it, and the case is told as PUT /v1/calendar/years tells it. */
async function load(h: WorkflowHandle, s: YearSchedule): Promise<void> {
  loadedNext = s;
  await h.signal(calendarChangedSignal, { year: s.year, version: s.version, loadedAt: await iso() });
}

/** What `pick` finds in the case as its workflow holds it, once it finds something. */
const until = <T>(h: WorkflowHandle, pick: (v: CaseView) => T | undefined, what: string): Promise<T> =>
  poll(`${h.workflowId}: ${what}`, async () => pick(await h.query(getCaseQuery)));

/** The deadline's registry row once it carries `dueDate`. */
const recordedDeadline = (id: string, dueDate: string) =>
  poll(`deadline ${id} recorded with ${dueDate}`, async () => {
    const row = await ts.db.deadline.findUnique({ where: { id } });
    return row?.dueDate === dueDate ? row : undefined;
  });

async function openListing(start: Start): Promise<WorkflowHandle> {
  const caseId = caseIdFor('LST');
  return start('listingWorkflow', caseId, listingWorkflowInput(caseId, await iso(), OFFICER));
}

async function servedListing(start: Start): Promise<{ h: WorkflowHandle; window: DeadlineView }> {
  const servedAt = `${yc.Y}-12-28T02:00:00.000Z`;
  await clockTo(servedAt);
  const h = await openListing(start);
  const served = await doAction(h, OFFICER, 'serve_notice', { servedAt, method: 'in_person' });
  return { h, window: deadline(served, 'statement_window') };
}

async function fileObjection(start: Start): Promise<WorkflowHandle> {
  await clockTo(`${yc.Y}-12-31T03:00:00.000Z`);
  const caseId = caseIdFor('OBJ');
  const at = await iso();
  const subject = { kind: 'legal_person' as const, id: randomUscc(), name: '张掖市某某商贸有限公司' };
  const record = await ts.db.creditRecord.create({
    data: markedPenaltyRow({ id: `REC-20261231-${caseId.slice(-10)}`, subject, caseId, at, createdBy: OFFICER.id }),
  });
  const input = objectionWorkflowInput({ caseId, at, subject, row: record, filedBy: SUBJECT });
  return start('objectionWorkflow', caseId, input);
}

describe('a statement window served on 28 December with the next year not published', () => {
  it('is provisional on the statutory holidays, says so on the notice, and is extended when the notice gives a later date', async () => {
    await withWorker(async (start) => {
      const { h, window } = await servedListing(start);
      expect(window).toMatchObject({
        party: 'subject',
        status: 'open',
        dueDate: yc.window,
        dueAt: `${addDays(yc.window, 1)}T00:00:00+08:00`,
        provisional: true,
        calendarVersion: versionAcross(`${yc.next}-statutory-provisional`),
      });
      expect(window.explanation.join('')).toMatch(
        new RegExp(`${yc.next}年的节假日安排尚未公布.*暂按《全国年节及纪念日放假办法》规定的法定节假日计算`),
      );
      const notice = await ts.db.document.findFirstOrThrow({
        where: { caseId: h.workflowId, kind: 'pre_listing_notice' },
      });
      expect(notice.html.replace(/<[^>]+>/g, '')).toContain(
        `应当自本告知书送达之日起5个工作日内（暂按法定节假日计算，截至${zhDate(yc.window)}24时`,
      );

      await load(h, yc.bridging);
      const later = countWorkingDays(`${yc.Y}-12-28`, 5, [...yc.published, yc.bridging]);
      expect(later > yc.window).toBe(true);
      const moved = await until(
        h,
        (v) => (deadline(v, 'statement_window').dueDate !== yc.window ? deadline(v, 'statement_window') : undefined),
        'the recompute',
      );
      expect(moved).toMatchObject({
        status: 'open',
        dueDate: later,
        provisional: false,
        calendarVersion: versionAcross(yc.bridging.version),
      });
      expect(moved.explanation.join('')).toContain(`原届满日期为${zhDate(yc.window)}`);
      expect(await recordedDeadline(moved.id, later)).toMatchObject({ provisional: false });
    });
  });

  it('keeps the date the subject was told when the notice would make it earlier (信赖保护)', async () => {
    await withWorker(async (start) => {
      const { h, window } = await servedListing(start);
      expect(window.dueDate).toBe(yc.window);
      await load(h, yc.worksWeekend);
      const official = countWorkingDays(`${yc.Y}-12-28`, 5, [...yc.published, yc.worksWeekend]);
      expect(official < yc.window).toBe(true);
      const kept = await until(
        h,
        (v) => (!deadline(v, 'statement_window').provisional ? deadline(v, 'statement_window') : undefined),
        'the recompute',
      );
      // Officially the worked weekend day counts and the window would end earlier: but the subject keeps the day told.
      expect(kept).toMatchObject({
        status: 'open',
        dueDate: yc.window,
        dueAt: `${addDays(yc.window, 1)}T00:00:00+08:00`,
        provisional: false,
        calendarVersion: versionAcross(yc.worksWeekend.version),
      });
      expect(kept.explanation.join('')).toContain(
        `信赖保护：已告知当事人的届满日期为${zhDate(yc.window)}，晚于按正式放假安排计算的${zhDate(official)}`,
      );
      expect(await recordedDeadline(kept.id, yc.window)).toMatchObject({
        provisional: false,
        calendarVersion: versionAcross(yc.worksWeekend.version),
      });
      await ts.keepHistory(h, 'listing-window-kept-by-reliance');
    });
  });
});

describe('filed on New Year’s Eve with the next year not published', () => {
  it('an objection opens normally with provisional deadlines; an authority period then takes the earlier official date', async () => {
    await withWorker(async (start) => {
      const h = await fileObjection(start);
      const opened = await ts.opened(h);
      expect(opened.state).toBe('submitted');
      expect(deadline(opened, 'objection_mark')).toMatchObject({ status: 'met', party: 'authority' });
      expect(deadline(opened, 'objection_forward')).toMatchObject({
        status: 'open',
        dueDate: yc.forward,
        provisional: true,
      });
      expect((await h.describe()).status.name).toBe('RUNNING');
      await settled(h.workflowId, 'submitted');

      await load(h, yc.worksWeekend);
      // Officially the worked weekend day counts: the agency's period is the official one, earlier.
      const official = countWorkingDays(`${yc.Y}-12-31`, 2, [...yc.published, yc.worksWeekend]);
      expect(official < yc.forward).toBe(true);
      const moved = await until(
        h,
        (v) => (deadline(v, 'objection_forward').dueDate === official ? deadline(v, 'objection_forward') : undefined),
        'the recompute',
      );
      expect(moved).toMatchObject({ status: 'open', provisional: false });
    });
  });

  it('a repair application opens normally with a provisional acceptance period', async () => {
    await withWorker(async (start) => {
      await clockTo(`${yc.Y}-12-31T03:00:00.000Z`);
      const s = { kind: 'legal_person' as const, id: randomUscc(), name: '张掖市某某餐饮有限公司' };
      const caseId = caseIdFor('REP');
      const recordId = caseId.replace('REP-', 'REC-');
      await ts.db.creditRecord.create({
        data: {
          id: recordId,
          subjectKind: s.kind,
          subjectId: s.id,
          subjectName: s.name,
          category: 'dishonesty',
          type: 'administrative_penalty',
          content: '未按规定公示年度报告，被处罚款。',
          documentNumber: '张市监罚〔2026〕21号',
          decidedOn: '2026-01-05',
          severity: 'general',
          department: 'ZY-SAMR',
          createdBy: OFFICER.id,
          status: 'active',
          publicUntil: '2099-01-05',
          publicMinUntil: '2026-04-05',
          publicity: { basis: 'test', explanation: [] },
          createdAt: new Date(),
          updatedAt: new Date(),
        },
      });
      const target: RepairTarget = {
        kind: 'record',
        recordId,
        type: 'administrative_penalty',
        category: 'dishonesty',
        severity: 'general',
        documentNumber: '张市监罚〔2026〕21号',
        decidedOn: '2026-01-05',
        publicMinUntil: '2026-04-05',
        publicUntil: '2099-01-05',
        department: 'ZY-SAMR',
      };
      const openedAt = await iso();
      const input = await claimedRepairInput(ts.db, {
        caseId,
        subject: s,
        target,
        signedOn: `${yc.Y}-12-31`,
        filedBy: SUBJECT,
        openedAt,
        policy: defaultPolicy(),
      });
      const h = await start('repairWorkflow', caseId, input);
      const opened = await ts.opened(h);
      expect(opened.state).toBe('submitted');
      // Every day counted lies in the next year.
      const accept = countWorkingDays(`${yc.Y}-12-31`, 3, [...yc.published, statutorySchedule(yc.next)]);
      expect(deadline(opened, 'repair_accept')).toMatchObject({
        status: 'open',
        dueDate: accept,
        provisional: true,
        calendarVersion: `${yc.next}-statutory-provisional`,
      });
      expect((await h.describe()).status.name).toBe('RUNNING');
    });
  });

  it('a period the calendar cannot give at all leaves the case open, blocked and escalated, and it resumes when the cause is fixed', async () => {
    await withWorker(async (start) => {
      unusable = true;
      const h = await fileObjection(start);
      const blocked = await ts.opened(h);
      expect(blocked.timeline.map((t) => t.action)).toEqual(['deadline_blocked']);
      expect(blocked.details.blocked).toMatchObject({
        kind: 'objection_mark',
        reason: expect.stringContaining('2200'),
      });
      expect(blocked.deadlines).toEqual([]);
      expect((await h.describe()).status.name).toBe('RUNNING');
      const row = await ts.db.escalation.findUnique({ where: { id: `${h.workflowId}:objection_mark:blocked` } });
      expect(row).toMatchObject({ kind: 'blocked', caseId: h.workflowId, department: 'ZY-DRC' });
      expect(await ts.db.case.findUnique({ where: { id: h.workflowId } })).toMatchObject({
        state: 'submitted',
        closed: false,
      });

      unusable = false;
      await h.signal(calendarChangedSignal, { year: yc.next, version: 'fixed', loadedAt: await iso() });
      const open = await until(h, (v) => (v.timeline.some((t) => t.action === 'open') ? v : undefined), 'the opening');
      expect(open.timeline.map((t) => t.action)).toEqual(['deadline_blocked', 'deadline_unblocked', 'open']);
      expect(open.details.blocked).toBeUndefined();
      expect(deadline(open, 'objection_forward')).toMatchObject({
        status: 'open',
        dueDate: yc.forward,
        provisional: true,
      });
      await ts.keepHistory(h, 'objection-blocked-resumed');
    });
  });
});

describe('loaded after the official date has passed', () => {
  it('an authority period falls due at the end of the loading day, not breached after the fact, then breaches there', async () => {
    await withWorker(async (start) => {
      const h = await fileObjection(start);
      expect(deadline(await ts.opened(h), 'objection_forward').dueDate).toBe(yc.forward);
      // 10:00 on the provisional due day: the official date, a day the notice makes earlier, is already over.
      const official = countWorkingDays(`${yc.Y}-12-31`, 2, [...yc.published, yc.worksWeekend]);
      await clockTo(`${yc.forward}T02:00:00.000Z`);
      await load(h, yc.worksWeekend);
      const moved = await until(
        h,
        (v) => (!deadline(v, 'objection_forward').provisional ? deadline(v, 'objection_forward') : undefined),
        'the recompute',
      );
      expect(moved).toMatchObject({
        status: 'open',
        dueDate: yc.forward,
        dueAt: `${addDays(yc.forward, 1)}T00:00:00+08:00`,
      });
      expect(moved.explanation.join('')).toContain(
        `期间应于${zhDate(official)}届满，早于放假安排载入之日${zhDate(yc.forward)}；不溯及认定逾期`,
      );
      const breached = await passDue(h, moved.dueAt, (v) => deadline(v, 'objection_forward').status === 'breached');
      expect(deadline(breached, 'objection_forward').closedAt! >= `${yc.forward}T16:00:00`).toBe(true);
    });
  });
});

describe('a statement window that lapsed on a provisional date the notice then ends later', () => {
  // These run after the clock has passed the provisional last day (the tests above): a notice served on 28 December
  // lapses at once, and the later official day is still to come.
  /** Served on 28 December, lapsed on its provisional last day (the case moves to review), and proposed for listing. */
  async function lapsedAndProposed(start: Start): Promise<WorkflowHandle> {
    const { h, window } = await servedListing(start);
    const lapsed = await passDue(h, window.dueAt, (v) => v.state === 'under_review');
    expect(deadline(lapsed, 'statement_window')).toMatchObject({ status: 'lapsed', provisional: true });
    await doAction(h, OFFICER, 'propose_decision', { outcome: 'list', reasons: '情节严重', measures: ['N-01'] });
    return h;
  }
  const reopening = (h: WorkflowHandle) =>
    until(h, (v) => (v.timeline.some((t) => t.action === 'statement_window_reopened') ? v : undefined), 'the reopening');

  it('reopens to the official day, tells the subject, and holds the pending proposal until the subject has spoken', async () => {
    await withWorker(async (start) => {
      const h = await lapsedAndProposed(start);
      await load(h, yc.bridging);
      const later = countWorkingDays(`${yc.Y}-12-28`, 5, [...yc.published, yc.bridging]);
      const reopened = await reopening(h);
      expect(reopened.state).toBe('awaiting_approval');
      expect(deadline(reopened, 'statement_window')).toMatchObject({
        status: 'open',
        dueDate: later,
        provisional: false,
        reopened: { previousDueDate: yc.window },
      });
      expect(deadline(reopened, 'statement_window').explanation.join('')).toContain(`原按法定节假日暂定于${zhDate(yc.window)}届满并已期满`);
      expect(reopened.allowedActions).toEqual(['submit_statement']);
      await ts.refused(doAction(h, SUPERVISOR, 'approve_decision', { comment: '同意' }), /statement window reopened until/);

      // The subject is told, electronically, until when the window runs and that the decision waits.
      const notice = await ts.db.document.findFirstOrThrow({
        where: { caseId: h.workflowId, kind: 'window_reopened_notice' },
      });
      expect(notice.servedTo).toBe(reopened.subject.id);
      const text = notice.html.replace(/<[^>]+>/g, '');
      expect(text).toContain(`截至${zhDate(yc.window)}24时`);
      expect(text).toContain(`可以在${zhDate(later)}24时前`);
      expect(text).toContain('不作出或送达认定决定');

      // A statement in the reopened window goes to the approver with the proposal.
      const stated = await doAction(h, SUBJECT, 'submit_statement', {
        text: '我公司已于期限内整改完毕',
        requestHearing: false,
      });
      expect(stated).toMatchObject({
        state: 'awaiting_approval',
        allowedActions: ['approve_decision', 'reject_decision'],
        details: { statement: { text: '我公司已于期限内整改完毕' } },
      });
      expect(deadline(stated, 'statement_window').status).toBe('met');
      expect((await doAction(h, SUPERVISOR, 'approve_decision', { comment: '已审查陈述申辩，同意' })).state).toBe('decided');
      await ts.keepHistory(h, 'listing-window-reopened');
    });
  });

  it('sends a decision approved but not served back to review when the subject speaks', async () => {
    await withWorker(async (start) => {
      const h = await lapsedAndProposed(start);
      await doAction(h, SUPERVISOR, 'approve_decision', { comment: '同意' });
      await load(h, yc.bridging);
      const reopened = await reopening(h);
      expect(reopened).toMatchObject({ state: 'decided', allowedActions: ['submit_statement'] });
      await ts.refused(doAction(h, OFFICER, 'serve_decision', { servedAt: await iso(), method: 'in_person' }), /decision waits/);
      const stated = await doAction(h, SUBJECT, 'submit_statement', {
        text: '对认定事实有异议',
        requestHearing: false,
      });
      expect(stated).toMatchObject({ state: 'under_review', allowedActions: ['propose_decision'] });
      assert(stated.procedure === 'listing');
      expect(stated.details.rejections).toEqual([
        expect.objectContaining({ by: 'system', comment: expect.stringContaining('尚未送达的认定决定撤回') }),
      ]);
    });
  });

  it('lets a reopened window left unused lapse again, and the decision proceeds', async () => {
    await withWorker(async (start) => {
      const h = await lapsedAndProposed(start);
      await load(h, yc.bridging);
      const w = deadline(await reopening(h), 'statement_window');
      const lapsedAgain = await passDue(h, w.dueAt, (v) => deadline(v, 'statement_window').status === 'lapsed');
      expect(lapsedAgain).toMatchObject({
        state: 'awaiting_approval',
        allowedActions: ['approve_decision', 'reject_decision'],
      });
    });
  });

  it('stays closed when the official day is no later (a notice that works a weekend day)', async () => {
    await withWorker(async (start) => {
      const h = await lapsedAndProposed(start);
      await load(h, yc.worksWeekend);
      // The workflow has counted the window officially once the signal is followed by the calendar's answer (a marker).
      await poll('the official count after the signal', async () => {
        const events = (await h.fetchHistory()).events ?? [];
        const signalled = events.map((e) => Boolean(e.workflowExecutionSignaledEventAttributes)).lastIndexOf(true);
        return signalled >= 0 && events.slice(signalled).some((e) => e.markerRecordedEventAttributes) ? true : undefined;
      });
      const v = await h.query(getCaseQuery);
      expect(deadline(v, 'statement_window').status).toBe('lapsed');
      expect(v.state).toBe('awaiting_approval');
      expect(v.timeline.map((t) => t.action)).not.toContain('statement_window_reopened');
    });
  });
});

describe('the calendar watch', () => {
  it('raises the missing-year warning on its first day and checks again every day', async () => {
    // A year whose notice is missing and whose warning is due: the clock moves on to 1 November before the first year
    // not loaded (unless it is past it), and no warning of it is left from elsewhere, so the watch has one to raise.
    const loadedYears = new Set((await ts.db.calendarYear.findMany({ select: { year: true } })).map((r) => r.year));
    let missing = Number(new Date((await now()) + 8 * 3_600_000).toISOString().slice(0, 4));
    while (loadedYears.has(missing)) missing++;
    await clockTo(`${missing - 1}-11-01T00:10:00+08:00`);
    await ts.db.escalation.deleteMany({ where: { id: { in: [missing - 1, missing, missing + 1].map((y) => `calendar:${y}:missing`) } } });
    await ts.withWorker(async (_start, taskQueue) => {
      // Started apart from the cases (it answers no case query), and ended here.
      const h = await ts.env.client.workflow.start('calendarWatchWorkflow', {
        taskQueue,
        workflowId: `calendar-watch-${caseIdFor('LST').slice(-10)}`,
        args: [],
      });
      // Ended here whatever happens: a workflow left running would stop the test server's clock for the next tests.
      try {
        const runs = async () =>
          ((await h.fetchHistory()).events ?? []).filter((e) => e.markerRecordedEventAttributes || e.activityTaskCompletedEventAttributes)
            .length;
        const end = Date.now() + 15_000;
        while ((await runs()) < 1 && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
        // This year and the next, where not loaded and past 1 November of the year before (2027 in this file's run).
        const today = new Date((await now()) + 8 * 3_600_000).toISOString().slice(0, 10);
        const thisYear = Number(today.slice(0, 4));
        const loaded = new Set((await ts.db.calendarYear.findMany({ select: { year: true } })).map((r) => r.year));
        const due = [thisYear, thisYear + 1].filter((y) => !loaded.has(y) && today >= `${y - 1}-11-01`);
        expect(due).toContain(missing);
        const rows = await ts.db.escalation.findMany({
          where: { id: { in: due.map((y) => `calendar:${y}:missing`) } },
        });
        expect(rows.map((r) => [r.kind, r.caseId, r.deadlineId, r.department])).toEqual(
          due.map(() => ['calendar_missing', null, null, 'ZY-DRC']),
        );
        const before = await runs();
        await ts.nudged(h, ts.env.sleep(86_400_000 + 10 * 60_000)); // past 00:05 of the next day, whenever today began
        const end2 = Date.now() + 15_000;
        while ((await runs()) <= before && Date.now() < end2) await new Promise((r) => setTimeout(r, 100));
        expect(await runs()).toBeGreaterThan(before);
      } finally {
        await h.terminate('test over');
      }
    });
  });
});

describe('after the year has begun', () => {
  it('a provisional window’s timer moves with its recomputed date', async () => {
    await withWorker(async (start) => {
      // Served in January of the year whose notice is not out (whatever day the clock has reached before).
      await clockTo(`${yc.next}-01-10T02:00:00.000Z`);
      const h = await openListing(start);
      const window = deadline(
        await doAction(h, OFFICER, 'serve_notice', { servedAt: await iso(), method: 'in_person' }),
        'statement_window',
      );
      expect(window.provisional).toBe(true);
      const year = Number(window.dueDate.slice(0, 4));
      // The notice makes the provisional last day a holiday: the window ends on the next working day.
      const off = window.dueDate;
      loadedNext = {
        year,
        source: `国务院办公厅关于${year}年部分节假日安排的通知（测试用）`,
        version: `${year}-test-off`,
        holidays: [...statutorySchedule(year).holidays, off],
        workdays: [],
      };
      await h.signal(calendarChangedSignal, { year, version: loadedNext.version, loadedAt: await iso() });
      const moved = await until(
        h,
        (v) => (deadline(v, 'statement_window').dueDate !== off ? deadline(v, 'statement_window') : undefined),
        'the recompute',
      );
      expect(moved.dueDate > off).toBe(true);

      // The old due instant passes with the window open; the new one lapses it.
      await passDue(h, window.dueAt, (v) => deadline(v, 'statement_window').status === 'open');
      const lapsed = await passDue(h, moved.dueAt, (v) => v.state === 'under_review');
      expect(deadline(lapsed, 'statement_window')).toMatchObject({ status: 'lapsed', dueDate: moved.dueDate });
    });
  });
});
