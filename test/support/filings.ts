import { defaultPolicy, policyTerms } from '../../domain/calendar';
import type { Db } from '../../db/client';
import { OBJECTION_POLICY_TERMS, type ObjectionInput } from '../../workflows/objection/definitions';
import { repairTargetKey, type RepairInput, type RepairTarget } from '../../workflows/repair/definitions';
import type { Actor } from '../../workflows/common/case-types';

type CreditRecordRow = Awaited<ReturnType<Db['creditRecord']['findUniqueOrThrow']>>;
type Subject = ObjectionInput['subject'];

/**
 * A general penalty ZY-SAMR supplied (a fine of fifty thousand yuan), marked by the objection `caseId` since `at`:
 * the row the workflow tests put where the API leaves it when an objection is filed.
 */
export function markedPenaltyRow(args: {
  id: string;
  subject: { kind: string; id: string; name: string };
  caseId: string;
  at: string;
  createdBy: string;
  listingCaseId?: string | null;
}) {
  return {
    id: args.id,
    subjectKind: args.subject.kind,
    subjectId: args.subject.id,
    subjectName: args.subject.name,
    category: 'dishonesty',
    type: 'administrative_penalty',
    content: '因销售过期食品被处罚款五万元。',
    documentNumber: '张市监罚〔2026〕7号',
    decidedOn: '2026-03-02',
    severity: 'general',
    department: 'ZY-SAMR',
    createdBy: args.createdBy,
    status: 'active',
    publicUntil: '2099-03-02',
    publicMinUntil: '2026-06-02',
    publicity: { basis: 'test', explanation: [] },
    listingCaseId: args.listingCaseId ?? null,
    openObjectionId: args.caseId,
    objectionSince: new Date(args.at),
    createdAt: new Date(args.at),
    updatedAt: new Date(args.at),
  };
}

/**
 * An objection's input as the API starts it (api/objection-filing.ts): the marked record copied in, an error in it
 * claimed, filed with the agency ZY-DRC at `at`. Without `statement` and `evidence`: a fine recorded ten times too high.
 */
export function objectionWorkflowInput(args: {
  caseId: string;
  at: string;
  subject: Subject;
  row: CreditRecordRow;
  filedBy: Actor;
  statement?: string;
  evidence?: ObjectionInput['evidence'];
}): ObjectionInput {
  const { row } = args;
  return {
    caseId: args.caseId,
    subject: args.subject,
    record: {
      id: row.id,
      category: 'dishonesty',
      type: row.type,
      content: row.content,
      documentNumber: row.documentNumber,
      decidedOn: row.decidedOn,
      department: row.department,
      listingCaseId: row.listingCaseId,
    },
    grounds: 'error_or_omission',
    statement: args.statement ?? '罚款金额记载错误，应为五千元。',
    evidence: args.evidence ?? [{ title: '缴款凭证', description: '实际缴纳罚款五千元的凭证' }],
    department: 'ZY-DRC',
    filedBy: args.filedBy,
    openedAt: args.at,
    markedAt: args.at,
    policy: policyTerms(defaultPolicy(), OBJECTION_POLICY_TERMS),
  };
}

/**
 * A repair's input as the API starts it (api/repair-filing.ts), after it has claimed the target for the case (the
 * claim is written here): filed with the agency ZY-DRC at `openedAt`. Without `statement`, `evidence` and
 * `commitment`: a company that paid its fine and put things right.
 */
export async function claimedRepairInput(
  db: Db,
  args: Pick<RepairInput, 'caseId' | 'subject' | 'target' | 'filedBy' | 'openedAt' | 'policy'> &
    Partial<Pick<RepairInput, 'statement' | 'evidence' | 'decider'>> & { commitmentText?: string; signedOn: string },
): Promise<RepairInput> {
  const target: RepairTarget = args.target;
  await db.caseClaim.create({
    data: { target: repairTargetKey(target), caseId: args.caseId, procedure: 'repair', claimedAt: new Date(args.openedAt) },
  });
  return {
    caseId: args.caseId,
    subject: args.subject,
    target,
    statement: args.statement ?? '已缴清罚款并完成整改。',
    evidence: args.evidence ?? [{ title: '缴款凭证', description: '罚款已缴清' }],
    commitment: { text: args.commitmentText ?? '本单位承诺依法诚信经营。', signedOn: args.signedOn },
    department: 'ZY-DRC',
    filedBy: args.filedBy,
    openedAt: args.openedAt,
    policy: args.policy,
    ...(args.decider ? { decider: args.decider } : {}),
  };
}
