import { continueAsNew, sleep } from '@temporalio/workflow';
import { proxyCaseActivities, UNTIL_DONE } from '../common/activity-proxies';
import { EACH_PATCH_ASKED } from '../common/patches';

const { raiseCalendarWarnings } = proxyCaseActivities(UNTIL_DONE, EACH_PATCH_ASKED);

/** One watch per namespace: the worker starts it under this id and joins it if it runs. */
export const CALENDAR_WATCH_ID = 'calendar-watch';

const HOUR = 3_600_000;
/** Days per run before the history starts afresh (continue-as-new), so it never grows. */
const DAYS_PER_RUN = 30;

/** Milliseconds from `now` to 00:05 of the next day in Asia/Shanghai (UTC+8 all year). */
export function untilNextShanghaiMorning(now: number): number {
  const shanghai = now + 8 * HOUR;
  const nextMidnight = Math.floor(shanghai / (24 * HOUR) + 1) * 24 * HOUR;
  return nextMidnight - shanghai + 5 * 60_000;
}

/**
 * Warns supervisors that a year's holiday notice is missing, from the policy's warning day on
 * (`calendar_warn_from`): once a day it raises any warning now due, as an escalation they list.
 * The date is the workflow's own, so the check is the same however late the activity runs.
 */
export async function calendarWatchWorkflow(): Promise<void> {
  for (let day = 0; day < DAYS_PER_RUN; day++) {
    await raiseCalendarWarnings({ at: new Date(Date.now()).toISOString() });
    await sleep(untilNextShanghaiMorning(Date.now()));
  }
  await continueAsNew<typeof calendarWatchWorkflow>();
}
