import type { Db } from '../db/client';
import { loadCalendar } from '../db/calendar-store';

/**
 * "Due soon" = open and due by the end of the second working day from today (API.md). Where those days
 * lie in a year without a loaded notice they are counted on its statutory holidays, and the cutoff says
 * it is provisional.
 */
export async function dueSoonCutoff(db: Db, today: string): Promise<{ dueAt: string; provisional: boolean }> {
  const r = (await loadCalendar(db)).addWorkingDays(today, 2);
  return { dueAt: r.dueAt, provisional: r.provisional };
}
