/**
 * When the reminders wake: plain arithmetic on Asia/Shanghai (UTC+8 all year, no DST), no calendar, so the workflow
 * may use it. Whether a day is a working day is the activities' question (they read the calendar).
 */
import { SHANGHAI_OFFSET_MS, untilNextShanghaiTime } from '../common/dates';

const DAY_MS = 24 * 3_600_000;

/** The department digests go at 08:30 Asia/Shanghai, before the offices open. */
export const DIGEST_MINUTE_OF_DAY = 8 * 60 + 30;
/** Subject notices are looked for every 15 minutes, so a window opened is told within the hour. */
export const SUBJECT_EVERY_MS = 15 * 60_000;

/** The Shanghai date of an instant, and whether its digest time has come. */
export function shanghaiDay(now: number): { day: string; digestTimeReached: boolean } {
  const local = now + SHANGHAI_OFFSET_MS;
  const minute = Math.floor((local % DAY_MS) / 60_000);
  return { day: new Date(local).toISOString().slice(0, 10), digestTimeReached: minute >= DIGEST_MINUTE_OF_DAY };
}

/** Milliseconds from `now` to the next digest time (08:30 Shanghai), strictly later. */
export function untilNextDigest(now: number): number {
  return untilNextShanghaiTime(now, DIGEST_MINUTE_OF_DAY);
}

/** How long to sleep: until the next subject look or the next digest, whichever is first (at least a second). */
export function nextWake(now: number): number {
  return Math.max(1_000, Math.min(SUBJECT_EVERY_MS, untilNextDigest(now)));
}
