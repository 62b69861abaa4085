// No imports: the worker and the tests name the exchange's workflows by these without loading workflow code.

/** One delivery per namespace: the worker starts it under this id and joins it if it runs. */
export const EXCHANGE_DELIVERY_ID = 'exchange-delivery';
/** One daily reconciliation per namespace, likewise. */
export const EXCHANGE_RECONCILIATION_ID = 'exchange-reconciliation';
