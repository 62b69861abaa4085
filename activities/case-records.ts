import { Prisma } from '../generated/prisma/client';
import { sqlOf, type Db, type SqlTx } from '../db/client';
import { auditInsert } from '../db/audit';
import type { CaseEvent, CaseSnapshot, DeadlineState } from '../workflows/common/case-types';
import { CALENDAR_LOCK } from '../db/calendar-store';
import { provisionalYearsOf } from '../domain/calendar/statutory';
import { applyCaseEffect, caseInputInsert, quotedDocumentsIssue, quotedDocumentsReady, takenDocuments } from './case-effects';
import { workbenchColumnsOf } from './workbench-columns';

/**
 * A provisional deadline computed just before its missing year was loaded could miss the recompute
 * signal (its row was not written yet when the loader looked). Loading a year holds the calendar lock
 * exclusively until it commits; this check holds it shared, so either the loader sees this row or this
 * check sees the year, and the workflow is told to recompute.
 */
async function yearsArrivedSince(tx: SqlTx, deadlines: DeadlineState[]): Promise<{ year: number; version: string }[]> {
  const assumed = assumedMissingYears(deadlines);
  if (assumed.size === 0) return [];
  await tx.$executeRaw`SELECT pg_advisory_xact_lock_shared(${CALENDAR_LOCK}::bigint)`;
  return tx.$queryRaw<{ year: number; version: string }[]>`
    SELECT year, version FROM calendar_years WHERE year = ANY(${[...assumed]}::int[])`;
}

/** The years the case's running provisional deadlines assumed without a schedule. */
function assumedMissingYears(deadlines: DeadlineState[]): Set<number> {
  const assumed = new Set<number>();
  for (const d of deadlines) {
    if (!d.provisional || (d.status !== 'open' && d.status !== 'suspended')) continue;
    for (const y of provisionalYearsOf(d.calendarVersion)) assumed.add(y);
  }
  return assumed;
}

/** A deadline of the snapshot as its row in the registry holds it (the columns a change writes). */
export function deadlineRowOf(s: CaseSnapshot, d: DeadlineState) {
  return {
    id: d.id,
    department: d.department ?? s.department,
    kind: d.kind,
    party: d.party,
    status: d.status,
    starts_at: d.startsAt,
    due_at: d.dueAt,
    due_date: d.dueDate,
    met_at: d.metAt ?? null,
    closed_at: d.closedAt ?? null,
    calendar_version: d.calendarVersion,
    provisional: d.provisional,
    basis: d.basis,
    explanation: d.explanation,
    inputs: { ...d.inputs, from: d.from, period: d.period, ...(d.extendedBy ? { extendedBy: d.extendedBy } : {}) },
    extended: d.extended,
  };
}

/**
 * The snapshot's deadlines into the registry, writing only those that changed: a deadline equal to its row is left out
 * before the insert, so it costs neither a row version nor a row lock. A row's `version` is the case version at which
 * it last changed; an older snapshot (a retried event) never overwrites it, and a retry of the latest finds every row
 * equal and writes nothing. Null for a snapshot without deadlines.
 *
 * Each row is looked up by its key (a lateral subquery, which the planner keeps apart): as a plain join, the plan a
 * prepared statement settles on expects the 100 rows Postgres assumes of any `jsonb_to_recordset`, and read the whole
 * registry for a case's two deadlines until it held some 6,000 (1.2 ms a write at 5,500; issue 23).
 */
function changedDeadlinesInsert(s: CaseSnapshot, gate: Prisma.Sql): Prisma.Sql | null {
  if (s.deadlines.length === 0) return null;
  const rows = s.deadlines.map((d) => deadlineRowOf(s, d));
  return Prisma.sql`
    INSERT INTO deadlines (id, case_id, procedure, department, kind, party, status, starts_at, due_at, due_date, met_at,
                           closed_at, calendar_version, provisional, basis, explanation, inputs, extended, version, updated_at)
    SELECT x.id, ${s.id}, ${s.procedure}, x.department, x.kind, x.party, x.status, x.starts_at, x.due_at, x.due_date, x.met_at,
           x.closed_at, x.calendar_version, x.provisional, x.basis, x.explanation, x.inputs, x.extended, ${s.version},
           ${new Date(s.updatedAt)}
      FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS x(
             id text, department text, kind text, party text, status text, starts_at timestamptz(3), due_at timestamptz(3),
             due_date text, met_at timestamptz(3), closed_at timestamptz(3), calendar_version text, provisional boolean,
             basis text, explanation jsonb, inputs jsonb, extended boolean)
      LEFT JOIN LATERAL (SELECT * FROM deadlines d WHERE d.id = x.id LIMIT 1) o ON TRUE
     WHERE ${gate} AND (o.id IS NULL
        OR (o.version < ${s.version}
            AND (o.status, o.starts_at, o.due_at, o.due_date, o.met_at, o.closed_at, o.calendar_version, o.provisional,
                 o.explanation, o.inputs, o.extended)
                IS DISTINCT FROM
                (x.status, x.starts_at, x.due_at, x.due_date, x.met_at, x.closed_at, x.calendar_version, x.provisional,
                 x.explanation, x.inputs, x.extended)))
    ON CONFLICT (id) DO UPDATE SET
      status = EXCLUDED.status, starts_at = EXCLUDED.starts_at, due_at = EXCLUDED.due_at, due_date = EXCLUDED.due_date,
      met_at = EXCLUDED.met_at, closed_at = EXCLUDED.closed_at, calendar_version = EXCLUDED.calendar_version,
      provisional = EXCLUDED.provisional, explanation = EXCLUDED.explanation, inputs = EXCLUDED.inputs,
      extended = EXCLUDED.extended, version = EXCLUDED.version, updated_at = EXCLUDED.updated_at
    WHERE deadlines.version < EXCLUDED.version`;
}

/** A condition every part of a change's statement is written under, and the parts of the statement that decide it. */
export interface ChangeGuard {
  /** Common table expressions, each followed by a comma, that come first. */
  ctes: Prisma.Sql;
  holds: Prisma.Sql;
}

const ALWAYS: ChangeGuard = { ctes: Prisma.empty, holds: Prisma.sql`TRUE` };

/**
 * The case row, its timeline entry, its deadlines and its audit entry in ONE statement: each round trip to Postgres
 * costs both sides a write and a wake-up, and these four ran on every change (issue 23). The parts touch different
 * tables and none reads what another writes (a data-modifying WITH runs each part once, to completion); the timeline's
 * key to the case row is checked at the statement's end, when the row is there. Answers `written`, whether the guard
 * held, and what `answers` adds.
 */
function caseChangeStatement(event: CaseEvent, guard: ChangeGuard = ALWAYS, answers: Prisma.Sql = Prisma.empty): Prisma.Sql {
  const s = event.snapshot;
  const t = event.timeline;
  const gate = guard.holds;
  // The workbench's columns come from the same snapshot as the deadline rows, so the two never disagree.
  const w = workbenchColumnsOf(s.deadlines);
  const deadlines = changedDeadlinesInsert(s, gate);
  return Prisma.sql`
    WITH ${guard.ctes}
    case_row AS (
      INSERT INTO cases (id, procedure, state, closed, outcome, subject_kind, subject_id, subject_name,
                         department, created_by, details, allowed_actions, version, created_at, updated_at,
                         next_deadline_id, next_due_at, waiting_deadline_id, waiting_due_at)
      SELECT ${s.id}, ${s.procedure}, ${s.state}, ${s.closed}, ${s.outcome}, ${s.subject.kind}, ${s.subject.id},
             ${s.subject.name}, ${s.department}, ${s.createdBy}, ${JSON.stringify(s.details)}::jsonb,
             ${s.allowedActions}::text[], ${s.version}, ${new Date(s.createdAt)}, ${new Date(s.updatedAt)},
             ${w.nextDeadlineId}, ${w.nextDueAt}, ${w.waitingDeadlineId}, ${w.waitingDueAt}
       WHERE ${gate}
      ON CONFLICT (id) DO UPDATE SET
        state = EXCLUDED.state, closed = EXCLUDED.closed, outcome = EXCLUDED.outcome,
        subject_name = EXCLUDED.subject_name, details = EXCLUDED.details,
        allowed_actions = EXCLUDED.allowed_actions, version = EXCLUDED.version, updated_at = EXCLUDED.updated_at,
        next_deadline_id = EXCLUDED.next_deadline_id, next_due_at = EXCLUDED.next_due_at,
        waiting_deadline_id = EXCLUDED.waiting_deadline_id, waiting_due_at = EXCLUDED.waiting_due_at
      WHERE cases.version < EXCLUDED.version),
    timeline_entry AS (
      INSERT INTO timeline_entries (case_id, seq, at, actor, role, action, detail)
      SELECT ${s.id}, ${t.seq}, ${new Date(t.at)}, ${t.actor}, ${t.role}, ${t.action}, ${JSON.stringify(t.detail)}::jsonb
       WHERE ${gate}
      ON CONFLICT (case_id, seq) DO NOTHING),
    ${deadlines ? Prisma.sql`deadline_rows AS (${deadlines}),` : Prisma.empty}
    audit_entry AS (${auditInsert(
      {
        at: new Date(t.at),
        actor: t.actor,
        role: t.role,
        action: event.audit.action,
        target: `case:${s.id}`,
        caseId: s.id,
        subjectId: s.subject.id,
        detail: { state: s.state, version: s.version, ...event.audit.detail },
        eventKey: `case:${s.id}#${s.version}`,
      },
      gate,
    )})
    SELECT ${gate} AS written ${answers}`;
}

/**
 * Writes one case change to the read model: the case row, its timeline entry, deadlines and audit entry, then its
 * escalations and effects, in the caller's transaction. Idempotent and order-tolerant: a retry after a commit whose
 * acknowledgement was lost changes nothing (the timeline and audit entries are keyed by case and version), and an older
 * snapshot never overwrites a newer one, so the workflow's own projection and an API writing an action's changes
 * (api/action-changes.ts) may meet. Everything goes in the one transaction, so the deadline registry never disagrees
 * with the case. Answers the calendar years a provisional deadline of the change assumed missing and that are loaded now.
 */
export async function writeCaseChange(tx: SqlTx, event: CaseEvent): Promise<{ year: number; version: string }[]> {
  const s = event.snapshot;
  const t = event.timeline;
  await tx.$executeRaw(caseChangeStatement(event));
  for (const e of event.escalations ?? []) {
    await tx.$executeRaw`
      INSERT INTO escalations (id, deadline_id, case_id, department, kind, at, detail)
      VALUES (${e.id}, ${e.deadlineId}, ${e.caseId}, ${e.department}, ${e.kind}, ${new Date(e.at)}, ${JSON.stringify(e.detail)}::jsonb)
      ON CONFLICT (id) DO NOTHING`;
  }
  for (const effect of event.effects ?? []) {
    await applyCaseEffect(tx, effect, {
      at: new Date(t.at),
      by: { actor: t.actor, role: t.role, department: s.department },
      key: `case:${s.id}#${s.version}`,
    });
  }
  return yearsArrivedSince(tx, s.deadlines);
}

/**
 * Whether a change can be written by one statement of its own (`writeCaseChangeAlone`): no escalation, no running
 * provisional deadline (whose check must hold a lock), and no effect but its opening facts and documents rendered ahead.
 */
export function writableAlone(event: CaseEvent): boolean {
  return (
    (event.escalations ?? []).length === 0 &&
    (event.effects ?? []).every((e) => e.type === 'case_input' || e.type === 'document_quoted') &&
    assumedMissingYears(event.snapshot.deadlines).size === 0
  );
}

/**
 * Writes a change `writableAlone` in one statement, with no transaction around it (BEGIN and COMMIT are round trips
 * too, and a change is most often one action's), and nothing at all unless `order` holds. `alongWith` adds writes
 * (common table expressions, each followed by a comma) made under the same condition. A document rendered ahead is
 * issued in it if its rendering is there as the case recorded it, or was issued already; otherwise nothing is written
 * though `order` held, and `writeCaseChange` gives the reason. `answers` adds columns to what the statement answers
 * (each led by a comma), given back as `answered`.
 */
export async function writeCaseChangeAlone(
  db: Db,
  event: CaseEvent,
  { order, alongWith, answers = Prisma.empty }: { order: ChangeGuard; alongWith: (gate: Prisma.Sql) => Prisma.Sql; answers?: Prisma.Sql },
): Promise<{ inOrder: boolean; written: boolean; answered: Record<string, unknown> }> {
  const effects = event.effects ?? [];
  const taken = takenDocuments(effects);
  const gate = Prisma.sql`EXISTS (SELECT 1 FROM go)`;
  const ctes = Prisma.sql`${order.ctes}
    in_order AS (SELECT ${order.holds} AS ok),
    go AS (SELECT 1 FROM in_order WHERE ok AND ${quotedDocumentsReady(taken)}),
    ${alongWith(gate)}
    ${Prisma.join(
      [
        ...effects.flatMap((e, i) =>
          e.type === 'case_input' ? [Prisma.sql`${Prisma.raw(`case_input_${i}`)} AS (${caseInputInsert(e, gate)}),`] : [],
        ),
        ...(taken.length > 0 ? [Prisma.sql`${quotedDocumentsIssue(taken, gate)},`] : []),
        Prisma.empty,
      ],
      ' ',
    )}`;
  const statement = caseChangeStatement(event, { ctes, holds: gate }, Prisma.sql`, (SELECT ok FROM in_order) AS "inOrder" ${answers}`);
  const [row] = await sqlOf(db).query<{ written: boolean; inOrder: boolean } & Record<string, unknown>>(statement.text, statement.values);
  return { inOrder: row?.inOrder === true, written: row?.written === true, answered: row ?? {} };
}

/**
 * The workflow's projection: one change per activity, in order, each in one statement where it can be
 * (`writableAlone`), else in a transaction of its own.
 */
export function caseRecordActivities(db: Db) {
  return {
    async recordCaseEvent(event: CaseEvent): Promise<{ recomputeYears: number[] }> {
      if (writableAlone(event) && (await writeCaseChangeAlone(db, event, { order: ALWAYS, alongWith: () => Prisma.empty })).written) {
        return { recomputeYears: [] };
      }
      const arrived = await sqlOf(db).transaction((tx) => writeCaseChange(tx, event));
      return { recomputeYears: arrived.map((y) => y.year) };
    },
  };
}
