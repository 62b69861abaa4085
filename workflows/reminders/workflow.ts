import { ActivityFailure, continueAsNew, log, proxyActivities, sleep } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import { nextWake, shanghaiDay } from './schedule';

/** One reminders workflow per namespace: the worker starts it under this id and joins it if it runs. */
export const REMINDERS_ID = 'reminders';

/** Wakes per run before the history starts afresh (continue-as-new): about a day at 15 minutes, ~1,200 events. */
const WAKES_PER_RUN = 100;
/** Subject batches per wake: a backlog (the first run after deployment) is worked through a few hundred at a time. */
const SUBJECT_BATCHES_PER_WAKE = 10;

const { remindDepartments, remindSubjects } = proxyActivities<Activities>({
  // A digest run reads and mails every department: longer than a case step, shorter than a claim lives
  // (db/outgoing-send.ts STALE_CLAIM_MS), so a timed-out send is never sent again by the retry while it still runs.
  startToCloseTimeout: '10 minutes',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});

export interface RemindersState {
  /** The last Asia/Shanghai day whose digest run completed: one run a day, even across continue-as-new. */
  lastDigestDay?: string;
}

/**
 * Department digests once a day at 08:30 Asia/Shanghai (or as soon after as the worker runs: a late digest, never a
 * skipped one), and subject notices every 15 minutes. Whether the day is a working day, what is due and what was
 * already sent are the activities' to know; the workflow only keeps time and the last digest's day.
 */
export async function remindersWorkflow(state: RemindersState = {}): Promise<void> {
  let lastDigestDay = state.lastDigestDay;
  for (let wake = 0; wake < WAKES_PER_RUN; wake++) {
    const now = Date.now();
    const { day, digestTimeReached } = shanghaiDay(now);
    if (digestTimeReached && lastDigestDay !== day) {
      try {
        await remindDepartments({ at: new Date(now).toISOString() });
      } catch (err) {
        // A verdict (a fault no retry mends) must not stop the subjects' notices; the day is not tried again.
        if (!(err instanceof ActivityFailure)) throw err;
        log.warn('the department digests failed for good', { day, error: err.message });
      }
      lastDigestDay = day;
    }
    for (let batch = 0; batch < SUBJECT_BATCHES_PER_WAKE; batch++) {
      try {
        const r = await remindSubjects({ at: new Date(Date.now()).toISOString() });
        if (!r.more) break;
      } catch (err) {
        if (!(err instanceof ActivityFailure)) throw err;
        log.warn('the subject notices failed for good', { error: err.message });
        break;
      }
    }
    await sleep(nextWake(Date.now()));
  }
  await continueAsNew<typeof remindersWorkflow>(lastDigestDay ? { lastDigestDay } : {});
}
