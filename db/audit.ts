import type { Db, Tx } from './client';
import { canonicalJson, sha256Hex } from './canonical-json';

/**
 * The audit log: append-only (the database refuses UPDATE/DELETE/TRUNCATE) and hash-chained, so an
 * entry altered behind the application's back breaks the chain at that entry.
 */
export const GENESIS_HASH = '0'.repeat(64);

// One writer at a time extends the chain; a transaction-scoped advisory lock orders the writers
// without blocking readers.
const AUDIT_CHAIN_LOCK = 0x4155_4454; // "AUDT"

export interface AuditInput {
  at?: Date;
  actor: string;
  /**
   * The actor's display name; by default the one their token last gave (`actor_names`, kept by the API's auth
   * plugin), so entries written in the worker for an action taken in the console carry it too.
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

/** What an entry records, as stored and as shown. */
interface AuditEntryFields {
  actor: string;
  actorName: string | null;
  role: string;
  action: string;
  target: string;
  caseId: string | null;
  subjectId: string | null;
  detail: unknown;
  prevHash: string;
}

export interface AuditEntryView extends AuditEntryFields {
  seq: number;
  at: string;
  hash: string;
}

/** `actorName` may be left out by writers that know none (it is hashed only when present). */
interface HashedFields extends Omit<AuditEntryFields, 'actorName'> {
  actorName?: string | null;
  seq: bigint;
  at: Date;
  eventKey: string | null;
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

/** Appends one entry inside the caller's transaction, so the entry and the change it records commit together. */
export async function appendAudit(tx: Tx, input: AuditInput): Promise<AuditEntryView> {
  // Read before the chain's lock is taken: the name does not depend on the chain, and every writer waits on that lock.
  const actorName =
    input.actorName !== undefined
      ? input.actorName
      : ((await tx.actorName.findUnique({ where: { sub: input.actor }, select: { name: true } }))?.name ?? null);
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK}::bigint)`;
  if (input.eventKey) {
    const existing = await tx.auditEntry.findUnique({ where: { eventKey: input.eventKey } });
    if (existing) return toView(existing);
  }
  const last = await tx.auditEntry.findFirst({ orderBy: { seq: 'desc' }, select: { seq: true, hash: true } });
  const fields: HashedFields = {
    seq: (last?.seq ?? 0n) + 1n,
    // Millisecond precision: what timestamptz(3) gives back, so verify recomputes the same hash.
    at: new Date(Math.floor((input.at ?? new Date()).getTime())),
    actor: input.actor,
    actorName,
    role: input.role,
    action: input.action,
    target: input.target,
    caseId: input.caseId ?? null,
    subjectId: input.subjectId ?? null,
    detail: JSON.parse(canonicalJson(input.detail ?? {})),
    eventKey: input.eventKey ?? null,
    prevHash: last?.hash ?? GENESIS_HASH,
  };
  const row = await tx.auditEntry.create({
    data: { ...fields, detail: fields.detail as object, hash: entryHash(fields) },
  });
  return toView(row);
}

/** For reads and other changes that have no transaction of their own. */
export async function audit(db: Db, input: AuditInput): Promise<AuditEntryView> {
  return db.$transaction((tx) => appendAudit(tx, input));
}

type AuditRow = Awaited<ReturnType<Tx['auditEntry']['create']>>;

export function toView(row: AuditRow): AuditEntryView {
  return {
    seq: Number(row.seq),
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

export interface VerifyResult {
  ok: boolean;
  checked: number;
  firstBrokenSeq?: number;
}

/** Walks the whole chain in order; the first entry whose hash or link does not hold is reported. */
export async function verifyAuditChain(db: Db, batchSize = 2000): Promise<VerifyResult> {
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1n;
  let checked = 0;
  for (;;) {
    const rows = await db.auditEntry.findMany({
      where: { seq: { gte: expectedSeq } },
      orderBy: { seq: 'asc' },
      take: batchSize,
    });
    if (rows.length === 0) return { ok: true, checked };
    for (const row of rows) {
      const broken = row.seq !== expectedSeq || row.prevHash !== prevHash || entryHash({ ...row }) !== row.hash;
      if (broken) return { ok: false, checked, firstBrokenSeq: Number(expectedSeq) };
      prevHash = row.hash;
      expectedSeq += 1n;
      checked += 1;
    }
  }
}
