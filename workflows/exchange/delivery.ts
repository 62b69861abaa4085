import { condition, continueAsNew, defineSignal, proxyActivities, setHandler } from '@temporalio/workflow';
import type { Activities } from '../../activities';

/** Sent when there is something new to deliver (or the platform is back): the wait before the next batch ends. */
export const wakeSignal = defineSignal('wake');

const { deliverExchangeBatch } = proxyActivities<Activities>({
  // A batch sends for at most maxMs (20 s) and each request waits at most the adapter's timeout (10 s) beyond that.
  startToCloseTimeout: '2 minutes',
  heartbeatTimeout: '10 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

export interface DeliveryState {
  /** The current wait after an unanswered attempt (ms), carried across continue-as-new. */
  backoffMs?: number;
  /** How long an idle delivery waits for a `wake` before looking at the outbox again (ms). */
  idlePollMs?: number;
}

const FIRST_BACKOFF_MS = 1_000;
const MAX_BACKOFF_MS = 5 * 60_000;
const IDLE_POLL_MS = 5_000;
/** Without a platform configured, the outbox is looked at again this seldom (a worker restart with one configured starts afresh). */
const UNCONFIGURED_POLL_MS = 10 * 60_000;
/** Batches per run before the history starts afresh: one activity and at most one timer each, so it stays small. */
const BATCHES_PER_RUN = 300;

/**
 * Delivers the exchange's outbox (activities/exchange-delivery.ts), batch after batch, for as long as it runs: one
 * activity per batch (never one per entry) in history. While the platform answers nothing it backs off, 1 s doubling
 * to 5 min (an entry the platform alone fails on waits its own backoff, in the batch's choice); a `wake` ends any wait.
 */
export async function exchangeDeliveryWorkflow(state: DeliveryState = {}): Promise<void> {
  let woken = false;
  setHandler(wakeSignal, () => {
    woken = true;
  });
  let backoffMs = state.backoffMs ?? 0;
  const idlePollMs = state.idlePollMs ?? IDLE_POLL_MS;
  for (let batch = 0; batch < BATCHES_PER_RUN; batch++) {
    const r = await deliverExchangeBatch({});
    let waitMs = 0;
    if (r.unconfigured) waitMs = UNCONFIGURED_POLL_MS;
    else if (r.unanswered > 0 && r.accepted + r.held + r.refused === 0) {
      backoffMs = backoffMs === 0 ? FIRST_BACKOFF_MS : Math.min(backoffMs * 2, MAX_BACKOFF_MS);
      waitMs = backoffMs;
    } else {
      backoffMs = 0;
      if (!r.more) waitMs = idlePollMs;
    }
    if (waitMs > 0) await condition(() => woken, waitMs);
    woken = false;
  }
  await continueAsNew<typeof exchangeDeliveryWorkflow>({ backoffMs, idlePollMs });
}
