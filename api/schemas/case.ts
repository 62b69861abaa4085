import { z } from 'zod';
import { isoDate } from './common';
import { evidenceFileView } from '../../contract/files';
import { objectionCreateBody } from './objection';
import { repairCreateBody } from './repair';
import { listingCreateBody, subjectKindSchema } from '../../contract/listing';
import { listingDetails } from '../procedures/listing-details';
import { objectionDetails } from '../procedures/objection-details';
import { repairDetails } from '../procedures/repair-details';

// The listing body lives in contract/, which the console checks its form with; the API's modules keep importing it here.
export { subjectKindSchema, subjectInput, listingCreateBody, type ListingCreateBody } from '../../contract/listing';

export const caseCreateBody = z.discriminatedUnion('procedure', [listingCreateBody, objectionCreateBody, repairCreateBody]);

const caseViewCommon = z.object({
  id: z.string(),
  state: z.string(),
  closed: z.boolean(),
  outcome: z.string().optional(),
  subject: z.object({ kind: subjectKindSchema, id: z.string(), name: z.string() }),
  department: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  deadlines: z.array(z.unknown()),
  timeline: z.array(
    z.object({
      at: z.string(),
      actor: z.string(),
      role: z.string(),
      action: z.string(),
      detail: z.record(z.string(), z.unknown()),
    }),
  ),
  documents: z.array(z.object({ id: z.string(), kind: z.string(), title: z.string(), issuedAt: z.string() })),
  allowedActions: z.array(z.string()),
  /** Evidence files of the case's filings (issue 22); given by GET /v1/cases/{id}. */
  evidenceFiles: z.array(evidenceFileView).optional(),
});

/** A case with the details of its procedure: the document says, by `procedure`, what `details` holds. */
export const caseView = z.discriminatedUnion('procedure', [
  caseViewCommon.extend({ procedure: z.literal('listing'), details: listingDetails }),
  caseViewCommon.extend({ procedure: z.literal('objection'), details: objectionDetails }),
  caseViewCommon.extend({ procedure: z.literal('repair'), details: repairDetails }),
]);

export const caseSummary = caseViewCommon
  .extend({ procedure: z.enum(['listing', 'objection', 'repair']) })
  .omit({ timeline: true, deadlines: true, documents: true, evidenceFiles: true });

/** A listing decided before the system went live (API.md "migrated, not re-decided"). */
export const listingImportBody = listingCreateBody.omit({ procedure: true, proposedMeasures: true }).extend({
  measures: z.array(z.string().regex(/\S/, 'must not be blank').trim().min(1).max(20)).min(1).max(50),
  decisionDocument: z.object({
    number: z.string().regex(/\S/, 'must not be blank').trim().min(1).max(100),
    issuedOn: isoDate,
  }),
  decisionServedAt: z.iso.datetime({ offset: true, error: 'must be an RFC 3339 instant with offset' }),
  /** The recognising department; defaults to the importing supervisor's. */
  department: z.string().regex(/\S/, 'must not be blank').trim().min(1).max(40).optional(),
});
export type ListingImportBody = z.infer<typeof listingImportBody>;
