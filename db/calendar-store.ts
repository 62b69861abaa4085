import { builtInSchedules, StatutoryCalendar, type YearSchedule } from '../domain/calendar';
import { canonicalJson, sha256Hex } from './canonical-json';
import { sqlOf, type Db } from './client';

/**
 * The statutory calendar as the database holds it: the built-in notices (2025, 2026) loaded at start,
 * plus every year a supervisor has loaded since. Read on each use: a handful of rows, and a year loaded
 * by one process must count at once in every other.
 */
/** Held exclusively while a year is loaded, shared while a provisional deadline is recorded (activities/case-records.ts). */
export const CALENDAR_LOCK = 0x43_414c_454e; // "CALEN"

interface StoredHolidays {
  dates: string[];
  names?: Record<string, string>;
}

export function rowToSchedule(r: { year: number; source: string; version: string; holidays: unknown; workdays: string[] }): YearSchedule {
  const h = r.holidays as StoredHolidays;
  return {
    year: r.year,
    source: r.source,
    version: r.version,
    holidays: h.dates,
    workdays: r.workdays,
    ...(h.names ? { names: h.names } : {}),
  };
}

const loadedCalendars = new WeakMap<Db, { fingerprint: string; calendar: StatutoryCalendar }>();

/**
 * The loaded years and their versions as one value (a subquery): what `loadCalendar` compares with the calendar it
 * built. A caller that reads it in a statement of its own passes it on, and the calendar costs no round trip.
 */
export const CALENDAR_FINGERPRINT = `(SELECT string_agg(year || ':' || version, ',' ORDER BY year) FROM calendar_years)`;

/**
 * The calendar as loaded now. Built once per set of loaded years: a year's version names its content, so the years
 * and their versions (one small query, or `fingerprint` as the caller read it) say whether the calendar built before
 * still holds. Reading and validating every schedule took 17 ms, on every workbench page and deadline computation.
 */
export async function loadCalendar(db: Db, fingerprint?: string | null): Promise<StatutoryCalendar> {
  if (fingerprint === undefined) {
    // Past Prisma: the API reads it on every quoted action (issue 23).
    const [row] = await sqlOf(db).query<{ fingerprint: string | null }>(`SELECT ${CALENDAR_FINGERPRINT} AS fingerprint`, []);
    fingerprint = row?.fingerprint;
  }
  const known = loadedCalendars.get(db);
  if (known && known.fingerprint === (fingerprint ?? '')) return known.calendar;
  const rows = await db.calendarYear.findMany({ orderBy: { year: 'asc' } });
  const calendar = new StatutoryCalendar(rows.map(rowToSchedule));
  loadedCalendars.set(db, { fingerprint: rows.map((r) => `${r.year}:${r.version}`).join(','), calendar });
  return calendar;
}

/** The row of a year's schedule as loaded now by `loadedBy`. */
export function calendarYearRow(s: YearSchedule, loadedBy: string) {
  return {
    year: s.year,
    source: s.source,
    version: s.version,
    holidays: { dates: s.holidays, ...(s.names ? { names: s.names } : {}) },
    workdays: s.workdays,
    loadedAt: new Date(),
    loadedBy,
  };
}

/** Adds the built-in years that the database lacks; never replaces a year an operator has loaded. */
export async function seedBuiltInCalendar(db: Db): Promise<void> {
  for (const s of builtInSchedules()) {
    await db.calendarYear.upsert({ where: { year: s.year }, create: calendarYearRow(s, 'built-in'), update: {} });
  }
}

/** A loaded year's version names its content, so loading the same dates twice changes nothing. */
export function versionOf(year: number, holidays: string[], workdays: string[]): string {
  const digest = sha256Hex(canonicalJson({ holidays: [...holidays].sort(), workdays: [...workdays].sort() })).slice(0, 10);
  return `${year}-${digest}`;
}
