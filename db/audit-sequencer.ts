import { Client } from 'pg';
import { Prisma, type AuditEntry } from '../generated/prisma/client';
import { sqlOf, type Db } from './client';
import { AUDIT_COLUMNS_BUT_IDS, GENESIS_HASH, entryHash } from './audit';
import { signCheckpoint, type AuditSigner } from './audit-signing';

/**
 * The sequencer: links the entries appended since its last batch into the hash chain, in batches, and signs
 * checkpoints of the chain's head. Any number of API and worker processes run it; one leads (a session advisory lock
 * on a connection of its own: a leader that dies or loses its connection loses it) and the others wait their turn.
 * Each batch also takes a transaction lock of its own, so a batch run from anywhere else (`linkPendingAudit` in a test,
 * a leader that has not yet noticed its connection is gone) extends the same chain, never a second one.
 */
const LEADER_LOCK = 0x4155_4453; // "AUDS"
const LINK_LOCK = 0x4155_444c; // "AUDL"

export interface LinkOptions {
  batchSize?: number;
  /** Signs a checkpoint of the head when the head moved (and `checkpoint` allows). */
  signer?: AuditSigner;
  /** 'now': a checkpoint whenever the head moved since the last one; a number: only when the last is this many ms old. */
  checkpoint?: 'now' | number;
}

export interface LinkResult {
  linked: number;
  head: { seq: bigint; hash: string } | null;
  checkpointed: boolean;
}

/** Links everything pending now, in batches; optionally signs a checkpoint of the resulting head. */
export async function linkPendingAudit(db: Db, opts: LinkOptions = {}): Promise<LinkResult> {
  let linked = 0;
  let head: LinkResult['head'] = null;
  for (;;) {
    const batch = await linkBatch(db, opts.batchSize ?? 500);
    linked += batch.linked;
    head = batch.head;
    if (!batch.more) break;
  }
  const checkpointed = opts.signer ? await checkpointIfDue(db, opts.signer, opts.checkpoint ?? 'now') : false;
  return { linked, head, checkpointed };
}

/**
 * One batch, in a transaction of raw statements: the sequencer runs beside every API and worker process, several
 * times a second, and Prisma's interactive transaction cost more than the batch's own work (issue 23). node-postgres
 * reads a bigint as text, so seq and id are read as such, under names of their own.
 */
async function linkBatch(db: Db, batchSize: number) {
  return sqlOf(db).transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${LINK_LOCK}::bigint)`;
    // Named apart from the column: ORDER BY would otherwise sort the text.
    const [last] = await tx.$queryRaw<{ seqText: string; hash: string }[]>`
      SELECT seq::text AS "seqText", hash FROM audit_entries WHERE seq IS NOT NULL ORDER BY seq DESC LIMIT 1`;
    const pending = await tx.$queryRaw<(Omit<AuditEntry, 'id' | 'seq'> & { idText: string })[]>`
      SELECT ${AUDIT_COLUMNS_BUT_IDS}, id::text AS "idText" FROM audit_entries WHERE seq IS NULL ORDER BY id LIMIT ${batchSize}`;
    let seq = last ? BigInt(last.seqText) : 0n;
    let prevHash = last?.hash ?? GENESIS_HASH;
    const links: Prisma.Sql[] = [];
    for (const row of pending) {
      seq += 1n;
      const hash = entryHash({ ...row, seq, prevHash });
      links.push(Prisma.sql`(${row.idText}::bigint, ${seq.toString()}::bigint, ${prevHash}::text, ${hash}::text)`);
      prevHash = hash;
    }
    if (links.length > 0) {
      await tx.$executeRaw`
        UPDATE audit_entries a SET seq = l.seq, prev_hash = l.prev_hash, hash = l.hash
        FROM (VALUES ${Prisma.join(links)}) AS l(id, seq, prev_hash, hash)
        WHERE a.id = l.id`;
    }
    const head = links.length > 0 || last ? { seq, hash: prevHash } : null;
    return { linked: pending.length, head, more: pending.length === batchSize };
  });
}

/** Signs the head when it moved since the last checkpoint (and, given a number, that checkpoint is old enough). */
async function checkpointIfDue(db: Db, signer: AuditSigner, when: 'now' | number): Promise<boolean> {
  // Both read in one raw statement: asked after every batch, and mostly answered "not yet".
  const [state] = await sqlOf(db).query<{ seq: string; hash: string; lastSeq: string | null; lastAt: Date | null }>(
    `SELECT h.seq::text AS seq, h.hash, c.seq::text AS "lastSeq", c.at AS "lastAt"
       FROM (SELECT seq, hash FROM audit_entries WHERE seq IS NOT NULL ORDER BY seq DESC LIMIT 1) h
       LEFT JOIN LATERAL (SELECT seq, at FROM audit_checkpoints ORDER BY id DESC LIMIT 1) c ON TRUE`,
    [],
  );
  if (!state) return false;
  const head = { seq: BigInt(state.seq), hash: state.hash };
  if (state.lastSeq !== null && BigInt(state.lastSeq) === head.seq) return false;
  if (state.lastAt && when !== 'now' && Date.now() - state.lastAt.getTime() < when) return false;
  const at = new Date();
  await db.auditCheckpoint.create({
    data: {
      seq: head.seq,
      hash: head.hash,
      at,
      keyId: signer.keyId,
      signature: signCheckpoint(signer, { seq: head.seq, hash: head.hash, at }),
    },
  });
  return true;
}

export interface SequencerOptions {
  db: Db;
  /** For the leader's own connection: the session that holds the leadership lock. */
  databaseUrl: string;
  signer?: AuditSigner;
  /** Between batches while leading. */
  intervalMs?: number;
  /** Between attempts to lead while another process leads. */
  retryMs?: number;
  /** The least time between two checkpoints. */
  checkpointEveryMs?: number;
  log?: { info(o: object, msg: string): void; warn(o: object, msg: string): void };
  /** The advisory lock key of the leadership; another key only where a test elects among sequencers of its own. */
  leaderLockKey?: number;
}

export interface AuditSequencer {
  /** Whether this process leads now. */
  leading(): boolean;
  stop(): Promise<void>;
}

export function startAuditSequencer(o: SequencerOptions): AuditSequencer {
  const intervalMs = o.intervalMs ?? 300;
  const retryMs = o.retryMs ?? 2_000;
  // Shared with the callbacks below (a connection's error, stop()), hence one object rather than loose variables.
  const state: { stopped: boolean; leading: boolean; session: Client | null; wake: (() => void) | null } = {
    stopped: false,
    leading: false,
    session: null,
    wake: null,
  };
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(resolve, ms);
      state.wake = () => {
        clearTimeout(t);
        resolve();
      };
    });

  const dropSession = async () => {
    state.leading = false;
    const s = state.session;
    state.session = null;
    await s?.end().catch(() => undefined);
  };

  const tryToLead = async (): Promise<boolean> => {
    let session = state.session;
    if (!session) {
      const s = new Client({ connectionString: o.databaseUrl });
      // A broken connection ends the leadership: the lock went with the session.
      s.on('error', () => void dropSession());
      state.session = s;
      await s.connect();
      session = s;
    }
    const { rows } = await session.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1::bigint) AS ok', [
      o.leaderLockKey ?? LEADER_LOCK,
    ]);
    return rows[0]?.ok === true;
  };

  const turn = async () => {
    if (!state.leading) {
      state.leading = await tryToLead();
      if (state.leading) o.log?.info({}, 'audit sequencer leads');
    }
    if (state.leading) {
      await linkPendingAudit(o.db, {
        ...(o.signer ? { signer: o.signer } : {}),
        checkpoint: o.checkpointEveryMs ?? 5_000,
      });
    }
  };

  // Read through a call: stop() sets it while the loop awaits, which narrowing on the property would not see.
  const stopped = () => state.stopped;
  const loop = async () => {
    while (!stopped()) {
      try {
        await turn();
      } catch (err) {
        if (!stopped()) o.log?.warn({ err: (err as Error).message }, 'audit sequencer: batch failed; trying again');
        await dropSession();
      }
      if (!stopped()) await sleep(state.leading ? intervalMs : retryMs);
    }
  };
  const running = loop();

  return {
    leading: () => state.leading,
    async stop() {
      state.stopped = true;
      state.wake?.();
      await running;
      await dropSession();
    },
  };
}
