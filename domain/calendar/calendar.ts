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
import { MissingScheduleError } from './errors';
import { addDays, addMonthsClamped, assertIsoDate, datesBetween, isWeekend, toDayNumber, yearOf } from './dates';
import type { ClassifiedDay } from './explain';
import { calendarEndLine, cnDate, dueLine, provisionalLine, rollLines, startLine, workingDayLines } from './explain';

interface LoadedYear {
  schedule: YearSchedule;
  holidays: ReadonlySet<string>;
  workdays: ReadonlySet<string>;
}

export class StatutoryCalendar {
  private readonly byYear = new Map<number, LoadedYear>();

  /** Refuses an unsound schedule or two schedules for one year: a wrong calendar is worse than none. */
  constructor(schedules: YearSchedule[]) {
    for (const s of schedules) {
      const problems = validateSchedule(s);
      if (problems.length) throw new Error(`schedule ${s.year} (${s.version}) is invalid: ${problems.join('; ')}`);
      if (this.byYear.has(s.year)) throw new Error(`two schedules for ${s.year}`);
      this.byYear.set(s.year, { schedule: s, holidays: new Set(s.holidays), workdays: new Set(s.workdays) });
    }
  }

  hasYear(y: number): boolean {
    return this.byYear.has(y);
  }

  years(): number[] {
    return [...this.byYear.keys()].sort((a, b) => a - b);
  }

  /** The versions of the given years joined by `+`; a year without a schedule shows as `YYYY-weekends-only`. */
  versionFor(years: number[]): string {
    return [...new Set(years)]
      .sort((a, b) => a - b)
      .map((y) => this.byYear.get(y)?.schedule.version ?? `${y}-weekends-only`)
      .join('+');
  }

  /** @throws MissingScheduleError when the date's year has no schedule. */
  dayKind(date: string): DayKind {
    assertIsoDate(date);
    const y = this.byYear.get(yearOf(date));
    if (!y) throw new MissingScheduleError(yearOf(date));
    return kindIn(y, date);
  }

  /** @throws MissingScheduleError when the date's year has no schedule. */
  isWorkingDay(date: string): boolean {
    return isWorking(this.dayKind(date));
  }

  /** The festival a holiday or make-up workday belongs to, when the schedule names it. */
  festivalName(date: string): string | undefined {
    return this.byYear.get(yearOf(date))?.schedule.names?.[date];
  }

  /**
   * The n-th working day after `from` (which is not counted). With n = 0 (a clock resumed with nothing
   * left) the period ends on `from` itself, or the next working day if `from` is not one.
   * @throws MissingScheduleError if any day needed lies in a year without schedule: a working-day count
   *   is never guessed.
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
    const explanation = [
      startLine(from, opts.fromLabel),
      ...workingDayLines(counted),
      `第${n}个工作日为${cnDate(d)}，期间于该日24时届满。`,
    ];
    return result(d, false, this.versionFor(counted.map((c) => yearOf(c.date))), explanation, inputs);
  }

  /**
   * A period in days, months and/or years, ending on the next working day if its last day is not one.
   * A year without schedule does not stop it (listing periods run years ahead): that year is assumed
   * to have weekends only and the result is marked provisional, to be recomputed when the notice arrives.
   */
  addCalendarPeriod(from: string, p: CalendarPeriod, opts: DeadlineOptions = {}): DeadlineResult {
    assertIsoDate(from, 'from');
    assertCalendarPeriod(p);
    const inputs = { from, period: { ...p } };
    const months = addMonthsClamped(from, (p.years ?? 0) * 12 + (p.months ?? 0));
    const end = addDays(months.date, p.days ?? 0);

    const { final, endDay, skipped, assumedYears } = this.rollForward(end);
    const explanation = [
      startLine(from, opts.fromLabel),
      calendarEndLine(from, p, months.date, months.clamped, end),
      ...rollLines(endDay, skipped, final),
      ...(assumedYears.length ? [provisionalLine(assumedYears)] : []),
      dueLine(final),
    ];
    const version = this.versionFor(datesBetween(end, final).map(yearOf));
    return result(final, assumedYears.length > 0, version, explanation, inputs);
  }

  /**
   * Working days left on a stopped clock: those after `from` (the day it stopped, treated as used) up to
   * and including `due`. 0 when the clock stopped on or after its due date.
   * @throws MissingScheduleError for a year without schedule in between.
   */
  remainingWorkingDays(from: string, due: string): number {
    assertIsoDate(from, 'from');
    assertIsoDate(due, 'due');
    if (toDayNumber(due) <= toDayNumber(from)) return 0;
    return datesBetween(addDays(from, 1), due).filter((d) => this.isWorkingDay(d)).length;
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

  /** Like classify, but a year without schedule counts weekends only (for provisional calendar periods). */
  private classifyAssuming(date: string): { day: ClassifiedDay; assumed: boolean } {
    if (this.hasYear(yearOf(date))) return { day: this.classify(date), assumed: false };
    return { day: { date, kind: isWeekend(date) ? 'weekend' : 'workday' }, assumed: true };
  }

  private rollForward(end: string) {
    const assumed = new Set<number>();
    const skipped: ClassifiedDay[] = [];
    let d = end;
    const first = this.classifyAssuming(d);
    let c = first;
    for (;;) {
      if (c.assumed) assumed.add(yearOf(d));
      if (isWorking(c.day.kind)) break;
      skipped.push(c.day);
      d = addDays(d, 1);
      c = this.classifyAssuming(d);
    }
    return { final: d, endDay: first.day, skipped, assumedYears: [...assumed].sort((a, b) => a - b) };
  }

  private zeroPeriod(from: string, inputs: DeadlineResult['inputs']): DeadlineResult {
    const { final, endDay, skipped } = this.rollForwardStrict(from);
    const explanation = [`期间已无剩余工作日，以${cnDate(from)}为期间的最后一日。`, ...rollLines(endDay, skipped, final), dueLine(final)];
    return result(final, false, this.versionFor(datesBetween(from, final).map(yearOf)), explanation, inputs);
  }

  /** rollForward for working-day counts, which refuse to assume a year. */
  private rollForwardStrict(end: string) {
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

function result(
  dueDate: string,
  provisional: boolean,
  calendarVersion: string,
  explanation: string[],
  inputs: DeadlineResult['inputs'],
): DeadlineResult {
  const dueAt = `${addDays(dueDate, 1)}T00:00:00+08:00`;
  return { dueDate, dueAt, dueAtUtc: new Date(Date.parse(dueAt)).toISOString(), provisional, calendarVersion, explanation, inputs };
}
