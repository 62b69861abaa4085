import type { Db } from '../db/client';
import { loadCalendar } from '../db/calendar-store';
import type { StatutoryCalendar } from '../domain/calendar';

/**
 * The days on which the statutory calendar departs from "Monday to Friday": weekday holidays and weekend make-up
 * workdays, from the first year the calendar can give through next year (loaded notices, else the statutory holidays,
 * provisionally). SQL counts working days with them (the summary's median working days to act) without a calendar
 * table that every load of a year would have to keep in step.
 */
export interface WorkingDayExceptions {
  offWeekdays: string[];
  weekendWorkdays: string[];
}

const FIRST_YEAR = 2008;
const built = new WeakMap<StatutoryCalendar, { lastYear: number; exceptions: WorkingDayExceptions }>();

export async function workingDayExceptions(db: Db, now: Date): Promise<WorkingDayExceptions> {
  const calendar = await loadCalendar(db);
  const lastYear = now.getUTCFullYear() + 1;
  const known = built.get(calendar);
  if (known?.lastYear === lastYear) return known.exceptions;
  const exceptions: WorkingDayExceptions = { offWeekdays: [], weekendWorkdays: [] };
  for (let t = Date.UTC(FIRST_YEAR, 0, 1); t < Date.UTC(lastYear + 1, 0, 1); t += 86_400_000) {
    const date = new Date(t).toISOString().slice(0, 10);
    const weekend = [0, 6].includes(new Date(t).getUTCDay());
    const working = calendar.isWorkingDay(date);
    if (weekend && working) exceptions.weekendWorkdays.push(date);
    if (!weekend && !working) exceptions.offWeekdays.push(date);
  }
  built.set(calendar, { lastYear, exceptions });
  return exceptions;
}
