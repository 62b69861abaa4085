import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { ACTION_REFUSED } from '../workflows/common/case-types';
import { conflict, notFound, stepFaultProblem, unprocessable, type Problem } from './problem';
import { CalendarRangeError, CALENDAR_YEAR_MISSING } from '../domain/calendar/errors';
import { DOCUMENT_CONFLICT } from '../activities/document-store';
import { ACTION_STEP_FAULT } from '../workflows/common/step-faults';
import { STEP_FAULT_TYPES } from '../domain/faults';
import { causesOf } from '../domain/error-causes';

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
    const failures = causesOf(err.cause).filter((c) => c instanceof ApplicationFailure);
    const conflicting = failures.find((c) => c.type === DOCUMENT_CONFLICT);
    if (conflicting) return conflict(`the action was not taken: ${conflicting.message}`, {});
    // A fault that reached the Update without the workflow's own refusal (an Update outside the `act` path).
    const fault = failures.find((c) => c.type && STEP_FAULT_TYPES.includes(c.type));
    if (fault?.type) return stepFaultProblem(`the action was not taken: ${fault.message}`, { fault: fault.type, cause: fault.message });
    // A period the action would open lies outside every calendar rule (an activity's verdict): refused, nothing changed.
    const beyond = failures.find((c) => c.type === CalendarRangeError.type || c.type === CALENDAR_YEAR_MISSING);
    if (beyond) {
      return unprocessable(`the action needs a deadline the calendar cannot give: ${beyond.message}`, [
        { path: 'calendar', message: beyond.message },
      ]);
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

/** What Temporal answers an Update to a workflow that has completed (and never saw that Update's id). */
export function isClosedWorkflowError(err: unknown): boolean {
  return causesOf(err).some(
    (c) =>
      c instanceof WorkflowNotFoundError ||
      (c instanceof Error && /already completed|workflow execution.*(?:completed|closed)/i.test(c.message)),
  );
}
