/**
 * A step that can never succeed with what it was given: retrying it only keeps whoever waits for it waiting.
 * Pure code throws these; the activities turn them into non-retryable failures (activities/faults.ts) and the
 * workflows refuse the action that needed the step and raise an incident (workflows/common/step-faults.ts).
 * A dependency that is down (Postgres, Temporal, the network) is never one of these: that is retried.
 *
 * The names are the failures' `type` across the activity boundary, so they are fixed strings.
 */
export abstract class StepFault extends Error {}

/** The city's settings (a policy override, the catalogue, a loaded calendar) do not allow the step. */
export class ConfigurationFault extends StepFault {
  static readonly type = 'ConfigurationFault';
  override readonly name = ConfigurationFault.type;
}

/** What the step was given (a case's stored input, a record) cannot be worked with. */
export class DataFault extends StepFault {
  static readonly type = 'DataFault';
  override readonly name = DataFault.type;
}

export const STEP_FAULT_TYPES: readonly string[] = [ConfigurationFault.type, DataFault.type];
