import {
  continueAsNew,
  condition,
  defineSignal,
  getExternalWorkflowHandle,
  proxyActivities,
  setHandler,
  uuid4,
} from '@temporalio/workflow';
import type { Activities } from '../../activities';
import { shanghaiYesterday, untilNextShanghaiHour } from '../../exchange/days';
import { EXCHANGE_DELIVERY_ID } from './ids';
import { wakeSignal } from './delivery';

/** Reconciles a day now (YYYY-MM-DD, Asia/Shanghai), besides the daily run: for a supervisor's "check again" and tests. */
export const reconcileSignal = defineSignal<[{ day: string }]>('reconcile');

const { reconcileExchangeDay } = proxyActivities<Activities>({
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/** The hour (Asia/Shanghai) the day before is compared at: early, after the night's deliveries. */
const RECONCILE_HOUR = 4;
/** Runs before the history starts afresh. */
const RUNS_PER_RUN = 60;

/**
 * Once a day compares the day before with the platform (activities/exchange-delivery.ts, reconcileExchangeDay) and
 * wakes the delivery when entries were set back to be sent again.
 */
export async function exchangeReconciliationWorkflow(carried: string[] = []): Promise<void> {
  const asked = [...carried];
  setHandler(reconcileSignal, ({ day }) => {
    asked.push(day);
  });
  for (let run = 0; run < RUNS_PER_RUN; run++) {
    const due = await condition(() => asked.length > 0, untilNextShanghaiHour(Date.now(), RECONCILE_HOUR));
    const day = due ? (asked.shift() as string) : shanghaiYesterday(Date.now());
    const r = await reconcileExchangeDay({ id: uuid4(), day });
    if (r.resent.length > 0) {
      await getExternalWorkflowHandle(EXCHANGE_DELIVERY_ID)
        .signal(wakeSignal)
        .catch(() => undefined); // no delivery running: it finds them pending when it starts
    }
  }
  await continueAsNew<typeof exchangeReconciliationWorkflow>(asked);
}
