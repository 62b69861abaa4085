// Definitions of the benchmarks' baseline workflow, shared by the bench worker's bundle (index.ts)
// and the benchmarks that call it through the SDK client.
import { defineSignal, defineUpdate } from '@temporalio/workflow';

export const EMPTY_WORKFLOW_TYPE = 'emptyWorkflow';

export interface EmptyWorkflowInput {
  /** false: returns at once (a start costs one workflow task); true: stays open, answering `ping`, until `finish`. */
  stayOpen: boolean;
}

/** Returns its argument: the cheapest Update there is, the baseline of an action's round trip. */
export const pingUpdate = defineUpdate<number, [number]>('ping');
export const finishSignal = defineSignal('finish');
