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
export type CalendarSource = () => Promise<StatutoryCalendar>;

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

export function calendarActivities(db: Db, source: CalendarSource = () => loadCalendar(db)) {
  return {
    async computeDeadline(req: { from: string; period: PeriodSpec }): Promise<DeadlineComputation> {
      const calendar = await source();
      return verdict(() => computation(compute(calendar, req.from, req.period)));
    },

    async remainingWorkingDays(req: { from: string; due: string }): Promise<number> {
      const calendar = await source();
      return verdict(() => calendar.remainingWorkingDays(req.from, req.due));
    },

    /** The calendar watch's daily check: escalates each missing year whose warning day has come (idempotent). */
    async raiseCalendarWarnings(req: { at: string }): Promise<{ warned: number[] }> {
      const status = await raiseCalendarWarnings(db, new Date(req.at));
      return { warned: status.missing.filter((m) => m.warning).map((m) => m.year) };
    },

    /** A running deadline on the calendar as loaded now, with the reliance rules of domain/calendar/recompute.ts. */
    async recomputeDeadline(req: RecomputeRequest): Promise<DeadlineComputation & { rule: string }> {
      const calendar = await source();
      return verdict(() => {
        const r = recomputeOnLoad(calendar, req);
        return { ...computation(r), rule: r.rule };
      });
    },
  };
}
