import type { Client } from '@temporalio/client';
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import type { Logger } from 'pino';
import { sqlOf, type Db, type SqlTx } from '../db/client';
import { Prisma } from '../generated/prisma/client';
import { writableAlone, writeCaseChange, writeCaseChangeAlone } from '../activities/case-records';
import { caseInputInsert, quotedRenderingsInsert, takenDocuments, type QuotedRendering } from '../activities/case-effects';
import { calendarChangedSignal } from '../workflows/common/definitions';
import type { ActionChanges, CaseEvent, Procedure } from '../workflows/common/case-types';
import { isTemporalUnavailable } from './infra-errors';
import { Problem } from './problem';

/**
 * The changes of an action the API writes itself (issue 23). The case's workflow decides the action in one activation
 * and answers its changes (`takeActionUpdate`); writing them here instead of in a local activity of the workflow
 * spares the worker an activation and a Postgres round trip per change. The handover row says an action's changes
 * may be on their way: written before the Update is sent, deleted in the transaction that writes them, so a row left
 * behind is an API that died or gave up in between, and the sweeper finishes its work.
 */

/** How long an action waits for its case's answer unless the app is told otherwise (AppDeps.actionAnswerDeadlineMs). */
export const ACTION_ANSWER_DEADLINE_MS = 20_000;

/** An action's Update, whose changes the API writes, and its case. */
export interface Handover {
  updateId: string;
  caseId: string;
  /** The documents the API rendered ahead for the action (api/action-quotes.ts), kept with its claim. */
  renderings?: QuotedRendering[];
}

/**
 * Claims the writing of an action's changes before its Update is sent (a retry with the same Update id claims nothing
 * new), keeping what was rendered ahead for it. An action with an Idempotency-Key claims it in the key's statement
 * instead (api/idempotency.ts).
 */
export async function claimHandover(db: Db, h: Handover): Promise<void> {
  const statement = Prisma.sql`WITH ${handoverClaim(h)} SELECT 1`;
  await sqlOf(db).query(statement.text, statement.values);
}

/**
 * The handover's row, unless claimed already, and its renderings, where `gate` holds: parts of a statement (`handover`
 * and `kept_renderings`, separated by a comma), so an action's claim is one round trip with its key's.
 */
export function handoverClaim(h: Handover, gate: Prisma.Sql = Prisma.sql`TRUE`): Prisma.Sql {
  const renderings = h.renderings ?? [];
  return Prisma.sql`
    handover AS (
      INSERT INTO action_handovers (update_id, case_id) SELECT ${h.updateId}, ${h.caseId} WHERE ${gate}
      ON CONFLICT (update_id) DO NOTHING)${
        renderings.length > 0
          ? Prisma.sql`,
    kept_renderings AS (${quotedRenderingsInsert(h.updateId, renderings, gate)})`
          : Prisma.empty
      }`;
}

/** A procedure's workflow input, which may say its starter recorded it as the case's opening facts. */
interface OpeningInput {
  caseId: string;
  openingFactsRecorded?: boolean;
}

/** The earlier attempt's input was there and then gone: nothing a client sent, so a 500. */
const openingFactsVanished = () => new Problem(500, { zh: '案件立案信息记录丢失', en: "the case's opening facts vanished" });

/**
 * Claims the writing of a case's opening, as `claimHandover` claims an action's. An input that says so is recorded as
 * the case's opening facts (`case_inputs`, which the API renders documents ahead from, api/action-quotes.ts) in the same
 * statement, so the opening's answer does not carry them again (issue 23). Answers the input to start the case with:
 * the one recorded first for the case id. A retry with the Idempotency-Key of an attempt that failed after recording its
 * input, or a duplicate running beside it, starts the case with the facts its documents print, whatever it worked out
 * itself (its opening time, say).
 */
export async function claimOpening<I extends OpeningInput>(db: Db, h: Handover, opening: { procedure: Procedure; input: I }): Promise<I> {
  if (!opening.input.openingFactsRecorded) {
    await claimHandover(db, h);
    return opening.input;
  }
  const sql = sqlOf(db);
  const statement = Prisma.sql`
    WITH ${openingClaim(h, opening)}
    SELECT EXISTS (SELECT 1 FROM recorded) AS recorded, (SELECT input FROM case_inputs WHERE case_id = ${h.caseId}) AS earlier`;
  const [row] = await sql.query<{ recorded: boolean; earlier: unknown }>(statement.text, statement.values);
  if (row?.recorded) return opening.input;
  // Recorded by another attempt: one committed after this statement's snapshot is read again.
  const earlier =
    row?.earlier ?? (await sql.query<{ input: unknown }>('SELECT input FROM case_inputs WHERE case_id = $1', [h.caseId]))[0]?.input;
  if (!earlier) throw openingFactsVanished();
  // Stored from an input of this procedure for this case id, as the starter built it.
  return earlier as I;
}

/**
 * `claimOpening`'s claim where `gate` holds, as parts of a statement (`handover` and `recorded`, the input recorded
 * now): a new Idempotency-Key claims the opening of the case it names in its own statement (api/idempotency.ts).
 */
export function openingClaim(
  h: Handover,
  opening: { procedure: Procedure; input: OpeningInput },
  gate: Prisma.Sql = Prisma.sql`TRUE`,
): Prisma.Sql {
  if (!opening.input.openingFactsRecorded) return handoverClaim(h, gate);
  // Stored as JSON: any procedure's input is plain data.
  const facts = {
    type: 'case_input' as const,
    caseId: h.caseId,
    procedure: opening.procedure,
    input: opening.input as unknown as Record<string, unknown>,
  };
  return Prisma.sql`${handoverClaim(h, gate)},
    recorded AS (${caseInputInsert(facts, gate)} RETURNING case_id)`;
}

/** Forgets a handover whose Update is known to have changed nothing (refused, or the case closed before it). */
export async function dropHandover(db: Db, updateId: string): Promise<void> {
  await sqlOf(db).transaction((tx) => handoverDone(tx, updateId));
}

/** Ends a handover once its changes are written: what was rendered ahead and not taken goes with it. */
async function handoverDone(tx: SqlTx, updateId: string): Promise<void> {
  await tx.$executeRaw`
    WITH renderings AS (DELETE FROM quoted_documents WHERE update_id = ${updateId})
    DELETE FROM action_handovers WHERE update_id = ${updateId}`;
}

/** How long a case's later change waits for an earlier one still being written, and how often it looks. */
const ORDER_PATIENCE_MS = 2_000;
const ORDER_WAIT_MS = 50;

/**
 * The end of a handover, where `gate` holds: its row, and the renderings the changes do not take (those they take move
 * into `documents` with their change). Two parts of a statement, separated by a comma.
 */
function handoverEnd(h: Handover, changes: CaseEvent[], gate: Prisma.Sql = Prisma.sql`TRUE`): Prisma.Sql {
  const taken = takenDocuments(changes.flatMap((c) => c.effects ?? [])).map((d) => d.id);
  return Prisma.sql`
    handover AS (DELETE FROM action_handovers WHERE update_id = ${h.updateId} AND ${gate}),
    renderings AS (
      DELETE FROM quoted_documents WHERE update_id = ${h.updateId} AND NOT (document_id = ANY(${taken}::text[])) AND ${gate})`;
}

/**
 * Ends a handover as its changes are written, and answers the case's version as Postgres holds it (null before its
 * first change): one statement. The case's row is locked, so a writer of its next change that comes now waits here
 * for this one.
 */
async function handoverEnded(tx: SqlTx, h: Handover, changes: CaseEvent[]): Promise<number | null> {
  const [row] = await tx.$queryRaw<{ version: number }[]>`
    WITH ${handoverEnd(h, changes)}
    SELECT version FROM cases WHERE id = ${h.caseId} FOR UPDATE`;
  return row ? row.version : null;
}

/**
 * The case an action's answer was worked out on (api/case-answers.ts): the answer holds only if the change is written
 * onto exactly that case, the version before it and the documents the judged view listed.
 */
export interface JudgedCase {
  version: number;
  documents: number;
}

/**
 * What the request is answered with, for the statement that writes its change to answer its Idempotency-Key too: where
 * the answer was worked out on a judged case, only if the change is written onto it; otherwise (an opening, whose case
 * Postgres does not hold before it) once the change is written.
 */
export interface WrittenAnswer {
  judged?: JudgedCase;
  key?: { actor: string; key: string; status: number; response: unknown };
}

/**
 * An action's one change written by one statement, with its handover ended in it (activities/case-records.ts
 * `writeCaseChangeAlone`): the case's row locked first, as `handoverEnded` locks it, and nothing written while it holds
 * a version before `after`. Answers whether the change was in order, whether it was written, and whether its answer
 * holds (`answered`: written, onto the case as judged where it was judged; its key answered then).
 */
async function writtenAlone(
  db: Db,
  h: Handover,
  change: CaseEvent,
  { after = 0, answer }: { after?: number; answer?: WrittenAnswer },
): Promise<{ inOrder: boolean; written: boolean; answered: boolean }> {
  const judged = answer?.judged;
  const key = answer?.key;
  const onAnswer = (gate: Prisma.Sql) => Prisma.sql`
    answer_holds AS (
      SELECT ${gate} ${
        judged
          ? Prisma.sql`AND (SELECT max(version) FROM head) = ${judged.version}::int
         AND (SELECT count(*) FROM documents WHERE case_id = ${h.caseId}) = ${judged.documents}::int`
          : Prisma.empty
      } AS ok),
    ${
      key
        ? Prisma.sql`key_answer AS (
      UPDATE idempotency_keys SET status = ${key.status}, response = ${JSON.stringify(key.response)}::jsonb
       WHERE actor = ${key.actor} AND key = ${key.key} AND status IS NULL AND (SELECT ok FROM answer_holds)),`
        : Prisma.empty
    }`;
  const r = await writeCaseChangeAlone(db, change, {
    order: {
      ctes: Prisma.sql`head AS (SELECT version FROM cases WHERE id = ${h.caseId} FOR UPDATE),`,
      // A case with no row yet is written.
      holds: Prisma.sql`COALESCE((SELECT max(version) FROM head) >= ${after}::int, TRUE)`,
    },
    alongWith: (gate) => Prisma.sql`${handoverEnd(h, [change], gate)}, ${answer ? onAnswer(gate) : Prisma.empty}`,
    ...(answer ? { answers: Prisma.sql`, (SELECT ok FROM answer_holds) AS "answerHolds"` } : {}),
  });
  return { inOrder: r.inOrder, written: r.written, answered: r.answered.answerHolds === true };
}

/**
 * Ends the handover and writes its changes, in order; answers the calendar years they found loaded by now. Given
 * `after`, writes nothing and answers null while the case's row holds a version before it (an earlier change of the
 * case on its way); a case with no row yet is written.
 */
async function writtenAndDone(tx: SqlTx, h: Handover, changes: CaseEvent[], after?: number): Promise<Map<number, string> | null> {
  const version = await handoverEnded(tx, h, changes);
  if (after !== undefined && version !== null && version < after) return null;
  const years = new Map<number, string>();
  for (const change of changes) for (const y of await writeCaseChange(tx, change)) years.set(y.year, y.version);
  return years;
}

/** Tells the case of the years its provisional deadlines assumed missing and that are loaded now, as a calendar change. */
async function tellYearsArrived(temporal: Client, caseId: string, years: Map<number, string>): Promise<void> {
  for (const [year, version] of years) await temporal.workflow.getHandle(caseId).signal(calendarChangedSignal, { year, version });
}

/**
 * Writes an action's changes, in order, and forgets its handover: in one statement where the action has one change
 * that a statement can write whole (the common case), else in one transaction; written twice they change nothing
 * (activities/case-records.ts). A change whose provisional deadline's year is loaded by now is told to its case
 * as a calendar change, as the workflow's own projection tells it, so the deadline is recomputed. Given the request's
 * `answer`, answers whether it holds as written (`WrittenAnswer`), its key answered then; written in a transaction, the
 * answer is not taken, and the caller answers as before.
 */
export async function writeActionChanges(
  db: Db,
  temporal: Client,
  h: { updateId: string; caseId: string; changes: CaseEvent[] },
  answer?: WrittenAnswer,
): Promise<{ answered: boolean }> {
  const first = h.changes[0]?.snapshot.version;
  for (let waited = 0; ; waited += ORDER_WAIT_MS) {
    // Two actions on one case answered together may reach their writers in either order: the later waits for the
    // earlier (its effects, the public list and the platform's outbox, go out in commit order), a little while; a
    // writer that died is finished by the sweeper or the workflow, and the rows keyed by version stay right anyway.
    const after = first !== undefined && first > 1 && waited < ORDER_PATIENCE_MS ? first - 1 : undefined;
    const [only] = h.changes;
    if (h.changes.length === 1 && only && writableAlone(only)) {
      const alone = await writtenAlone(db, h, only, { ...(after !== undefined ? { after } : {}), ...(answer ? { answer } : {}) });
      if (alone.written) return { answered: alone.answered };
      // Out of order: wait for the earlier change. In order but not written: a document it takes is not there as the
      // case recorded it, which the transaction below says in its error.
      if (!alone.inOrder) {
        await new Promise((r) => setTimeout(r, ORDER_WAIT_MS));
        continue;
      }
    }
    const arrived = await sqlOf(db).transaction((tx) => writtenAndDone(tx, h, h.changes, after));
    if (arrived) {
      await tellYearsArrived(temporal, h.caseId, arrived);
      return { answered: false };
    }
    await new Promise((r) => setTimeout(r, ORDER_WAIT_MS));
  }
}

export interface SweeperOptions {
  db: Db;
  temporal: Client;
  log?: Pick<Logger, 'warn' | 'error'>;
  /** How often it looks (2 s by default). */
  intervalMs?: number;
  /** How old a handover must be before it is taken for abandoned: longer than an action waits for its answer. */
  graceMs: number;
  /** How long it waits for one Update's outcome before it tries the next (the Update may still be running). */
  pollMs?: number;
}

/**
 * Finishes the handovers their API left behind: asks Temporal for each Update's outcome and writes its changes.
 * Every API process runs one; `SKIP LOCKED` gives each handover to one of them at a time. An Update still running (a
 * worker down) keeps its row for the next round; one Temporal does not know (never sent, refused by the validator, or
 * its case completed, which writes its own changes first) is forgotten.
 */
export function startActionChangesSweeper(o: SweeperOptions): { stop: () => Promise<void>; sweep: () => Promise<number> } {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();

  /**
   * Finishes one handover sent before `before`; false when none is left. One that fails (Postgres refusing its write,
   * say) is put back behind the others, so it never holds them up.
   */
  async function finishOne(before: Date): Promise<boolean> {
    let taken: string | undefined;
    try {
      return await finishNext(before, (id) => (taken = id));
    } catch (err) {
      if (!taken) throw err;
      o.log?.warn({ err, updateId: taken }, 'an abandoned action could not be written yet; trying again later');
      await o.db.$executeRaw`UPDATE action_handovers SET attempts = attempts + 1, sent_at = now() WHERE update_id = ${taken}`;
      return true;
    }
  }

  async function finishNext(before: Date, taking: (updateId: string) => void): Promise<boolean> {
    return sqlOf(o.db).transaction(async (tx) => {
      const [row] = await tx.$queryRaw<{ update_id: string; case_id: string }[]>`
        SELECT update_id, case_id FROM action_handovers
         WHERE sent_at < ${before}
         ORDER BY sent_at LIMIT 1 FOR UPDATE SKIP LOCKED`;
      if (!row) return false;
      taking(row.update_id);
      const outcome = await outcomeOf(o.temporal, row.case_id, row.update_id, o.pollMs ?? 2000);
      if (outcome === 'unknown') {
        // Looked at again after the others, and no sooner than the grace again.
        await tx.$executeRaw`UPDATE action_handovers SET attempts = attempts + 1, sent_at = now() WHERE update_id = ${row.update_id}`;
        return true;
      }
      const years = await writtenAndDone(
        tx,
        { updateId: row.update_id, caseId: row.case_id },
        outcome === 'nothing' ? [] : outcome.changes,
      );
      if (years) await tellYearsArrived(o.temporal, row.case_id, years);
      return true;
    });
  }

  async function sweep(): Promise<number> {
    let finished = 0;
    // Taken once per round (one still running is put back with a later time), and a bounded round at that.
    const before = new Date(Date.now() - o.graceMs);
    for (let i = 0; i < 50 && !stopped; i++) {
      if (!(await finishOne(before))) break;
      finished += 1;
    }
    return finished;
  }

  const tick = () => {
    if (stopped) return;
    running = sweep()
      .catch((err: unknown) => o.log?.warn({ err }, 'action changes sweep failed; trying again'))
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, o.intervalMs ?? 2000);
      });
  };
  timer = setTimeout(tick, o.intervalMs ?? 2000);
  return {
    sweep,
    stop: async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}

/** The changes of a completed Update, 'nothing' for one that changed nothing or that Temporal does not know, 'unknown' while it runs. */
async function outcomeOf(
  temporal: Client,
  caseId: string,
  updateId: string,
  pollMs: number,
): Promise<ActionChanges | 'nothing' | 'unknown'> {
  try {
    return await temporal.withDeadline(Date.now() + pollMs, () =>
      temporal.workflow.getHandle(caseId).getUpdateHandle<ActionChanges>(updateId).result(),
    );
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError || err instanceof WorkflowNotFoundError) return 'nothing';
    if (isTemporalUnavailable(err)) return 'unknown';
    throw err;
  }
}
