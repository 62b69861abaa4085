import { z } from 'zod';
import type { RepairCaseView } from '../../workflows/common/case-types';
import { acceptance, blockedPeriod, evidenceList, withDecidingDepartment } from './stored-details';

const repairTarget = z.discriminatedUnion('kind', [
  z.looseObject({
    kind: z.literal('record'),
    recordId: z.string(),
    type: z.string(),
    category: z.string(),
    severity: z.string().nullable(),
    documentNumber: z.string(),
    decidedOn: z.string(),
    publicMinUntil: z.string().nullable(),
    publicUntil: z.string().nullable(),
    department: z.string(),
    listedFrom: z.string().optional(),
  }),
  z.looseObject({
    kind: z.literal('listing'),
    listingCaseId: z.string(),
    category: z.string(),
    decisionNumber: z.string(),
    listedFrom: z.string(),
    listedUntil: z.string(),
    department: z.string(),
  }),
]);

/** A repair case's details as its workflow stores them (workflows/repair/details.ts). */
export const repairDetails: z.ZodType<RepairCaseView['details']> = z.looseObject({
  target: repairTarget,
  targetKey: z.string(),
  decidingDepartment: z.string(),
  statement: z.string(),
  evidence: evidenceList,
  commitment: z.looseObject({ text: z.string(), signedOn: z.string() }),
  eligibility: z
    .looseObject({
      eligible: z.boolean(),
      reasons: z.array(z.string()),
      earliest: z.string().optional(),
      checkedOn: z.string(),
    })
    .optional(),
  acceptance: acceptance.optional(),
  decision: z
    .looseObject({
      outcome: z.enum(['approved', 'rejected', 'declined']),
      reasons: z.string(),
      by: z.string(),
      department: z.string(),
      at: z.string(),
      reapplyAfter: z.string().optional(),
      documentId: z.string(),
    })
    .optional(),
  effects: z.looseObject({ completedAt: z.string(), listingRemoved: z.boolean().optional(), notificationId: z.string() }).optional(),
  blocked: blockedPeriod.optional(),
});

export function storedRepairDetails(json: unknown, department: string): RepairCaseView['details'] {
  return repairDetails.parse(withDecidingDepartment(json, department));
}
