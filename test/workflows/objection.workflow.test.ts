import assert from 'node:assert';
import type { WorkflowHandle } from '@temporalio/client';
import { getCaseQuery } from '../../workflows/objection/definitions';
import type { Actor, CaseView } from '../../workflows/common/case-types';
import { listingRecordId } from '../../db/record-events';
import { importedListingInput, randomUscc } from '../support/fixtures';
import { markedPenaltyRow, objectionWorkflowInput } from '../support/filings';
import { caseIdFor, DAY, useTimeSkipping, type Start } from '../support/time-skipping';
import { countWorkingDays } from '../support/working-days';
import { until as poll } from '../support/until';

/** Every path of the objection procedure on Temporal's time-skipping server (see test/support/time-skipping.ts). */
const ts = useTimeSkipping({ historyName: 'objection', maxHistoryEvents: 200 });
const { iso, completed, passDue, doAction, refused, settled, keepHistory } = ts;
/** The date in Asia/Shanghai on the test server's clock. */
const shanghaiToday = async () => new Date((await ts.now()) + 8 * 3_600_000).toISOString().slice(0, 10);

const AGENCY: Actor = { id: 'drc-officer-1', role: 'officer', department: 'ZY-DRC' };
const SUPPLIER: Actor = { id: 'samr-officer-1', role: 'officer', department: 'ZY-SAMR' };
const OTHER: Actor = { id: 'housing-officer-1', role: 'officer', department: 'ZY-HOUSING' };
const SUPERVISOR: Actor = { id: 'supervisor-1', role: 'supervisor', department: 'ZY-DRC' };
const SUBJECT: Actor = { id: 'company', role: 'subject' };

/** A record supplied by ZY-SAMR and marked for `caseId`, as the API leaves it when the objection is filed. */
async function markedRecord(caseId: string, at: string, extra: { listingCaseId?: string; id?: string } = {}) {
  const subject = { kind: 'legal_person' as const, id: randomUscc(), name: '张掖市某某商贸有限公司' };
  const id = extra.id ?? `REC-20261102-${caseId.slice(-10)}`;
  if (extra.id) {
    await ts.db.creditRecord.update({ where: { id }, data: { openObjectionId: caseId, objectionSince: new Date(at) } });
    return ts.db.creditRecord.findUniqueOrThrow({ where: { id } });
  }
  return ts.db.creditRecord.create({
    data: markedPenaltyRow({ id, subject, caseId, at, createdBy: SUPPLIER.id, listingCaseId: extra.listingCaseId ?? null }),
  });
}

async function file(start: Start, extra: { listingCaseId?: string; recordId?: string } = {}): Promise<WorkflowHandle> {
  const caseId = caseIdFor('OBJ');
  const at = await iso();
  const row = await markedRecord(caseId, at, {
    ...(extra.listingCaseId ? { listingCaseId: extra.listingCaseId } : {}),
    ...(extra.recordId ? { id: extra.recordId } : {}),
  });
  const input = objectionWorkflowInput({
    caseId,
    at,
    subject: { kind: row.subjectKind as 'legal_person', id: row.subjectId, name: row.subjectName },
    row,
    filedBy: SUBJECT,
  });
  return start('objectionWorkflow', caseId, input);
}

const kind = (v: CaseView, k: string) => v.deadlines.filter((d) => d.kind === k).pop()!;

async function record(id: string) {
  return ts.db.creditRecord.findUniqueOrThrow({ where: { id } });
}
async function historyOf(id: string) {
  return ts.db.recordEvent.findMany({ where: { recordId: id }, orderBy: { id: 'asc' } });
}

it('is decided by the credit agency itself: the record is corrected, old and new kept, the mark lifted and the subject told', async () => {
  await ts.withWorker(async (start) => {
    const h = await file(start);
    const opened = await ts.opened(h);
    expect(opened).toMatchObject({
      procedure: 'objection',
      state: 'submitted',
      department: 'ZY-DRC',
      allowedActions: ['accept', 'decline', 'request_supplement'],
    });
    expect(kind(opened, 'objection_mark')).toMatchObject({ status: 'met', party: 'authority' });
    expect(kind(opened, 'objection_forward')).toMatchObject({ status: 'open', party: 'authority' });

    await refused(doAction(h, SUPPLIER, 'accept', {}), /only an officer of ZY-DRC may accept/);
    await refused(doAction(h, AGENCY, 'decide', { outcome: 'keep', reasons: 'x' }), /not allowed while the case is submitted/);
    const accepted = await doAction(h, AGENCY, 'accept', { reasons: '材料齐全' });
    expect(accepted).toMatchObject({ state: 'verifying', allowedActions: ['forward', 'decide', 'request_supplement'] });

    assert(accepted.procedure === 'objection');
    const recordId = accepted.details.record.id;
    const decided = await doAction(h, AGENCY, 'decide', {
      outcome: 'correct',
      reasons: '经核实金额记载错误',
      correctedContent: '因销售过期食品被处罚款五千元。',
    });
    expect(decided).toMatchObject({ state: 'decided', closed: true, outcome: 'correct', allowedActions: [] });
    expect(kind(decided, 'objection_forward')).toMatchObject({ status: 'met' });
    expect(decided.documents).toEqual([expect.objectContaining({ kind: 'objection_result_notice' })]);
    await completed(h);
    await settled(h.workflowId, 'decided');

    // The correction awaits a second officer of the deciding department before it is disclosed again (Art 36).
    expect(await record(recordId)).toMatchObject({
      content: '因销售过期食品被处罚款五千元。',
      status: 'pending_review',
      revisionBy: AGENCY.id,
      revisionDepartment: 'ZY-DRC',
      openObjectionId: null,
    });
    const events = await historyOf(recordId);
    expect(events.map((e) => e.action)).toEqual(['corrected']);
    expect(events[0]).toMatchObject({
      department: 'ZY-DRC',
      detail: expect.objectContaining({
        before: '因销售过期食品被处罚款五万元。',
        after: '因销售过期食品被处罚款五千元。',
      }),
    });
    const notice = await ts.db.document.findFirstOrThrow({
      where: { caseId: h.workflowId, kind: 'objection_result_notice' },
    });
    expect(notice.servedTo).toBe(decided.subject.id);
    expect(notice.html).toContain('张掖市发展和改革委员会');
    await keepHistory(h, 'objection-decided-by-agency');
  });
});

it('is forwarded to the supplying department, which alone may decide; deletion takes the record out of disclosure', async () => {
  await ts.withWorker(async (start) => {
    const h = await file(start);
    await doAction(h, AGENCY, 'accept', {});
    await refused(doAction(h, AGENCY, 'forward', { department: 'ZY-DRC' }), /not to the credit agency itself/);
    const forwarded = await doAction(h, AGENCY, 'forward', { department: 'ZY-SAMR' });
    expect(forwarded).toMatchObject({
      state: 'forwarded',
      allowedActions: ['decide', 'extend'],
      details: { decidingDepartment: 'ZY-SAMR' },
    });
    expect(kind(forwarded, 'objection_forward').status).toBe('met');
    expect(kind(forwarded, 'objection_decide')).toMatchObject({ status: 'open', department: 'ZY-SAMR' });

    await refused(doAction(h, AGENCY, 'decide', { outcome: 'keep', reasons: 'x' }), /only an officer of ZY-SAMR may decide/);
    await refused(doAction(h, OTHER, 'decide', { outcome: 'keep', reasons: 'x' }), /only an officer of ZY-SAMR may decide/);
    const decided = await doAction(h, SUPPLIER, 'decide', {
      outcome: 'delete',
      reasons: '该处罚决定已被撤销，信息有误',
    });
    expect(decided).toMatchObject({ state: 'decided', outcome: 'delete' });
    expect(kind(decided, 'objection_decide').status).toBe('met');
    await completed(h);
    await settled(h.workflowId, 'decided');
    assert(decided.procedure === 'objection');
    const recordId = decided.details.record.id;
    expect(await record(recordId)).toMatchObject({ status: 'deleted', openObjectionId: null });
    expect((await historyOf(recordId)).map((e) => [e.action, e.department])).toEqual([['deleted', 'ZY-SAMR']]);
    const row = await ts.db.deadline.findUniqueOrThrow({ where: { id: kind(decided, 'objection_decide').id } });
    expect(row.department).toBe('ZY-SAMR');
    await keepHistory(h, 'objection-forwarded-deleted');
  });
});

it('stops the agency’s clock while a requested supplement is awaited, and resumes it with the days it had left', async () => {
  await ts.withWorker(async (start) => {
    const h = await file(start);
    // The worker's calendar works every weekday: two working days from the filing day, one of them used up below.
    const workingDaysAfter = (from: string, n: number) => countWorkingDays(from, n, []);
    const filedOn = await shanghaiToday();
    const before = kind(await ts.opened(h), 'objection_forward');
    expect(before.dueDate).toBe(workingDaysAfter(filedOn, 2));
    // The agency asks on the next working day: one of its two days has passed.
    const askedOn = workingDaysAfter(filedOn, 1);
    await ts.nudged(h, ts.env.sleep(Date.parse(`${askedOn}T10:00:00+08:00`) - (await ts.now())));
    const asked = await doAction(h, AGENCY, 'request_supplement', { items: ['缴款凭证原件'] });
    expect(asked).toMatchObject({ state: 'awaiting_supplement', allowedActions: ['submit_supplement'] });
    expect(kind(asked, 'objection_forward')).toMatchObject({ status: 'suspended', remainingWorkingDays: 1 });
    expect(kind(asked, 'supplement_window')).toMatchObject({ status: 'open', party: 'subject' });

    await ts.nudged(h, ts.env.sleep(7 * DAY));
    const resumedOn = await shanghaiToday();
    const back = await doAction(h, SUBJECT, 'submit_supplement', {
      evidence: [{ title: '缴款凭证原件', description: '扫描件' }],
    });
    expect(back).toMatchObject({ state: 'submitted', allowedActions: ['accept', 'decline'] });
    expect(kind(back, 'supplement_window').status).toBe('met');
    const resumed = kind(back, 'objection_forward');
    expect(resumed.status).toBe('open');
    // The one day it had left, counted from the day the supplement came.
    expect(resumed.dueDate).toBe(workingDaysAfter(resumedOn, 1));
    expect(Date.parse(resumed.dueAt)).toBeGreaterThan(Date.parse(before.dueAt) + 6 * DAY);
    expect(resumed.explanation.join('')).toContain('恢复计算');
    await refused(doAction(h, AGENCY, 'request_supplement', { items: ['again'] }), /may be requested once/);
    await doAction(h, AGENCY, 'accept', {});
    await refused(doAction(h, AGENCY, 'request_supplement', { items: ['again'] }), /may be requested once/);
    await settled(h.workflowId, 'verifying');
  });
});

it('closes as withdrawn when the supplement never arrives, lifting the mark and leaving the record as it was', async () => {
  await ts.withWorker(async (start) => {
    const h = await file(start);
    const asked = await doAction(h, AGENCY, 'request_supplement', { items: ['身份证明'] });
    assert(asked.procedure === 'objection');
    const recordId = asked.details.record.id;
    const done = await passDue(h, kind(asked, 'supplement_window').dueAt, (v) => v.closed);
    expect(done).toMatchObject({ state: 'declined', outcome: 'withdrawn' });
    expect(kind(done, 'supplement_window').status).toBe('lapsed');
    expect(kind(done, 'objection_forward').status).toBe('cancelled');
    await completed(h);
    await settled(h.workflowId, 'declined');
    expect(await record(recordId)).toMatchObject({
      status: 'active',
      openObjectionId: null,
      content: '因销售过期食品被处罚款五万元。',
    });
    expect((await historyOf(recordId)).map((e) => e.action)).toEqual(['objection_withdrawn']);
    await keepHistory(h, 'objection-withdrawn');
  });
});

it('lets a supervisor extend the supplying department’s period once, within the policy’s total, with the reason kept', async () => {
  await ts.withWorker(async (start) => {
    const h = await file(start);
    await doAction(h, AGENCY, 'accept', {});
    const forwarded = await doAction(h, AGENCY, 'forward', { department: 'ZY-SAMR' });
    const due = kind(forwarded, 'objection_decide').dueAt;
    await refused(doAction(h, SUPERVISOR, 'extend', { reason: '案情复杂', workingDays: 16 }), /at most 15 working days \(20 in total\)/);
    const extended = await doAction(h, SUPERVISOR, 'extend', { reason: '案情复杂，需调取原始卷宗', workingDays: 10 });
    const d = kind(extended, 'objection_decide');
    expect(d).toMatchObject({ extended: true, status: 'open' });
    expect(Date.parse(d.dueAt)).toBeGreaterThanOrEqual(Date.parse(due) + 14 * DAY);
    expect(d.explanation.join('')).toContain('案情复杂，需调取原始卷宗');
    expect(extended.allowedActions).toEqual(['decide']);
    await refused(doAction(h, SUPERVISOR, 'extend', { reason: 'again', workingDays: 1 }), /already extended once/);
    const kept = await doAction(h, SUPPLIER, 'decide', { outcome: 'keep', reasons: '信息准确' });
    expect(kept).toMatchObject({ outcome: 'keep', details: { extension: { by: SUPERVISOR.id, workingDays: 10 } } });
    await completed(h);
    await keepHistory(h, 'objection-extended-kept');
  });
});

it('escalates a supplying department that misses its deadline; the record stays marked and a late decision still settles it', async () => {
  await ts.withWorker(async (start) => {
    const h = await file(start);
    await doAction(h, AGENCY, 'accept', {});
    const forwarded = await doAction(h, AGENCY, 'forward', { department: 'ZY-SAMR' });
    assert(forwarded.procedure === 'objection');
    const recordId = forwarded.details.record.id;
    const late = await passDue(h, kind(forwarded, 'objection_decide').dueAt, (v) => kind(v, 'objection_decide').status === 'breached');
    expect(late).toMatchObject({ state: 'forwarded', closed: false, allowedActions: ['decide'] });
    await settled(h.workflowId, 'forwarded');
    const until = Date.now() + 10_000;
    while ((await ts.db.escalation.count({ where: { caseId: h.workflowId } })) === 0 && Date.now() < until)
      await new Promise((r) => setTimeout(r, 100));
    expect(await ts.db.escalation.findMany({ where: { caseId: h.workflowId } })).toEqual([
      expect.objectContaining({ department: 'ZY-SAMR', deadlineId: kind(late, 'objection_decide').id }),
    ]);
    expect(await ts.db.deadline.findUniqueOrThrow({ where: { id: kind(late, 'objection_decide').id } })).toMatchObject({
      status: 'breached',
      department: 'ZY-SAMR',
    });
    expect((await record(recordId)).openObjectionId).toBe(h.workflowId);

    const decided = await doAction(h, SUPPLIER, 'decide', { outcome: 'stop_disclosure', reasons: '已超过公示期限' });
    expect(kind(decided, 'objection_decide').status).toBe('breached');
    await completed(h);
    await settled(h.workflowId, 'decided');
    expect(await record(recordId)).toMatchObject({ status: 'publicity_ended', openObjectionId: null });
  });
});

it('escalates the agency when it misses its forwarding period; the case stays open and it may still forward', async () => {
  await ts.withWorker(async (start) => {
    const h = await file(start);
    const opened = await ts.opened(h);
    const forward = kind(opened, 'objection_forward');
    expect(forward).toMatchObject({ status: 'open', party: 'authority' });
    const late = await passDue(h, forward.dueAt, (v) => kind(v, 'objection_forward').status === 'breached');
    expect(late).toMatchObject({ state: 'submitted', closed: false });
    await settled(h.workflowId, 'submitted');
    const escalations = await poll('the escalation of the agency', async () => {
      const rows = await ts.db.escalation.findMany({ where: { caseId: h.workflowId } });
      return rows.length > 0 ? rows : undefined;
    });
    expect(escalations).toEqual([expect.objectContaining({ kind: 'breach', department: 'ZY-DRC', deadlineId: forward.id })]);
    expect(await ts.db.deadline.findUniqueOrThrow({ where: { id: forward.id } })).toMatchObject({ status: 'breached' });
    await doAction(h, AGENCY, 'accept', {});
    const forwarded = await doAction(h, AGENCY, 'forward', { department: 'ZY-SAMR' });
    expect(forwarded.state).toBe('forwarded');
    expect(kind(forwarded, 'objection_forward').status).toBe('breached');
  });
});

it('applies a supplement to the record, and declines a file that does not qualify', async () => {
  await ts.withWorker(async (start) => {
    const a = await file(start);
    await doAction(a, AGENCY, 'accept', {});
    const accepted = await a.query(getCaseQuery);
    assert(accepted.procedure === 'objection');
    const same = accepted.details.record;
    await refused(
      doAction(a, AGENCY, 'decide', { outcome: 'supplement', reasons: 'x', correctedContent: same.content }),
      /decide keep instead/,
    );
    await doAction(a, AGENCY, 'decide', {
      outcome: 'supplement',
      reasons: '遗漏已履行情况',
      correctedContent: `${same.content}当事人已于2026年4月1日缴清罚款。`,
    });
    await completed(a);
    await settled(a.workflowId, 'decided');
    expect((await record(same.id)).content).toContain('已于2026年4月1日缴清罚款');
    expect((await historyOf(same.id)).map((e) => e.action)).toEqual(['supplemented']);

    const b = await file(start);
    const declined = await doAction(b, AGENCY, 'decline', { reasons: '异议事项不属于信用信息' });
    expect(declined).toMatchObject({ state: 'declined', outcome: 'declined', closed: true });
    expect(kind(declined, 'objection_forward').status).toBe('met');
    await completed(b);
    await settled(b.workflowId, 'declined');
    assert(declined.procedure === 'objection');
    const bRecord = declined.details.record.id;
    expect(await record(bRecord)).toMatchObject({ status: 'active', openObjectionId: null });
  });
});

it('removes a wrongly listed subject from the list through the listing’s own workflow', async () => {
  await ts.withWorker(async (start) => {
    const listingId = caseIdFor('LST');
    const listingInput = importedListingInput({
      caseId: listingId,
      openedAt: await iso(),
      openedBy: SUPPLIER,
      decision: { number: '张市监认〔2026〕5号', issuedOn: '2026-01-10', servedAt: await iso(-30 * DAY) },
    });
    const listing = await start('listingWorkflow', listingId, listingInput);
    await settled(listingId, 'listed');
    const recordId = listingRecordId(listingId);
    expect(await record(recordId)).toMatchObject({
      listingCaseId: listingId,
      status: 'active',
      category: 'dishonesty',
    });

    const h = await file(start, { listingCaseId: listingId, recordId });
    await doAction(h, AGENCY, 'accept', {});
    await doAction(h, AGENCY, 'forward', { department: 'ZY-SAMR' });
    const decided = await doAction(h, SUPPLIER, 'decide', { outcome: 'remove_from_list', reasons: '认定主体有误' });
    expect(decided).toMatchObject({
      state: 'decided',
      outcome: 'remove_from_list',
      details: { decision: { listingRevoked: true } },
    });
    const removed = await listing.query(getCaseQuery);
    expect(removed).toMatchObject({ state: 'removed', outcome: 'revoked' });
    await completed(h);
    await completed(listing);
    await settled(h.workflowId, 'decided');
    await settled(listingId, 'removed');
    expect(await ts.db.publicListing.findUniqueOrThrow({ where: { caseId: listingId } })).toMatchObject({
      status: 'removed',
      removalOutcome: 'revoked',
    });
    expect(await record(recordId)).toMatchObject({ status: 'deleted', openObjectionId: null });
    expect((await historyOf(recordId)).map((e) => e.action)).toEqual(['supplied', 'deleted', 'removed_from_list']);
    await keepHistory(h, 'objection-removed-from-list');
  });
});
