/**
 * The statutory calendar: working days per the State Council's holiday notices, legal periods, service
 * dates and the policy table of periods. Pure and deterministic, so Temporal activities and the API
 * compute the same deadline from the same inputs.
 */
import type { StatutoryCalendar } from './calendar';
import type { DeadlineOptions, DeadlineResult, PeriodSpec } from './types';

export * from './types';
export * from './errors';
export * from './schedule';
export * from './calendar';
export * from './service';
export * from './policy';
export { isIsoDate, addDays, weekday } from './dates';

/**
 * One period from `from` (the triggering day, not counted): working days are counted on the schedules
 * (MissingScheduleError for a year without one), days/months/years are calendar periods that move off a
 * non-working last day (provisional for a year without schedule). `inputs.period` is `period` as given.
 */
export function compute(calendar: StatutoryCalendar, from: string, period: PeriodSpec, opts?: DeadlineOptions): DeadlineResult {
  const spec = { unit: period.unit, amount: period.amount };
  const r =
    spec.unit === 'working_days'
      ? calendar.addWorkingDays(from, spec.amount, opts)
      : calendar.addCalendarPeriod(from, { [spec.unit]: spec.amount }, opts);
  return { ...r, inputs: { from, period: spec } };
}
