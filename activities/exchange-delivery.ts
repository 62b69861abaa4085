import { Context } from '@temporalio/activity';
import type { Db } from '../db/client';
import { canonicalJson } from '../db/canonical-json';
import { ExchangeUnavailable, type ExchangeAdapter, type ExchangeMessage } from '../exchange/adapter';
import { dayDigest, payloadSha256 } from '../exchange/protocol';
import { shanghaiDayBounds } from '../exchange/days';

/**
 * The steps of the exchange's delivery and reconciliation (workflows/exchange/), for the outbox (exchange_outbox) and
 * one platform (ExchangeAdapter). Each entry's outcome is written in its own statement, guarded by the entry still being
 * pending, so a retried batch never writes an outcome twice; and the entry's id is the platform's Idempotency-Key, so a
 * resend after a lost answer is answered 409 (held), never taken as a second fact.
 */

export interface DeliveryBatchOptions {
  /** How many subjects one batch takes (each subject's entries are sent one after another). */
  maxSubjects?: number;
  /** How many subjects are sent to at once. */
  concurrency?: number;
  /** After this long a batch stops taking new entries and returns, so the workflow can wake and continue. */
  maxMs?: number;
}

export interface DeliveryBatchResult {
  /** No platform configured (no EXCHANGE_URL): nothing was sent, the outbox waits. */
  unconfigured: boolean;
  /** The platform did not answer at least once (that entry waits its own backoff before it is tried again). */
  unavailable: boolean;
  /** How many attempts got no answer; with none answered, the platform is taken as down and the workflow backs off. */
  unanswered: number;
  lastError: string | null;
  accepted: number;
  held: number;
  refused: number;
  /** There may be more to send right away (the batch stopped at a limit). */
  more: boolean;
}

export interface ReconcileRequest {
  /** Chosen by the workflow, so a retried run stores one row. */
  id: string;
  /** The Asia/Shanghai day compared (YYYY-MM-DD). */
  day: string;
}

export interface ReconcileResult {
  status: 'matched' | 'repaired' | 'unreachable' | 'unconfigured';
  resent: string[];
}

interface EntryRow {
  id: string;
  seq: bigint;
  subject_id: string;
  kind: string;
  payload: Record<string, unknown>;
  occurred_at: Date;
  status: string;
}

const ENTRIES_PER_SUBJECT = 100;
/** An unanswered entry's longest wait before it is tried again (docs/exchange.md: 1 s doubling to 5 min). */
const MAX_ENTRY_BACKOFF_S = 300;

export function exchangeDeliveryActivities(deps: { db: Db; adapter: ExchangeAdapter | null }) {
  const { db, adapter } = deps;

  const heartbeat = () => {
    try {
      Context.current().heartbeat();
    } catch {
      // called outside an activity (a unit test): nothing to tell
    }
  };

  /**
   * Sends one subject's unanswered entries in order, up to a refusal, an unanswered attempt or the deadline. False when
   * the platform did not answer.
   */
  const deliverSubject = async (a: ExchangeAdapter, subjectId: string, deadline: number, out: DeliveryBatchResult): Promise<boolean> => {
    const rows = await db.$queryRaw<EntryRow[]>`
      SELECT id, seq, subject_id, kind, payload, occurred_at, status FROM exchange_outbox
      WHERE subject_id = ${subjectId} AND status IN ('pending', 'refused')
      ORDER BY seq LIMIT ${ENTRIES_PER_SUBJECT}`;
    for (const row of rows) {
      if (row.status !== 'pending') return true; // a refusal waits for a person; what follows it waits too
      if (Date.now() > deadline) {
        out.more = true;
        return true;
      }
      const message: ExchangeMessage = {
        entryId: row.id,
        seq: Number(row.seq),
        kind: row.kind,
        occurredAt: row.occurred_at.toISOString(),
        subjectId: row.subject_id,
        payload: row.payload,
      };
      const at = new Date();
      try {
        const r = await a.deliver(message);
        heartbeat();
        if (r.outcome === 'refused') {
          await db.$executeRaw`
            UPDATE exchange_outbox SET status = 'refused', refusal = ${canonicalJson({ status: r.answer.status, reason: r.reason ?? null })}::jsonb,
              answer = ${canonicalJson(r.answer)}::jsonb, attempts = attempts + 1, last_attempt_at = ${at}, last_error = NULL
            WHERE id = ${row.id} AND status = 'pending'`;
          out.refused++;
          return true;
        }
        await db.$executeRaw`
          UPDATE exchange_outbox SET status = ${r.outcome}, delivered_at = ${new Date()}, answer = ${canonicalJson(r.answer)}::jsonb,
            refusal = NULL, attempts = attempts + 1, last_attempt_at = ${at}, last_error = NULL
          WHERE id = ${row.id} AND status = 'pending'`;
        out[r.outcome]++;
      } catch (err) {
        if (!(err instanceof ExchangeUnavailable)) throw err;
        heartbeat();
        await db.$executeRaw`
          UPDATE exchange_outbox SET attempts = attempts + 1, last_attempt_at = ${at}, last_error = ${err.message}
          WHERE id = ${row.id} AND status = 'pending'`;
        out.unavailable = true;
        out.unanswered++;
        out.lastError = err.message;
        return false;
      }
    }
    if (rows.length === ENTRIES_PER_SUBJECT) out.more = true;
    return true;
  };

  return {
    /**
     * One batch: the subjects whose oldest unanswered entry is pending (not refused) and not waiting out its backoff
     * (an unanswered entry is tried again 1 s after its first attempt, doubling per attempt to 5 min, so an entry the
     * platform keeps failing on holds back its own subject only), oldest first; each subject's entries one after
     * another, several subjects at once. Stops taking subjects once as many in a row went unanswered as are sent at
     * once: the platform is down.
     */
    async deliverExchangeBatch(opts: DeliveryBatchOptions = {}): Promise<DeliveryBatchResult> {
      const out: DeliveryBatchResult = {
        unconfigured: false,
        unavailable: false,
        unanswered: 0,
        lastError: null,
        accepted: 0,
        held: 0,
        refused: 0,
        more: false,
      };
      if (!adapter) return { ...out, unconfigured: true };
      const maxSubjects = opts.maxSubjects ?? 200;
      const concurrency = Math.max(1, opts.concurrency ?? 8);
      const deadline = Date.now() + (opts.maxMs ?? 20_000);
      const subjects = await db.$queryRaw<{ subject_id: string }[]>`
        SELECT subject_id FROM (
          SELECT DISTINCT ON (subject_id) subject_id, status, seq, attempts, last_attempt_at, last_error FROM exchange_outbox
          WHERE status IN ('pending', 'refused') ORDER BY subject_id, seq
        ) oldest
        WHERE status = 'pending'
          AND (last_error IS NULL OR last_attempt_at IS NULL
               OR last_attempt_at <= ${new Date()}::timestamptz
                  - make_interval(secs => least(power(2, greatest(attempts - 1, 0)), ${MAX_ENTRY_BACKOFF_S}::int)))
        ORDER BY seq LIMIT ${maxSubjects}`;
      if (subjects.length === maxSubjects) out.more = true;
      const queue = subjects.map((s) => s.subject_id);
      let unansweredInARow = 0;
      const lane = async () => {
        for (let s = queue.shift(); s !== undefined && unansweredInARow < concurrency; s = queue.shift()) {
          unansweredInARow = (await deliverSubject(adapter, s, deadline, out)) ? 0 : unansweredInARow + 1;
        }
      };
      // A beat every 2 s whatever the platform does, so a worker that dies mid-batch is noticed within the workflow's
      // heartbeat timeout (10 s) and the batch taken up elsewhere, while a slow answer (up to the adapter's 10 s) is not.
      const beat = setInterval(heartbeat, 2_000);
      try {
        await Promise.all(Array.from({ length: concurrency }, lane));
      } finally {
        clearInterval(beat);
      }
      if (unansweredInARow >= concurrency) out.more = false;
      return out;
    },

    /**
     * Compares a day's accepted and held entries with what the platform holds for that day (count and digest); on a
     * difference, sets the entries the platform lacks or holds otherwise back to pending, to be sent again. One row
     * per run in exchange_reconciliations.
     */
    async reconcileExchangeDay(req: ReconcileRequest): Promise<ReconcileResult> {
      const done = await db.exchangeReconciliation.findUnique({ where: { id: req.id } });
      if (done) return { status: done.status as ReconcileResult['status'], resent: done.resent as string[] };
      const { from, to } = shanghaiDayBounds(req.day);
      const rows = await db.$queryRaw<{ id: string; payload: unknown }[]>`
        SELECT id, payload FROM exchange_outbox
        WHERE status IN ('accepted', 'held') AND occurred_at >= ${from} AND occurred_at < ${to}`;
      const local = new Map(rows.map((r) => [r.id, payloadSha256(r.payload)]));
      const localDigest = dayDigest([...local].map(([entryId, h]) => ({ entryId, payloadSha256: h })));
      const record = async (r: ReconcileResult, platform?: { count: number; digest: string }) => {
        await db.$transaction(async (tx) => {
          if (r.resent.length > 0) {
            await tx.$executeRaw`
              UPDATE exchange_outbox SET status = 'pending', last_error = ${`reconciliation of ${req.day}: the platform did not hold it as sent`}
              WHERE id = ANY(${r.resent}) AND status IN ('accepted', 'held')`;
          }
          await tx.$executeRaw`
            INSERT INTO exchange_reconciliations (id, day, ran_at, status, local_count, local_digest, platform_count, platform_digest, resent)
            VALUES (${req.id}, ${req.day}, ${new Date()}, ${r.status}, ${local.size}, ${localDigest}, ${platform?.count ?? null},
              ${platform?.digest ?? null}, ${JSON.stringify(r.resent)}::jsonb)
            ON CONFLICT (id) DO NOTHING`;
        });
        return r;
      };
      if (!adapter) return record({ status: 'unconfigured', resent: [] });
      try {
        const summary = await adapter.reconciliation(req.day);
        if (summary.count === local.size && summary.digest === localDigest) return await record({ status: 'matched', resent: [] }, summary);
        const detail = await adapter.reconciliation(req.day, { withEntries: true });
        const theirs = new Map((detail.entries ?? []).map((e) => [e.entryId, e.payloadSha256]));
        const resent = [...local]
          .filter(([id, h]) => theirs.get(id) !== h)
          .map(([id]) => id)
          .sort();
        return await record({ status: 'repaired', resent }, summary);
      } catch (err) {
        if (!(err instanceof ExchangeUnavailable)) throw err;
        return record({ status: 'unreachable', resent: [] });
      }
    },
  };
}
