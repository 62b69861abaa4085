import assert from 'node:assert';
import type { WorkflowHandle } from '@temporalio/client';
import { defaultPolicy } from '../../domain/calendar';
import { getCaseQuery } from '../../workflows/common/definitions';
import type { ListingInput } from '../../workflows/listing/definitions';
import type { Actor } from '../../workflows/common/case-types';
import { listingRecordId, responsiblePersonRecordId, RESPONSIBLE_PERSON_ENTRY_TYPE } from '../../db/record-events';
import { listingWorkflowInput, randomResidentId } from '../support/fixtures';
import { claimedRepairInput, objectionWorkflowInput } from '../support/filings';
import { recordRepairTarget } from '../../api/procedures/repair-target';
import { caseIdFor, DAY, useTimeSkipping, type Start } from '../support/time-skipping';

/**
 * The responsible persons of Art 48 as credit subjects (DOMAIN.md procedure 1 step 8) on Temporal's time-skipping
 * server: the entry is the person's own record, objected to and decided by the recognising department, repaired
 * on the listing's minimum time, and ended with the listing.
 */
const ts = useTimeSkipping({ historyName: 'responsible-persons', maxHistoryEvents: 400 });
const { iso, now, nudged, completed, passDue, doAction, refused, settled, keepHistory } = ts;

const OFFICER: Actor = { id: 'samr-officer-1', role: 'officer', department: 'ZY-SAMR' };
const SUPERVISOR: Actor = { id: 'supervisor-1', role: 'supervisor', department: 'ZY-DRC' };
const AGENCY: Actor = { id: 'drc-officer-1', role: 'officer', department: 'ZY-DRC' };
const PERSON: Actor = { id: 'person', role: 'subject' };
const dateOf = (isoInstant: string) => new Date(Date.parse(isoInstant) + 8 * 3_600_000).toISOString().slice(0, 10);

/** A listing imported as served `daysAgo` days ago: listed, with its persons' entries written. */
async function importedListing(start: Start, daysAgo: number, extra: Partial<ListingInput> = {}) {
  const caseId = caseIdFor('LST');
  const person = { role: 'legal_representative' as const, name: '孙某', idNumber: randomResidentId() };
  const input = listingWorkflowInput(caseId, await iso(), OFFICER, {
    responsiblePersons: [person],
    imported: {
      decisionDocument: { number: '张市监认〔2025〕8号', issuedOn: '2025-01-10' },
      decisionServedAt: await iso(-daysAgo * DAY),
      measures: ['N-01'],
    },
    ...extra,
  });
  const h = await start('listingWorkflow', caseId, input);
  await settled(caseId, 'listed');
  const l = await ts.db.publicListing.findUniqueOrThrow({ where: { caseId } });
  const recordId = responsiblePersonRecordId(caseId, person.idNumber, person.role, l.listedFrom);
  return { h, caseId, person, recordId, listing: l };
}

/** Files an objection to `recordId` as the API does: the record is marked, the case belongs to the agency. */
async function object(start: Start, recordId: string): Promise<WorkflowHandle> {
  const caseId = caseIdFor('OBJ');
  const at = await iso();
  const row = await ts.db.creditRecord.update({
    where: { id: recordId },
    data: { openObjectionId: caseId, objectionSince: new Date(at) },
  });
  const input = objectionWorkflowInput({
    caseId,
    at,
    subject: { kind: 'natural_person', id: row.subjectId, name: row.subjectName },
    row,
    filedBy: PERSON,
    statement: '本人于违法行为发生时已不再担任该公司法定代表人。',
    evidence: [{ title: '工商变更登记', description: '法定代表人变更登记材料' }],
  });
  return start('objectionWorkflow', caseId, input);
}

/** Applies for the entry's repair as the API does (api/procedures/repair-target.ts): a record target carrying the listing's date. */
async function applyForRepair(start: Start, recordId: string): Promise<WorkflowHandle> {
  const r = await ts.db.creditRecord.findUniqueOrThrow({ where: { id: recordId } });
  const target = recordRepairTarget(r);
  const caseId = caseIdFor('REP');
  const openedAt = await iso();
  const input = await claimedRepairInput(ts.db, {
    caseId,
    subject: { kind: 'natural_person', id: r.subjectId, name: r.subjectName },
    target,
    statement: '公司已履行判决确定的义务，本人已纠正失信行为。',
    evidence: [{ title: '履行证明', description: '法院出具的执行完毕证明' }],
    commitmentText: '本人承诺依法诚信。',
    signedOn: dateOf(openedAt),
    filedBy: PERSON,
    openedAt,
    policy: defaultPolicy(),
    decider: { department: r.department, policy: defaultPolicy() },
  });
  return start('repairWorkflow', caseId, input);
}

it("objects to a person's entry: forwarded to the recognising department, corrected, then deleted, which ends the person's entry but not the listing", async () => {
  await ts.withWorker(async (start) => {
    const listing = await importedListing(start, 30);
    const record = await ts.db.creditRecord.findUniqueOrThrow({ where: { id: listing.recordId } });
    expect(record).toMatchObject({
      subjectKind: 'natural_person',
      subjectId: listing.person.idNumber,
      category: 'dishonesty',
      type: RESPONSIBLE_PERSON_ENTRY_TYPE,
      documentNumber: '张市监认〔2025〕8号',
      decidedOn: listing.listing.listedFrom,
      department: 'ZY-SAMR',
      listingCaseId: listing.caseId,
      publicUntil: listing.listing.listedUntil,
      status: 'active',
    });
    expect(record.content).toContain('法定代表人');
    // Imported: the decision was served before go-live, so the system serves no notice of it.
    expect(await ts.db.document.count({ where: { caseId: listing.caseId, kind: 'responsible_person_notice' } })).toBe(0);

    const h = await object(start, listing.recordId);
    await ts.opened(h);
    await doAction(h, AGENCY, 'accept', {});
    await doAction(h, AGENCY, 'forward', { department: 'ZY-SAMR' });
    // The person is on no list: an entry cannot be "removed from the list" (that would revoke the organisation's listing).
    await refused(doAction(h, OFFICER, 'decide', { outcome: 'remove_from_list', reasons: '不在其位' }), /Art 48 entry/);
    const corrected = '作为该公司的其他直接责任人记入（经异议更正）。';
    await doAction(h, OFFICER, 'decide', { outcome: 'correct', reasons: '身份记载有误', correctedContent: corrected });
    await completed(h);
    await settled(h.workflowId, 'decided');
    // The correction awaits a second officer of the deciding department (Art 36); released here as the API's release
    // would (POST /v1/records/{id}/release, test/api/records-and-objections.test.ts), so it can be objected to again.
    expect(await ts.db.creditRecord.findUniqueOrThrow({ where: { id: listing.recordId } })).toMatchObject({
      content: corrected,
      status: 'pending_review',
      revisionBy: OFFICER.id,
      revisionDepartment: 'ZY-SAMR',
      openObjectionId: null,
    });
    await ts.db.creditRecord.update({
      where: { id: listing.recordId },
      data: { status: 'active', reviewedBy: 'samr-officer-2', reviewedAt: new Date() },
    });
    expect(await ts.db.subjectEntry.count({ where: { caseId: listing.caseId, status: 'active' } })).toBe(1);
    const notice = await ts.db.document.findFirstOrThrow({
      where: { caseId: h.workflowId, kind: 'objection_result_notice' },
    });
    expect(notice.servedTo).toBe(listing.person.idNumber);

    const second = await object(start, listing.recordId);
    await ts.opened(second);
    await doAction(second, AGENCY, 'accept', {});
    await doAction(second, AGENCY, 'forward', { department: 'ZY-SAMR' });
    await doAction(second, OFFICER, 'decide', {
      outcome: 'delete',
      reasons: '经核查，违法行为发生时申请人已不担任该公司任何职务',
    });
    await completed(second);
    await settled(second.workflowId, 'decided');
    expect(await ts.db.creditRecord.findUniqueOrThrow({ where: { id: listing.recordId } })).toMatchObject({
      status: 'deleted',
    });
    expect(await ts.db.subjectEntry.findMany({ where: { caseId: listing.caseId } })).toEqual([
      expect.objectContaining({ status: 'removed' }),
    ]);
    expect(
      (await ts.db.recordEvent.findMany({ where: { recordId: listing.recordId }, orderBy: { id: 'asc' } })).map((e) => e.action),
    ).toEqual(['supplied', 'corrected', 'deleted']);
    // The organisation stays listed, its own record untouched.
    expect(await listing.h.query(getCaseQuery)).toMatchObject({ state: 'listed' });
    expect(await ts.db.creditRecord.findUniqueOrThrow({ where: { id: listingRecordId(listing.caseId) } })).toMatchObject({
      status: 'active',
    });
    await keepHistory(second, 'objection-responsible-person-entry-deleted');
  });
});

it("repairs a person's entry once the listing's minimum time has passed: the entry ends, the organisation stays listed", async () => {
  await ts.withWorker(async (start) => {
    // Too early: declined at once, with the date from which the person may apply.
    const young = await importedListing(start, 30);
    const early = await applyForRepair(start, young.recordId);
    await completed(early);
    const declined = await early.query(getCaseQuery);
    expect(declined).toMatchObject({ state: 'declined', details: { eligibility: { eligible: false } } });
    assert(declined.procedure === 'repair');
    expect(declined.details.eligibility?.reasons.join('')).toMatch(/列入名单未满最短期限.*方可申请信用修复/);

    const listing = await importedListing(start, 400);
    const h = await applyForRepair(start, listing.recordId);
    expect(await ts.opened(h)).toMatchObject({
      state: 'submitted',
      details: { eligibility: { eligible: true }, decidingDepartment: 'ZY-SAMR' },
    });
    await doAction(h, AGENCY, 'accept', {});
    await doAction(h, OFFICER, 'decide', { outcome: 'approve', reasons: '公司已履行义务，申请人已纠正失信行为' });
    await completed(h);
    await settled(h.workflowId, 'approved');
    expect(await ts.db.creditRecord.findUniqueOrThrow({ where: { id: listing.recordId } })).toMatchObject({
      status: 'publicity_ended',
    });
    expect(await ts.db.subjectEntry.findMany({ where: { caseId: listing.caseId } })).toEqual([
      expect.objectContaining({ status: 'removed' }),
    ]);
    expect(await listing.h.query(getCaseQuery)).toMatchObject({ state: 'listed' });
    expect(await ts.db.publicListing.findUniqueOrThrow({ where: { caseId: listing.caseId } })).toMatchObject({
      status: 'listed',
    });
    expect(await ts.db.creditRecord.findUniqueOrThrow({ where: { id: listingRecordId(listing.caseId) } })).toMatchObject({
      status: 'active',
    });
    await keepHistory(h, 'repair-responsible-person-entry-approved');
  });
});

it("serves each person a notice with the decision and ends the person's record when the listing's period ends", async () => {
  await ts.withWorker(async (start) => {
    const caseId = caseIdFor('LST');
    const persons = [
      { role: 'legal_representative' as const, name: '赵某', idNumber: randomResidentId() },
      { role: 'actual_controller' as const, name: '钱某', idNumber: randomResidentId() },
    ];
    const h = await start(
      'listingWorkflow',
      caseId,
      listingWorkflowInput(caseId, await iso(), OFFICER, { responsiblePersons: persons, listingPeriod: { months: 2 } }),
    );
    const served = await doAction(h, OFFICER, 'serve_notice', { servedAt: await iso(), method: 'electronic' });
    const w = served.deadlines.find((d) => d.kind === 'statement_window')!;
    await nudged(h, ts.env.sleep(Date.parse(w.dueAt) - (await now()) + 60_000));
    const until = Date.now() + 10_000;
    while ((await h.query(getCaseQuery)).state !== 'under_review' && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    await doAction(h, OFFICER, 'propose_decision', { outcome: 'list', reasons: '情节严重' });
    await doAction(h, SUPERVISOR, 'approve_decision', { comment: '同意' });
    const listed = await doAction(h, OFFICER, 'serve_decision', { servedAt: await iso(), method: 'in_person' });
    await settled(caseId, 'listed');

    const l = await ts.db.publicListing.findUniqueOrThrow({ where: { caseId } });
    const ids = persons.map((p) => responsiblePersonRecordId(caseId, p.idNumber, p.role, l.listedFrom));
    for (const [i, p] of persons.entries()) {
      expect(await ts.db.creditRecord.findUniqueOrThrow({ where: { id: ids[i]! } })).toMatchObject({
        subjectId: p.idNumber,
        status: 'active',
        listingCaseId: caseId,
        publicUntil: l.listedUntil,
      });
      const notices = await ts.db.document.findMany({ where: { servedTo: p.idNumber } });
      expect(notices).toEqual([expect.objectContaining({ caseId, kind: 'responsible_person_notice', servedMethod: 'electronic' })]);
      expect(notices[0]!.html).toContain(ids[i]!);
      expect(notices[0]!.html).toContain(l.decisionNumber);
      expect(notices[0]!.fields).toMatchObject({
        role: { code: p.role },
        listing: { caseId },
        measures: { items: [{ code: 'N-01' }, { code: 'N-04' }] },
      });
    }

    const period = listed.deadlines.find((d) => d.kind === 'listing_period')!;
    await passDue(h, period.dueAt, (v) => v.state === 'removed');
    await completed(h);
    await settled(caseId, 'removed');
    for (const id of ids) {
      expect(await ts.db.creditRecord.findUniqueOrThrow({ where: { id } })).toMatchObject({
        status: 'publicity_ended',
        endReason: 'listing expired',
      });
      expect((await ts.db.recordEvent.findMany({ where: { recordId: id }, orderBy: { id: 'asc' } })).map((e) => e.action)).toEqual([
        'supplied',
        'publicity_ended',
      ]);
    }
    expect(await ts.db.subjectEntry.count({ where: { caseId, status: 'active' } })).toBe(0);
    await keepHistory(h, 'listing-responsible-persons-expired');
  });
});
