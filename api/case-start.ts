import { WithStartWorkflowOperation, type Client } from '@temporalio/client';
import { openedChangesUpdate, openedUpdate } from '../workflows/common/definitions';
import type { ActionChanges, CaseView, Procedure } from '../workflows/common/case-types';
import { CODE_OF_2026_12_PATCH } from '../workflows/common/code-of-case';
import type { ProcedureApi, WorkflowInputOf } from './procedures/procedure';

export type CaseWorkflowType = ProcedureApi<Procedure>['workflowType'];

/** The start of a case's workflow (workflow id = case id) that an Update-with-Start sends with its first Update. */
function startOperation(taskQueue: string, workflowType: CaseWorkflowType, input: WorkflowInputOf<Procedure>) {
  return new WithStartWorkflowOperation(workflowType, {
    taskQueue,
    workflowId: input.caseId,
    // Workers are released before the API, so this case begins on workers with every patch it stands for.
    args: [{ ...input, code: CODE_OF_2026_12_PATCH }],
    // A retry of the same request (same Idempotency-Key) joins the case it already started.
    workflowIdConflictPolicy: 'USE_EXISTING',
    workflowIdReusePolicy: 'REJECT_DUPLICATE',
  });
}

/**
 * Starts a case's workflow and answers with the case as the workflow holds it once its opening is recorded: one
 * Update-with-Start, so the start and the answer are one round trip. The workflow writes the opening to Postgres
 * itself; the benchmarks that stand in for an API use this.
 */
export function startCaseWorkflow(
  client: Client,
  taskQueue: string,
  workflowType: CaseWorkflowType,
  input: WorkflowInputOf<Procedure>,
): Promise<CaseView> {
  return client.workflow.executeUpdateWithStart(openedUpdate, { startWorkflowOperation: startOperation(taskQueue, workflowType, input) });
}

/**
 * `startCaseWorkflow` for a caller that writes the opening itself (the API, api/action-changes.ts): answered with the
 * opening's changes, under `updateId`, so a retry, or the sweeper after a caller that died, learns the same outcome.
 * The caller works out the case from them (api/case-answers.ts `caseAsOpened`).
 */
export function startCaseHandingOver(
  client: Client,
  start: { taskQueue: string; workflowType: CaseWorkflowType; input: WorkflowInputOf<Procedure> },
  updateId: string,
): Promise<ActionChanges> {
  return client.workflow.executeUpdateWithStart(openedChangesUpdate, {
    startWorkflowOperation: startOperation(start.taskQueue, start.workflowType, start.input),
    updateId,
  });
}
