import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { getCaseQuery, type ListingInput } from '../../workflows/listing/definitions';
import type { Actor } from '../../workflows/common/case-types';
import { ACTION_STEP_FAULT } from '../../workflows/common/step-faults';
import { CODE_OF_2026_12_PATCH } from '../../workflows/common/patches';
import { patchesRecorded } from '../support/patch-markers';
import { defaultPolicy } from '../../domain/calendar';
import { listingWorkflowInput } from '../support/fixtures';
import { caseIdFor, DAY, useTimeSkipping } from '../support/time-skipping';

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
    {
      fault: 'ConfigurationFault',
      cause: /policy statement_window is in days; the documents print it in working_days/,
    },
  ],
  [
    'a measure no longer in the catalogue (data)',
    { proposedMeasures: ['N-01', 'N-99'] },
    { fault: 'DataFault', cause: /measure N-99 is no longer in the catalogue/ },
  ],
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
    expect(info).toMatchObject({
      action: 'serve_notice',
      step: 'issueListingDocument',
      fault: expected.fault,
      state: 'opened',
    });
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
      expect.objectContaining({
        id: info!.incidentId,
        department: 'ZY-SAMR',
        deadlineId: null,
        detail: expect.objectContaining({ step: 'issueListingDocument', fault: expected.fault }),
      }),
    ]);
    expect(await ts.db.document.count({ where: { caseId } })).toBe(0);
    expect(await ts.db.deadline.count({ where: { caseId } })).toBe(0);

    // The path is guarded by its patch, so histories from before it replay unchanged; a case begun on today's code
    // takes it under the one marker of its opening (workflows/common/patches.ts).
    expect((await patchesRecorded(h)).patches).toEqual([CODE_OF_2026_12_PATCH]);
    const history = await h.fetchHistory();
    const types = (history.events ?? []).map((e) => temporal.api.enums.v1.EventType[e.eventType ?? 0] ?? '');
    expect(types.some((t) => t.includes('WORKFLOW_TASK_FAILED'))).toBe(false);
    await ts.keepHistory(h, `listing-step-fault-${expected.fault === 'DataFault' ? 'data' : 'configuration'}`);
  });
});

it('raises a fault on the workflow’s own path as an incident and keeps the case running, trying again the next day', async () => {
  await ts.withWorker(async (start) => {
    // An imported listing whose category no document can name (the API would refuse it): its removal notice at expiry cannot be rendered.
    const caseId = caseIdFor('LST');
    const input = listingWorkflowInput(caseId, await ts.iso(), OFFICER, {
      category: 'no_such_category' as ListingInput['category'],
      imported: {
        decisionDocument: { number: '张市监认〔2023〕7号', issuedOn: '2023-01-02' },
        decisionServedAt: await ts.iso(-(3 * 365 - 3) * DAY),
        measures: ['N-01'],
      },
    });
    const h = await start('listingWorkflow', caseId, input);
    const listed = await ts.opened(h);
    expect(listed.state).toBe('listed');
    const term = listed.deadlines.find((d) => d.kind === 'listing_period')!;

    const incident = async () => ts.db.escalation.findMany({ where: { caseId, kind: 'incident' } });
    await ts.nudged(h, ts.env.sleep(Date.parse(term.dueAt) - (await ts.now()) + 60_000));
    const until = Date.now() + 15_000;
    while ((await incident()).length === 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
    expect(await incident()).toEqual([
      expect.objectContaining({
        department: 'ZY-SAMR',
        detail: expect.objectContaining({
          action: 'expire',
          step: 'issueListingDocument',
          fault: 'DataFault',
          actor: 'system',
        }),
      }),
    ]);
    expect(((await incident())[0]!.detail as { cause: string }).cause).toContain('no_such_category');

    // A day later it has tried again (more local activity markers): still running, still listed, still one incident, no failed workflow task.
    const markers = async () => ((await h.fetchHistory()).events ?? []).filter((e) => e.markerRecordedEventAttributes).length;
    const before = await markers();
    await ts.nudged(h, ts.env.sleep(DAY + 60_000));
    const retried = Date.now() + 15_000;
    while ((await markers()) <= before && Date.now() < retried) await new Promise((r) => setTimeout(r, 100));
    expect(await markers()).toBeGreaterThan(before);
    expect((await h.describe()).status.name).toBe('RUNNING');
    expect(await h.query(getCaseQuery)).toMatchObject({ state: 'listed', closed: false });
    expect(await incident()).toHaveLength(1);
    const types = ((await h.fetchHistory()).events ?? []).map((e) => temporal.api.enums.v1.EventType[e.eventType ?? 0] ?? '');
    expect(types.some((t) => t.includes('WORKFLOW_TASK_FAILED'))).toBe(false);
  });
});
