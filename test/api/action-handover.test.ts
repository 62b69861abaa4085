import { defaultPayloadConverter } from '@temporalio/common';
import { startActionChangesSweeper, claimHandover, claimOpening, writeActionChanges } from '../../api/action-changes';
import { quoteAhead } from '../../api/action-quotes';
import { getCaseQuery, takeActionUpdate } from '../../workflows/common/definitions';
import type { ActionChanges } from '../../workflows/common/case-types';
import { apiAs, settledCase, startSystem, subjectOf, type System } from '../support/system';
import { readCaseWritten } from '../../api/case-reads';
import { listingBody, listingWorkflowInput, OFFICER } from '../support/fixtures';
import { ifStarted } from '../support/teardown';
import { testEnv } from '../support/test-env';
import { createDb } from '../../db/client';
import { startInputOf } from '../support/start-input';

/**
 * An action's changes are written by the API from the `takeAction` Update's answer (issue 23), and none is lost when
 * that API dies between the Update and the write: the handover it claimed first is finished by a sweeper, which asks
 * Temporal for the Update's outcome.
 */
let sys: System;
beforeAll(async () => {
  sys = await startSystem({ actionAnswerDeadlineMs: 4_000 });
});
afterAll(async () => {
  await ifStarted(sys)?.stop();
});

const OFFICER_ACTOR = { id: OFFICER.sub, role: OFFICER.role, department: OFFICER.dept };

async function openedListing(): Promise<string> {
  const opened = await apiAs(sys).post('/v1/cases', OFFICER, listingBody());
  expect(opened.statusCode).toBe(201);
  const id = opened.json<{ id: string }>().id;
  await settledCase(sys, id, 'opened');
  return id;
}

/** An API that sent the Update and died before writing: the handover claimed, the answer never written. */
async function actedAndDied(caseId: string, updateId: string, action: string, body: Record<string, unknown>): Promise<ActionChanges> {
  await claimHandover(sys.db, { updateId, caseId });
  return sys.temporal.workflow.getHandle(caseId).executeUpdate(takeActionUpdate, {
    args: [{ action, actor: OFFICER_ACTOR, body, receivedAt: new Date().toISOString(), confirmedVersion: 1 }],
    updateId,
  });
}

/** A notice served in person and worked out ahead as the API works it out (its window and the notice rendered), never written. */
async function servedQuotedAndDied(caseId: string, updateId: string): Promise<{ answer: ActionChanges; sha256: string }> {
  const h = sys.temporal.workflow.getHandle(caseId);
  const body = inPerson();
  const receivedAt = new Date().toISOString();
  const ahead = await quoteAhead(sys.db, { view: await h.query(getCaseQuery), action: 'serve_notice', body, receivedAt });
  await claimHandover(sys.db, { updateId, caseId, ...(ahead ? { renderings: ahead.renderings } : {}) });
  const quotes = ahead?.quotes;
  const sha256 = quotes?.documents?.[0]?.meta.sha256;
  if (!quotes || !sha256) throw new Error('the notice was not worked out ahead');
  const answer = await h.executeUpdate(takeActionUpdate, {
    args: [{ action: 'serve_notice', actor: OFFICER_ACTOR, body, receivedAt, confirmedVersion: 1, quotes }],
    updateId,
  });
  return { answer, sha256 };
}

/** The subject's statement taken by the case and, like `actedAndDied`, never written by its API. */
async function statedAndDied(caseId: string, updateId: string): Promise<ActionChanges> {
  const subject = (await sys.db.case.findUniqueOrThrow({ where: { id: caseId } })).subjectId;
  return sys.temporal.workflow.getHandle(caseId).executeUpdate(takeActionUpdate, {
    args: [
      {
        action: 'submit_statement',
        actor: { id: `subject-${subject}`, role: 'subject' },
        body: { text: '情况属实，已整改。', requestHearing: false },
        receivedAt: new Date().toISOString(),
      },
    ],
    updateId,
  });
}

/** A notice's service in person, now. */
const inPerson = () => ({ servedAt: new Date().toISOString(), method: 'in_person' });

/** A sweeper of its own, with no grace, run by hand (the app's waits longer than any action's answer). */
const sweepNow = async (pollMs = 2000) => {
  // A handover claimed this very millisecond may be stamped a little later than the sweeper's "now".
  await new Promise((r) => setTimeout(r, 20));
  const s = startActionChangesSweeper({ db: sys.db, temporal: sys.temporal, graceMs: 0, intervalMs: 3_600_000, pollMs });
  try {
    return await s.sweep();
  } finally {
    await s.stop();
  }
};

const handoverRow = (updateId: string) => sys.db.actionHandover.findUnique({ where: { updateId } });

it('writes an action through the API and leaves no handover behind', async () => {
  const id = await openedListing();
  const acted = await apiAs(sys).act(id, 'serve_notice', OFFICER, inPerson());
  expect(acted.statusCode).toBe(200);
  // The answer is the read model as written, at once: no waiting for a projection.
  expect(acted.json<{ state: string }>().state).toBe('notice_served');
  const row = await sys.db.case.findUniqueOrThrow({ where: { id } });
  expect(row.state).toBe('notice_served');
  expect(await sys.db.actionHandover.count({ where: { caseId: id } })).toBe(0);
  const audit = await sys.db.auditEntry.findMany({ where: { caseId: id, action: 'case.serve_notice' } });
  expect(audit).toHaveLength(1);
}, 60_000);

it('finishes the handover of an API that died after the Update: the sweeper writes the answered changes', async () => {
  const id = await openedListing();
  const updateId = `act-test-${id}`;
  const answer = await actedAndDied(id, updateId, 'serve_notice', inPerson());
  expect(answer.changes.map((c) => c.timeline.action)).toEqual(['serve_notice']);
  // Nobody wrote it: the workflow left it to its caller.
  expect((await sys.db.case.findUniqueOrThrow({ where: { id } })).state).toBe('opened');
  expect(await handoverRow(updateId)).not.toBeNull();

  expect(await sweepNow()).toBeGreaterThanOrEqual(1);
  expect((await sys.db.case.findUniqueOrThrow({ where: { id } })).state).toBe('notice_served');
  const timeline = await sys.db.timelineEntry.findMany({ where: { caseId: id }, orderBy: { seq: 'asc' } });
  expect(timeline.map((t) => t.action)).toEqual(['open', 'serve_notice']);
  expect(await handoverRow(updateId)).toBeNull();
  // The case goes on from there through the API.
  const subject = subjectOf((await sys.db.case.findUniqueOrThrow({ where: { id } })).subjectId);
  const statement = await apiAs(sys).act(id, 'submit_statement', subject, { text: '情况属实，已整改。', requestHearing: false });
  expect(statement.statusCode).toBe(200);
  expect(statement.json<{ timeline: { action: string }[] }>().timeline.map((t) => t.action)).toEqual([
    'open',
    'serve_notice',
    'submit_statement',
  ]);
}, 60_000);

it('forgets a handover whose Update never reached the case', async () => {
  const id = await openedListing();
  const updateId = `act-never-sent-${id}`;
  await claimHandover(sys.db, { updateId, caseId: id });
  await sweepNow();
  expect(await handoverRow(updateId)).toBeNull();
  expect((await sys.db.case.findUniqueOrThrow({ where: { id } })).state).toBe('opened');
}, 60_000);

it('keeps the handover while no worker can take the Update, and writes it once the worker is back', async () => {
  const id = await openedListing();
  const updateId = `act-worker-away-${id}`;
  await sys.stopWorker();
  let pending: Promise<ActionChanges> | undefined;
  try {
    pending = actedAndDied(id, updateId, 'serve_notice', inPerson());
    pending.catch(() => undefined);
    // Admitted by Temporal, not yet taken: its outcome is unknown, so the handover stays (counted).
    await new Promise((r) => setTimeout(r, 500));
    await sweepNow(500);
    expect(await handoverRow(updateId)).toMatchObject({ attempts: 1 });
    expect((await sys.db.case.findUniqueOrThrow({ where: { id } })).state).toBe('opened');
  } finally {
    await sys.startWorker();
  }
  await pending;
  await sweepNow();
  expect(await handoverRow(updateId)).toBeNull();
  expect((await sys.db.case.findUniqueOrThrow({ where: { id } })).state).toBe('notice_served');
}, 90_000);

it('writes a case’s changes in version order when the later answer reaches its writer first', async () => {
  const id = await openedListing();
  const served = await actedAndDied(id, `act-first-${id}`, 'serve_notice', inPerson());
  const stated = await statedAndDied(id, `act-second-${id}`);
  // The statement's writer starts first; the notice's a moment later.
  const second = writeActionChanges(sys.db, sys.temporal, { updateId: `act-second-${id}`, caseId: id, changes: stated.changes });
  await new Promise((r) => setTimeout(r, 200));
  await writeActionChanges(sys.db, sys.temporal, { updateId: `act-first-${id}`, caseId: id, changes: served.changes });
  await second;
  // The audit log's insertion order is the commit order: the notice went first.
  const entries = await sys.db.auditEntry.findMany({
    where: { caseId: id, action: { in: ['case.serve_notice', 'case.submit_statement'] } },
    orderBy: { id: 'asc' },
  });
  expect(entries.map((e) => e.action)).toEqual(['case.serve_notice', 'case.submit_statement']);
  expect((await sys.db.case.findUniqueOrThrow({ where: { id } })).state).toBe('under_review');
}, 60_000);

it('tells the workflow only how far its changes are written without a gap', async () => {
  const id = await openedListing();
  const served = await actedAndDied(id, `act-gap-first-${id}`, 'serve_notice', inPerson());
  const stated = await statedAndDied(id, `act-gap-second-${id}`);
  // The later change written alone (its writer waited for the earlier one, which never came).
  await writeActionChanges(sys.db, sys.temporal, { updateId: `act-gap-second-${id}`, caseId: id, changes: stated.changes });
  expect((await sys.db.case.findUniqueOrThrow({ where: { id } })).version).toBe(3);
  expect((await readCaseWritten(sys.db, id))?.writtenThrough).toBe(1);
  await writeActionChanges(sys.db, sys.temporal, { updateId: `act-gap-first-${id}`, caseId: id, changes: served.changes });
  expect((await readCaseWritten(sys.db, id))?.writtenThrough).toBe(3);
}, 60_000);

it('writes an action’s change and the notice it took in one statement, once however often it is written', async () => {
  const id = await openedListing();
  const updateId = `act-one-statement-${id}`;
  const { answer, sha256 } = await servedQuotedAndDied(id, updateId);
  expect(answer.changes[0]?.effects).toEqual([expect.objectContaining({ type: 'document_quoted', sha256 })]);
  // Written by an API whose every statement is seen: one, with no transaction around it.
  const statements: string[] = [];
  const seen = createDb(testEnv().databaseUrl, { poolSize: 1, onQuery: (q) => statements.push(q) });
  try {
    await writeActionChanges(seen, sys.temporal, { updateId, caseId: id, changes: answer.changes });
  } finally {
    await seen.$disconnect();
  }
  expect(statements).toHaveLength(1);
  const written = async () => ({
    state: (await sys.db.case.findUniqueOrThrow({ where: { id } })).state,
    timeline: await sys.db.timelineEntry.count({ where: { caseId: id } }),
    documents: (await sys.db.document.findMany({ where: { caseId: id } })).map((d) => d.sha256),
    audit: await sys.db.auditEntry.count({ where: { caseId: id, action: 'case.serve_notice' } }),
    deadlines: await sys.db.deadline.count({ where: { caseId: id, kind: 'statement_window' } }),
    renderings: await sys.db.quotedDocument.count({ where: { caseId: id } }),
    handover: await handoverRow(updateId),
  });
  const first = await written();
  expect(first).toEqual({
    state: 'notice_served',
    timeline: 2,
    documents: [sha256],
    audit: 1,
    deadlines: 1,
    renderings: 0,
    handover: null,
  });
  // Written again (a retry after a lost acknowledgement, or the sweeper after the API): nothing changes.
  await writeActionChanges(sys.db, sys.temporal, { updateId, caseId: id, changes: answer.changes });
  expect(await written()).toEqual(first);
}, 60_000);

it('writes nothing of a change whose notice rendered ahead is gone, and says so', async () => {
  const id = await openedListing();
  const updateId = `act-rendering-gone-${id}`;
  const { answer } = await servedQuotedAndDied(id, updateId);
  await sys.db.quotedDocument.deleteMany({ where: { updateId } });
  await expect(writeActionChanges(sys.db, sys.temporal, { updateId, caseId: id, changes: answer.changes })).rejects.toThrow(
    /taken by its case but its rendering is gone/,
  );
  // Nothing of the change, and the handover stays for the sweeper (which meets the same refusal and tries again later).
  expect((await sys.db.case.findUniqueOrThrow({ where: { id } })).state).toBe('opened');
  expect(await sys.db.timelineEntry.count({ where: { caseId: id } })).toBe(1);
  expect(await sys.db.auditEntry.count({ where: { caseId: id, action: 'case.serve_notice' } })).toBe(0);
  expect(await handoverRow(updateId)).not.toBeNull();
}, 60_000);

it('renders a notice ahead with the rows read with the case, as the renderer prints them from its own read', async () => {
  const id = await openedListing();
  const read = await readCaseWritten(sys.db, id, { withOpening: true });
  const opening = read?.opening;
  if (!read || !opening) throw new Error(`${id} has no opening facts`);
  const input = opening.input as { department: string; proposedMeasures: string[] };
  const department = await sys.db.department.findUniqueOrThrow({ where: { code: input.department } });
  // Read with the case: the department's name and every proposed measure's wording.
  expect(opening.printed?.name).toBe(department.name);
  expect(opening.printed?.measures?.map((m) => m.code).sort()).toEqual([...input.proposedMeasures].sort());
  const receivedAt = new Date().toISOString();
  const quoted = async (withRows: boolean) => {
    const { printed: _rows, ...ownRead } = opening;
    const ahead = await quoteAhead(sys.db, {
      view: read.view,
      action: 'serve_notice',
      body: { servedAt: receivedAt, method: 'in_person' },
      receivedAt,
      opening: withRows ? opening : ownRead,
    });
    const [rendering] = ahead?.renderings ?? [];
    if (!rendering || ahead?.quotes.documents?.[0]?.meta.sha256 !== rendering.sha256)
      throw new Error('the notice was not worked out ahead');
    return { sha256: rendering.sha256, html: rendering.html, fields: rendering.fields };
  };
  const withRows = await quoted(true);
  expect(withRows).toEqual(await quoted(false));
  expect(withRows.html).toContain(department.name);
}, 60_000);

it('records a listing’s opening facts with its claim: the case starts with them, and its answer does not carry them again', async () => {
  const id = await openedListing();
  const h = sys.temporal.workflow.getHandle(id);
  const { input } = await startInputOf(h);
  const recorded = await sys.db.caseInput.findUniqueOrThrow({ where: { caseId: id } });
  // What the API renders ahead from is what the case holds (the starter's code aside).
  expect({ ...(recorded.input as object), code: (input as { code: string }).code }).toEqual(input);
  expect(input).toMatchObject({ caseId: id, openingFactsRecorded: true });
  const events = (await h.fetchHistory()).events ?? [];
  const answered = events.find((e) => e.workflowExecutionUpdateCompletedEventAttributes)?.workflowExecutionUpdateCompletedEventAttributes;
  const payload = answered?.outcome?.success?.payloads?.[0];
  if (!payload) throw new Error(`${id} has no answered opening`);
  const opening = defaultPayloadConverter.fromPayload<ActionChanges>(payload);
  expect(opening.changes).toHaveLength(1);
  expect(opening.changes[0]?.effects ?? []).toEqual([]);
  expect(await handoverRow(`open-${id}`)).toBeNull();
}, 60_000);

it('starts a retried opening with the facts its first attempt recorded, whatever the retry worked out', async () => {
  const caseId = `LST-TEST-RETRY-${Date.now()}`;
  const handover = { updateId: `open-${caseId}`, caseId };
  const first = { ...listingWorkflowInput(caseId, new Date(Date.now() - 60_000).toISOString(), OFFICER_ACTOR), openingFactsRecorded: true };
  const retry = { ...first, openedAt: new Date().toISOString(), facts: `${first.facts}（重试）` };
  expect(await claimOpening(sys.db, handover, { procedure: 'listing', input: first })).toEqual(first);
  expect(await claimOpening(sys.db, handover, { procedure: 'listing', input: retry })).toEqual(first);
  expect((await sys.db.caseInput.findUniqueOrThrow({ where: { caseId } })).input).toEqual(first);
  expect(await handoverRow(handover.updateId)).not.toBeNull();
  // An input that does not say so is not recorded: its case's opening carries its facts as before.
  const other = `${caseId}-B`;
  const unrecorded = listingWorkflowInput(other, new Date().toISOString(), OFFICER_ACTOR);
  expect(await claimOpening(sys.db, { updateId: `open-${other}`, caseId: other }, { procedure: 'listing', input: unrecorded })).toBe(
    unrecorded,
  );
  expect(await sys.db.caseInput.count({ where: { caseId: other } })).toBe(0);
  await sys.db.actionHandover.deleteMany({ where: { caseId: { in: [caseId, other] } } });
  await sys.db.caseInput.deleteMany({ where: { caseId } });
});
