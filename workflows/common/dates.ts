/** The calendar date of an instant in Asia/Shanghai (UTC+8 all year): plain arithmetic, no calendar lookup. */
export function shanghaiDate(instant: string): string {
  return new Date(Date.parse(instant) + 8 * 3_600_000).toISOString().slice(0, 10);
}
