import { addDays, builtInSchedules, statutorySchedule, type YearSchedule } from '../../domain/calendar';
import { addMonthsClamped } from '../../domain/calendar/dates';
import { shanghaiDate } from '../../workflows/common/dates';
import type { Db } from '../../db/client';
import { calendarYearRow } from '../../db/calendar-store';

/*
 * The calendar a test runs on, whatever the day it runs.
 *
 * A deployment keeps its calendar current: each November a supervisor loads the next year's notice. The test
 * database does the same in global setup: every year from the last notice this build ships through the year of
 * `today + TEST_CALENDAR_LEAD_DAYS` that has no schedule gets a stand-in (the statutory days off of
 * 《全国年节及纪念日放假办法》 with its 补假, no make-up workdays), labelled as a test schedule and never shipped.
 * So a test that serves a notice at the real now gets an official, non-provisional window on any day, and a test
 * that needs "a year without a published schedule" takes the first year after the last one loaded
 * (`firstUnpublishedYear`), which moves on with the clock and with every notice a later build ships.
 */

/** How far ahead of today the test calendar reaches: past any working-day window a test opens at the real now. */
export const TEST_CALENDAR_LEAD_DAYS = 45;

/** A stand-in for a year's notice in tests: the statutory days off, marked as what it is. */
export function testSchedule(year: number): YearSchedule {
  const s = statutorySchedule(year);
  return {
    ...s,
    source: `测试用放假安排：${year}年按《全国年节及纪念日放假办法》法定节假日推定（非国务院办公厅通知）`,
    version: `${year}-test-statutory`,
  };
}

/** Today in Asia/Shanghai, `offsetDays` from now. */
export function shanghaiToday(offsetDays = 0, now: number = Date.now()): string {
  return addDays(shanghaiDate(new Date(now)), offsetDays);
}

/** The last year whose schedule the test calendar holds on the day `now`. */
export function testCalendarLastYear(now: number = Date.now()): number {
  const lastBuiltIn = Math.max(...builtInSchedules().map((s) => s.year));
  return Math.max(lastBuiltIn, Number(shanghaiToday(TEST_CALENDAR_LEAD_DAYS, now).slice(0, 4)));
}

/** The schedules the test calendar holds on the day `now`: the shipped notices, then stand-ins. */
export function testCalendarSchedules(now: number = Date.now()): YearSchedule[] {
  const shipped = builtInSchedules();
  const have = new Set(shipped.map((s) => s.year));
  const extra: YearSchedule[] = [];
  for (let y = Math.min(...have); y <= testCalendarLastYear(now); y++) if (!have.has(y)) extra.push(testSchedule(y));
  return [...shipped, ...extra];
}

/** Loads the stand-in years the database lacks (global setup); never replaces a loaded year. */
export async function seedTestCalendar(db: Db, now: number = Date.now()): Promise<number[]> {
  const loaded = new Set((await db.calendarYear.findMany({ select: { year: true } })).map((r) => r.year));
  const added: number[] = [];
  for (const s of testCalendarSchedules(now)) {
    if (loaded.has(s.year)) continue;
    await db.calendarYear.create({ data: calendarYearRow(s, 'test-setup') });
    added.push(s.year);
  }
  return added;
}

/**
 * The first year after the run of loaded years that holds today (tests load far years such as 2032 of their own,
 * which leave a gap before them).
 */
export async function firstUnpublishedYear(db: Db, now: number = Date.now()): Promise<number> {
  const loaded = new Set((await db.calendarYear.findMany({ select: { year: true } })).map((r) => r.year));
  let y = Number(shanghaiToday(0, now).slice(0, 4));
  while (loaded.has(y)) y++;
  return y;
}

/**
 * A listing decision served `daysAgo` days ago (at 10:00 Shanghai), its document issued two days before, and the
 * listing period of `years` that runs from it to its calendar date: an import that is still listed on any day
 * the suite runs while `daysAgo` is under the period.
 */
export function decisionServedDaysAgo(daysAgo: number, years = 3) {
  const served = shanghaiToday(-daysAgo);
  return {
    issuedOn: shanghaiToday(-daysAgo - 2),
    decisionServedAt: `${served}T10:00:00+08:00`,
    listedFrom: served,
    listedUntil: addMonthsClamped(served, years * 12).date,
  };
}
