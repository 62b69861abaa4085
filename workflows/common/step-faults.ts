import { ActivityFailure, ApplicationFailure } from '@temporalio/workflow';
import { ConfigurationFault, STEP_FAULT_TYPES } from '../../domain/faults';

/**
 * Cases that record this marker refuse an action whose step can never succeed and raise an incident; before it
 * such a step was retried without end (no recorded history has one), so the marker only guards that path.
 */
export const STEP_FAULT_PATCH = 'step-fault-refuses-action-v1';

/** The type of the Update failure the API answers with 422 and the fault (api/temporal-errors.ts). */
export const ACTION_STEP_FAULT = 'ActionStepFault';

export interface StepFaultInfo {
  /** `ConfigurationFault` or `DataFault` (domain/faults.ts). */
  fault: string;
  /** The activity that refused: the step of the action. */
  step: string;
  cause: string;
}

/**
 * The fault behind an activity's failure, or undefined for anything else (a refusal, a calendar verdict). A local
 * activity's failure reaches the workflow as the ApplicationFailure itself, an ordinary one wrapped in an
 * ActivityFailure; the activity names its step in the details either way (activities/faults.ts).
 */
export function stepFaultOf(err: unknown): StepFaultInfo | undefined {
  const failure = err instanceof ActivityFailure ? err.cause : err;
  if (!(failure instanceof ApplicationFailure) || !failure.type || !STEP_FAULT_TYPES.includes(failure.type)) return undefined;
  const [info] = (failure.details ?? []) as { step?: unknown }[];
  const step = typeof info?.step === 'string' ? info.step : err instanceof ActivityFailure ? err.activityType : 'unknown';
  return { fault: failure.type, step, cause: failure.message };
}

/** The refusal of an action whose step failed on a fault; `details` carry what the API's problem shows. */
export function stepFaultRefusal(action: string, state: string, f: StepFaultInfo, incidentId: string): ApplicationFailure {
  const what = f.fault === ConfigurationFault.type ? 'the configuration' : 'its data';
  return ApplicationFailure.create({
    type: ACTION_STEP_FAULT,
    message: `action ${action} was not taken: its step ${f.step} cannot succeed on ${what}: ${f.cause}. The case is unchanged; supervisors have been told (incident ${incidentId})`,
    details: [{ state, action, step: f.step, fault: f.fault, cause: f.cause, incidentId }],
    nonRetryable: true,
  });
}
