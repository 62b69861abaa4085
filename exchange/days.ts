// The days of the exchange are Asia/Shanghai days (UTC+8 all year, no summer time). No Node built-ins here: the
// reconciliation workflow computes the day it compares with these.

import { SHANGHAI_OFFSET_MS, shanghaiDate, untilNextShanghaiTime } from '../workflows/common/dates';

const HOUR = 3_600_000;

export const DAY_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

/** The Asia/Shanghai day (YYYY-MM-DD) of an instant: the day an entry counts for in reconciliation. */
export function shanghaiDayOf(at: Date | string | number): string {
  return shanghaiDate(new Date(at));
}

/** The instants [from, to) of an Asia/Shanghai day. */
export function shanghaiDayBounds(day: string): { from: Date; to: Date } {
  const from = new Date(Date.parse(`${day}T00:00:00.000Z`) - SHANGHAI_OFFSET_MS);
  return { from, to: new Date(from.getTime() + 24 * HOUR) };
}

/** The Asia/Shanghai day before the one `now` falls in. */
export function shanghaiYesterday(now: number): string {
  return shanghaiDayOf(now - 24 * HOUR);
}

/** Milliseconds from `now` to the next `hour`:00 in Asia/Shanghai. */
export function untilNextShanghaiHour(now: number, hour: number): number {
  return untilNextShanghaiTime(now, hour * 60);
}
