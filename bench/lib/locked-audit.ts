import type { Db, Tx } from '../../db/client';
import { canonicalJson } from '../../db/canonical-json';
import { GENESIS_HASH, entryHash, type AuditInput } from '../../db/audit';

/**
 * The audit append as it was before the sequencer (issue 23), kept only as the benches' baseline and for the test
 * that an old chain migrates: one transaction-scoped advisory lock orders every writer, which reads the chain's last
 * entry and writes the next one with its seq and hash. It writes the same rows the sequencer ends up with.
 */
const AUDIT_CHAIN_LOCK = 0x4155_4454; // "AUDT", the lock the old db/audit.ts took

export async function lockedAppend(tx: Tx | Db, input: AuditInput): Promise<{ seq: bigint; hash: string }> {
  const actorName =
    input.actorName !== undefined
      ? input.actorName
      : ((await tx.$queryRaw<{ name: string }[]>`SELECT name FROM actor_names WHERE sub = ${input.actor}::text`)[0]?.name ?? null);
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK}::bigint)`;
  const [last] = await tx.$queryRaw<{ seq: bigint; hash: string }[]>`
    SELECT seq, hash FROM audit_entries WHERE seq IS NOT NULL ORDER BY seq DESC LIMIT 1`;
  const fields = {
    seq: (last?.seq ?? 0n) + 1n,
    at: new Date(Math.floor((input.at ?? new Date()).getTime())),
    actor: input.actor,
    actorName,
    role: input.role,
    action: input.action,
    target: input.target,
    caseId: input.caseId ?? null,
    subjectId: input.subjectId ?? null,
    detail: JSON.parse(canonicalJson(input.detail ?? {})) as unknown,
    eventKey: input.eventKey ?? null,
    prevHash: last?.hash ?? GENESIS_HASH,
  };
  const hash = entryHash(fields);
  await tx.$executeRaw`
    INSERT INTO audit_entries (seq, at, actor, actor_name, role, action, target, case_id, subject_id, detail, event_key, prev_hash, hash)
    VALUES (${fields.seq}::bigint, ${fields.at.toISOString()}::timestamptz, ${fields.actor}::text, ${actorName}::text,
            ${fields.role}::text, ${fields.action}::text, ${fields.target}::text, ${fields.caseId}::text,
            ${fields.subjectId}::text, ${canonicalJson(fields.detail)}::jsonb, ${fields.eventKey}::text,
            ${fields.prevHash}::text, ${hash}::text)`;
  return { seq: fields.seq, hash };
}
