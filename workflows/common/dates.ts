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
