/**
 * Where the exchange's entries come from: each change the platforms must know puts its entry into the outbox in the
 * change's own transaction, with an id derived from the change (`<recordId|caseId>:<kind>[:<version>]`) so a retried
 * write adds nothing. A record that reports a listing is told by the listing's own entries, and a responsible
 * person's record (Art 48) by the person's entries; everything else about any record by the record's.
 */
import type { SqlTx } from '../db/client';
import { enqueueExchange, type ExchangeKind } from '../db/exchange-outbox';
import { LISTING_RECORD_TYPE, RESPONSIBLE_PERSON_ENTRY_TYPE, listingRecordId, responsiblePersonRecordId } from '../db/record-events';
import { listingPayload, recordPayload, subjectEntryPayload, type EntryHead } from './payloads';

export type RecordChange = 'supplied' | 'corrected' | 'objection_marked' | 'objection_cleared' | 'publicity_ended' | 'deleted';

interface RecordRow {
  id: string;
  subject_kind: string;
  subject_id: string;
  subject_name: string;
  category: string;
  type: string;
  type_title: string | null;
  content: string;
  document_number: string;
  decided_on: string;
  issued_by: string | null;
  article: string | null;
  penalty: unknown;
  severity: string | null;
  public_until: string | null;
  department: string;
  department_name: string | null;
  open_objection_id: string | null;
  listing_case_id: string | null;
}

async function recordRow(tx: SqlTx, recordId: string): Promise<RecordRow | undefined> {
  const [r] = await tx.$queryRaw<RecordRow[]>`
    SELECT r.id, r.subject_kind, r.subject_id, r.subject_name, r.category, r.type,
           (SELECT c.title FROM catalogue_items c WHERE c.code = r.type LIMIT 1) AS type_title,
           r.content, r.document_number, r.decided_on, r.issued_by, r.article, r.penalty, r.severity, r.public_until,
           r.department, d.name AS department_name, r.open_objection_id, r.listing_case_id
    FROM credit_records r LEFT JOIN departments d ON d.code = r.department
    WHERE r.id = ${recordId}`;
  return r;
}

/** The kind of entry a change of this record is, or null when the listing's own entries tell it. */
function kindOf(type: string, change: RecordChange): ExchangeKind | null {
  const ending = change === 'publicity_ended' || change === 'deleted';
  if (type === RESPONSIBLE_PERSON_ENTRY_TYPE && change === 'supplied') return 'subject_entry_made';
  if (type === RESPONSIBLE_PERSON_ENTRY_TYPE && ending) return 'subject_entry_ended';
  if (type === LISTING_RECORD_TYPE && (change === 'supplied' || ending)) return null;
  return `record_${change}`;
}

/** What a correction or an ending supersedes: the latest supply or correction of the same thing. */
async function supersededBy(tx: SqlTx, recordId: string, kinds: ExchangeKind[]): Promise<string | undefined> {
  const rows = await tx.$queryRaw<{ id: string }[]>`
    SELECT id FROM exchange_outbox WHERE record_id = ${recordId} AND kind = ANY(${kinds}::text[]) ORDER BY seq DESC LIMIT 1`;
  return rows[0]?.id;
}

const SUPERSEDING: Partial<Record<ExchangeKind, ExchangeKind[]>> = {
  record_corrected: ['record_supplied', 'record_corrected'],
  record_publicity_ended: ['record_supplied', 'record_corrected'],
  record_deleted: ['record_supplied', 'record_corrected'],
  subject_entry_ended: ['subject_entry_made', 'record_corrected'],
  listing_removed: ['listing_listed'],
  listing_revoked: ['listing_listed'],
  listing_repaired: ['listing_listed'],
};

export interface RecordChangeInput {
  recordId: string;
  change: RecordChange;
  at: Date;
  /** Tells apart changes of one kind that happen more than once (an objection case, a correction's time). */
  version?: string;
  reason?: string;
  caseId?: string | null;
}

/**
 * Puts a record's change into the outbox (in the caller's transaction); false when nothing was added (a retry, or a
 * change the listing's entries tell).
 */
export async function enqueueRecordChange(tx: SqlTx, c: RecordChangeInput): Promise<boolean> {
  const r = await recordRow(tx, c.recordId);
  if (!r) throw new Error(`record ${c.recordId} is missing`);
  const kind = kindOf(r.type, c.change);
  if (!kind) return false;
  const id = `${c.recordId}:${kind}${c.version ? `:${c.version}` : ''}`;
  const older = SUPERSEDING[kind];
  const h: EntryHead = {
    entryId: id,
    kind,
    occurredAt: c.at.toISOString(),
    ...(older ? { supersedes: await supersededBy(tx, c.recordId, older) } : {}),
    ...(c.reason ? { reason: c.reason } : {}),
  };
  return enqueueExchange(tx, {
    id,
    subjectId: r.subject_id,
    kind,
    recordId: r.id,
    caseId: c.caseId ?? r.listing_case_id,
    payload: await payloadOfRecord(tx, h, r),
    occurredAt: c.at,
  });
}

async function payloadOfRecord(tx: SqlTx, h: EntryHead, r: RecordRow): Promise<Record<string, unknown>> {
  if ((h.kind === 'subject_entry_made' || h.kind === 'subject_entry_ended') && r.listing_case_id) {
    const entries = await tx.$queryRaw<{ role: string; organisation_id: string; organisation_name: string; listed_until: string }[]>`
      SELECT role, organisation_id, organisation_name, listed_until FROM subject_entries
      WHERE case_id = ${r.listing_case_id} AND subject_id = ${r.subject_id}`;
    const caseId = r.listing_case_id;
    const entry = entries.find((e) => responsiblePersonRecordId(caseId, r.subject_id, e.role, r.decided_on) === r.id);
    if (entry) {
      return subjectEntryPayload(h, {
        recordId: r.id,
        role: entry.role,
        name: r.subject_name,
        idNumber: r.subject_id,
        organisationId: entry.organisation_id,
        organisationName: entry.organisation_name,
        listingCaseId: caseId,
        decisionNumber: r.document_number,
        listedFrom: r.decided_on,
        listedUntil: entry.listed_until,
        department: r.department,
        departmentName: r.department_name ?? r.department,
      });
    }
  }
  return recordPayload(h, {
    id: r.id,
    subjectKind: r.subject_kind,
    subjectId: r.subject_id,
    subjectName: r.subject_name,
    category: r.category,
    type: r.type,
    typeTitle: r.type_title,
    content: r.content,
    documentNumber: r.document_number,
    decidedOn: r.decided_on,
    issuedBy: r.issued_by,
    article: r.article,
    penalty: r.penalty,
    severity: r.severity,
    publicUntil: r.public_until,
    department: r.department,
    departmentName: r.department_name ?? r.department,
    openObjectionId: r.open_objection_id,
    listingCaseId: r.listing_case_id,
  });
}

interface ListingRow {
  case_id: string;
  subject_kind: string;
  subject_id: string;
  subject_name: string;
  category: string;
  measures: unknown;
  decision_number: string;
  listed_from: string;
  listed_until: string;
  department: string;
  department_name: string | null;
  removal_outcome: string | null;
}

async function listingRow(tx: SqlTx, caseId: string): Promise<ListingRow | undefined> {
  const [l] = await tx.$queryRaw<ListingRow[]>`
    SELECT l.case_id, l.subject_kind, l.subject_id, l.subject_name, l.category, l.measures, l.decision_number,
           l.listed_from, l.listed_until, l.department, d.name AS department_name, l.removal_outcome
    FROM public_listings l LEFT JOIN departments d ON d.code = l.department WHERE l.case_id = ${caseId}`;
  return l;
}

/** The kind of a listing's removal: revoked, repaired, or removed (expired, by objection, early removal). */
export function listingEndKind(outcome: string): ExchangeKind {
  if (outcome === 'revoked') return 'listing_revoked';
  if (outcome === 'repaired') return 'listing_repaired';
  return 'listing_removed';
}

function payloadOfListing(h: EntryHead, l: ListingRow): Record<string, unknown> {
  return listingPayload(h, {
    caseId: l.case_id,
    subjectKind: l.subject_kind,
    subjectId: l.subject_id,
    subjectName: l.subject_name,
    category: l.category,
    measures: l.measures,
    decisionNumber: l.decision_number,
    listedFrom: l.listed_from,
    listedUntil: l.listed_until,
    department: l.department,
    departmentName: l.department_name ?? l.department,
    recordId: listingRecordId(l.case_id),
    removalOutcome: l.removal_outcome,
  });
}

/** Puts a listing's publication (no outcome) or its end into the outbox, in the caller's transaction. */
export async function enqueueListingChange(
  tx: SqlTx,
  c: { caseId: string; at: Date; outcome?: string; reason?: string },
): Promise<boolean> {
  const l = await listingRow(tx, c.caseId);
  // A listing that was never published has nothing to tell.
  if (!l) return false;
  const kind: ExchangeKind = c.outcome ? listingEndKind(c.outcome) : 'listing_listed';
  const id = `${c.caseId}:${kind}`;
  const older = SUPERSEDING[kind];
  const h: EntryHead = {
    entryId: id,
    kind,
    occurredAt: c.at.toISOString(),
    ...(older ? { supersedes: await supersededBy(tx, listingRecordId(c.caseId), older) } : {}),
    ...(c.reason ? { reason: c.reason } : {}),
  };
  return enqueueExchange(tx, {
    id,
    subjectId: l.subject_id,
    kind,
    // Under the listing's own record, so that record's history shows where the listing went (Art 49).
    recordId: listingRecordId(c.caseId),
    caseId: c.caseId,
    payload: payloadOfListing(h, l),
    occurredAt: c.at,
  });
}

/**
 * An entry's payload built again from the record or listing as it is now (a refusal corrected: the person fixed the
 * record first), keeping what the entry said about itself (its id, kind, time, what it supersedes and why).
 */
export async function rebuiltPayload(
  tx: SqlTx,
  e: { id: string; kind: string; recordId: string | null; caseId: string | null; payload: unknown; occurredAt: Date },
): Promise<Record<string, unknown>> {
  const old = e.payload && typeof e.payload === 'object' ? (e.payload as Record<string, unknown>) : {};
  const h: EntryHead = {
    entryId: e.id,
    kind: e.kind as ExchangeKind,
    occurredAt: e.occurredAt.toISOString(),
    ...(typeof old.supersedes === 'string' ? { supersedes: old.supersedes } : {}),
    ...(typeof old.reason === 'string' ? { reason: old.reason } : {}),
  };
  if (e.kind.startsWith('listing_') && e.caseId) {
    const l = await listingRow(tx, e.caseId);
    if (l) return payloadOfListing(h, l);
  } else if (e.recordId) {
    const r = await recordRow(tx, e.recordId);
    if (r) return payloadOfRecord(tx, h, r);
  }
  return { ...old, ...h };
}
