import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { ACTION_REFUSED } from '../workflows/common/case-types';
import { conflict, notFound, stepFaultProblem, unprocessable, type Problem } from './problem';
import { CALENDAR_OUT_OF_RANGE, CALENDAR_YEAR_MISSING } from '../domain/calendar/errors';
import { DOCUMENT_CONFLICT } from '../activities/document-store';
import { ACTION_STEP_FAULT } from '../workflows/common/step-faults';
import { STEP_FAULT_TYPES } from '../domain/faults';

/** Maps what the Temporal client throws about one case to the API's answer, or null if it is not about the case. */
export function caseProblem(err: unknown, caseId: string): Problem | null {
  if (err instanceof WorkflowNotFoundError) return notFound(`no case ${caseId}`);
  if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
    if (err.cause.type === ACTION_REFUSED) {
      const [info] = (err.cause.details ?? []) as Record<string, unknown>[];
      return conflict(err.cause.message, info ?? {});
    }
    if (err.cause.type === ACTION_STEP_FAULT) {
      const [info = {}] = (err.cause.details ?? []) as Record<string, unknown>[];
      return stepFaultProblem(err.cause.message, info);
    }
  }
  if (err instanceof WorkflowUpdateFailedError) {
    for (let c: unknown = err.cause; c instanceof Error; c = (c as Error & { cause?: unknown }).cause) {
      if (c instanceof ApplicationFailure && c.type === DOCUMENT_CONFLICT) return conflict(`the action was not taken: ${c.message}`, {});
    }
    // A fault that reached the Update without the workflow's own refusal (an Update outside the `act` path).
    for (let c: unknown = err.cause; c instanceof Error; c = (c as Error & { cause?: unknown }).cause) {
      if (c instanceof ApplicationFailure && c.type && STEP_FAULT_TYPES.includes(c.type)) {
        return stepFaultProblem(`the action was not taken: ${c.message}`, { fault: c.type, cause: c.message });
      }
    }
    // A period the action would open lies outside every calendar rule (an activity's verdict): refused, nothing changed.
    for (let c: unknown = err.cause; c instanceof Error; c = (c as Error & { cause?: unknown }).cause) {
      if (c instanceof ApplicationFailure && (c.type === CALENDAR_OUT_OF_RANGE || c.type === CALENDAR_YEAR_MISSING)) {
        return unprocessable(`the action needs a deadline the calendar cannot give: ${c.message}`, [
          { path: 'calendar', message: c.message },
        ]);
      }
    }
  }
  return null;
}

/**
 * True only when the case's workflow certainly does not exist, so what a filing claimed for it may be given
 * back. Started, or unknown (the server did not answer): false, and a retry with the same key joins the case.
 */
export async function neverStarted(temporal: Client, caseId: string): Promise<boolean> {
  try {
    await temporal.workflow.getHandle(caseId).describe();
    return false;
  } catch (err) {
    return err instanceof WorkflowNotFoundError;
  }
}
