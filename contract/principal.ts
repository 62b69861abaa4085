/**
 * Who a caller is, as the API's bearer tokens and the console's sessions both carry it: the API checks tokens against
 * it, the console keeps it in its session rows, and neither may drift from the other.
 */
import { z } from 'zod';

export const claimsSchema = z.discriminatedUnion('role', [
  z.object({ sub: z.string().min(1), role: z.literal('officer'), dept: z.string().min(1) }),
  z.object({ sub: z.string().min(1), role: z.literal('supervisor'), dept: z.string().min(1) }),
  z.object({ sub: z.string().min(1), role: z.literal('subject'), subjectId: z.string().min(1) }),
]);

export type Principal = z.infer<typeof claimsSchema>;
