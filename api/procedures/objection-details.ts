import { z } from 'zod';
import type { ObjectionCaseView } from '../../workflows/common/case-types';
import { OBJECTION_GROUNDS, OBJECTION_OUTCOMES } from '../../workflows/objection/vocabulary';
import { recordCategories } from '../../domain/records';
import { acceptance, blockedPeriod, evidenceList, withDecidingDepartment } from './stored-details';

const objectionState = z.enum(['submitted', 'awaiting_supplement', 'verifying', 'forwarded', 'decided', 'declined']);

/** An objection case's details as its workflow stores them (workflows/objection/details.ts). */
export const objectionDetails: z.ZodType<ObjectionCaseView['details']> = z.looseObject({
  record: z.looseObject({
    id: z.string(),
    category: z.enum(recordCategories),
    type: z.string(),
    content: z.string(),
    documentNumber: z.string(),
    decidedOn: z.string(),
    department: z.string(),
    listingCaseId: z.string().nullable(),
  }),
  grounds: z.enum(OBJECTION_GROUNDS),
  statement: z.string(),
  evidence: evidenceList,
  markedAt: z.string(),
  decidingDepartment: z.string(),
  supplement: z
    .looseObject({
      requestedAt: z.string(),
      requestedBy: z.string(),
      items: z.array(z.string()),
      receivedAt: z.string().optional(),
      evidence: evidenceList.optional(),
      returnTo: objectionState,
    })
    .optional(),
  acceptance: acceptance.optional(),
  forward: z.looseObject({ to: z.string(), at: z.string(), by: z.string() }).optional(),
  extension: z.looseObject({ at: z.string(), by: z.string(), reason: z.string(), workingDays: z.number() }).optional(),
  decision: z
    .looseObject({
      outcome: z.enum(OBJECTION_OUTCOMES),
      reasons: z.string(),
      correctedContent: z.string().optional(),
      by: z.string(),
      department: z.string(),
      at: z.string(),
      listingRevoked: z.boolean().optional(),
    })
    .optional(),
  closure: z
    .looseObject({
      outcome: z.enum([...OBJECTION_OUTCOMES, 'declined', 'withdrawn']),
      at: z.string(),
      reasons: z.string(),
      documentId: z.string(),
    })
    .optional(),
  blocked: blockedPeriod.optional(),
});

export function storedObjectionDetails(json: unknown, department: string): ObjectionCaseView['details'] {
  return objectionDetails.parse(withDecidingDepartment(json, department));
}
