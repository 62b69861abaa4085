import type { Tx } from './client';

export interface RecordEventInput {
  recordId: string;
  at: Date;
  actor: string;
  role: string;
  department?: string | null;
  action: string;
  detail: Record<string, unknown>;
  /** A retried write with the same key is a no-op. */
  eventKey?: string;
}

/** Appends one entry to a record's history; false when an entry with the same key is already there. */
export async function appendRecordEvent(tx: Tx, e: RecordEventInput): Promise<boolean> {
  const inserted = await tx.$executeRaw`
    INSERT INTO record_events (record_id, at, actor, role, department, action, detail, event_key)
    VALUES (${e.recordId}, ${e.at}, ${e.actor}, ${e.role}, ${e.department ?? null}, ${e.action}, ${JSON.stringify(e.detail)}::jsonb, ${e.eventKey ?? null})
    ON CONFLICT (event_key) DO NOTHING`;
  return inserted > 0;
}

/** The record id that a listing case's own record carries (one per listing, made when it is published). */
export function listingRecordId(listingCaseId: string): string {
  return `REC-${listingCaseId.slice(4)}`;
}
