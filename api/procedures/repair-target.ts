import type { Client } from '@temporalio/client';
import { categoryZh, disclosureZh } from '../words';
import { neverStarted } from '../temporal-errors';
import type { Db } from '../../db/client';
import { appendAudit } from '../../db/audit';
import { policyFor } from '../../db/policy-store';
import { policyTerms } from '../../domain/calendar';
import { CREDIT_AGENCY_CODE } from '../../domain/reference-data';
import { disclosureOf } from '../../domain/records';
import { RESPONSIBLE_PERSON_ENTRY_TYPE } from '../../domain/record-types';
import { actorOf, type Principal } from '../plugins/auth';
import { conflict, forbidden, notFound, unprocessable } from '../problem';
import { shanghaiDate } from '../case-ids';
import type { RepairCreateBody } from '../schemas/repair';
import { storedRepairDetails } from './repair-details';
import type { RecordRow } from '../record-reads';
import { REPAIR_POLICY_TERMS, repairTargetKey, type RepairInput, type RepairTarget } from '../../workflows/repair/definitions';

const BY_THE_SUBJECT = { zh: '信用修复由信用主体本人申请（第五十二条）', en: 'a repair is applied for by the subject (Art 52)' };

/**
 * What a repair application is for, if the subject may apply for it now: their own dishonesty record that
 * is still disclosed (an Art 48 entry included), or their own listing while it runs; not while another repair of it is open, nor
 * before the date a rejection set. Eligibility under the policy (minimum periods, exclusions) is the
 * workflow's to decide, with reasons, on the case's own clock.
 */
export async function repairTarget(db: Db, p: Principal, body: RepairCreateBody, now: Date): Promise<RepairTarget> {
  if (p.role !== 'subject') throw forbidden(BY_THE_SUBJECT);
  const today = shanghaiDate(now);
  if (body.commitment.signedOn > today)
    throw unprocessable({ zh: '信用承诺书的签署日期晚于今天', en: 'the credit commitment is dated in the future' }, [
      { path: 'body.commitment.signedOn', message: { zh: '日期晚于今天', en: 'lies in the future' } },
    ]);
  let target: RepairTarget;
  if ('recordId' in body.target) {
    const r = await db.creditRecord.findUnique({ where: { id: body.target.recordId } });
    if (!r || r.subjectId !== p.subjectId)
      throw notFound({ zh: `没有记录 ${body.target.recordId}`, en: `no record ${body.target.recordId}` });
    if (r.category !== 'dishonesty')
      throw unprocessable(
        { zh: '只有失信信息的公示可以通过信用修复提前结束', en: 'only dishonesty information has a publicity that repair can end' },
        [{ path: 'body.target.recordId', message: { zh: `该记录属于${categoryZh(r.category)}`, en: `a ${r.category} record` } }],
      );
    // An Art 48 entry is the person's own record (its repair ends the entry, not the listing); a listing's own record
    // is repaired by applying for the listing.
    const entry = r.type === RESPONSIBLE_PERSON_ENTRY_TYPE;
    if (r.listingCaseId && !entry)
      throw unprocessable(
        {
          zh: `该记录对应列入案件 ${r.listingCaseId}；请就该列入申请信用修复`,
          en: `this record reports listing ${r.listingCaseId}; apply for the listing instead`,
        },
        [{ path: 'body.target', message: { zh: '请以 listingCaseId 申请', en: 'apply with listingCaseId' } }],
      );
    const disclosure = disclosureOf(r, today);
    if (disclosure === 'pending_review' || disclosure === 'returned')
      throw conflict(
        {
          zh: `记录 ${r.id} ${disclosureZh(disclosure)}，尚未公开；没有可修复的内容（第三十六条）`,
          en: `record ${r.id} is ${disclosure} and not disclosed; there is nothing to repair (Art 36)`,
        },
        { disclosure },
      );
    if (disclosure === 'deleted' || disclosure === 'publicity_ended')
      throw conflict(
        {
          zh: `记录 ${r.id} 已不再公示（${disclosureZh(disclosure)}）；没有可修复的内容`,
          en: `record ${r.id} is no longer disclosed (${disclosure}); there is nothing to repair`,
        },
        { disclosure },
      );
    target = recordRepairTarget(r);
  } else {
    const id = body.target.listingCaseId;
    const [c, l] = await Promise.all([db.case.findUnique({ where: { id } }), db.publicListing.findUnique({ where: { caseId: id } })]);
    if (!c || c.procedure !== 'listing' || c.subjectId !== p.subjectId) throw notFound({ zh: `没有列入 ${id}`, en: `no listing ${id}` });
    if (c.state !== 'listed' || !l || l.status !== 'listed')
      throw conflict(
        {
          zh: `列入 ${id} 的状态为 ${c.state}；只有正在执行的列入才能提前移出`,
          en: `listing ${id} is ${c.state}; only a running listing can be removed early`,
        },
        { state: c.state },
      );
    target = {
      kind: 'listing',
      listingCaseId: id,
      category: l.category,
      decisionNumber: l.decisionNumber,
      listedFrom: l.listedFrom,
      listedUntil: l.listedUntil,
      department: l.department,
    };
  }
  const key = repairTargetKey(target);
  const open = await db.caseClaim.findUnique({ where: { target: key } });
  if (open) throw openRepair(open);
  const earlier = await db.case.findMany({
    where: { procedure: 'repair', subjectId: p.subjectId, closed: true, details: { path: ['targetKey'], equals: key } },
    orderBy: { updatedAt: 'desc' },
    take: 20,
  });
  for (const e of earlier) {
    const after = storedRepairDetails(e.details, e.department).decision?.reapplyAfter;
    if (after && after > today) {
      throw conflict(
        { zh: `案件 ${e.id} 决定自 ${after} 起方可重新申请`, en: `case ${e.id} decided that a new application may be made from ${after}` },
        { caseId: e.id, reapplyAfter: after },
      );
    }
  }
  return target;
}

function openRepair(claim: { caseId: string; claimedAt: Date }) {
  return conflict(
    {
      zh: `对该对象的信用修复已在案件 ${claim.caseId} 中办理（自 ${claim.claimedAt.toISOString()} 起）；同一时间只能办理一项`,
      en: `a repair of this target is already open in case ${claim.caseId} (since ${claim.claimedAt.toISOString()}); one at a time`,
    },
    {
      openCaseId: claim.caseId,
      since: claim.claimedAt.toISOString(),
    },
  );
}

/** Claims the target for `caseId` (one open repair per target); a retry of the same filing finds its own claim. */
export async function claimTarget(
  db: Db,
  { p, target, caseId, at }: { p: Principal; target: RepairTarget; caseId: string; at: Date },
): Promise<void> {
  const key = repairTargetKey(target);
  await db.$transaction(async (tx) => {
    await tx.$executeRaw`INSERT INTO case_claims (target, case_id, procedure, claimed_at) VALUES (${key}, ${caseId}, 'repair', ${at}) ON CONFLICT (target) DO NOTHING`;
    const claim = await tx.caseClaim.findUniqueOrThrow({ where: { target: key } });
    if (claim.caseId !== caseId) throw openRepair(claim);
    await appendAudit(tx, {
      at,
      actor: p.sub,
      role: p.role,
      action: 'repair.claimed',
      target: key,
      caseId,
      subjectId: p.role === 'subject' ? p.subjectId : null,
      eventKey: `case:${caseId}#claimed`,
    });
  });
}

/** Releases a claim whose case never started, so a failed filing does not block the next one. */
export async function releaseClaimIfNotStarted(db: Db, temporal: Client, target: RepairTarget, caseId: string): Promise<void> {
  if (!(await neverStarted(temporal, caseId))) return;
  await db.$executeRaw`DELETE FROM case_claims WHERE target = ${repairTargetKey(target)} AND case_id = ${caseId}`;
}

export async function repairInput(
  db: Db,
  { caseId, body, p, target, now }: { caseId: string; body: RepairCreateBody; p: Principal; target: RepairTarget; now: Date },
): Promise<RepairInput> {
  if (p.role !== 'subject') throw forbidden(BY_THE_SUBJECT);
  const subject =
    target.kind === 'record'
      ? await db.creditRecord.findUniqueOrThrow({
          where: { id: target.recordId },
          select: { subjectKind: true, subjectId: true, subjectName: true },
        })
      : await db.case.findUniqueOrThrow({
          where: { id: target.listingCaseId },
          select: { subjectKind: true, subjectId: true, subjectName: true },
        });
  return {
    caseId,
    subject: {
      kind: subject.subjectKind as RepairInput['subject']['kind'],
      id: subject.subjectId,
      name: subject.subjectName,
    },
    target,
    statement: body.statement,
    evidence: body.evidence,
    commitment: body.commitment,
    department: CREDIT_AGENCY_CODE,
    filedBy: actorOf(p),
    openedAt: now.toISOString(),
    policy: policyTerms(
      await policyFor(db, { procedure: 'repair', department: CREDIT_AGENCY_CODE, on: shanghaiDate(now) }),
      REPAIR_POLICY_TERMS,
    ),
    // 谁认定、谁修复 (国办发〔2025〕22号; 《信用修复管理办法》): the recognising or supplying department decides.
    decider: {
      department: target.department,
      policy: policyTerms(
        await policyFor(db, { procedure: 'repair', department: target.department, on: shanghaiDate(now) }),
        REPAIR_POLICY_TERMS,
      ),
    },
  };
}

/** What a repair of `r` would end; an Art 48 entry carries its listing's date, from which the minimum time runs. */
export function recordRepairTarget(r: RecordRow): RepairTarget {
  return {
    kind: 'record',
    recordId: r.id,
    type: r.type,
    category: r.category,
    severity: r.severity,
    documentNumber: r.documentNumber,
    decidedOn: r.decidedOn,
    publicMinUntil: r.publicMinUntil,
    publicUntil: r.publicUntil,
    department: r.department,
    ...(r.type === RESPONSIBLE_PERSON_ENTRY_TYPE ? { listedFrom: r.decidedOn } : {}),
  };
}
