import { z } from 'zod';
import type { ListingCaseView } from '../../workflows/common/case-types';
import { LISTING_CATEGORIES, RESPONSIBLE_ROLES } from '../../workflows/listing/definitions';
import { blockedPeriod, serviceMethod } from './stored-details';

const decisionOutcome = z.enum(['list', 'dismiss']);

/** A listing case's details as its workflow stores them (workflows/listing/details.ts). */
export const listingDetails: z.ZodType<ListingCaseView['details']> = z.looseObject({
  category: z.enum(LISTING_CATEGORIES),
  facts: z.string(),
  basisDocuments: z.array(z.looseObject({ title: z.string(), number: z.string(), issuedOn: z.string() })),
  proposedMeasures: z.array(z.string()),
  responsiblePersons: z.array(z.looseObject({ role: z.enum(RESPONSIBLE_ROLES), name: z.string(), idNumber: z.string() })),
  listingPeriod: z.looseObject({ years: z.number().optional(), months: z.number().optional() }),
  notice: z
    .looseObject({
      servedAt: z.string(),
      method: serviceMethod,
      servedDate: z.string(),
      documentId: z.string(),
      service: z.array(z.string()),
    })
    .optional(),
  statement: z.looseObject({ text: z.string(), requestHearing: z.boolean(), submittedAt: z.string(), by: z.string() }).optional(),
  hearing: z
    .looseObject({
      requestedAt: z.string(),
      announcedOn: z.string().optional(),
      heldAt: z.string().optional(),
      place: z.string().optional(),
      summary: z.string().optional(),
      recordedAt: z.string().optional(),
    })
    .optional(),
  proposal: z
    .looseObject({
      outcome: decisionOutcome,
      reasons: z.string(),
      measures: z.array(z.string()),
      proposedBy: z.string(),
      proposedAt: z.string(),
    })
    .optional(),
  rejections: z.array(z.looseObject({ by: z.string(), at: z.string(), comment: z.string() })),
  decision: z
    .looseObject({
      outcome: decisionOutcome,
      number: z.string().optional(),
      approvedBy: z.string(),
      approvedAt: z.string(),
      comment: z.string(),
      measures: z.array(z.string()),
      documentId: z.string(),
    })
    .optional(),
  listing: z
    .looseObject({
      servedAt: z.string(),
      method: serviceMethod,
      listedFrom: z.string(),
      listedUntil: z.string(),
      imported: z.boolean(),
    })
    .optional(),
  remedies: z.array(
    z.looseObject({
      kind: z.enum(['reconsideration', 'litigation']),
      filedAt: z.string(),
      outcome: z.enum(['upheld', 'revoked']).optional(),
      decidedAt: z.string().optional(),
      reasons: z.string().optional(),
    }),
  ),
  reopenedWindow: z
    .looseObject({
      previousDueDate: z.string(),
      dueDate: z.string(),
      dueAt: z.string(),
      reopenedAt: z.string(),
      documentId: z.string(),
      decisionWaiting: z.boolean(),
    })
    .optional(),
  removal: z
    .looseObject({
      outcome: z.enum(['expired', 'repaired', 'revoked']),
      at: z.string(),
      reason: z.string(),
      basis: z.string().optional(),
      repairCaseId: z.string().optional(),
      documentId: z.string(),
    })
    .optional(),
  blocked: blockedPeriod.optional(),
});
