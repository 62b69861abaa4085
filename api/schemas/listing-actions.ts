import { z } from 'zod';
import type { ListingAction } from '../../workflows/listing/definitions';
import { instant } from './common';

const method = z.enum(['in_person', 'mail', 'electronic', 'public_announcement']);
const text = (max: number) => z.string().trim().min(1).max(max);

/** The body of each listing action (API.md); a body that does not match is a 400 naming the field. */
export const listingActionBodies = {
  serve_notice: z.object({ servedAt: instant, method }),
  submit_statement: z.object({ text: text(20_000), requestHearing: z.boolean() }),
  schedule_hearing: z.object({ heldAt: instant, place: text(300) }),
  record_hearing: z.object({ summary: text(20_000) }),
  propose_decision: z.object({
    outcome: z.enum(['list', 'dismiss']),
    reasons: text(20_000),
    measures: z.array(z.string().trim().min(1).max(20)).min(1).max(50).optional(),
  }),
  approve_decision: z.object({ comment: text(5_000) }),
  reject_decision: z.object({ comment: text(5_000) }),
  serve_decision: z.object({ servedAt: instant, method }),
  record_remedy: z.object({ kind: z.enum(['reconsideration', 'litigation']), filedAt: instant }),
  record_remedy_outcome: z.object({ outcome: z.enum(['upheld', 'revoked']), decidedAt: instant, reasons: text(20_000) }),
  revoke: z.object({ reason: text(5_000), basis: text(2_000) }),
} satisfies Record<ListingAction, z.ZodType>;
