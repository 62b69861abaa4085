import { temporal } from '@temporalio/proto';
import { WithStartWorkflowOperation, type WorkflowHandle } from '@temporalio/client';
import { getCaseQuery, openedHandingOverUpdate, takeActionUpdate } from '../../workflows/common/definitions';
import type { ActionChanges, ActionQuotes, Actor } from '../../workflows/common/case-types';
import { listingWorkflowInput } from '../support/fixtures';
import { caseIdFor, useTimeSkipping } from '../support/time-skipping';
import { quoteAhead } from '../../api/action-quotes';
import { claimHandover, claimOpening, writeActionChanges } from '../../api/action-changes';
import { CODE_OF_2026_12_PATCH } from '../../workflows/common/patches';
import { patchesRecorded } from '../support/patch-markers';
import { startCaseHandingOver } from '../../api/case-start';
import { caseAsOpened } from '../../api/case-answers';
import { readCase } from '../../api/case-reads';

/**
 * The `takeAction` Update (issue 23): the workflow answers an action's changes for its caller to write, writes none of
 * them itself, and writes them after all, before a change of its own, when no later action says they are written (a
 * caller that died). The history is recorded for the replay test (RECORD_HISTORIES=1).
 */
const ts = useTimeSkipping({ historyName: 'action-handover', maxHistoryEvents: 200 });
const { iso, now, nudged, keepHistory } = ts;
const OFFICER: Actor = { id: 'officer-1', role: 'officer', department: 'ZY-SAMR' };
const SUPERVISOR: Actor = { id: 'supervisor-1', role: 'supervisor', department: 'ZY-DRC' };
const SUBJECT: Actor = { id: 'company', role: 'subject' };

const take = async (
  h: WorkflowHandle,
  action: string,
  body: Record<string, unknown>,
  opts: { confirmedVersion?: number; actor?: Actor } = {},
): Promise<ActionChanges> =>
  h.executeUpdate(takeActionUpdate, {
    args: [
      {
        action,
        actor: opts.actor ?? OFFICER,
        body,
        receivedAt: await iso(),
        ...(opts.confirmedVersion !== undefined ? { confirmedVersion: opts.confirmedVersion } : {}),
      },
    ],
  });

/** The activity types of the local activities the history recorded, in order. */
async function localActivities(h: WorkflowHandle): Promise<string[]> {
  const history = await h.fetchHistory();
  return (history.events ?? [])
    .filter((e) => e.eventType === temporal.api.enums.v1.EventType.EVENT_TYPE_MARKER_RECORDED)
    .map((e) => {
      const data = e.markerRecordedEventAttributes?.details?.data?.payloads?.[0]?.data;
      return data ? ((JSON.parse(Buffer.from(data).toString()) as { activity_type?: string }).activity_type ?? '?') : '?';
    });
}

/** A served notice worked out ahead and claimed as the API claims it: its renderings kept with the action's handover. */
async function quotedAndClaimed(
  caseId: string,
  updateId: string,
  a: Omit<Parameters<typeof quoteAhead>[1], 'action'>,
): Promise<ActionQuotes | undefined> {
  const ahead = await quoteAhead(ts.db, { ...a, action: 'serve_notice' });
  await claimHandover(ts.db, { updateId, caseId, ...(ahead ? { renderings: ahead.renderings } : {}) });
  return ahead?.quotes;
}

/** An Update's changes written as the API writes them (api/action-changes.ts): in order, a single one in one statement. */
const writtenAsTheApiWrites = (caseId: string, changes: ActionChanges['changes'], updateId = `act-written-${caseId}`) =>
  writeActionChanges(ts.db, ts.env.client, { updateId, caseId, changes });

const timelineOf = async (caseId: string) =>
  (await ts.db.timelineEntry.findMany({ where: { caseId }, orderBy: { seq: 'asc' } })).map((t) => t.action);

it('answers the changes of an action for its caller to write, and writes an unwritten one before its own next change', async () => {
  await ts.withWorker(async (start) => {
    const caseId = caseIdFor('LST');
    const h = await start('listingWorkflow', caseId, listingWorkflowInput(caseId, await iso(), OFFICER));
    await ts.settled(caseId, 'opened');

    const served = await take(h, 'serve_notice', { servedAt: await iso(), method: 'in_person' }, { confirmedVersion: 1 });
    expect(served.changes.map((c) => [c.timeline.action, c.snapshot.state, c.snapshot.version])).toEqual([
      ['serve_notice', 'notice_served', 2],
    ]);
    // The workflow wrote none of it: no projection among the steps the action took, and Postgres still at the opening.
    const steps = await localActivities(h);
    expect(steps.filter((t) => t === 'recordCaseEvent')).toHaveLength(1); // the opening's
    expect(steps).toContain('issueListingDocument');
    expect(await timelineOf(caseId)).toEqual(['open']);

    // Its caller died without writing it. The statement window lapses on the workflow's own path, and that change is
    // written after the one handed over, in order.
    const w = served.changes[0]!.snapshot.deadlines.find((d) => d.kind === 'statement_window')!;
    await nudged(h, ts.env.sleep(Date.parse(w.dueAt) - (await now()) + 60_000));
    await ts.settled(caseId, 'under_review');
    expect(await timelineOf(caseId)).toEqual(['open', 'serve_notice', 'deadline_lapsed', 'statement_window_lapsed']);
    expect((await h.query(getCaseQuery)).state).toBe('under_review');
    await keepHistory(h, 'listing-action-handover');
  });
});

it('writes an action that closes the case itself, before it answers, with what it handed over and was not told written', async () => {
  await ts.withWorker(async (start) => {
    const caseId = caseIdFor('LST');
    const h = await start('listingWorkflow', caseId, listingWorkflowInput(caseId, await iso(), OFFICER));
    await ts.settled(caseId, 'opened');
    await take(h, 'serve_notice', { servedAt: await iso(), method: 'in_person' }, { confirmedVersion: 1 });
    // Said written (version 2) by the next action, though nobody wrote it here: the workflow forgets it.
    const stated = await take(
      h,
      'submit_statement',
      { text: '情况属实。', requestHearing: false },
      { confirmedVersion: 2, actor: SUBJECT },
    );
    expect(stated.changes.map((c) => c.timeline.action)).toEqual(['submit_statement']);
    const proposed = await take(h, 'propose_decision', { outcome: 'dismiss', reasons: '证据不足' });
    expect(proposed.changes.map((c) => c.timeline.action)).toEqual(['propose_decision']);
    const approved = await h.executeUpdate(takeActionUpdate, {
      args: [{ action: 'approve_decision', actor: SUPERVISOR, body: { comment: '同意不予列入' }, receivedAt: await iso() }],
    });
    // The case closed: the workflow wrote the change itself, before answering, and the two handed over before it that
    // no action said were written (the statement and the proposal), in order.
    expect(approved.changes).toEqual([]);
    const written = await timelineOf(caseId);
    expect(written.slice(0, 3)).toEqual(['open', 'submit_statement', 'propose_decision']);
    expect(written).not.toContain('serve_notice');
    expect((await ts.db.case.findUniqueOrThrow({ where: { id: caseId } })).state).toBe('dismissed');
    await ts.completed(h);
  });
});

it('takes a notice worked out ahead without a step of its own: the window and the document come with the action', async () => {
  await ts.withWorker(async (start) => {
    const caseId = caseIdFor('LST');
    const h = await start('listingWorkflow', caseId, listingWorkflowInput(caseId, await iso(), OFFICER));
    await ts.settled(caseId, 'opened');
    // The opening wrote the facts the API renders from.
    expect(await ts.db.caseInput.count({ where: { caseId } })).toBe(1);
    const body = { servedAt: await iso(), method: 'in_person' };
    const receivedAt = await iso();
    const updateId = `act-quoted-${caseId}`;
    const quotes = await quotedAndClaimed(caseId, updateId, { view: await h.query(getCaseQuery), body, receivedAt });
    expect(quotes?.deadlines).toHaveLength(1);
    expect(quotes?.documents).toHaveLength(1);
    const answer = await h.executeUpdate(takeActionUpdate, {
      args: [{ action: 'serve_notice', actor: OFFICER, body, receivedAt, confirmedVersion: 1, ...(quotes ? { quotes } : {}) }],
      updateId,
    });
    const [change] = answer.changes;
    expect(change?.snapshot.deadlines.find((d) => d.kind === 'statement_window')?.dueDate).toBe(quotes?.deadlines?.[0]?.computed.dueDate);
    expect(change?.effects).toEqual([expect.objectContaining({ type: 'document_quoted', sha256: quotes?.documents?.[0]?.meta.sha256 })]);
    // No step at all after the opening's projection.
    expect((await localActivities(h)).filter((t) => t !== '?')).toEqual(['recordCaseEvent']);
    // Written as the API writes it: the rendering waiting for it is issued with the change.
    await writtenAsTheApiWrites(caseId, answer.changes, updateId);
    const doc = await ts.db.document.findUniqueOrThrow({ where: { id: `${caseId}-D1` } });
    expect(doc.sha256).toBe(quotes?.documents?.[0]?.meta.sha256);
    expect(await ts.db.quotedDocument.count({ where: { caseId } })).toBe(0);
    // The notice met the patches of the service date and the served document without a marker of its own: the case
    // began on today's code and said so once, at its opening (workflows/common/patches.ts).
    expect(await patchesRecorded(h)).toEqual({ patches: [CODE_OF_2026_12_PATCH], upserts: 1 });
    await keepHistory(h, 'listing-quoted-notice');
  });
});

it('takes the notice a retry rendered, when the first attempt rendered another under the same Update id and never sent it', async () => {
  await ts.withWorker(async (start) => {
    const caseId = caseIdFor('LST');
    const h = await start('listingWorkflow', caseId, listingWorkflowInput(caseId, await iso(), OFFICER));
    await ts.settled(caseId, 'opened');
    const body = { servedAt: await iso(), method: 'in_person' };
    const updateId = `act-retried-${caseId}`;
    const view = await h.query(getCaseQuery);
    // The first attempt rendered the notice and failed before its Update reached the case (Temporal down, say). Its
    // retry, with the same key and so the same Update id, renders it again: here the department's printed name changed
    // in between, so the two renderings differ.
    const first = await quotedAndClaimed(caseId, updateId, { view, body, receivedAt: await iso() });
    const department = await ts.db.department.findUniqueOrThrow({ where: { code: OFFICER.department! } });
    await ts.db.department.update({ where: { code: department.code }, data: { name: `${department.name}（更名）` } });
    try {
      const receivedAt = await iso();
      const retry = await quotedAndClaimed(caseId, updateId, { view, body, receivedAt });
      const sha = retry?.documents?.[0]?.meta.sha256;
      expect(sha).toBeDefined();
      expect(sha).not.toBe(first?.documents?.[0]?.meta.sha256);
      const { changes } = await h.executeUpdate(takeActionUpdate, {
        args: [{ action: 'serve_notice', actor: OFFICER, body, receivedAt, confirmedVersion: 1, ...(retry ? { quotes: retry } : {}) }],
        updateId,
      });
      await writtenAsTheApiWrites(caseId, changes, updateId);
      // The notice issued is the one the case took, and neither rendering is left behind.
      expect((await ts.db.document.findUniqueOrThrow({ where: { id: `${caseId}-D1` } })).sha256).toBe(sha);
      expect(await ts.db.quotedDocument.count({ where: { caseId } })).toBe(0);
    } finally {
      await ts.db.department.update({ where: { code: department.code }, data: { name: department.name } });
    }
  });
});

it('records no patch marker at all for a case its starter says began on today’s code', async () => {
  await ts.withWorker(async (start) => {
    const caseId = caseIdFor('LST');
    const h = await start('listingWorkflow', caseId, {
      ...listingWorkflowInput(caseId, await iso(), OFFICER),
      code: CODE_OF_2026_12_PATCH,
    });
    await ts.settled(caseId, 'opened');
    const { changes } = await take(h, 'serve_notice', { servedAt: await iso(), method: 'in_person' }, { confirmedVersion: 1 });
    const [change] = changes;
    // Every patched branch taken: the service date in the workflow, the service stored with the document.
    expect(change?.snapshot.state).toBe('notice_served');
    expect((await localActivities(h)).filter((t) => t === 'serviceDate' || t === 'markDocumentServed')).toEqual([]);
    expect(await patchesRecorded(h)).toEqual({ patches: [], upserts: 0 });
    // Written as the API writes it, so the case is at rest when the test ends.
    await writtenAsTheApiWrites(caseId, changes);
    await keepHistory(h, 'listing-code-of-case');
  });
});

it('opens a case whose starter recorded its opening facts without carrying them again, and takes a notice worked out from them', async () => {
  await ts.withWorker(async (start) => {
    const caseId = caseIdFor('LST');
    const input = { ...listingWorkflowInput(caseId, await iso(), OFFICER), code: CODE_OF_2026_12_PATCH, openingFactsRecorded: true };
    // Recorded as the API records them, with the opening's claim.
    await claimOpening(ts.db, { updateId: `open-${caseId}`, caseId }, { procedure: 'listing', input });
    const h = await start('listingWorkflow', caseId, input);
    await ts.settled(caseId, 'opened');
    const opening = await ts.db.timelineEntry.findFirstOrThrow({ where: { caseId, action: 'open' } });
    expect(opening.at.toISOString()).toBe(input.openedAt);
    const body = { servedAt: await iso(), method: 'in_person' };
    const receivedAt = await iso();
    const updateId = `act-recorded-facts-${caseId}`;
    const quotes = await quotedAndClaimed(caseId, updateId, { view: await h.query(getCaseQuery), body, receivedAt });
    expect(quotes?.documents).toHaveLength(1);
    const { changes } = await h.executeUpdate(takeActionUpdate, {
      args: [{ action: 'serve_notice', actor: OFFICER, body, receivedAt, confirmedVersion: 1, ...(quotes ? { quotes } : {}) }],
      updateId,
    });
    expect((await localActivities(h)).filter((t) => t !== '?')).toEqual(['recordCaseEvent']);
    await writtenAsTheApiWrites(caseId, changes, updateId);
    const doc = await ts.db.document.findUniqueOrThrow({ where: { id: `${caseId}-D1` } });
    expect(doc.sha256).toBe(quotes?.documents?.[0]?.meta.sha256);
    // Written by the starter once: the opening's change carried no facts of its own.
    expect((await ts.db.caseInput.findUniqueOrThrow({ where: { caseId } })).input).toEqual(input);
    await ts.db.actionHandover.deleteMany({ where: { caseId } });
    await keepHistory(h, 'listing-opening-facts-recorded');
  });
});

it('answers a case’s opening with its changes alone, from which its starter works out the case as the read model shows it', async () => {
  await ts.withWorker(async (_start, taskQueue) => {
    const caseId = caseIdFor('LST');
    const input = { ...listingWorkflowInput(caseId, await iso(), OFFICER), code: CODE_OF_2026_12_PATCH };
    const updateId = `open-${caseId}`;
    await claimOpening(ts.db, { updateId, caseId }, { procedure: 'listing', input });
    const answer = await startCaseHandingOver(ts.env.client, { taskQueue, workflowType: 'listingWorkflow', input }, updateId);
    // The case does not travel twice: only the change the caller writes.
    expect(Object.keys(answer)).toEqual(['changes']);
    expect(answer.changes.map((c) => [c.timeline.action, c.snapshot.state, c.snapshot.version])).toEqual([['open', 'opened', 1]]);
    const worked = caseAsOpened(answer.changes);
    expect(worked).not.toBeNull();
    // Not from an opening recorded in several changes, nor from none: the API reads those back once written.
    expect(caseAsOpened([...answer.changes, ...answer.changes])).toBeNull();
    expect(caseAsOpened([])).toBeNull();
    // As the workflow holds it, and as a read shows it once written.
    const h = ts.env.client.workflow.getHandle(caseId);
    expect(worked).toEqual(await h.query(getCaseQuery));
    await writeActionChanges(ts.db, ts.env.client, { updateId, caseId, changes: answer.changes });
    expect(await readCase(ts.db, caseId)).toEqual(worked);
    // A retry (same Update id) learns the same outcome.
    expect(await startCaseHandingOver(ts.env.client, { taskQueue, workflowType: 'listingWorkflow', input }, updateId)).toEqual(answer);
    await keepHistory(h, 'listing-opened-changes');

    // An API released before it still opens with `openedHandingOver`, answered with the case as well.
    const olderId = caseIdFor('LST');
    const older = { ...listingWorkflowInput(olderId, await iso(), OFFICER), code: CODE_OF_2026_12_PATCH };
    const both = await ts.env.client.workflow.executeUpdateWithStart(openedHandingOverUpdate, {
      startWorkflowOperation: new WithStartWorkflowOperation('listingWorkflow', {
        taskQueue,
        workflowId: olderId,
        args: [older],
        workflowIdConflictPolicy: 'USE_EXISTING',
      }),
      updateId: `open-${olderId}`,
    });
    expect(both.view).toEqual(caseAsOpened(both.changes));
    await writeActionChanges(ts.db, ts.env.client, { updateId: `open-${olderId}`, caseId: olderId, changes: both.changes });
  });
});
