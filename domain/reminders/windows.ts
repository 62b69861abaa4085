/**
 * The working-day arithmetic of the reminders (README "Reminders"): which days a department's digest goes out, which
 * deadlines it names as due soon, and when a subject is told that a window is about to close. Pure: the activities
 * pass the calendar they read, so the workflow never consults one.
 */
import type { StatutoryCalendar } from '../calendar/calendar';
import { CalendarRangeError } from '../calendar/errors';

/** How many working days ahead a digest looks and how long before a window closes the subject is told. */
export const REMINDER_WORKING_DAYS = 2;

export interface DigestDay {
  today: string;
  /** A working day on the official calendar (make-up Saturdays included, holidays not): the only days a digest goes. */
  working: boolean;
  /** The last day of the next two working days: deadlines due from today up to this day are "due soon". */
  dueUntil: string;
  /**
   * The year's notice is not loaded: today and the two working days ahead are counted on the statutory holidays, and
   * the digest says so rather than being skipped.
   */
  provisional: boolean;
}

/** What the digest of `today` covers; undefined for a year no calendar can answer for (outside every rule). */
export function digestDay(calendar: StatutoryCalendar, today: string): DigestDay | undefined {
  try {
    const ahead = calendar.addWorkingDays(today, REMINDER_WORKING_DAYS);
    return {
      today,
      working: calendar.isWorkingDay(today),
      dueUntil: ahead.dueDate,
      provisional: ahead.provisional || !calendar.hasYear(Number(today.slice(0, 4))),
    };
  } catch (err) {
    if (err instanceof CalendarRangeError) return undefined;
    throw err;
  }
}

/** Due within the digest's two working days: from today (due at 24:00 today) up to `dueUntil`. */
export function dueSoon(day: DigestDay, dueDate: string): boolean {
  return dueDate >= day.today && dueDate <= day.dueUntil;
}

/**
 * Working days left after `today` up to `due` (0 when due today); undefined once passed or where no calendar can
 * count.
 */
export function workingDaysUntil(calendar: StatutoryCalendar, today: string, due: string): number | undefined {
  if (due < today) return undefined;
  try {
    return calendar.remainingWorkingDays(today, due);
  } catch (err) {
    if (err instanceof CalendarRangeError) return undefined;
    throw err;
  }
}

/**
 * The subject is told a window is closing from the day two working days before its last day (the working day after
 * which exactly two remain), or at once when a window opens later than that. Told once (the message's key).
 */
export function closingNoticeDue(calendar: StatutoryCalendar, today: string, due: string): boolean {
  const left = workingDaysUntil(calendar, today, due);
  return left !== undefined && left <= REMINDER_WORKING_DAYS;
}

/**
 * The first day on which a window due then is not yet closing (the third working day after `today`): a window due
 * before it may be (closingNoticeDue decides), one due on or after it is not. Lets the database leave out the windows
 * that need no message today.
 */
export function closingHorizon(calendar: StatutoryCalendar, today: string): string {
  return calendar.addWorkingDays(today, REMINDER_WORKING_DAYS + 1).dueDate;
}
