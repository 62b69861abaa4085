import type { StatutoryCalendar } from './calendar';

/**
 * Working days after `today` up to `due` (0 when due today), for a deadline's tag; undefined once passed or where
 * no calendar can count (a year outside every rule), when the tag says the date instead. The workbench and the
 * console's case page both count with this.
 */
export function workingDaysLeft(calendar: StatutoryCalendar, today: string, due: string): number | undefined {
  if (due < today) return undefined;
  try {
    return calendar.remainingWorkingDays(today, due);
  } catch {
    return undefined;
  }
}
