import { createHash } from 'node:crypto';
import type { SqlTx } from './client';

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
export async function appendRecordEvent(tx: SqlTx, e: RecordEventInput): Promise<boolean> {
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

export { LISTING_RECORD_TYPE, RESPONSIBLE_PERSON_ENTRY_TYPE } from '../domain/record-types';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'; // Crockford base32, as the API's ids

/**
 * The record id of a responsible person's entry, in the shape of every record id (`REC-`, the day it was supplied,
 * 10 characters) so objections and repairs can name it; derived from the entry, so a retried publication writes
 * the same record and an ended entry can be found from its record.
 */
export function responsiblePersonRecordId(listingCaseId: string, idNumber: string, role: string, listedFrom: string): string {
  const digest = createHash('sha256').update(`${listingCaseId}:${idNumber}:${role}`).digest();
  let suffix = '';
  for (const b of digest.subarray(0, 10)) suffix += ALPHABET.charAt(b % 32);
  return `REC-${listedFrom.replaceAll('-', '')}-${suffix}`;
}
