import { Prisma, type AuditEntry } from '../generated/prisma/client';
import { sqlOf, type Db, type SqlTx } from './client';
import { canonicalJson, sha256Hex } from './canonical-json';

/**
 * The audit log: append-only (the database refuses UPDATE/DELETE/TRUNCATE, but for the one link of each entry) and
 * hash-chained, so an entry altered behind the application's back breaks the chain at that entry.
 *
 * An append is one plain INSERT in the caller's transaction: no lock, no read of the chain, so writers never wait on
 * each other. The sequencer (db/audit-sequencer.ts) links what was inserted into the chain a moment later.
 */
export const GENESIS_HASH = '0'.repeat(64);

export interface AuditInput {
  at?: Date;
  actor: string;
  /**
   * The actor's display name; by default the one their token last gave (`actor_names`, kept by the API's auth
   * plugin), read in the same statement, so entries written in the worker for an action taken in the console carry it.
   */
  actorName?: string | null;
  role: string;
  action: string;
  target: string;
  caseId?: string | null;
  subjectId?: string | null;
  detail?: Record<string, unknown>;
  /** Makes the write idempotent: a second append with the same key returns the first entry. */
  eventKey?: string | null;
}

/** What an entry says, as stored and as shown. */
interface AuditContent {
  actor: string;
  actorName: string | null;
  role: string;
  action: string;
  target: string;
  caseId: string | null;
  subjectId: string | null;
  detail: unknown;
}

export interface AuditEntryView extends AuditContent {
  /** Insertion order: what the log is listed and paged by. */
  id: number;
  /** The place in the hash chain; null until the sequencer has linked the entry (seconds at most). */
  seq: number | null;
  at: string;
  prevHash: string | null;
  hash: string | null;
}

/** What the hash covers. `actorName` may be left out by writers that know none (it is hashed only when present). */
export interface HashedFields extends Omit<AuditContent, 'actorName'> {
  actorName?: string | null;
  seq: bigint;
  at: Date;
  eventKey: string | null;
  prevHash: string;
}

export function entryHash(e: HashedFields): string {
  return sha256Hex(
    canonicalJson({
      seq: e.seq.toString(),
      at: e.at.toISOString(),
      actor: e.actor,
      // Only when present, so the entries written before names were kept verify as they were hashed.
      ...(e.actorName != null ? { actorName: e.actorName } : {}),
      role: e.role,
      action: e.action,
      target: e.target,
      caseId: e.caseId,
      subjectId: e.subjectId,
      detail: e.detail,
      eventKey: e.eventKey,
      prevHash: e.prevHash,
    }),
  );
}

/** The columns as the Prisma model names them, for raw statements: all, or all but the ids (the sequencer reads them as text). */
export const AUDIT_COLUMNS_BUT_IDS = Prisma.sql`at, actor, actor_name AS "actorName", role, action, target,
  case_id AS "caseId", subject_id AS "subjectId", detail, event_key AS "eventKey", prev_hash AS "prevHash", hash`;
export const AUDIT_COLUMNS = Prisma.sql`id, seq, ${AUDIT_COLUMNS_BUT_IDS}`;

/**
 * Appends one entry inside the caller's transaction (or as a statement of its own given the client), so the entry
 * and the change it records commit together. One round trip: the name is read by the INSERT itself, and a keyed
 * append that finds its key taken returns the entry already there.
 */
export async function appendAudit(tx: SqlTx, input: AuditInput): Promise<AuditEntryView> {
  const statement = appendStatement(input);
  const rows = await tx.$queryRaw<RawAuditRow[]>(statement);
  const row = rows[0] ?? (input.eventKey ? await keyedEntry(tx, input.eventKey) : undefined);
  if (!row) throw new Error('audit append returned no entry');
  return toView(row);
}

/**
 * The INSERT of one entry, to go in a statement of the caller's (a data-modifying WITH), made only where `gate` holds:
 * a keyed entry whose key is taken is left as it is.
 */
export function auditInsert(input: AuditInput, gate: Prisma.Sql = Prisma.sql`TRUE`): Prisma.Sql {
  // Millisecond precision: what timestamptz(3) gives back, so the sequencer hashes what verify reads.
  const at = new Date(Math.floor((input.at ?? new Date()).getTime())).toISOString();
  const actorName =
    input.actorName !== undefined
      ? Prisma.sql`${input.actorName}::text`
      : Prisma.sql`(SELECT name FROM actor_names WHERE sub = ${input.actor}::text)`;
  return Prisma.sql`
    INSERT INTO audit_entries (at, actor, actor_name, role, action, target, case_id, subject_id, detail, event_key)
    SELECT ${at}::timestamptz, ${input.actor}::text, ${actorName}, ${input.role}::text, ${input.action}::text,
           ${input.target}::text, ${input.caseId ?? null}::text, ${input.subjectId ?? null}::text,
           ${canonicalJson(input.detail ?? {})}::jsonb, ${input.eventKey ?? null}::text
     WHERE ${gate}
    ON CONFLICT (event_key) DO NOTHING`;
}

/** The INSERT of one entry; a keyed append that finds its key taken answers the entry already there. */
function appendStatement(input: AuditInput, alongWith?: Prisma.Sql): Prisma.Sql {
  // A data-modifying WITH runs once and to completion whether or not the entry's SELECT reads it: one statement.
  const side = alongWith ? Prisma.sql`side AS (${alongWith}),` : Prisma.empty;
  return Prisma.sql`
    WITH ${side} ins AS (${auditInsert(input)} RETURNING ${AUDIT_COLUMNS})
    SELECT * FROM ins
    UNION ALL
    SELECT ${AUDIT_COLUMNS} FROM audit_entries WHERE event_key = ${input.eventKey ?? null}::text AND NOT EXISTS (SELECT 1 FROM ins)`;
}

/**
 * The entry a concurrent append committed under the same key while this statement waited on it: the statement's own
 * snapshot predates that commit, so it is read again.
 */
async function keyedEntry(tx: SqlTx, eventKey: string): Promise<RawAuditRow | undefined> {
  const [row] = await tx.$queryRaw<RawAuditRow[]>`SELECT ${AUDIT_COLUMNS} FROM audit_entries WHERE event_key = ${eventKey}`;
  return row;
}

/**
 * For reads and other changes that have no transaction of their own: one statement, atomic by itself, sent straight
 * to the pool (every read of someone's credit data pays for it; Prisma's CPU per statement was most of it).
 */
export async function audit(db: Db, input: AuditInput, opts: AuditOptions = {}): Promise<AuditEntryView> {
  const statement = appendStatement(input, opts.alongWith);
  const rows = await sqlOf(db).query<RawAuditRow>(statement.text, statement.values);
  const row = rows[0] ?? (input.eventKey ? await keyedEntry(db, input.eventKey) : undefined);
  if (!row) throw new Error('audit append returned no entry');
  return toView(row);
}

export interface AuditOptions {
  /** A write that commits with the entry, in its statement (an INSERT … without RETURNING), e.g. the records' `queried` events. */
  alongWith?: Prisma.Sql;
}

/** An entry as Prisma or pg gives it back: pg answers bigint columns as strings. */
type RawAuditRow = Omit<AuditEntry, 'id' | 'seq'> & { id: bigint | string; seq: bigint | string | null };

export function toView(row: RawAuditRow): AuditEntryView {
  return {
    id: Number(row.id),
    seq: row.seq === null ? null : Number(row.seq),
    at: row.at.toISOString(),
    actor: row.actor,
    actorName: row.actorName,
    role: row.role,
    action: row.action,
    target: row.target,
    caseId: row.caseId,
    subjectId: row.subjectId,
    detail: row.detail,
    prevHash: row.prevHash,
    hash: row.hash,
  };
}
