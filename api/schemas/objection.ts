import { z } from 'zod';
import { OBJECTION_GROUNDS } from '../../workflows/objection/definitions';
import { evidence, evidenceFiles, text } from '../../workflows/common/schema-parts';

export const recordIdSchema = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^REC-\d{8}-[0-9A-Z]{10}$/, 'is not a record id');

/** API.md "objection": a subject files against one of their records (or an officer on their behalf). */
export const objectionCreateBody = z.object({
  procedure: z.literal('objection'),
  recordId: recordIdSchema,
  grounds: z.enum(OBJECTION_GROUNDS),
  statement: text(20_000),
  evidence,
  evidenceFiles: evidenceFiles.optional(),
});
export type ObjectionCreateBody = z.infer<typeof objectionCreateBody>;
