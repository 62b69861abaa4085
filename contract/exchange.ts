/**
 * The exchange with the provincial platform as the API answers it and the console shows it: the supervisors' status
 * (what waits, what the platform refused and why, the last delivery and reconciliation), the correction of a refusal,
 * and where one record went (Art 49).
 */
import { z } from 'zod';

/** pending (to send, or sent and not answered yet), accepted, held (the platform had it already), refused. */
export const exchangeEntryStatuses = ['pending', 'accepted', 'held', 'refused'] as const;
export type ExchangeEntryStatus = (typeof exchangeEntryStatuses)[number];

export const refusedEntryView = z.object({
  id: z.string(),
  kind: z.string(),
  /** A natural person's ID number masked (GB 11643); an organisation's code as it is. */
  subjectId: z.string(),
  recordId: z.string().nullable(),
  caseId: z.string().nullable(),
  occurredAt: z.string(),
  /** When the platform refused it (the last attempt). */
  refusedAt: z.string().nullable(),
  /** The platform's HTTP status and reason, as it gave them. */
  platformStatus: z.number().int().nullable(),
  reason: z.string(),
  attempts: z.number().int(),
});
export type RefusedEntryView = z.infer<typeof refusedEntryView>;

export const reconciliationView = z.object({
  id: z.string(),
  /** The day compared (Asia/Shanghai). */
  day: z.string(),
  ranAt: z.string(),
  /** matched, repaired, unreachable, unconfigured. */
  status: z.string(),
  localCount: z.number().int(),
  platformCount: z.number().int().nullable(),
  /** The entries that differed and were sent again. */
  resent: z.array(z.string()),
});
export type ReconciliationView = z.infer<typeof reconciliationView>;

export const exchangeStatusView = z.object({
  /** When the status was read. */
  asOf: z.string(),
  pending: z.number().int(),
  refused: z.number().int(),
  /** The refused entries, oldest first (at most 200; `refused` counts them all). */
  refusedEntries: z.array(refusedEntryView),
  /** The oldest entry still waiting to be sent (or answered), and how long it has waited. */
  oldestUnsent: z
    .object({ id: z.string(), kind: z.string(), occurredAt: z.string(), ageSeconds: z.number().int(), lastError: z.string().nullable() })
    .nullable(),
  lastDelivery: z.object({ id: z.string(), kind: z.string(), status: z.enum(['accepted', 'held']), deliveredAt: z.string() }).nullable(),
  lastReconciliation: reconciliationView.nullable(),
});
export type ExchangeStatusView = z.infer<typeof exchangeStatusView>;

export const resendBody = z.object({
  /** Why it may go again: what was corrected (audited with the platform's refusal). */
  reason: z.string().regex(/\S/, 'must not be blank').trim().min(1).max(2000),
});

export const exchangeEntryView = z.object({
  id: z.string(),
  kind: z.string(),
  subjectId: z.string(),
  recordId: z.string().nullable(),
  caseId: z.string().nullable(),
  status: z.enum(exchangeEntryStatuses),
  occurredAt: z.string(),
  attempts: z.number().int(),
  payload: z.record(z.string(), z.unknown()),
});
export type ExchangeEntryView = z.infer<typeof exchangeEntryView>;

/** sent: accepted or held by the platform; waiting: not sent yet; returned: refused, being corrected. */
export const recordExchangeStates = ['sent', 'waiting', 'returned'] as const;

/** One change of a record as it went to the provincial platform (Art 49: the subject sees where their data went). */
export const recordExchangeItem = z.object({
  entryId: z.string(),
  kind: z.string(),
  occurredAt: z.string(),
  state: z.enum(recordExchangeStates),
  /** When the platform accepted (or already held) it; null while waiting or returned. */
  sentAt: z.string().nullable(),
});
export type RecordExchangeItem = z.infer<typeof recordExchangeItem>;
