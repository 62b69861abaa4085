import { Prisma } from '../generated/prisma/client';
import { sqlOf, type Db, type SqlTx } from '../db/client';
import { auditInsert } from '../db/audit';
import type { CaseEvent, CaseSnapshot, DeadlineState } from '../workflows/common/case-types';
import { CALENDAR_LOCK } from '../db/calendar-store';
import { provisionalYearsOf } from '../domain/calendar/statutory';
import { applyCaseEffect } from './case-effects';
import { workbenchColumnsOf } from './workbench-columns';

/**
 * A provisional deadline computed just before its missing year was loaded could miss the recompute
 * signal (its row was not written yet when the loader looked). Loading a year holds the calendar lock
 * exclusively until it commits; this check holds it shared, so either the loader sees this row or this
 * check sees the year, and the workflow is told to recompute.
 */
async function yearsArrivedSince(tx: SqlTx, deadlines: DeadlineState[]): Promise<{ year: number; version: string }[]> {
  const assumed = new Set<number>();
  for (const d of deadlines) {
    if (!d.provisional || (d.status !== 'open' && d.status !== 'suspended')) continue;
    for (const y of provisionalYearsOf(d.calendarVersion)) assumed.add(y);
  }
  if (assumed.size === 0) return [];
  await tx.$executeRaw`SELECT pg_advisory_xact_lock_shared(${CALENDAR_LOCK}::bigint)`;
  return tx.$queryRaw<{ year: number; version: string }[]>`
    SELECT year, version FROM calendar_years WHERE year = ANY(${[...assumed]}::int[])`;
}

/**
 * The snapshot's deadlines into the registry, writing only those that changed: a deadline equal to its row is left out
 * before the insert, so it costs neither a row version nor a row lock. A row's `version` is the case version at which
 * it last changed; an older snapshot (a retried event) never overwrites it, and a retry of the latest finds every row
 * equal and writes nothing. Null for a snapshot without deadlines.
 */
function changedDeadlinesInsert(s: CaseSnapshot): Prisma.Sql | null {
  if (s.deadlines.length === 0) return null;
  const rows = s.deadlines.map((d) => ({
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
  }));
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
      LEFT JOIN deadlines o ON o.id = x.id
     WHERE o.id IS NULL
        OR (o.version < ${s.version}
            AND (o.status, o.starts_at, o.due_at, o.due_date, o.met_at, o.closed_at, o.calendar_version, o.provisional,
                 o.explanation, o.inputs, o.extended)
                IS DISTINCT FROM
                (x.status, x.starts_at, x.due_at, x.due_date, x.met_at, x.closed_at, x.calendar_version, x.provisional,
                 x.explanation, x.inputs, x.extended))
    ON CONFLICT (id) DO UPDATE SET
      status = EXCLUDED.status, starts_at = EXCLUDED.starts_at, due_at = EXCLUDED.due_at, due_date = EXCLUDED.due_date,
      met_at = EXCLUDED.met_at, closed_at = EXCLUDED.closed_at, calendar_version = EXCLUDED.calendar_version,
      provisional = EXCLUDED.provisional, explanation = EXCLUDED.explanation, inputs = EXCLUDED.inputs,
      extended = EXCLUDED.extended, version = EXCLUDED.version, updated_at = EXCLUDED.updated_at
    WHERE deadlines.version < EXCLUDED.version`;
}

/**
 * Writes one case change to the read model: the case row, its timeline entry and its audit entry, in the caller's
 * transaction. Idempotent and order-tolerant: a retry after a commit whose acknowledgement was lost changes nothing (the
 * timeline and audit entries are keyed by case and version), and an older snapshot never overwrites a newer one, so
 * the workflow's own projection and an API writing an action's changes (api/action-changes.ts) may meet. The case's
 * deadlines and any escalation go in the same transaction, so the deadline registry never disagrees with the case.
 * Answers the calendar years a provisional deadline of the change assumed missing and that are loaded now.
 */
export async function writeCaseChange(tx: SqlTx, event: CaseEvent): Promise<{ year: number; version: string }[]> {
  const s = event.snapshot;
  const t = event.timeline;
  // The workbench's columns come from the same snapshot as the deadline rows, so the two never disagree.
  const w = workbenchColumnsOf(s.deadlines);
  const deadlines = changedDeadlinesInsert(s);
  // The case row, its timeline entry, its deadlines and its audit entry in ONE statement: each round trip to Postgres
  // costs both sides a write and a wake-up, and these four ran on every change (issue 23). The parts touch different
  // tables and none reads what another writes (a data-modifying WITH runs each part once, to completion); the
  // timeline's key to the case row is checked at the statement's end, when the row is there.
  await tx.$executeRaw`
    WITH case_row AS (
      INSERT INTO cases (id, procedure, state, closed, outcome, subject_kind, subject_id, subject_name,
                         department, created_by, details, allowed_actions, version, created_at, updated_at,
                         next_deadline_id, next_due_at, waiting_deadline_id, waiting_due_at)
      VALUES (${s.id}, ${s.procedure}, ${s.state}, ${s.closed}, ${s.outcome}, ${s.subject.kind}, ${s.subject.id},
              ${s.subject.name}, ${s.department}, ${s.createdBy}, ${JSON.stringify(s.details)}::jsonb,
              ${s.allowedActions}::text[], ${s.version}, ${new Date(s.createdAt)}, ${new Date(s.updatedAt)},
              ${w.nextDeadlineId}, ${w.nextDueAt}, ${w.waitingDeadlineId}, ${w.waitingDueAt})
      ON CONFLICT (id) DO UPDATE SET
        state = EXCLUDED.state, closed = EXCLUDED.closed, outcome = EXCLUDED.outcome,
        subject_name = EXCLUDED.subject_name, details = EXCLUDED.details,
        allowed_actions = EXCLUDED.allowed_actions, version = EXCLUDED.version, updated_at = EXCLUDED.updated_at,
        next_deadline_id = EXCLUDED.next_deadline_id, next_due_at = EXCLUDED.next_due_at,
        waiting_deadline_id = EXCLUDED.waiting_deadline_id, waiting_due_at = EXCLUDED.waiting_due_at
      WHERE cases.version < EXCLUDED.version),
    timeline_entry AS (
      INSERT INTO timeline_entries (case_id, seq, at, actor, role, action, detail)
      VALUES (${s.id}, ${t.seq}, ${new Date(t.at)}, ${t.actor}, ${t.role}, ${t.action}, ${JSON.stringify(t.detail)}::jsonb)
      ON CONFLICT (case_id, seq) DO NOTHING),
    ${deadlines ? Prisma.sql`deadline_rows AS (${deadlines}),` : Prisma.empty}
    audit_entry AS (${auditInsert({
      at: new Date(t.at),
      actor: t.actor,
      role: t.role,
      action: event.audit.action,
      target: `case:${s.id}`,
      caseId: s.id,
      subjectId: s.subject.id,
      detail: { state: s.state, version: s.version, ...event.audit.detail },
      eventKey: `case:${s.id}#${s.version}`,
    })})
    SELECT 1`;
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

/** The workflow's projection: one change per activity, in order, each in a transaction of its own. */
export function caseRecordActivities(db: Db) {
  return {
    async recordCaseEvent(event: CaseEvent): Promise<{ recomputeYears: number[] }> {
      const arrived = await sqlOf(db).transaction((tx) => writeCaseChange(tx, event));
      return { recomputeYears: arrived.map((y) => y.year) };
    },
  };
}
