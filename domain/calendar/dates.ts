/**
 * Calendar-date arithmetic on `YYYY-MM-DD` strings. Every computation goes through a day number
 * (days since 1970-01-01) built with Date.UTC, so the host machine's timezone never enters: a legal
 * date is a date in Asia/Shanghai, which has no DST and is always UTC+8.
 */

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MS_PER_DAY = 86_400_000;

/** True for a `YYYY-MM-DD` string naming a day that exists (2026-02-30 does not). */
export function isIsoDate(s: string): boolean {
  const m = DATE_RE.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo);
}

export function assertIsoDate(s: string, what = 'date'): void {
  if (typeof s !== 'string' || !isIsoDate(s)) throw new RangeError(`${what} must be a calendar date YYYY-MM-DD, got ${JSON.stringify(s)}`);
}

export function parts(date: string): { y: number; m: number; d: number } {
  assertIsoDate(date);
  return { y: Number(date.slice(0, 4)), m: Number(date.slice(5, 7)), d: Number(date.slice(8, 10)) };
}

export function yearOf(date: string): number {
  return parts(date).y;
}

export function daysInMonth(y: number, m: number): number {
  // Day 0 of the next month is the last day of this one.
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

export function toDayNumber(date: string): number {
  const { y, m, d } = parts(date);
  return Math.round(Date.UTC(y, m - 1, d) / MS_PER_DAY);
}

export function fromDayNumber(n: number): string {
  return new Date(n * MS_PER_DAY).toISOString().slice(0, 10);
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
