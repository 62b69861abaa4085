/**
 * The calendar date of an instant in Asia/Shanghai (UTC+8 all year, no DST): plain arithmetic, no calendar
 * lookup, so workflow code may use it. The one place this arithmetic is written: the API, the documents and
 * the calendar call it (with their own checks of the input) instead of repeating it.
 */
export function shanghaiDate(instant: string | Date): string {
  const ms = typeof instant === 'string' ? Date.parse(instant) : instant.getTime();
  return new Date(ms + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

export const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

const DAY_MS = 24 * 3_600_000;

/** Milliseconds from `now` to the next time `minuteOfDay` (after midnight) comes in Asia/Shanghai, strictly later. */
export function untilNextShanghaiTime(now: number, minuteOfDay: number): number {
  const local = now + SHANGHAI_OFFSET_MS;
  let next = Math.floor(local / DAY_MS) * DAY_MS + minuteOfDay * 60_000;
  if (next <= local) next += DAY_MS;
  return next - local;
}
