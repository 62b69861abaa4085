/**
 * Calendar-date arithmetic on `YYYY-MM-DD` strings. Every computation goes through a day number
 * (days since 1970-01-01) worked out in the proleptic Gregorian calendar, so the host machine's timezone never enters:
 * a legal date is a date in Asia/Shanghai, which has no DST and is always UTC+8. The arithmetic is done on numbers,
 * without a regular expression or a Date per call: a deadline walks its period day by day, and these were most of the
 * CPU an action's deadline cost (issue 23).
 */

const DAYS_BEFORE_1970 = 719_468; // day number of 1970-01-01 counted from 0000-03-01
const DAYS_PER_400_YEARS = 146_097;
const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

/** The decimal number the digits of `s` from `from` up to `to` write, or -1 if any of them is not a digit. */
function digitsAt(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
}

/** Year, month and day of a `YYYY-MM-DD` string naming a day that exists, else null. */
function parsed(s: string): { y: number; m: number; d: number } | null {
  if (typeof s !== 'string' || s.length !== 10 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return null;
  const y = digitsAt(s, 0, 4);
  const m = digitsAt(s, 5, 7);
  const d = digitsAt(s, 8, 10);
  return y >= 0 && m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m) ? { y, m, d } : null;
}

/** True for a `YYYY-MM-DD` string naming a day that exists (2026-02-30 does not). */
export function isIsoDate(s: string): boolean {
  return parsed(s) !== null;
}

const notADate = (s: string, what: string) => new RangeError(`${what} must be a calendar date YYYY-MM-DD, got ${JSON.stringify(s)}`);

export function assertIsoDate(s: string, what = 'date'): void {
  if (parsed(s) === null) throw notADate(s, what);
}

export function parts(date: string): { y: number; m: number; d: number } {
  const p = parsed(date);
  if (p === null) throw notADate(date, 'date');
  return p;
}

export function yearOf(date: string): number {
  return parts(date).y;
}

export function daysInMonth(y: number, m: number): number {
  return m === 2 && isLeapYear(y) ? 29 : (MONTH_DAYS[m - 1] ?? Number.NaN);
}

/** Days since 1970-01-01 of a day given by its year, month and day (H. Hinnant's days_from_civil). */
function dayNumberOf(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * ((m + 9) % 12) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * DAYS_PER_400_YEARS + doe - DAYS_BEFORE_1970;
}

export function toDayNumber(date: string): number {
  const { y, m, d } = parts(date);
  return dayNumberOf(y, m, d);
}

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

/** The `YYYY-MM-DD` of a day number (H. Hinnant's civil_from_days); years outside 1000–9999 as Date writes them. */
export function fromDayNumber(n: number): string {
  const z = n + DAYS_BEFORE_1970;
  const era = Math.floor(z / DAYS_PER_400_YEARS);
  const doe = z - era * DAYS_PER_400_YEARS;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  if (y < 1000 || y > 9999) return new Date(n * 86_400_000).toISOString().slice(0, 10);
  return `${y}-${pad2(m)}-${pad2(d)}`;
}

export function addDays(date: string, n: number): string {
  return fromDayNumber(toDayNumber(date) + n);
}

/** 0 = Sunday … 6 = Saturday. 1970-01-01 was a Thursday. */
export function weekday(date: string): number {
  return (((toDayNumber(date) + 4) % 7) + 7) % 7;
}

export function isWeekend(date: string): boolean {
  const w = weekday(date);
  return w === 0 || w === 6;
}

/**
 * Adds months to a calendar date. 民法典 第二百零二条: 按照年、月计算期间的，到期月的对应日为期间的最后一日；
 * 没有对应日的，月末日为期间的最后一日. So the day of month is kept and clamped to the month's end.
 */
export function addMonthsClamped(date: string, months: number): { date: string; clamped: boolean } {
  const { y, m, d } = parts(date);
  const total = y * 12 + (m - 1) + months;
  const ty = Math.floor(total / 12);
  const tm = (total % 12) + 1;
  const last = daysInMonth(ty, tm);
  const td = Math.min(d, last);
  const out = `${String(ty).padStart(4, '0')}-${String(tm).padStart(2, '0')}-${String(td).padStart(2, '0')}`;
  return { date: out, clamped: td !== d };
}

/** Every date from `a` to `b` inclusive (empty when b < a). */
export function datesBetween(a: string, b: string): string[] {
  const out: string[] = [];
  for (let n = toDayNumber(a), end = toDayNumber(b); n <= end; n++) out.push(fromDayNumber(n));
  return out;
}
