import { startActionChangesSweeper, claimHandover, writeActionChanges } from '../../api/action-changes';
import { takeActionUpdate } from '../../workflows/common/definitions';
import type { ActionChanges } from '../../workflows/common/case-types';
import { apiAs, settledCase, startSystem, subjectOf, type System } from '../support/system';
import { readCaseWritten } from '../../api/case-reads';
import { listingBody, OFFICER } from '../support/fixtures';
import { ifStarted } from '../support/teardown';

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
