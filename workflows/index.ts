// The worker bundles this file: every workflow type the task queue serves is exported here.
export { listingWorkflow } from './listing/workflow';
export { objectionWorkflow } from './objection/workflow';
export { repairWorkflow } from './repair/workflow';
export { calendarWatchWorkflow } from './calendar-watch/workflow';
export { remindersWorkflow } from './reminders/workflow';
export { exchangeDeliveryWorkflow } from './exchange/delivery';
export { exchangeReconciliationWorkflow } from './exchange/reconciliation';
