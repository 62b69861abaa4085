import type { Db } from '../db/client';
import { loadCalendar } from '../db/calendar-store';
import { MissingScheduleError } from '../domain/calendar';
import { addDays } from '../domain/calendar';

/**
 * "Due soon" = open and due by the end of the second working day from today (API.md). Where today's
 * year or the next lacks a schedule, the cutoff is computed on weekends only and marked provisional,
 * so the supervisor sees that it is an estimate.
 */
export async function dueSoonCutoff(db: Db, today: string): Promise<{ dueAt: string; provisional: boolean }> {
  const calendar = await loadCalendar(db);
  try {
    return { dueAt: calendar.addWorkingDays(today, 2).dueAt, provisional: false };
  } catch (err) {
    if (!(err instanceof MissingScheduleError)) throw err;
    let d = today;
    let counted = 0;
    while (counted < 2) {
      d = addDays(d, 1);
      const wd = new Date(`${d}T00:00:00Z`).getUTCDay();
      if (wd !== 0 && wd !== 6) counted += 1;
    }
    return { dueAt: `${addDays(d, 1)}T00:00:00+08:00`, provisional: true };
  }
}
