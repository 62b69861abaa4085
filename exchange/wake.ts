import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { EXCHANGE_DELIVERY_ID } from '../workflows/exchange/ids';

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
