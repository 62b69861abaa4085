import { ApplicationFailure } from '@temporalio/activity';
import { DataFault, StepFault } from '../domain/faults';

/**
 * What a workflow learns of a step that can never succeed: a non-retryable failure whose type names the fault
 * and whose details name the step, so the action is refused at once instead of retried while its caller waits.
 */
function verdictOf(step: string, fault: StepFault): ApplicationFailure {
  return ApplicationFailure.nonRetryable(fault.message, fault.name, { step, cause: fault.message });
}

type Activity = (...args: never[]) => Promise<unknown>;

/** Every activity of `acts` with its faults turned into verdicts; any other error is thrown as it was (and retried). */
export function faultsAsVerdicts<T extends Record<string, Activity>>(acts: T): T {
  const out: Record<string, Activity> = {};
  for (const [step, fn] of Object.entries(acts)) {
    out[step] = async (...args: never[]) => {
      try {
        return await fn(...args);
      } catch (err) {
        if (err instanceof StepFault) throw verdictOf(step, err);
        throw err;
      }
    };
  }
  return out as T;
}

/**
 * Runs pure code (a renderer, date arithmetic) on what a step was given. Pure code that refuses its input
 * (RangeError, TypeError) refuses it on every try: a data fault. Errors that carry a `code` come from I/O and
 * are left to be retried.
 */
export async function refusedInputIsFault<T>(what: string, fn: () => Promise<T> | T): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof StepFault) throw err;
    if ((err instanceof RangeError || err instanceof TypeError) && (err as { code?: unknown }).code === undefined) {
      throw new DataFault(`${what}: ${err.message}`);
    }
    throw err;
  }
}
