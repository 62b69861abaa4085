import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { ACTION_REFUSED } from '../workflows/common/case-types';
import { conflict, notFound, type Problem } from './problem';

/** Maps what the Temporal client throws about one case to the API's answer, or null if it is not about the case. */
export function caseProblem(err: unknown, caseId: string): Problem | null {
  if (err instanceof WorkflowNotFoundError) return notFound(`no case ${caseId}`);
  if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
    if (err.cause.type === ACTION_REFUSED) {
      const [info] = (err.cause.details ?? []) as Record<string, unknown>[];
      return conflict(err.cause.message, info ?? {});
    }
  }
  return null;
}
