import type { KeyObject } from 'node:crypto';
import type { Db } from './client';
import { GENESIS_HASH, entryHash } from './audit';
import { checkpointSignatureHolds } from './audit-signing';

export interface CheckpointCheck {
  seq: number;
  hash: string;
  at: string;
  keyId: string;
  /** 'unverifiable': signed by another key than the configured one, or no key is configured. */
  signature: 'valid' | 'invalid' | 'unverifiable';
  /** Whether the chain still holds the checkpoint's hash at its seq. */
  holds: boolean;
}

export interface VerifyResult {
  /** The chain holds, and so does the last checkpoint (signature and hash at its seq), if there is one. */
  ok: boolean;
  /** Linked entries checked in chain order before the first that does not hold (all of them when none). */
  checked: number;
  /** The first seq that does not hold: altered, or missing (the entry found in its place is then reported). */
  firstBrokenSeq?: number;
  /** The insertion id of the entry at `firstBrokenSeq` (or found in its place), for a link to it. */
  firstBrokenId?: number;
  /** Entries appended but not yet linked by the sequencer. */
  unlinked: number;
  /** The chain ends before the last checkpoint's seq: its last entries were removed. */
  truncated: boolean;
  checkpoint: CheckpointCheck | null;
}

/**
 * Walks the linked chain in order and reports the first entry whose hash, link or seq does not hold; then checks the
 * last signed checkpoint against the chain, which is what finds entries removed from its end.
 */
export async function verifyAuditChain(
  db: Db,
  opts: { publicKey?: KeyObject; keyId?: string; batchSize?: number } = {},
): Promise<VerifyResult> {
  const batchSize = opts.batchSize ?? 2000;
  const last = await db.auditCheckpoint.findFirst({ orderBy: { id: 'desc' } });
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1n;
  let checked = 0;
  let hashAtCheckpoint: string | null = null;
  let broken: { seq: bigint; id: bigint } | null = null;
  walk: for (;;) {
    const rows = await db.auditEntry.findMany({
      where: { seq: { gte: expectedSeq } },
      orderBy: { seq: 'asc' },
      take: batchSize,
    });
    if (rows.length === 0) break;
    for (const row of rows) {
      const hash = row.hash;
      const holds =
        row.seq === expectedSeq && row.prevHash === prevHash && hash !== null && entryHash({ ...row, seq: expectedSeq, prevHash }) === hash;
      if (!holds) {
        broken = { seq: expectedSeq, id: row.id };
        break walk;
      }
      if (last && row.seq === last.seq) hashAtCheckpoint = row.hash;
      prevHash = hash;
      expectedSeq += 1n;
      checked += 1;
    }
  }
  const unlinked = await db.auditEntry.count({ where: { seq: null } });
  const truncated = !broken && last !== null && BigInt(checked) < last.seq;
  let checkpoint: CheckpointCheck | null = null;
  if (last) {
    const signature =
      !opts.publicKey || (opts.keyId && opts.keyId !== last.keyId)
        ? 'unverifiable'
        : checkpointSignatureHolds(opts.publicKey, last, last.signature)
          ? 'valid'
          : 'invalid';
    checkpoint = {
      seq: Number(last.seq),
      hash: last.hash,
      at: last.at.toISOString(),
      keyId: last.keyId,
      signature,
      holds: hashAtCheckpoint === last.hash,
    };
  }
  const ok = !broken && (!checkpoint || (checkpoint.signature === 'valid' && checkpoint.holds));
  return {
    ok,
    checked,
    ...(broken ? { firstBrokenSeq: Number(broken.seq), firstBrokenId: Number(broken.id) } : {}),
    unlinked,
    truncated,
    checkpoint,
  };
}
