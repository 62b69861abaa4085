/**
 * Pieces of the schemas that read a case's details back from Postgres (a JSON column) into the types the workflows
 * wrote them from. Objects keep keys the schema does not name, so a case answers with everything its workflow
 * stored, as it did before the details were typed.
 */
import { z } from 'zod';
import type { BlockedPeriod } from '../../workflows/common/case-types';

export const serviceMethod = z.enum(['in_person', 'mail', 'electronic', 'public_announcement']);

export const evidenceList = z.array(z.looseObject({ title: z.string(), description: z.string() }));

/** Set on the details of any procedure by its legal clocks while a period cannot be computed. */
export const blockedPeriod: z.ZodType<BlockedPeriod> = z.looseObject({
  kind: z.string(),
  since: z.string(),
  reason: z.string(),
  period: z.looseObject({
    unit: z.enum(['working_days', 'days', 'months', 'years']),
    amount: z.number(),
    endsOn: z.literal('calendar_date').optional(),
  }),
  from: z.string(),
});

export const acceptance = z.looseObject({ at: z.string(), by: z.string(), reasons: z.string().optional() });

/**
 * Details stored before the deciding department was kept in them: their case's own department decided (the API and
 * the workbench have always read them so).
 */
export function withDecidingDepartment(json: unknown, department: string): unknown {
  return isRecord(json) ? { decidingDepartment: department, ...json } : json;
}

/** A JSON object (not an array, not null). */
export function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}
