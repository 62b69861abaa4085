import type { Client } from '@temporalio/client';
import { neverStarted } from '../temporal-errors';
import type { Db } from '../../db/client';
import { appendAudit } from '../../db/audit';
import { appendRecordEvent } from '../../db/record-events';
import { enqueueRecordChange } from '../../exchange/sources';
import { policyFor } from '../../db/policy-store';
import { policyTerms } from '../../domain/calendar';
import { CREDIT_AGENCY_CODE } from '../../domain/reference-data';
import { disclosureOf, type RecordCategory } from '../../domain/records';
import { actorOf, type Principal } from '../plugins/auth';
import { conflict, forbidden, notFound } from '../problem';
import { recordVisible, type RecordRow } from '../record-reads';
import { shanghaiDate } from '../case-ids';
import type { ObjectionCreateBody } from '../schemas/objection';
import { OBJECTION_POLICY_TERMS, type ObjectionInput } from '../../workflows/objection/definitions';

/**
 * The record an objection is filed against, if the caller may object to it: a subject their own; an
 * officer, on a subject's behalf, a record their duty covers (the credit agency, or the supplier).
 */
export async function contestableRecord(db: Db, p: Principal, recordId: string): Promise<RecordRow> {
  if (p.role === 'supervisor') {
    throw forbidden({
      zh: '异议由信用主体提出，或由工作人员代其提出',
      en: 'objections are filed by the subject, or by an officer on their behalf',
    });
  }
  const row = await db.creditRecord.findUnique({ where: { id: recordId } });
  const visible = row && recordVisible(p, row, disclosureOf(row, shanghaiDate(new Date())));
  const onDuty = p.role === 'subject' || (row && (p.dept === CREDIT_AGENCY_CODE || p.dept === row.department));
  if (!row || !visible || !onDuty) throw notFound({ zh: `没有记录 ${recordId}`, en: `no record ${recordId}` });
  if (row.status === 'pending_review' || row.status === 'returned') {
    throw conflict(
      {
        zh: `记录 ${recordId} ${row.status === 'returned' ? '已退回报送部门' : '正待报送部门审核'}，尚未公开；目前没有可提出异议的内容（第三十六条）`,
        en: `record ${recordId} is ${row.status === 'returned' ? 'returned to its supplier' : 'pending review by its supplying department'} and not disclosed; there is nothing to object to yet (Art 36)`,
      },
      { disclosure: row.status },
    );
  }
  if (row.status === 'deleted')
    throw conflict(
      {
        zh: `记录 ${recordId} 已于 ${row.endedAt?.toISOString()} 删除；没有可提出异议的内容`,
        en: `record ${recordId} was deleted at ${row.endedAt?.toISOString()}; there is nothing to object to`,
      },
      {
        since: row.endedAt?.toISOString(),
      },
    );
  if (row.openObjectionId) throw openObjection(row);
  return row;
}

function openObjection(row: RecordRow) {
  return conflict(
    {
      zh: `记录 ${row.id} 已在案件 ${row.openObjectionId} 中处于异议处理中（自 ${row.objectionSince?.toISOString()} 起）；同一时间只能有一项异议`,
      en: `record ${row.id} is already under objection in case ${row.openObjectionId} (since ${row.objectionSince?.toISOString()}); one objection at a time`,
    },
    {
      openCaseId: row.openObjectionId,
      since: row.objectionSince?.toISOString(),
    },
  );
}

/** Whose mark on which record, for which objection case. */
export interface RecordMark {
  p: Principal;
  recordId: string;
  caseId: string;
}

/**
 * Marks the record (异议标注) for case `caseId`, atomically with the one-objection-per-record rule, and
 * leaves the mark in its history and the audit log. A retry of the same filing finds its own mark.
 */
export async function markRecord(db: Db, { p, recordId, caseId, at }: RecordMark & { at: Date }): Promise<RecordRow> {
  return db.$transaction(async (tx) => {
    const claimed = await tx.$queryRaw<{ id: string }[]>`
      UPDATE credit_records SET open_objection_id = ${caseId}, objection_since = COALESCE(objection_since, ${at}), updated_at = ${at}
      WHERE id = ${recordId} AND (open_objection_id IS NULL OR open_objection_id = ${caseId}) RETURNING id`;
    const row = await tx.creditRecord.findUniqueOrThrow({ where: { id: recordId } });
    if (claimed.length === 0) throw openObjection(row);
    const by = { actor: p.sub, role: p.role, department: p.role === 'subject' ? null : p.dept };
    await appendRecordEvent(tx, {
      recordId,
      at,
      ...by,
      action: 'objection_marked',
      detail: { caseId },
      eventKey: `case:${caseId}#marked`,
    });
    await enqueueRecordChange(tx, { recordId, change: 'objection_marked', at, version: caseId, caseId });
    await appendAudit(tx, {
      at,
      ...by,
      action: 'record.objection_marked',
      target: `record:${recordId}`,
      caseId,
      subjectId: row.subjectId,
      detail: { caseId },
      eventKey: `case:${caseId}#marked`,
    });
    return row;
  });
}

/** Undoes a mark whose case never started (its workflow does not exist), so no record stays marked for nothing. */
export async function releaseMarkIfNotStarted(db: Db, temporal: Client, { p, recordId, caseId }: RecordMark): Promise<void> {
  // Started after all, the case owns the mark and lifts it when it ends.
  if (!(await neverStarted(temporal, caseId))) return;
  const at = new Date();
  await db.$transaction(async (tx) => {
    const released = await tx.$executeRaw`
      UPDATE credit_records SET open_objection_id = NULL, objection_since = NULL, updated_at = ${at}
      WHERE id = ${recordId} AND open_objection_id = ${caseId}`;
    if (released === 0) return;
    const by = { actor: p.sub, role: p.role, department: p.role === 'subject' ? null : p.dept };
    await appendRecordEvent(tx, {
      recordId,
      at,
      ...by,
      action: 'objection_mark_released',
      detail: { caseId, reason: 'the case could not be started' },
    });
    await enqueueRecordChange(tx, { recordId, change: 'objection_cleared', at, version: caseId, caseId });
    await appendAudit(tx, {
      at,
      ...by,
      action: 'record.objection_mark_released',
      target: `record:${recordId}`,
      caseId,
      detail: { reason: 'the case could not be started' },
    });
  });
}

export async function objectionInput(
  db: Db,
  { caseId, body, p, row, now }: { caseId: string; body: ObjectionCreateBody; p: Principal; row: RecordRow; now: Date },
): Promise<ObjectionInput> {
  return {
    caseId,
    subject: { kind: row.subjectKind as ObjectionInput['subject']['kind'], id: row.subjectId, name: row.subjectName },
    record: {
      id: row.id,
      category: row.category as RecordCategory,
      type: row.type,
      content: row.content,
      documentNumber: row.documentNumber,
      decidedOn: row.decidedOn,
      department: row.department,
      listingCaseId: row.listingCaseId,
    },
    grounds: body.grounds,
    statement: body.statement,
    evidence: body.evidence,
    department: CREDIT_AGENCY_CODE,
    filedBy: actorOf(p),
    openedAt: now.toISOString(),
    markedAt: (row.objectionSince ?? now).toISOString(),
    policy: policyTerms(
      await policyFor(db, { procedure: 'objection', department: CREDIT_AGENCY_CODE, on: shanghaiDate(now) }),
      OBJECTION_POLICY_TERMS,
    ),
  };
}
