import { ApplicationFailure } from '@temporalio/activity';
import { compute, MissingScheduleError, CALENDAR_YEAR_MISSING, type StatutoryCalendar } from '../domain/calendar';
import type { Db } from '../db/client';
import { loadCalendar } from '../db/calendar-store';
import type { DeadlineComputation, PeriodSpec } from '../workflows/common/case-types';

/**
 * Date arithmetic for the workflows' legal clocks. The result lands in the workflow's history, so a
 * replay never consults the calendar again and a later calendar change moves a deadline only through
 * an explicit recomputation.
 */
export type CalendarSource = () => Promise<StatutoryCalendar>;

export function calendarActivities(db: Db, source: CalendarSource = () => loadCalendar(db)) {
  return {
    async computeDeadline(req: { from: string; period: PeriodSpec }): Promise<DeadlineComputation> {
      const calendar = await source();
      try {
        const r = compute(calendar, req.from, req.period);
        return {
          dueDate: r.dueDate,
          dueAt: r.dueAt,
          calendarVersion: r.calendarVersion,
          provisional: r.provisional,
          explanation: r.explanation,
          inputs: r.inputs as unknown as Record<string, unknown>,
        };
      } catch (err) {
        if (err instanceof MissingScheduleError) {
          throw ApplicationFailure.create({ type: CALENDAR_YEAR_MISSING, message: err.message, details: [{ year: err.year }], nonRetryable: true });
        }
        throw err;
      }
    },

    async remainingWorkingDays(req: { from: string; due: string }): Promise<number> {
      const calendar = await source();
      try {
        return calendar.remainingWorkingDays(req.from, req.due);
      } catch (err) {
        if (err instanceof MissingScheduleError) {
          throw ApplicationFailure.create({ type: CALENDAR_YEAR_MISSING, message: err.message, details: [{ year: err.year }], nonRetryable: true });
        }
        throw err;
      }
    },
  };
}
