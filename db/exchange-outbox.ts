import type { SqlTx } from './client';

/** What changed, as the exchange names it (docs/exchange.md). */
export const EXCHANGE_KINDS = [
  'record_supplied',
  'record_corrected',
  'record_objection_marked',
  'record_objection_cleared',
  'record_publicity_ended',
  'record_deleted',
  'listing_listed',
  'listing_removed',
  'listing_revoked',
  'listing_repaired',
  'subject_entry_made',
  'subject_entry_ended',
] as const;
export type ExchangeKind = (typeof EXCHANGE_KINDS)[number];

/** The advisory-lock class of the outbox's per-subject locks (two-key form, apart from the single-key locks elsewhere). */
const OUTBOX_LOCK_CLASS = 0x45584348; // "EXCH"

export interface ExchangeEntryInput {
  /** The entry's Idempotency-Key at the platform: derived from the change, so a retried write adds nothing. */
  id: string;
  subjectId: string;
  kind: ExchangeKind;
  recordId?: string | null;
  caseId?: string | null;
  /** The protocol's fields of the entry (exchange/payloads.ts). */
  payload: Record<string, unknown>;
  occurredAt: Date;
}

/**
 * Puts a change the platforms must know into the outbox, in the transaction of the change itself (so a change is never
 * made without its entry, nor an entry without its change). False when an entry with this id is already there.
 */
export async function enqueueExchange(tx: SqlTx, e: ExchangeEntryInput): Promise<boolean> {
  // Per subject, entries are delivered in seq order, and seq is taken at the INSERT, not at the commit: without this
  // lock a later change of the same subject could take a higher seq and commit (and be delivered) before an earlier one
  // commits. Held to the end of the change's transaction, so one subject's entries commit in seq order. A transaction
  // writing entries of several subjects writes them in the order of their ids (no two such transactions deadlock).
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${OUTBOX_LOCK_CLASS}::int, hashtext(${e.subjectId}))`;
  const inserted = await tx.$executeRaw`
    INSERT INTO exchange_outbox (id, subject_id, kind, record_id, case_id, payload, occurred_at)
    VALUES (${e.id}, ${e.subjectId}, ${e.kind}, ${e.recordId ?? null}, ${e.caseId ?? null}, ${JSON.stringify(e.payload)}::jsonb, ${e.occurredAt})
    ON CONFLICT (id) DO NOTHING`;
  return inserted > 0;
}
