/**
 * Legal periods on the statutory calendar (DOMAIN.md "Deadlines: the rules that make them legal").
 *
 * - The triggering day is not counted; the period starts the next day (民法典 第二百零一条; 民事诉讼法
 *   第八十五条 "期间开始的时和日，不计算在期间内").
 * - Periods of "N days" in 行政处罚法 (第八十五条) and 行政复议法 are working days: weekends and statutory
 *   holidays are skipped, weekend make-up workdays (调休上班) count.
 * - A period that ends on a non-working day ends on the next working day (民事诉讼法 第八十五条:
 *   期间届满的最后一日是法定休假日的，以法定休假日后的第一日为期间届满的日期; 民法典 第二百零三条).
 * - A period ends at 24:00 Asia/Shanghai (民法典 第二百零三条第二款).
 *
 * Pure and deterministic: no clock, no I/O, no host timezone.
 */
import type { CalendarPeriod, DayKind, DeadlineOptions, DeadlineResult, PeriodSpec } from './types';
import type { YearSchedule } from './schedule';
import { validateSchedule } from './schedule';
import { CalendarRangeError } from './errors';
import { inStatutoryRange, statutorySchedule, STATUTORY_FIRST_YEAR, STATUTORY_LAST_YEAR } from './statutory';
import { addDays, addMonthsClamped, assertIsoDate, datesBetween, fromDayNumber, isWeekend, toDayNumber, yearOf } from './dates';
import type { ClassifiedDay } from './explain';
import { calendarEndLine, cnDate, dueLine, provisionalLine, rollLines, sanctionLine, startLine, workingDayLines } from './explain';

/** The calendar version of a period that consults no schedule (a sanction's calendar date). */
export const CALENDAR_DATE_VERSION = 'calendar-date';

interface LoadedYear {
  schedule: YearSchedule;
  holidays: ReadonlySet<string>;
  workdays: ReadonlySet<string>;
  /** Not the State Council's notice but the statutory holidays of the year (statutory.ts). */
  provisional: boolean;
  /** Day numbers of the year's holidays that fall on a weekday, and of its make-up workdays that fall on a weekend: what counting working days needs. */
  weekdayHolidays: number[];
  weekendWorkdays: number[];
}

function loaded(schedule: YearSchedule, { provisional }: { provisional: boolean }): LoadedYear {
  const own = (dates: string[]) => dates.filter((d) => yearOf(d) === schedule.year).map(toDayNumber);
  return {
    schedule,
    holidays: new Set(schedule.holidays),
    workdays: new Set(schedule.workdays),
    provisional,
    weekdayHolidays: own(schedule.holidays).filter((k) => !isWeekendDay(k)),
    weekendWorkdays: own(schedule.workdays).filter(isWeekendDay),
  };
}

export class StatutoryCalendar {
  private readonly byYear = new Map<number, LoadedYear>();
  private readonly statutory = new Map<number, LoadedYear>();

  /** Refuses an unsound schedule or two schedules for one year: a wrong calendar is worse than none. */
  constructor(schedules: YearSchedule[]) {
    for (const s of schedules) {
      const problems = validateSchedule(s);
      if (problems.length) throw new Error(`schedule ${s.year} (${s.version}) is invalid: ${problems.map((p) => p.en).join('; ')}`);
      if (this.byYear.has(s.year)) throw new Error(`two schedules for ${s.year}`);
      this.byYear.set(s.year, loaded(s, { provisional: false }));
    }
  }

  /** True when the year's notice is loaded; a year without one is still counted, provisionally. */
  hasYear(y: number): boolean {
    return this.byYear.has(y);
  }

  years(): number[] {
    return [...this.byYear.keys()].sort((a, b) => a - b);
  }

  /** A copy with `s` in place of its year's schedule: what the calendar would be once `s` is loaded. */
  withSchedule(s: YearSchedule): StatutoryCalendar {
    return new StatutoryCalendar([...[...this.byYear.values()].map((y) => y.schedule).filter((x) => x.year !== s.year), s]);
  }

  /**
   * The year's schedule: the loaded notice, or else its statutory holidays (provisional).
   * @throws CalendarRangeError for a year neither can give.
   */
  private year(y: number): LoadedYear {
    const official = this.byYear.get(y);
    if (official) return official;
    let s = this.statutory.get(y);
    if (!s) {
      if (!inStatutoryRange(y)) throw new CalendarRangeError(y, STATUTORY_FIRST_YEAR, STATUTORY_LAST_YEAR);
      s = loaded(statutorySchedule(y), { provisional: true });
      this.statutory.set(y, s);
    }
    return s;
  }

  /** The versions of the given years joined by `+`; a year without a notice shows as `YYYY-statutory-provisional`. */
  versionFor(years: number[]): string {
    return [...new Set(years)]
      .sort((a, b) => a - b)
      .map((y) => this.year(y).schedule.version)
      .join('+');
  }

  /** The years among `years` counted on their statutory holidays, in order. */
  private provisionalAmong(years: number[]): number[] {
    return [...new Set(years)].filter((y) => this.year(y).provisional).sort((a, b) => a - b);
  }

  /** @throws CalendarRangeError for a year the calendar cannot answer for. */
  dayKind(date: string): DayKind {
    assertIsoDate(date);
    return kindIn(this.year(yearOf(date)), date);
  }

  isWorkingDay(date: string): boolean {
    return isWorking(this.dayKind(date));
  }

  /** The festival a holiday or make-up workday belongs to, when the schedule names it. */
  festivalName(date: string): string | undefined {
    return this.year(yearOf(date)).schedule.names?.[date];
  }

  /**
   * The n-th working day after `from` (which is not counted). With n = 0 (a clock resumed with nothing
   * left) the period ends on `from` itself, or the next working day if `from` is not one. Days in a year
   * without a loaded notice are counted on its statutory holidays, and the result is provisional.
   */
  addWorkingDays(from: string, n: number, opts: DeadlineOptions = {}): DeadlineResult {
    assertIsoDate(from, 'from');
    assertCount(n, 'working days');
    const inputs = { from, period: { unit: 'working_days', amount: n } satisfies PeriodSpec };
    if (n === 0) return this.zeroPeriod(from, inputs);

    const counted: ClassifiedDay[] = [];
    let found = 0;
    let d = from;
    while (found < n) {
      d = addDays(d, 1);
      const day = this.classify(d);
      counted.push(day);
      if (isWorking(day.kind)) found += 1;
    }
    const years = counted.map((c) => yearOf(c.date));
    const assumed = this.provisionalAmong(years);
    const explanation = [
      startLine(from, opts.fromLabel),
      ...workingDayLines(counted),
      `第${n}个工作日为${cnDate(d)}，期间于该日24时届满。`,
      ...assumed.map((y) => provisionalLine(y, this.year(y).schedule)),
    ];
    return result(d, { provisional: assumed.length > 0, calendarVersion: this.versionFor(years), explanation, inputs });
  }

  /**
   * A period in days, months and/or years, ending on the next working day if its last day is not one.
   * A year without a notice does not stop it: its statutory holidays are assumed and the result is
   * provisional, to be recomputed when the notice arrives.
   */
  addCalendarPeriod(from: string, p: CalendarPeriod, opts: DeadlineOptions = {}): DeadlineResult {
    const { months, end } = calendarPeriodEnd(from, p);
    const inputs = { from, period: { ...p } };

    const { final, endDay, skipped } = this.rollForward(end);
    const years = datesBetween(end, final).map(yearOf);
    const assumed = this.provisionalAmong(years);
    const explanation = [
      startLine(from, opts.fromLabel),
      calendarEndLine(from, p, { monthsEnd: months.date, clamped: months.clamped, end }),
      ...rollLines(endDay, skipped, final),
      ...assumed.map((y) => provisionalLine(y, this.year(y).schedule)),
      dueLine(final),
    ];
    return result(final, { provisional: assumed.length > 0, calendarVersion: this.versionFor(years), explanation, inputs });
  }

  /**
   * The last day of a sanction's duration (a listing period): the date its years, months and days give from `from`,
   * whatever kind of day it is. No schedule is consulted, so it is never provisional and no notice moves it.
   */
  sanctionEnd(from: string, p: CalendarPeriod, opts: DeadlineOptions = {}): DeadlineResult {
    const { months, end } = calendarPeriodEnd(from, p);
    const explanation = [
      startLine(from, opts.fromLabel),
      calendarEndLine(from, p, { monthsEnd: months.date, clamped: months.clamped, end }),
      sanctionLine(),
      dueLine(end),
    ];
    return result(end, {
      provisional: false,
      calendarVersion: CALENDAR_DATE_VERSION,
      explanation,
      inputs: { from, period: { ...p } },
    });
  }

  /**
   * Working days left on a stopped clock: those after `from` (the day it stopped, treated as used) up to
   * and including `due`. 0 when the clock stopped on or after its due date.
   */
  remainingWorkingDays(from: string, due: string): number {
    assertIsoDate(from, 'from');
    assertIsoDate(due, 'due');
    const first = toDayNumber(from) + 1;
    const last = toDayNumber(due);
    if (last < first) return 0;
    // Counted, not walked: the weekdays of the span, less the holidays on weekdays, plus the make-up workdays on
    // weekends, year by year (a listing period's three years would otherwise be 1,100 lookups per tag). A date is
    // counted by its own year's schedule only, as dayKind does; a schedule never lists a date as both (validateSchedule).
    let n = weekdaysIn(first, last);
    for (let y = yearOf(fromDayNumber(first)); y <= yearOf(due); y++) {
      const year = this.year(y);
      for (const k of year.weekdayHolidays) if (k >= first && k <= last) n--;
      for (const k of year.weekendWorkdays) if (k >= first && k <= last) n++;
    }
    return n;
  }

  /** Restarts a stopped clock: the resume day is not counted, the remaining working days follow it. */
  resumeWithRemaining(resumeDate: string, remaining: number, opts: DeadlineOptions = {}): DeadlineResult {
    return this.addWorkingDays(resumeDate, remaining, opts);
  }

  private classify(date: string): ClassifiedDay {
    const kind = this.dayKind(date);
    const name = this.festivalName(date);
    return name ? { date, kind, name } : { date, kind };
  }

  private rollForward(end: string) {
    const skipped: ClassifiedDay[] = [];
    let d = end;
    const endDay = this.classify(d);
    let day = endDay;
    while (!isWorking(day.kind)) {
      skipped.push(day);
      d = addDays(d, 1);
      day = this.classify(d);
    }
    return { final: d, endDay, skipped };
  }

  private zeroPeriod(from: string, inputs: DeadlineResult['inputs']): DeadlineResult {
    const { final, endDay, skipped } = this.rollForward(from);
    const years = datesBetween(from, final).map(yearOf);
    const assumed = this.provisionalAmong(years);
    const explanation = [
      `期间已无剩余工作日，以${cnDate(from)}为期间的最后一日。`,
      ...rollLines(endDay, skipped, final),
      ...assumed.map((y) => provisionalLine(y, this.year(y).schedule)),
      dueLine(final),
    ];
    return result(final, { provisional: assumed.length > 0, calendarVersion: this.versionFor(years), explanation, inputs });
  }
}

/** The year of a date string that may have more than four year digits (a period past 9999). */
function yearOfUnpadded(date: string): number {
  return Number(date.split('-')[0]);
}

/** Day numbers count from 1970-01-01, a Thursday: (n + 4) mod 7 is the weekday, 0 = Sunday. */
function isWeekendDay(n: number): boolean {
  const w = (((n + 4) % 7) + 7) % 7;
  return w === 0 || w === 6;
}

/** Monday to Friday among the days `first`..`last` (day numbers, both counted). */
function weekdaysIn(first: number, last: number): number {
  const total = last - first + 1;
  let n = Math.floor(total / 7) * 5;
  for (let k = first + Math.floor(total / 7) * 7; k <= last; k++) if (!isWeekendDay(k)) n++;
  return n;
}

function kindIn(y: LoadedYear, date: string): DayKind {
  if (y.holidays.has(date)) return 'holiday';
  if (y.workdays.has(date)) return 'makeup_workday';
  return isWeekend(date) ? 'weekend' : 'workday';
}

function isWorking(k: DayKind): boolean {
  return k === 'workday' || k === 'makeup_workday';
}

function assertCount(n: number, what: string): void {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`${what} must be a whole number ≥ 0, got ${n}`);
}

function assertCalendarPeriod(p: CalendarPeriod): void {
  const keys = (['days', 'months', 'years'] as const).filter((k) => p[k] !== undefined);
  if (keys.length === 0) throw new RangeError('a calendar period needs days, months or years');
  for (const k of keys) assertCount(p[k] ?? 0, k);
}

/**
 * The date a period of years, months and days gives from `from`, before any roll to a working day, and the date its
 * years and months alone give (clamped to a month's last day).
 */
function calendarPeriodEnd(from: string, p: CalendarPeriod): { months: { date: string; clamped: boolean }; end: string } {
  assertIsoDate(from, 'from');
  assertCalendarPeriod(p);
  const months = addMonthsClamped(from, (p.years ?? 0) * 12 + (p.months ?? 0));
  const monthsYear = yearOfUnpadded(months.date);
  // Past 9999 a date no longer has the YYYY-MM-DD form: say the period is out of range, not malformed.
  if (monthsYear > STATUTORY_LAST_YEAR) throw new CalendarRangeError(monthsYear, STATUTORY_FIRST_YEAR, STATUTORY_LAST_YEAR);
  if ((p.days ?? 0) > 366 * (STATUTORY_LAST_YEAR - monthsYear + 1))
    throw new CalendarRangeError(STATUTORY_LAST_YEAR + 1, STATUTORY_FIRST_YEAR, STATUTORY_LAST_YEAR);
  return { months, end: addDays(months.date, p.days ?? 0) };
}

function result(
  dueDate: string,
  {
    provisional,
    calendarVersion,
    explanation,
    inputs,
  }: { provisional: boolean; calendarVersion: string; explanation: string[]; inputs: DeadlineResult['inputs'] },
): DeadlineResult {
  const dueAt = `${addDays(dueDate, 1)}T00:00:00+08:00`;
  return {
    dueDate,
    dueAt,
    dueAtUtc: new Date(Date.parse(dueAt)).toISOString(),
    provisional,
    calendarVersion,
    explanation,
    inputs,
  };
}
