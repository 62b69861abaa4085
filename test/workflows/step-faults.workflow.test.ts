import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { getCaseQuery, type ListingInput } from '../../workflows/listing/definitions';
import type { Actor } from '../../workflows/common/case-types';
import { ACTION_STEP_FAULT, STEP_FAULT_PATCH } from '../../workflows/common/step-faults';
import { defaultPolicy } from '../../domain/calendar';
import { listingWorkflowInput } from '../support/fixtures';
import { caseIdFor, useTimeSkipping } from '../support/time-skipping';

/**
 * A step that can never succeed refuses its action at once (workflows/common/procedure.ts `acting`): the Update
 * fails with ActionStepFault naming the step and the cause, nothing is recorded, the workflow runs on, and the
 * supervisors get one incident. Checked on the time-skipping server with the real activities.
 */
const ts = useTimeSkipping({ historyName: 'step-faults', maxHistoryEvents: 100 });
const OFFICER: Actor = { id: 'officer-1', role: 'officer', department: 'ZY-SAMR' };

async function faultOf(p: Promise<unknown>): Promise<ApplicationFailure> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
  const cause = (err as WorkflowUpdateFailedError).cause;
  expect(cause).toBeInstanceOf(ApplicationFailure);
  expect((cause as ApplicationFailure).type).toBe(ACTION_STEP_FAULT);
  return cause as ApplicationFailure;
}

const cases: [string, Partial<ListingInput>, { fault: string; cause: RegExp }][] = [
  [
    'a policy term the notice cannot print (configuration)',
    { policy: { ...defaultPolicy(), statement_window: { ...defaultPolicy().statement_window, unit: 'days' } } },
    { fault: 'ConfigurationFault', cause: /policy statement_window is in days; the documents print it in working_days/ },
  ],
  ['a measure no longer in the catalogue (data)', { proposedMeasures: ['N-01', 'N-99'] }, { fault: 'DataFault', cause: /measure N-99 is no longer in the catalogue/ }],
];

it.each(cases)('refuses serve_notice on %s, records nothing, keeps running and raises one incident', async (_what, extra, expected) => {
  await ts.withWorker(async (start) => {
    const caseId = caseIdFor('LST');
    const h = await start('listingWorkflow', caseId, listingWorkflowInput(caseId, await ts.iso(), OFFICER, extra));
    const opened = await ts.opened(h);
    await ts.settled(caseId, 'opened');

    const serve = async () => ts.doAction(h, OFFICER, 'serve_notice', { servedAt: await ts.iso(), method: 'electronic' });
    const fault = await faultOf(serve());
    const [info] = fault.details as Record<string, unknown>[];
    expect(info).toMatchObject({ action: 'serve_notice', step: 'issueListingDocument', fault: expected.fault, state: 'opened' });
    expect(String(info!.cause)).toMatch(expected.cause);
    expect(fault.message).toMatch(expected.cause);

    // The statement window it staged is dropped with it; the workflow runs on and takes the action again (refused again).
    const view = await h.query(getCaseQuery);
    expect(view).toEqual(opened);
    expect((await h.describe()).status.name).toBe('RUNNING');
    const again = await faultOf(serve());
    expect((again.details as Record<string, unknown>[])[0]!.incidentId).toBe(info!.incidentId);

    const incidents = await ts.db.escalation.findMany({ where: { caseId, kind: 'incident' } });
    expect(incidents).toEqual([
      expect.objectContaining({ id: info!.incidentId, department: 'ZY-SAMR', deadlineId: null, detail: expect.objectContaining({ step: 'issueListingDocument', fault: expected.fault }) }),
    ]);
    expect(await ts.db.document.count({ where: { caseId } })).toBe(0);
    expect(await ts.db.deadline.count({ where: { caseId } })).toBe(0);

    // The path is guarded by its patch marker, so histories from before it replay unchanged.
    const history = await h.fetchHistory();
    const markers = (history.events ?? []).flatMap((e) => (e.markerRecordedEventAttributes ? [JSON.stringify(e.markerRecordedEventAttributes.details)] : []));
    expect(markers.some((m) => m.includes(Buffer.from(JSON.stringify(STEP_FAULT_PATCH)).toString('base64')))).toBe(true);
    const types = (history.events ?? []).map((e) => temporal.api.enums.v1.EventType[e.eventType ?? 0] ?? '');
    expect(types.some((t) => t.includes('WORKFLOW_TASK_FAILED'))).toBe(false);
    await ts.keepHistory(h, `listing-step-fault-${expected.fault === 'DataFault' ? 'data' : 'configuration'}`);
  });
});
