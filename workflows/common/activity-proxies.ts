import {
  ActivityFailure,
  ApplicationFailure,
  proxyActivities,
  proxyLocalActivities,
  type ActivityInterfaceFor,
  type RetryPolicy,
} from '@temporalio/workflow';
import type { Duration } from '@temporalio/common';
import type { CasePatches } from './patches';
import type { Activities } from '../../activities';
import { present } from './present';

/**
 * Cases that record this patch marker run their short database and calendar work as local activities
 * first. Histories recorded before it (no marker) replay with ordinary activities, as they were run.
 */
export const LOCAL_FIRST_PATCH = 'local-first-activities-v1';

export interface CaseActivityOptions {
  startToCloseTimeout: Duration;
  /** The remote activity's policy: how long an outage may last is decided here, not by the local tries. */
  retry: RetryPolicy;
}

/** A case's steps are retried until they are done, however long a dependency is away: no attempt limit. */
export const UNTIL_DONE: CaseActivityOptions = {
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds' },
};

/**
 * Acting on another case's workflow waits for that workflow's Update, which may take longer than a local
 * activity should hold a workflow task: these always run as ordinary activities.
 */
export function proxyLinkedActivities(): ActivityInterfaceFor<Activities> {
  return proxyActivities<Activities>(UNTIL_DONE);
}

/**
 * The case activities, tried locally first and then, if the local tries fail, as an ordinary activity.
 *
 * Why: an action runs several short steps (service date, deadline, document, projection). As ordinary
 * activities each is a round trip through the Temporal server (schedule, start, complete, a new
 * workflow task), which is most of an action's latency and of the server's work per case. As local
 * activities they run inside the workflow task that took the action, and their results are kept in
 * history as markers, so replays still never call them.
 *
 * Why the fallback: a local activity that keeps failing keeps its workflow task open and heartbeating,
 * and each retry beyond the local threshold adds timer events to history. A database outage of hours
 * would swell every waiting case's history. After a few quick local tries the step is handed to an
 * ordinary activity, whose retries cost no history, so "retried until done" still holds.
 *
 * A failure the activity marks non-retryable (or of a type the policy names) is a verdict, not an outage:
 * it is thrown to the workflow as it would be from an ordinary activity. `patches`: the case's, which say whether it
 * takes the local tries (LOCAL_FIRST_PATCH).
 */
export function proxyCaseActivities(opts: CaseActivityOptions, patches: CasePatches): ActivityInterfaceFor<Activities> {
  const remote = proxyActivities<Activities>(opts);
  const local = proxyLocalActivities<Activities>({
    startToCloseTimeout: opts.startToCloseTimeout,
    retry: {
      initialInterval: '100 milliseconds',
      backoffCoefficient: 2,
      maximumAttempts: 3,
      nonRetryableErrorTypes: opts.retry.nonRetryableErrorTypes ?? [],
    },
  });
  const verdictTypes = new Set(opts.retry.nonRetryableErrorTypes ?? []);
  const isVerdict = (err: unknown): boolean => {
    const cause = err instanceof ActivityFailure ? err.cause : err;
    return (
      cause instanceof ApplicationFailure &&
      (cause.nonRetryable || (cause.type !== undefined && cause.type !== null && verdictTypes.has(cause.type)))
    );
  };
  return new Proxy({} as ActivityInterfaceFor<Activities>, {
    get(_target, name) {
      if (typeof name !== 'string') return undefined;
      const viaRemote = present((remote as Record<string, (...args: unknown[]) => Promise<unknown>>)[name], `activity ${name}`);
      const viaLocal = present((local as Record<string, (...args: unknown[]) => Promise<unknown>>)[name], `local activity ${name}`);
      return async (...args: unknown[]) => {
        if (!patches.isPatched(LOCAL_FIRST_PATCH)) return viaRemote(...args);
        try {
          return await viaLocal(...args);
        } catch (err) {
          if (isVerdict(err)) throw err;
          return viaRemote(...args);
        }
      };
    },
  });
}
