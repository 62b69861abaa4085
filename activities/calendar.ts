import { ApplicationFailure } from '@temporalio/activity';
import { CalendarRangeError, compute, recomputeOnLoad, type RecomputeRequest, type StatutoryCalendar } from '../domain/calendar';
import type { Db } from '../db/client';
import { loadCalendar } from '../db/calendar-store';
import { raiseCalendarWarnings } from '../db/calendar-status';
import type { DeadlineComputation, PeriodSpec } from '../workflows/common/case-types';
import { DataFault } from '../domain/faults';

/**
 * Date arithmetic for the workflows' legal clocks. The result lands in the workflow's history, so a
 * replay never consults the calendar again and a later calendar change moves a deadline only through
 * an explicit recomputation.
 */
export type CalendarSource = (need?: readonly CalendarNeed[]) => Promise<StatutoryCalendar>;

/**
 * A year's schedule a workflow knows is loaded: the calendar-change signal told it the version, or the projection told
 * it the year arrived (workflows/common/legal-clock.ts).
 */
export interface CalendarNeed {
  year: number;
  version?: string;
}

/** How long this process computes on the calendar it read before it asks Postgres whether the calendar changed. */
export const CALENDAR_MAX_AGE_MS = 1_000;

function satisfies(calendar: StatutoryCalendar, need: readonly CalendarNeed[]): boolean {
  return need.every((n) => calendar.hasYear(n.year) && (n.version === undefined || calendar.versionFor([n.year]) === n.version));
}

/**
 * The database's calendar kept in this process, so a deadline computed in the common case reads nothing from
 * Postgres (one query per computation was most of a calendar activity's cost). It is read again when it is older than
 * `maxAgeMs`, and at once when a workflow names a year's version it does not hold: a case told of a new calendar by
 * the calendar-change signal computes on it, whatever this process read before. A case not told waits at most
 * `maxAgeMs` (the loader commits, then signals; a missing year that arrives meanwhile is caught again when the
 * provisional deadline is recorded, activities/case-records.ts, and the recomputation it asks for names the year).
 * A calendar changed in Postgres by hand, past the loader, is seen after `maxAgeMs`: the worker runs with 1 s, a
 * caller that changes the calendar that way and computes at once (a test) keeps the default of 0, a read each time.
 */
export function cachedCalendar(
  load: () => Promise<StatutoryCalendar>,
  { maxAgeMs = CALENDAR_MAX_AGE_MS, now = Date.now }: { maxAgeMs?: number; now?: () => number } = {},
): CalendarSource {
  let kept: { calendar: StatutoryCalendar; readAt: number } | undefined;
  let reading: Promise<StatutoryCalendar> | undefined;
  const read = (): Promise<StatutoryCalendar> => {
    // One read at a time: the computations that find the calendar old meanwhile share it.
    reading ??= (async () => {
      const readAt = now();
      try {
        const calendar = await load();
        kept = { calendar, readAt };
        return calendar;
      } finally {
        reading = undefined;
      }
    })();
    return reading;
  };
  return async (need = []) => {
    if (kept && now() - kept.readAt < maxAgeMs && satisfies(kept.calendar, need)) return kept.calendar;
    const calendar = await read();
    // A read that began before the year was loaded cannot hold it: one more, begun after the caller was told.
    return satisfies(calendar, need) ? calendar : load();
  };
}

/**
 * A period the calendar cannot give at all is a verdict for the workflow, not an outage to retry; so is a period
 * the arithmetic refuses (an amount that is no whole number, a date that is no date): that input is refused on
 * every try.
 */
function verdict<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof CalendarRangeError) {
      throw ApplicationFailure.create({
        type: err.name,
        message: err.message,
        details: [{ year: err.year }],
        nonRetryable: true,
      });
    }
    if (err instanceof RangeError || err instanceof TypeError)
      throw new DataFault(`the calendar cannot compute this period: ${err.message}`);
    throw err;
  }
}

function computation(r: Omit<DeadlineComputation, 'inputs'> & { inputs: object }): DeadlineComputation {
  return {
    dueDate: r.dueDate,
    dueAt: r.dueAt,
    calendarVersion: r.calendarVersion,
    provisional: r.provisional,
    explanation: r.explanation,
    inputs: r.inputs as Record<string, unknown>,
  };
}

/** A deadline as the calendar activity computes it: the API computes one ahead this way (api/action-quotes.ts). */
export function computeDeadlineOn(calendar: StatutoryCalendar, from: string, period: PeriodSpec): DeadlineComputation {
  return computation(compute(calendar, from, period));
}

export function calendarActivities(db: Db, source: CalendarSource = cachedCalendar(() => loadCalendar(db), { maxAgeMs: 0 })) {
  return {
    async computeDeadline(req: { from: string; period: PeriodSpec; calendar?: CalendarNeed[] }): Promise<DeadlineComputation> {
      const calendar = await source(req.calendar);
      return verdict(() => computeDeadlineOn(calendar, req.from, req.period));
    },

    async remainingWorkingDays(req: { from: string; due: string; calendar?: CalendarNeed[] }): Promise<number> {
      const calendar = await source(req.calendar);
      return verdict(() => calendar.remainingWorkingDays(req.from, req.due));
    },

    /** The calendar watch's daily check: escalates each missing year whose warning day has come (idempotent). */
    async raiseCalendarWarnings(req: { at: string }): Promise<{ warned: number[] }> {
      const status = await raiseCalendarWarnings(db, new Date(req.at));
      return { warned: status.missing.filter((m) => m.warning).map((m) => m.year) };
    },

    /** A running deadline on the calendar as loaded now, with the reliance rules of domain/calendar/recompute.ts. */
    async recomputeDeadline(req: RecomputeRequest & { calendar?: CalendarNeed[] }): Promise<DeadlineComputation & { rule: string }> {
      const calendar = await source(req.calendar);
      return verdict(() => {
        const r = recomputeOnLoad(calendar, req);
        return { ...computation(r), rule: r.rule };
      });
    },
  };
}
