import assert from 'node:assert';
import type { WorkflowHandle } from '@temporalio/client';
import { defaultPolicy, resolvePolicy, type Policy } from '../../domain/calendar';
import { getCaseQuery, type RepairInput, type RepairTarget } from '../../workflows/repair/definitions';
import type { Actor, CaseView } from '../../workflows/common/case-types';
import { listingRecordId } from '../../db/record-events';
import { importedListingInput, randomUscc } from '../support/fixtures';
import { claimedRepairInput } from '../support/filings';
import { caseIdFor, DAY, useTimeSkipping, type Start } from '../support/time-skipping';

/** Every path of the credit repair procedure on Temporal's time-skipping server (see test/support/time-skipping.ts). */
const ts = useTimeSkipping({ historyName: 'repair', maxHistoryEvents: 200 });
const { iso, completed, passDue, doAction, refused, settled, keepHistory } = ts;

const AGENCY: Actor = { id: 'drc-officer-1', role: 'officer', department: 'ZY-DRC' };
const SUPPLIER: Actor = { id: 'samr-officer-1', role: 'officer', department: 'ZY-SAMR' };
const SUBJECT: Actor = { id: 'company', role: 'subject' };
const subject = () => ({ kind: 'legal_person' as const, id: randomUscc(), name: '张掖市某某餐饮有限公司' });
const kind = (v: CaseView, k: string) => v.deadlines.filter((d) => d.kind === k).pop()!;
const dateOf = (isoInstant: string) => new Date(Date.parse(isoInstant) + 8 * 3_600_000).toISOString().slice(0, 10);

/** A general-severity penalty record whose minimum publicity ended (or ends) on `publicMinUntil`. */
async function penaltyRecord(publicMinUntil: string, type = 'administrative_penalty') {
  const s = subject();
  const id = caseIdFor('REP').replace('REP-', 'REC-');
  await ts.db.creditRecord.create({
    data: {
      id,
      subjectKind: s.kind,
      subjectId: s.id,
      subjectName: s.name,
      category: 'dishonesty',
      type,
      content: '未按规定公示年度报告，被处罚款。',
      documentNumber: '张市监罚〔2026〕21号',
      decidedOn: '2026-01-05',
      severity: 'general',
      department: 'ZY-SAMR',
      createdBy: SUPPLIER.id,
      status: 'active',
      publicUntil: '2099-01-05',
      publicMinUntil,
      publicity: { basis: 'test', explanation: [] },
      createdAt: new Date(),
      updatedAt: new Date(),
    },
  });
  return {
    subject: s,
    target: {
      kind: 'record',
      recordId: id,
      type,
      category: 'dishonesty',
      severity: 'general',
      documentNumber: '张市监罚〔2026〕21号',
      decidedOn: '2026-01-05',
      publicMinUntil,
      publicUntil: '2099-01-05',
      department: 'ZY-SAMR',
    } as RepairTarget,
  };
}

/**
 * Files a repair as the API does: received by the agency, decided by the target's department (`decider`). With
 * `legacy`, the input of a case filed before that routing (no decider), which the agency decides.
 */
async function apply(
  start: Start,
  s: RepairInput['subject'],
  target: RepairTarget,
  { policy = defaultPolicy(), legacy, deciderPolicy }: { policy?: Policy; legacy?: boolean; deciderPolicy?: Policy } = {},
): Promise<WorkflowHandle> {
  const caseId = caseIdFor('REP');
  const openedAt = await iso();
  // The API claims the target before it starts the case; the case releases it when it ends.
  const input = await claimedRepairInput(ts.db, {
    caseId,
    subject: s,
    target,
    signedOn: dateOf(openedAt),
    filedBy: SUBJECT,
    openedAt,
    policy,
    ...(legacy ? {} : { decider: { department: target.department, policy: deciderPolicy ?? policy } }),
  });
  return start('repairWorkflow', caseId, input);
}

/** A listing imported as served `daysAgo` days ago, listed for three years. */
async function runningListing(start: Start, daysAgo: number) {
  const caseId = caseIdFor('LST');
  const s = subject();
  const input = importedListingInput({
    caseId,
    openedAt: await iso(),
    openedBy: SUPPLIER,
    decision: { number: '张市监认〔2025〕8号', issuedOn: '2025-01-10', servedAt: await iso(-daysAgo * DAY) },
    extra: { subject: s, basisDocuments: [{ title: '判决书', number: '(2025)甘07民初9号', issuedOn: '2025-01-05' }] },
  });
  const h = await start('listingWorkflow', caseId, input);
  await settled(caseId, 'listed');
  const l = await ts.db.publicListing.findUniqueOrThrow({ where: { caseId } });
  const target: RepairTarget = {
    kind: 'listing',
    listingCaseId: caseId,
    category: l.category,
    decisionNumber: l.decisionNumber,
    listedFrom: l.listedFrom,
    listedUntil: l.listedUntil,
    department: 'ZY-SAMR',
  };
  return { h, subject: s, target };
}

it('approves a record repair: publicity ends within the period, the platform is told, the claim is released', async () => {
  await ts.withWorker(async (start) => {
    const { subject: s, target } = await penaltyRecord('2026-04-05');
    const h = await apply(start, s, target);
    const opened = await ts.opened(h);
    expect(opened).toMatchObject({
      procedure: 'repair',
      state: 'submitted',
      allowedActions: ['accept', 'decline'],
      details: { eligibility: { eligible: true } },
    });
    expect(kind(opened, 'repair_accept')).toMatchObject({ status: 'open', party: 'authority' });

    await refused(doAction(h, SUPPLIER, 'accept', {}), /only an officer of ZY-DRC may accept/);
    const accepted = await doAction(h, AGENCY, 'accept', {});
    expect(accepted).toMatchObject({
      state: 'under_review',
      allowedActions: ['decide'],
      details: { decidingDepartment: 'ZY-SAMR' },
    });
    expect(kind(accepted, 'repair_accept').status).toBe('met');
    // The supplying department decides on its own period (谁认定、谁修复); the agency may not.
    expect(kind(accepted, 'repair_decide')).toMatchObject({ status: 'open', department: 'ZY-SAMR' });
    await refused(doAction(h, AGENCY, 'decide', { outcome: 'approve', reasons: 'x' }), /only an officer of ZY-SAMR may decide/);
    const approved = await doAction(h, SUPPLIER, 'decide', {
      outcome: 'approve',
      reasons: '已履行法定义务并作出信用承诺',
    });
    expect(approved).toMatchObject({
      state: 'approved',
      outcome: 'approved',
      details: { decision: { department: 'ZY-SAMR', by: SUPPLIER.id } },
    });
    expect(kind(approved, 'repair_remove_disclosure').status).toBe('open');

    await completed(h);
    const done = await h.query(getCaseQuery);
    expect(done).toMatchObject({ state: 'approved', closed: true, allowedActions: [] });
    expect(kind(done, 'repair_remove_disclosure').status).toBe('met');
    expect(done.timeline.map((t) => t.action)).toEqual(['open', 'accept', 'decide', 'effects_applied']);
    await settled(h.workflowId, 'approved');
    const id = (target as { recordId: string }).recordId;
    expect(await ts.db.creditRecord.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: 'publicity_ended' });
    expect((await ts.db.recordEvent.findMany({ where: { recordId: id } })).map((e) => e.action)).toEqual(['publicity_ended']);
    expect(await ts.db.exchangeEntry.findUniqueOrThrow({ where: { id: `${id}:record_publicity_ended` } })).toMatchObject({
      kind: 'record_publicity_ended',
      caseId: h.workflowId,
      subjectId: s.id,
      status: 'pending',
    });
    expect(await ts.db.caseClaim.count({ where: { caseId: h.workflowId } })).toBe(0);
    const docs = await ts.db.document.findMany({
      where: { caseId: h.workflowId },
      select: { kind: true, servedTo: true, fields: true },
    });
    expect(docs).toEqual([expect.objectContaining({ kind: 'repair_decision', servedTo: s.id })]);
    expect(docs[0]!.fields).toMatchObject({ department: { code: 'ZY-SAMR' }, receivedBy: { code: 'ZY-DRC' } });
    await keepHistory(h, 'repair-record-decided-by-supplier');
  });
});

it('approves a listing repair after the minimum time on the list: the listing ends early through its own workflow', async () => {
  await ts.withWorker(async (start) => {
    const listing = await runningListing(start, 400);
    const h = await apply(start, listing.subject, listing.target);
    await ts.opened(h);
    await doAction(h, AGENCY, 'accept', {});
    // The department that recognised the listing decides its early removal.
    await refused(doAction(h, AGENCY, 'decide', { outcome: 'approve', reasons: 'x' }), /only an officer of ZY-SAMR may decide/);
    await doAction(h, SUPPLIER, 'decide', { outcome: 'approve', reasons: '列入满一年，已履行义务' });
    await completed(h);
    await completed(listing.h);
    expect(await listing.h.query(getCaseQuery)).toMatchObject({
      state: 'removed',
      outcome: 'repaired',
      details: { removal: { repairCaseId: h.workflowId } },
    });
    expect(await h.query(getCaseQuery)).toMatchObject({ closed: true, details: { effects: { listingRemoved: true } } });
    const caseId = listing.target.listingCaseId;
    await settled(caseId, 'removed');
    expect(await ts.db.publicListing.findUniqueOrThrow({ where: { caseId } })).toMatchObject({
      status: 'removed',
      removalOutcome: 'repaired',
    });
    expect(await ts.db.subjectEntry.count({ where: { caseId, status: 'active' } })).toBe(0);
    expect(await ts.db.creditRecord.findUniqueOrThrow({ where: { id: listingRecordId(caseId) } })).toMatchObject({
      status: 'publicity_ended',
    });
    await settled(h.workflowId, 'approved');
    // The listing's early removal is told once, as repaired, whichever of the two cases put it in first.
    expect(await ts.db.exchangeEntry.count({ where: { caseId, kind: 'listing_repaired' } })).toBe(1);
    await keepHistory(h, 'repair-listing-decided-by-recognising-department');
  });
});

it('rejects with the date from which the subject may apply again', async () => {
  await ts.withWorker(async (start) => {
    const { subject: s, target } = await penaltyRecord('2026-04-05');
    const h = await apply(start, s, target);
    await ts.opened(h);
    await doAction(h, AGENCY, 'accept', {});
    const today = dateOf(await iso());
    await refused(
      doAction(h, SUPPLIER, 'decide', { outcome: 'reject', reasons: 'x', reapplyAfter: today }),
      /must fall after the decision/,
    );
    const after = dateOf(await iso(90 * DAY));
    const rejected = await doAction(h, SUPPLIER, 'decide', {
      outcome: 'reject',
      reasons: '整改材料不实',
      reapplyAfter: after,
    });
    expect(rejected).toMatchObject({
      state: 'rejected',
      closed: true,
      outcome: 'rejected',
      details: { decision: { reapplyAfter: after } },
    });
    await completed(h);
    await settled(h.workflowId, 'rejected');
    expect(await ts.db.caseClaim.count({ where: { caseId: h.workflowId } })).toBe(0);
    expect(await ts.db.creditRecord.findUniqueOrThrow({ where: { id: (target as { recordId: string }).recordId } })).toMatchObject({
      status: 'active',
    });
    await keepHistory(h, 'repair-rejected-by-supplier');
  });
});

it('declines at once, with reasons and the earliest date, an application that is too early or excluded by policy', async () => {
  await ts.withWorker(async (start) => {
    const early = await penaltyRecord('2099-04-05');
    const a = await apply(start, early.subject, early.target);
    await completed(a);
    expect(await a.query(getCaseQuery)).toMatchObject({
      state: 'declined',
      closed: true,
      outcome: 'declined',
      details: { eligibility: { eligible: false, earliest: '2099-04-06' }, decision: { reapplyAfter: '2099-04-06' } },
    });
    await settled(a.workflowId, 'declined');
    expect(await ts.db.caseClaim.count({ where: { caseId: a.workflowId } })).toBe(0);

    const listing = await runningListing(start, 30);
    const b = await apply(start, listing.subject, listing.target);
    await completed(b);
    const bView = await b.query(getCaseQuery);
    expect(bView).toMatchObject({ state: 'declined', details: { eligibility: { eligible: false } } });
    assert(bView.procedure === 'repair');
    expect(bView.details.eligibility?.reasons.join('')).toContain('列入名单未满最短期限');

    // What cannot be repaired is the supplying department's rule, read from its policy.
    const excluding = resolvePolicy(
      defaultPolicy(),
      [
        {
          department: 'ZY-SAMR',
          values: {
            repair_exclusions: {
              items: [
                {
                  target: 'record',
                  field: 'type',
                  equals: 'food_safety_fraud',
                  reason: '食品安全领域严重违法行为不予修复',
                },
              ],
            },
          },
        },
      ],
      { procedure: 'repair', department: 'ZY-SAMR' },
    );
    const excluded = await penaltyRecord('2026-04-05', 'food_safety_fraud');
    const c = await apply(start, excluded.subject, excluded.target, { deciderPolicy: excluding });
    await completed(c);
    const cView = await c.query(getCaseQuery);
    expect(cView).toMatchObject({ state: 'declined' });
    assert(cView.procedure === 'repair');
    expect(cView.details.eligibility?.reasons.join('')).toContain('食品安全领域严重违法行为不予修复');
    // The agency declines on eligibility: the refusal is its document.
    const refusal = await ts.db.document.findFirstOrThrow({ where: { caseId: c.workflowId } });
    expect(refusal.fields).toMatchObject({ department: { code: 'ZY-DRC' }, outcome: { code: 'decline' } });
    expect(cView.details).toMatchObject({ decision: { department: 'ZY-DRC' } });
    await keepHistory(c, 'repair-declined-by-agency');
  });
});

it('escalates the agency that misses acceptance and the deciding department that misses its own period, and lets each act late', async () => {
  await ts.withWorker(async (start) => {
    const { subject: s, target } = await penaltyRecord('2026-04-05');
    // The supplying department's own rules give it 7 working days to decide.
    const samr = resolvePolicy(
      defaultPolicy(),
      [
        {
          department: 'ZY-SAMR',
          procedure: 'repair',
          source: '测试：部门规定',
          values: { repair_decide: { amount: 7 } },
        },
      ],
      { procedure: 'repair', department: 'ZY-SAMR' },
    );
    const h = await apply(start, s, target, { deciderPolicy: samr });
    const opened = await ts.opened(h);
    const late = await passDue(h, kind(opened, 'repair_accept').dueAt, (v) => kind(v, 'repair_accept').status === 'breached');
    expect(late.allowedActions).toEqual(['accept', 'decline']);
    const accepted = await doAction(h, AGENCY, 'accept', {});
    expect(kind(accepted, 'repair_accept').status).toBe('breached');
    expect(kind(accepted, 'repair_decide')).toMatchObject({ department: 'ZY-SAMR', basis: '测试：部门规定' });
    expect(kind(accepted, 'repair_decide').explanation.join('')).toContain('7个工作日');
    await passDue(h, kind(accepted, 'repair_decide').dueAt, (v) => kind(v, 'repair_decide').status === 'breached');
    await settled(h.workflowId, 'under_review');
    const until = Date.now() + 10_000;
    while ((await ts.db.escalation.count({ where: { caseId: h.workflowId } })) < 2 && Date.now() < until)
      await new Promise((r) => setTimeout(r, 100));
    expect(
      (await ts.db.escalation.findMany({ where: { caseId: h.workflowId }, orderBy: { at: 'asc' } })).map((e) => [
        e.department,
        (e.detail as { deadlineKind: string }).deadlineKind,
      ]),
    ).toEqual([
      ['ZY-DRC', 'repair_accept'],
      ['ZY-SAMR', 'repair_decide'],
    ]);
    await doAction(h, SUPPLIER, 'decide', { outcome: 'approve', reasons: '逾期作出决定' });
    await completed(h);
    await settled(h.workflowId, 'approved');
  });
});

it('keeps a case filed before routing with the agency deciding, as it began', async () => {
  await ts.withWorker(async (start) => {
    const { subject: s, target } = await penaltyRecord('2026-04-05');
    const h = await apply(start, s, target, { legacy: true });
    await ts.opened(h);
    const accepted = await doAction(h, AGENCY, 'accept', {});
    expect(accepted.details).toMatchObject({ decidingDepartment: 'ZY-DRC' });
    expect(kind(accepted, 'repair_decide').department).toBeUndefined();
    await refused(doAction(h, SUPPLIER, 'decide', { outcome: 'approve', reasons: 'x' }), /only an officer of ZY-DRC may decide/);
    await doAction(h, AGENCY, 'decide', { outcome: 'approve', reasons: '已履行法定义务' });
    await completed(h);
    const doc = await ts.db.document.findFirstOrThrow({ where: { caseId: h.workflowId } });
    expect(doc.fields).toMatchObject({ department: { code: 'ZY-DRC' } });
    expect((doc.fields as { receivedBy?: unknown }).receivedBy).toBeUndefined();
  });
});
