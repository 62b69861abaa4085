/**
 * A credit record as supplied (API.md "POST /v1/records") and as read back: the API validates and answers with these,
 * and the console checks its form with the same body before its check step.
 */
import { z } from 'zod';
import { disclosures, recordCategories, severities } from '../domain/records';
import { penaltyProcedures } from '../domain/record-admission';
import { isoDate } from '../workflows/common/schema-parts';
import { subjectInput, subjectKindSchema } from './listing';

const text = (max: number) => z.string().regex(/\S/, 'must not be blank').trim().min(1).max(max);

/** What a record resting on an administrative penalty says about it; Art 34 (二) decides from it whether it is dishonesty information. */
export const penaltyFacts = z.object({
  procedure: z.enum(penaltyProcedures).describe('general (一般程序) or summary (简易程序) procedure'),
  minor: z.boolean().describe('the violation was minor (违法行为轻微)'),
  remedied: z.boolean().describe('the subject actively removed or reduced its harm (主动消除、减轻违法行为危害后果)'),
});

/** API.md "POST /v1/records": information a department supplies, with the legal document it rests on (Art 34). */
export const recordCreateBody = z.object({
  subject: subjectInput,
  category: z.enum(recordCategories).describe('must be the category of the catalogue item named by type'),
  type: text(100).describe('code of an item of the public credit information catalogue (GET /v1/public/catalogue)'),
  content: text(20_000),
  documentNumber: text(100),
  decidedOn: isoDate,
  issuedBy: text(200).describe('the body that issued the legal document'),
  severity: z.enum(severities).optional(),
  penalty: penaltyFacts.optional().describe('required exactly when the catalogue item rests on an administrative penalty'),
  reviewedBy: text(100)
    .optional()
    .describe(
      "the second officer of the department who reviewed the record in the department's own system (Art 36); releases it at once; must differ from the caller",
    ),
});
export type RecordCreateBody = z.infer<typeof recordCreateBody>;

export const recordView = z.object({
  id: z.string(),
  subject: z.object({ kind: subjectKindSchema, id: z.string(), name: z.string() }),
  category: z.enum(recordCategories),
  type: z.string(),
  content: z.string(),
  documentNumber: z.string(),
  decidedOn: z.string(),
  issuedBy: z.string().nullable(),
  article: z.string().nullable().describe('the item of Art 33, 34 or 35 the record falls under, e.g. 34(二)'),
  penalty: penaltyFacts.nullable(),
  severity: z.enum(severities).nullable(),
  department: z.string(),
  disclosure: z.enum(disclosures),
  review: z
    .object({ by: z.string(), at: z.string() })
    .nullable()
    .describe('who released or returned it (Art 36); null while pending review and on records written by a procedure'),
  publicUntil: z.string().nullable(),
  publicMinUntil: z.string().nullable(),
  publicity: z.object({ basis: z.string().nullable(), explanation: z.array(z.string()) }),
  listingCaseId: z.string().nullable(),
  objection: z.object({ caseId: z.string(), since: z.string() }).nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type RecordView = z.infer<typeof recordView>;

/** A record awaiting review, as its department's officers see it: who supplied it, since they may not review their own. */
export const pendingRecordView = recordView.extend({ suppliedBy: z.string() });
