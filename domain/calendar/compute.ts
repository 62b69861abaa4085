import type { StatutoryCalendar } from './calendar';
import type { DeadlineOptions, DeadlineResult, PeriodSpec } from './types';

/**
 * One period from `from` (the triggering day, not counted): working days are counted on the schedules,
 * days/months/years are calendar periods that move off a non-working last day; a year without a loaded
 * notice is counted on its statutory holidays and makes the result provisional. CalendarRangeError
 * only for a year outside every rule. `inputs.period` is `period` as given.
 */
export function compute(calendar: StatutoryCalendar, from: string, period: PeriodSpec, opts?: DeadlineOptions): DeadlineResult {
  const spec = { unit: period.unit, amount: period.amount, ...(period.endsOn ? { endsOn: period.endsOn } : {}) };
  if (spec.endsOn === 'calendar_date' && spec.unit === 'working_days')
    throw new RangeError('a period in working days cannot end on a calendar date');
  const r =
    spec.unit === 'working_days'
      ? calendar.addWorkingDays(from, spec.amount, opts)
      : spec.endsOn === 'calendar_date'
        ? calendar.sanctionEnd(from, { [spec.unit]: spec.amount }, opts)
        : calendar.addCalendarPeriod(from, { [spec.unit]: spec.amount }, opts);
  return { ...r, inputs: { from, period: spec } };
}
