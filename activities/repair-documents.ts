import type { Db } from '../db/client';
import { renderRepairDecision } from '../domain/documents';
import type { RepairInput } from '../workflows/repair/definitions';
import type { DocumentMeta } from './listing-documents';
import { storeDocument } from './document-store';
import { recordTypeTitle } from '../domain/record-type-titles';

export interface RepairDecisionRequest {
  documentId: string;
  issuedAt: string;
  input: RepairInput;
  outcome: 'approve' | 'reject' | 'decline';
  reasons: string;
  reapplyAfter?: string;
  effectsWithinWorkingDays: number;
  /** The department that issues it: the deciding department, or the agency for a refusal to accept (absent on cases before routing: the agency). */
  issuedBy?: string;
}

/** The repair decision (准予 / 不予信用修复, 不予受理) served on the subject. Idempotent. */
export function repairDocumentActivities(db: Db) {
  return {
    async issueRepairDecision(req: RepairDecisionRequest): Promise<DocumentMeta> {
      const { input } = req;
      const t = input.target;
      return storeDocument(db, { documentId: req.documentId, caseId: input.caseId, issuedAt: req.issuedAt }, async () => {
        const name = async (code: string) => (await db.department.findUnique({ where: { code } }))?.name ?? code;
        const issuer = req.issuedBy ?? input.department;
        return renderRepairDecision({
          documentId: req.documentId,
          caseId: input.caseId,
          issuedAt: req.issuedAt,
          department: { code: issuer, name: await name(issuer) },
          ...(issuer !== input.department ? { receivedBy: { code: input.department, name: await name(input.department) } } : {}),
          subject: input.subject,
          repair: { caseId: input.caseId, filedAt: input.openedAt },
          target:
            t.kind === 'record'
              ? {
                  kind: 'record',
                  recordId: t.recordId,
                  type: recordTypeTitle(t.type),
                  documentNumber: t.documentNumber,
                }
              : {
                  kind: 'listing',
                  listingCaseId: t.listingCaseId,
                  decisionNumber: t.decisionNumber,
                  listedFrom: t.listedFrom,
                  listedUntil: t.listedUntil,
                },
          outcome: req.outcome,
          reasons: req.reasons,
          decidedOn: req.issuedAt,
          ...(req.reapplyAfter ? { reapplyAfter: req.reapplyAfter } : {}),
          ...(req.outcome === 'approve' ? { effectsWithinWorkingDays: req.effectsWithinWorkingDays } : {}),
        });
      });
    },
  };
}
