import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { EXCHANGE_DELIVERY_ID, EXCHANGE_RECONCILIATION_ID } from '../workflows/exchange/ids';

/**
 * Tells the delivery there is something new (its `wake` signal), so an entry goes out at once rather than at the next
 * idle look (5 s). For a process that has just committed a change with its outbox entry; never needed for correctness,
 * and a delivery not running (no worker yet) is no error: it finds the entry when it starts.
 */
export async function wakeExchangeDelivery(client: Client): Promise<void> {
  try {
    await client.workflow.getHandle(EXCHANGE_DELIVERY_ID).signal('wake');
  } catch (err) {
    if (!(err instanceof WorkflowNotFoundError)) throw err;
  }
}

/** Asks the reconciliation to compare `day` (YYYY-MM-DD, Asia/Shanghai) now (its `reconcile` signal), e.g. for a supervisor's "check again". */
export async function reconcileExchangeNow(client: Client, day: string): Promise<void> {
  await client.workflow.getHandle(EXCHANGE_RECONCILIATION_ID).signal('reconcile', { day });
}
