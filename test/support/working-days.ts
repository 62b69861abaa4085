import { addDays, type YearSchedule } from '../../domain/calendar';
import { rowToSchedule } from '../../db/calendar-store';
import type { Db } from '../../db/client';

/**
 * The last day of `n` working days after `from` (the day itself not counted), walked one day at a time over the
 * given schedules: the oracle tests hold the calendar's own arithmetic to when their dates depend on the year
 * they run in. A day is off when a schedule lists it as a holiday, or it is a weekend day no schedule works.
 */
export function countWorkingDays(from: string, n: number, schedules: YearSchedule[]): string {
  const off = new Set(schedules.flatMap((s) => s.holidays));
  const worked = new Set(schedules.flatMap((s) => s.workdays));
  let day = from;
  for (let counted = 0; counted < n; ) {
    day = addDays(day, 1);
    const weekend = [0, 6].includes(new Date(`${day}T00:00:00Z`).getUTCDay());
    if (off.has(day) || (weekend && !worked.has(day))) continue;
    counted++;
  }
  return day;
}

/** The schedule the database holds for `year`. */
export async function scheduleOf(db: Db, year: number): Promise<YearSchedule> {
  return rowToSchedule(await db.calendarYear.findUniqueOrThrow({ where: { year } }));
}

/** 2027-01-05 as the documents write it: 2027年1月5日. */
export function zhDate(date: string): string {
  const [y, m, d] = date.split('-').map(Number);
  return `${y}年${m}月${d}日`;
}
