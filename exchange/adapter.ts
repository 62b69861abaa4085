/**
 * The seam between the outbox's delivery and a platform (docs/exchange.md, "The adapter seam"). The reference protocol
 * is exchange/http-adapter.ts; a province whose platform speaks another protocol implements this interface and the
 * worker is built with it (worker.ts, exchangeAdapterOf). Delivery, order, retries and reconciliation stay as they are.
 */

/** One outbox entry as the protocol sends it (docs/exchange.md, "The entry"). */
export interface ExchangeMessage {
  entryId: string;
  /** The outbox's order of entries (increasing; per subject the order of delivery). */
  seq: number;
  kind: string;
  /** ISO 8601, UTC. */
  occurredAt: string;
  subjectId: string;
  payload: Record<string, unknown>;
}

export type DeliveryOutcome = 'accepted' | 'held' | 'refused';

export interface DeliveryResult {
  outcome: DeliveryOutcome;
  /** What the platform answered: its HTTP status and body (kept with the entry). */
  answer: { status: number; body: unknown };
  /** Why the platform refused (refused only). */
  reason?: string;
}

export interface ReconciliationAnswer {
  count: number;
  digest: string;
  /** Present when asked for (`withEntries`). */
  entries?: { entryId: string; payloadSha256: string }[];
}

export interface ExchangeAdapter {
  /** Where the adapter delivers, for the status and the log (never a secret). */
  readonly target: string;
  /** Sends one entry. Throws ExchangeUnavailable when the platform did not answer (down, slow, 5xx): retried later. */
  deliver(entry: ExchangeMessage): Promise<DeliveryResult>;
  /** What the platform holds for a day (Asia/Shanghai, YYYY-MM-DD). Throws ExchangeUnavailable when not answered. */
  reconciliation(day: string, opts?: { withEntries?: boolean }): Promise<ReconciliationAnswer>;
}

/** The platform did not answer (no connection, a timeout, a 5xx): nothing was decided, the entry is sent again. */
export class ExchangeUnavailable extends Error {
  override readonly name = 'ExchangeUnavailable';
}
