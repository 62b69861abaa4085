import { z } from 'zod';
import { isoDate, text } from './common';
import { recordIdSchema } from './objection';
import { evidenceFiles } from '../../workflows/common/schema-parts';

const caseId = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^LST-\d{8}-[0-9A-Z]{10}$/, 'is not a listing case id');

/** API.md "repair": the subject applies, for a record or a listing, with evidence and a signed credit commitment. */
export const repairCreateBody = z.object({
  procedure: z.literal('repair'),
  target: z.union([z.strictObject({ recordId: recordIdSchema }), z.strictObject({ listingCaseId: caseId })]),
  statement: text(20_000),
  /** Evidence of the obligations performed, as text items, as files (`evidenceFiles`) or both: at least one (a 422). */
  evidence: z
    .array(z.object({ title: text(300), description: text(5_000) }))
    .max(50)
    .default([]),
  commitment: z.object({ text: text(20_000), signedOn: isoDate }),
  evidenceFiles: evidenceFiles.optional(),
});
export type RepairCreateBody = z.infer<typeof repairCreateBody>;
