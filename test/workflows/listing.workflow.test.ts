import assert from 'node:assert';
import { getCaseQuery, repairRemovalUpdate, type ListingInput } from '../../workflows/listing/definitions';
import type { Actor, CaseView } from '../../workflows/common/case-types';
import { listingWorkflowInput } from '../support/fixtures';
import { addDays, defaultPolicy } from '../../domain/calendar';
import { countWorkingDays } from '../support/working-days';
import { listingLinkActivities } from '../../activities/listing-link';
import { caseIdFor, DAY, useTimeSkipping } from '../support/time-skipping';
import { WorkflowNotFoundError, type WorkflowHandle } from '@temporalio/client';

/** Every path of the listing procedure on Temporal's time-skipping server (see test/support/time-skipping.ts). */
// A listed case waits for years: its history must stay small (issue 4 "Long life").
const ts = useTimeSkipping({ historyName: 'listing', maxHistoryEvents: 400 });
const { now, iso, nudged, completed, passDue, doAction, refused, settled, keepHistory } = ts;
const OFFICER: Actor = { id: 'officer-1', role: 'officer', department: 'ZY-SAMR' };
const OFFICER_2: Actor = { id: 'officer-2', role: 'officer', department: 'ZY-SAMR' };
const SUPERVISOR: Actor = { id: 'supervisor-1', role: 'supervisor', department: 'ZY-DRC' };
const SUBJECT: Actor = { id: 'company', role: 'subject' };

const input = (caseId: string, openedAt: string, extra: Partial<ListingInput> = {}): ListingInput =>
  listingWorkflowInput(caseId, openedAt, OFFICER, extra);

async function withWorker(fn: (start: (extra?: Partial<ListingInput>) => Promise<WorkflowHandle>) => Promise<void>) {
  await ts.withWorker((start) =>
    fn(async (extra = {}) => {
      const caseId = caseIdFor('LST');
      return start('listingWorkflow', caseId, input(caseId, await iso(), extra));
    }),
  );
}

/** Serves the notice and lets the window lapse: the common start of several paths. */
async function toReview(h: WorkflowHandle) {
  const served = await doAction(h, OFFICER, 'serve_notice', { servedAt: await iso(), method: 'electronic' });
  const w = served.deadlines.find((d) => d.kind === 'statement_window')!;
  await nudged(h, ts.env.sleep(Date.parse(w.dueAt) - (await now()) + 60_000));
  const until = Date.now() + 10_000;
  while ((await h.query(getCaseQuery)).state !== 'under_review' && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
}

/** The case's removal notices: to whom each was served, and the outcome it tells. */
async function removalNotices(caseId: string) {
  const docs = await ts.db.document.findMany({ where: { caseId, kind: 'removal_notice' } });
  return docs.map((d) => ({ servedTo: d.servedTo, outcome: (d.fields as { outcome?: { code?: string } }).outcome?.code }));
}

async function toListed(h: WorkflowHandle) {
  await toReview(h);
  await doAction(h, OFFICER, 'propose_decision', { outcome: 'list', reasons: '情节严重' });
  await doAction(h, SUPERVISOR, 'approve_decision', { comment: '同意' });
  return doAction(h, OFFICER, 'serve_decision', { servedAt: await iso(), method: 'in_person' });
}

it('moves to review on its own when the statement window lapses unused, and refuses a late statement saying when it closed', async () => {
  await withWorker(async (start) => {
    const h = await start();
    const opened = await h.query(getCaseQuery);
    expect(opened).toMatchObject({ state: 'opened', allowedActions: ['serve_notice'] });
    await refused(doAction(h, OFFICER, 'propose_decision', { outcome: 'list', reasons: 'x' }), /not allowed while the case is opened/);

    const served = await doAction(h, OFFICER, 'serve_notice', { servedAt: await iso(), method: 'electronic' });
    expect(served).toMatchObject({ state: 'notice_served', allowedActions: ['submit_statement'] });
    expect(served.documents).toEqual([expect.objectContaining({ kind: 'pre_listing_notice' })]);
    const w = served.deadlines.find((d) => d.kind === 'statement_window')!;
    expect(w).toMatchObject({ party: 'subject', status: 'open', calendarVersion: expect.stringContaining('-test') });
    const doc = await ts.db.document.findUnique({ where: { id: served.documents[0]!.id } });
    expect(doc).toMatchObject({ servedTo: (await h.query(getCaseQuery)).subject.id, servedMethod: 'electronic' });
    expect(doc!.html).toContain('陈述');

    await nudged(h, ts.env.sleep(Date.parse(w.dueAt) - (await now()) + 60_000));
    const until = Date.now() + 10_000;
    let view = await h.query(getCaseQuery);
    while (view.state !== 'under_review' && Date.now() < until) view = await h.query(getCaseQuery);
    expect(view.state).toBe('under_review');
    expect(view.deadlines.find((d) => d.kind === 'statement_window')!.status).toBe('lapsed');
    expect(view.timeline.map((t) => t.action)).toContain('statement_window_lapsed');
    await refused(
      doAction(h, SUBJECT, 'submit_statement', { text: '迟到的陈述', requestHearing: false }),
      new RegExp(`closed at ${w.dueAt.replace(/[+]/g, '\\+')}`),
    );
    await settled(h.workflowId, 'under_review');
  });
});

it('serves a notice by public announcement as served once the policy’s days have passed, and counts the window from then', async () => {
  await withWorker(async (start) => {
    const h = await start();
    const announcedOn = new Date((await now()) + 8 * 3_600_000).toISOString().slice(0, 10);
    const served = await doAction(h, OFFICER, 'serve_notice', { servedAt: await iso(), method: 'public_announcement' });
    const days = defaultPolicy().public_announcement_service.amount;
    const servedOn = addDays(announcedOn, days);
    const w = served.deadlines.find((d) => d.kind === 'statement_window')!;
    // The worker's calendar works every weekday: five working days after the day the notice counts as served.
    expect(w).toMatchObject({ status: 'open', dueDate: countWorkingDays(servedOn, 5, []) });
    expect(w.explanation.join('')).toContain(`经过${days}日`);
  });
});

it('keeps a statement that asks for a hearing, announces the hearing ahead by the policy, and reviews after it', async () => {
  await withWorker(async (start) => {
    const h = await start();
    await doAction(h, OFFICER, 'serve_notice', { servedAt: await iso(), method: 'mail' });
    const stated = await doAction(h, SUBJECT, 'submit_statement', { text: '我方已整改', requestHearing: true });
    expect(stated).toMatchObject({ state: 'notice_served', allowedActions: ['schedule_hearing'] });
    expect(stated.deadlines.find((d) => d.kind === 'statement_window')!.status).toBe('met');
    await refused(doAction(h, SUBJECT, 'submit_statement', { text: '再次', requestHearing: false }), /already submitted/);

    await refused(
      doAction(h, OFFICER, 'schedule_hearing', { heldAt: await iso(DAY), place: '听证室' }),
      /at the earliest \(7 working days' notice\)/,
    );
    const heldAt = await iso(14 * DAY);
    const scheduled = await doAction(h, OFFICER, 'schedule_hearing', { heldAt, place: '市市场监管局听证室' });
    expect(scheduled.state).toBe('hearing_scheduled');
    await refused(doAction(h, OFFICER, 'record_hearing', { summary: '提前记录' }), /once held/);
    await nudged(h, ts.env.sleep(15 * DAY));
    const reviewed = await doAction(h, OFFICER, 'record_hearing', { summary: '当事人到场陈述' });
    expect(reviewed).toMatchObject({ state: 'under_review', allowedActions: ['propose_decision'] });
    expect(reviewed.details).toMatchObject({
      statement: { requestHearing: true },
      hearing: { heldAt, summary: '当事人到场陈述' },
    });
    await settled(h.workflowId, 'under_review');
  });
});

it('dismisses with four eyes: the proposer may not approve, another may, and the subject is told', async () => {
  await withWorker(async (start) => {
    const h = await start();
    await toReview(h);
    await doAction(h, OFFICER, 'propose_decision', { outcome: 'dismiss', reasons: '证据不足' });
    await refused(doAction(h, { ...SUPERVISOR, id: OFFICER.id }, 'approve_decision', { comment: '自批' }), /four-eyes/);
    const done = await doAction(h, SUPERVISOR, 'approve_decision', { comment: '同意不予列入' });
    expect(done).toMatchObject({ state: 'dismissed', closed: true, allowedActions: [] });
    expect(done.documents.map((d) => d.kind)).toEqual(['pre_listing_notice', 'dismissal_notice']);
    await completed(h);
    await settled(h.workflowId, 'dismissed');
    expect(
      await ts.db.document.count({
        where: { caseId: h.workflowId, kind: 'dismissal_notice', servedTo: done.subject.id },
      }),
    ).toBe(1);
    expect(await ts.db.publicListing.count({ where: { caseId: h.workflowId } })).toBe(0);
    await keepHistory(h, 'listing-dismissed');
  });
});

it('goes back to review when the supervisor sends the proposal back, then lists on a new proposal', async () => {
  await withWorker(async (start) => {
    const h = await start();
    await toReview(h);
    await doAction(h, OFFICER, 'propose_decision', { outcome: 'list', reasons: '情节严重' });
    const back = await doAction(h, SUPERVISOR, 'reject_decision', { comment: '措施过重，请重新审查' });
    expect(back).toMatchObject({
      state: 'under_review',
      details: { rejections: [expect.objectContaining({ by: SUPERVISOR.id })] },
    });
    await doAction(h, OFFICER_2, 'propose_decision', { outcome: 'list', reasons: '情节严重', measures: ['N-01'] });
    const decided = await doAction(h, SUPERVISOR, 'approve_decision', { comment: '同意' });
    expect(decided).toMatchObject({
      state: 'decided',
      allowedActions: ['serve_decision'],
      details: { decision: { measures: ['N-01'] } },
    });
    const doc = await ts.db.document.findFirst({ where: { caseId: h.workflowId, kind: 'recognition_document' } });
    for (const heading of ['认定事由', '认定依据', '失信惩戒措施', '移出条件和程序', '救济途径']) expect(doc!.html).toContain(heading);
  });
});

it('lists on service of the decision, publishes, enters the responsible persons, and removes itself when the period ends', async () => {
  await withWorker(async (start) => {
    const h = await start();
    const listed = await toListed(h);
    expect(listed).toMatchObject({ state: 'listed', allowedActions: ['record_remedy', 'revoke'] });
    const kinds = Object.fromEntries(listed.deadlines.map((d) => [d.kind, d]));
    expect(kinds.listing_period).toMatchObject({ status: 'open', provisional: false });
    expect(kinds.reconsideration_window).toMatchObject({ party: 'subject', status: 'open' });
    expect(kinds.litigation_window).toMatchObject({ party: 'subject', status: 'open' });
    await settled(h.workflowId, 'listed');
    expect(await ts.db.publicListing.findUnique({ where: { caseId: h.workflowId } })).toMatchObject({
      status: 'listed',
      listedUntil: kinds.listing_period!.dueDate,
    });
    const listedView = await h.query(getCaseQuery);
    assert(listedView.procedure === 'listing');
    const person = listedView.details.responsiblePersons;
    expect(await ts.db.subjectEntry.findMany({ where: { caseId: h.workflowId } })).toEqual([
      expect.objectContaining({ subjectId: person[0]!.idNumber, status: 'active' }),
    ]);

    // Time skips through the remedy windows and the three years, one due date at a time.
    const status = (v: CaseView, kind: string) => v.deadlines.find((d) => d.kind === kind)?.status;
    await passDue(h, kinds.reconsideration_window!.dueAt, (v) => status(v, 'reconsideration_window') === 'lapsed');
    await passDue(h, kinds.litigation_window!.dueAt, (v) => status(v, 'litigation_window') === 'lapsed');
    await passDue(h, kinds.listing_period!.dueAt, (v) => v.state === 'removed');
    await completed(h);
    const removed = await h.query(getCaseQuery);
    expect(removed).toMatchObject({ state: 'removed', closed: true, outcome: 'expired' });
    const byKind = Object.fromEntries(removed.deadlines.map((d) => [d.kind, d.status]));
    expect(byKind).toEqual({
      statement_window: 'lapsed',
      listing_period: 'met',
      reconsideration_window: 'lapsed',
      litigation_window: 'lapsed',
    });
    await settled(h.workflowId, 'removed');
    expect(await ts.db.publicListing.findUnique({ where: { caseId: h.workflowId } })).toMatchObject({
      status: 'removed',
      removalOutcome: 'expired',
    });
    expect(await ts.db.subjectEntry.count({ where: { caseId: h.workflowId, status: 'active' } })).toBe(0);
    expect(await ts.db.document.count({ where: { caseId: h.workflowId, kind: 'removal_notice' } })).toBe(1);
    // The exchange is told the listing and its end by expiry once each, and the person's entry made and ended (issue 24).
    const told = await ts.db.exchangeEntry.findMany({ where: { caseId: h.workflowId }, orderBy: { seq: 'asc' } });
    expect(told.map((e) => e.kind)).toEqual(['listing_listed', 'subject_entry_made', 'listing_removed', 'subject_entry_ended']);
    expect(told[2]).toMatchObject({ id: `${h.workflowId}:listing_removed`, payload: { removalOutcome: 'expired' } });
    await keepHistory(h, 'listing-expired');
  });
}, 90_000);

it('is revoked when a remedy succeeds, and when the underlying penalty is revoked', async () => {
  await withWorker(async (start) => {
    const a = await start();
    await toListed(a);
    const filed = await doAction(a, OFFICER, 'record_remedy', { kind: 'reconsideration', filedAt: await iso() });
    expect(filed.allowedActions).toContain('record_remedy_outcome');
    expect(filed.deadlines.find((d) => d.kind === 'reconsideration_window')!.status).toBe('met');
    const revoked = await doAction(a, OFFICER, 'record_remedy_outcome', {
      outcome: 'revoked',
      decidedAt: await iso(),
      reasons: '复议机关撤销',
    });
    expect(revoked).toMatchObject({ state: 'removed', outcome: 'revoked', closed: true });
    expect(revoked.deadlines.find((d) => d.kind === 'listing_period')!.status).toBe('cancelled');
    await completed(a);
    await settled(a.workflowId, 'removed');
    expect(await ts.db.publicListing.findUnique({ where: { caseId: a.workflowId } })).toMatchObject({
      status: 'removed',
      removalOutcome: 'revoked',
    });
    expect(await removalNotices(a.workflowId)).toEqual([{ servedTo: revoked.subject.id, outcome: 'revoked' }]);
    await keepHistory(a, 'listing-remedy-revoked');

    const b = await start();
    await toListed(b);
    const gone = await doAction(b, OFFICER, 'revoke', {
      reason: '据以认定的行政处罚决定已被撤销',
      basis: '张市监撤〔2027〕1号',
    });
    expect(gone).toMatchObject({ state: 'removed', outcome: 'revoked' });
    await completed(b);
    await settled(b.workflowId, 'removed');
    expect(await removalNotices(b.workflowId)).toEqual([{ servedTo: gone.subject.id, outcome: 'revoked' }]);
    // A closed case's workflow has completed and answers no action; the API refuses them itself (409).
    await expect(doAction(b, OFFICER, 'revoke', { reason: 'again', basis: 'x' })).rejects.toBeInstanceOf(WorkflowNotFoundError);
  });
}, 90_000);

it('is removed early by an approved repair', async () => {
  await withWorker(async (start) => {
    const h = await start();
    await toListed(h);
    const view = await h.executeUpdate(repairRemovalUpdate, {
      args: [{ repairCaseId: 'REP-20270101-ABCDEFGHJK', approvedAt: await iso(), actor: OFFICER }],
    });
    expect(view).toMatchObject({
      state: 'removed',
      outcome: 'repaired',
      details: { removal: { repairCaseId: 'REP-20270101-ABCDEFGHJK' } },
    });
    expect(view.deadlines.find((d) => d.kind === 'listing_period')!.status).toBe('cancelled');
    await completed(h);
    // Its effects: publication and the responsible persons' entries end, and the subject is served the removal notice.
    await settled(h.workflowId, 'removed');
    expect(await ts.db.publicListing.findUnique({ where: { caseId: h.workflowId } })).toMatchObject({
      status: 'removed',
      removalOutcome: 'repaired',
    });
    expect(await ts.db.subjectEntry.count({ where: { caseId: h.workflowId } })).toBeGreaterThan(0);
    expect(await ts.db.subjectEntry.count({ where: { caseId: h.workflowId, status: 'active' } })).toBe(0);
    expect(await removalNotices(h.workflowId)).toEqual([{ servedTo: view.subject.id, outcome: 'repaired' }]);
  });
});

it('takes a removal that an objection retries once: the retry, before and after the listing ends, joins the first', async () => {
  await withWorker(async (start) => {
    const h = await start();
    await toListed(h);
    // The objection's activity, as its retries call it (one update id per objection).
    const link = listingLinkActivities(ts.env.client);
    const req = { listingCaseId: h.workflowId, objectionCaseId: 'OBJ-20270101-ABCDEFGHJK', actor: OFFICER, reasons: '认定主体有误' };
    expect(await link.revokeListingForObjection(req)).toEqual({ ok: true, state: 'removed' });
    expect(await link.revokeListingForObjection(req)).toEqual({ ok: true, state: 'removed' });
    await completed(h);
    expect(await link.revokeListingForObjection(req)).toEqual({ ok: true, state: 'removed' });
    const view = await h.query(getCaseQuery);
    expect(view.timeline.filter((t) => t.action === 'remove')).toHaveLength(1);
    await settled(h.workflowId, 'removed');
    expect(await removalNotices(h.workflowId)).toEqual([{ servedTo: view.subject.id, outcome: 'revoked' }]);
    // Another objection's removal of the ended listing is no success.
    expect(await link.revokeListingForObjection({ ...req, objectionCaseId: 'OBJ-20270101-BCDEFGHJKL' })).toMatchObject({ ok: false });
  });
});

it('imports a listing from its original dates: listed while its period runs, removed as expired once it is over', async () => {
  await withWorker(async (start) => {
    const running = await start({
      imported: {
        decisionDocument: { number: '张市监认〔2025〕3号', issuedOn: '2025-01-02' },
        decisionServedAt: await iso(-400 * DAY),
        measures: ['N-01'],
      },
    });
    const until = Date.now() + 10_000;
    let v = await running.query(getCaseQuery);
    while (v.timeline.length === 0 && Date.now() < until) v = await running.query(getCaseQuery);
    expect(v).toMatchObject({ state: 'listed', details: { listing: { imported: true } } });
    const byKind = Object.fromEntries(v.deadlines.map((d) => [d.kind, d.status]));
    expect(byKind.listing_period).toBe('open');

    const old = await start({
      imported: {
        decisionDocument: { number: '张市监认〔2021〕9号', issuedOn: '2021-01-02' },
        decisionServedAt: await iso(-4 * 366 * DAY),
        measures: ['N-01'],
      },
    });
    await completed(old);
    const done = await old.query(getCaseQuery);
    expect(done).toMatchObject({ state: 'removed', outcome: 'expired', closed: true });
    await settled(old.workflowId, 'removed');
    expect(await ts.db.publicListing.count({ where: { caseId: old.workflowId } })).toBe(0);
    await keepHistory(old, 'listing-import-expired');
  });
});
