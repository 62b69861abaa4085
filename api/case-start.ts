import { WithStartWorkflowOperation, type Client } from '@temporalio/client';
import { openedUpdate } from '../workflows/common/definitions';
import type { CaseView, Procedure } from '../workflows/common/case-types';
import type { ProcedureApi, WorkflowInputOf } from './procedures/procedure';

export type CaseWorkflowType = ProcedureApi<Procedure>['workflowType'];

/**
 * Starts a case's workflow (workflow id = case id) and answers with the case as the workflow holds it once
 * its opening is recorded: one Update-with-Start, so the start and the answer are one round trip. The API
 * and the benchmarks that stand in for it start cases through this one call.
 */
export function startCaseWorkflow(
  client: Client,
  taskQueue: string,
  workflowType: CaseWorkflowType,
  input: WorkflowInputOf<Procedure>,
): Promise<CaseView> {
  const startWorkflowOperation = new WithStartWorkflowOperation(workflowType, {
    taskQueue,
    workflowId: input.caseId,
    args: [input],
    // A retry of the same request (same Idempotency-Key) joins the case it already started.
    workflowIdConflictPolicy: 'USE_EXISTING',
    workflowIdReusePolicy: 'REJECT_DUPLICATE',
  });
  return client.workflow.executeUpdateWithStart(openedUpdate, { startWorkflowOperation });
}
