import { z } from 'zod';
import { OBJECTION_GROUNDS, OBJECTION_OUTCOMES, type ObjectionAction } from '../../workflows/objection/definitions';

const text = (max: number) => z.string().trim().min(1).max(max);
const evidence = z.array(z.object({ title: text(300), description: text(5_000) })).max(50);

export const recordIdSchema = z.string().trim().toUpperCase().regex(/^REC-\d{8}-[0-9A-Z]{10}$/, 'is not a record id');

/** API.md "objection": a subject files against one of their records (or an officer on their behalf). */
export const objectionCreateBody = z.object({
  procedure: z.literal('objection'),
  recordId: recordIdSchema,
  grounds: z.enum(OBJECTION_GROUNDS),
  statement: text(20_000),
  evidence,
});
export type ObjectionCreateBody = z.infer<typeof objectionCreateBody>;

/** The body of each objection action (API.md); a body that does not match is a 400 naming the field. */
export const objectionActionBodies = {
  request_supplement: z.object({ items: z.array(text(1_000)).min(1).max(50) }),
  submit_supplement: z.object({ evidence: evidence.min(1) }),
  accept: z.object({ reasons: text(5_000).optional() }),
  decline: z.object({ reasons: text(5_000).optional() }),
  forward: z.object({ department: text(40) }),
  extend: z.object({ reason: text(5_000), workingDays: z.number().int().min(1).max(60) }),
  decide: z
    .object({ outcome: z.enum(OBJECTION_OUTCOMES), reasons: text(20_000), correctedContent: text(20_000).optional() })
    .refine((b) => !(b.outcome === 'correct' || b.outcome === 'supplement') || b.correctedContent !== undefined, {
      message: 'correct and supplement need the corrected content',
      path: ['correctedContent'],
    }),
} satisfies Record<ObjectionAction, z.ZodType>;
