import { compute, type PeriodSpec, type StatutoryCalendar } from '../domain/calendar';
import type { Db } from './client';
import { lateFilingsBetween } from './late-filings';

/**
 * A subject keeps every day the official calendar gives (DOMAIN.md "Deadlines"). When a year's schedule is loaded, a
 * subject's window that lapsed on a date counted provisionally for that year, and that the official count ends later:
 * - `reopened` where that later day is still to come and the case can still hear the subject: the case's workflow
 *   reopens it (workflows/common/legal-clock.ts `reopenedBy`) when it is told of the year;
 * - `cut_short` where that day has passed too, the case has closed, or the decision was already served: the case is
 *   raised to the supervisors with the days at stake and every filing the API refused as late in them, so the
 *   department can admit it.
 */
export interface LapsedWindow {
  deadlineId: string;
  caseId: string;
  kind: string;
  party: 'subject';
  /** The last day the subject had been told, and the official one. */
  from: string;
  to: string;
  rule: 'reopened' | 'cut_short';
  toAt: string;
  fromAt: string;
  department: string;
  why?: 'official_date_passed' | 'case_closed' | 'decision_served';
}

export async function lapsedWindowsOf(db: Db, year: number, next: StatutoryCalendar, now: Date): Promise<LapsedWindow[]> {
  const rows = await db.$queryRaw<
    {
      id: string;
      case_id: string;
      kind: string;
      due_date: string;
      due_at: Date;
      inputs: Record<string, unknown>;
      closed: boolean;
      state: string;
      procedure: string;
      department: string;
    }[]
  >`
    SELECT d.id, d.case_id, d.kind, d.due_date, d.due_at, d.inputs, c.closed, c.state, c.procedure, c.department
    FROM deadlines d JOIN cases c ON c.id = d.case_id
    WHERE d.status = 'lapsed' AND d.party = 'subject' AND d.provisional AND d.calendar_version LIKE ${`%${year}-statutory-provisional%`}
    ORDER BY d.due_at, d.id`;
  const out: LapsedWindow[] = [];
  for (const r of rows) {
    const from = r.inputs.from as string | undefined;
    const period = r.inputs.period as PeriodSpec | undefined;
    if (!from || !period) continue;
    const official = compute(next, from, period);
    if (official.dueDate <= r.due_date) continue;
    // A listing's statement window matters only until the decision is served; after that the decision stands and is reviewed.
    const decisionServed =
      r.procedure === 'listing' && r.kind === 'statement_window' && ['listed', 'removed', 'dismissed'].includes(r.state);
    const why = r.closed
      ? 'case_closed'
      : decisionServed
        ? 'decision_served'
        : Date.parse(official.dueAt) <= now.getTime()
          ? 'official_date_passed'
          : undefined;
    out.push({
      deadlineId: r.id,
      caseId: r.case_id,
      kind: r.kind,
      party: 'subject',
      from: r.due_date,
      to: official.dueDate,
      rule: why ? 'cut_short' : 'reopened',
      fromAt: r.due_at.toISOString(),
      toAt: new Date(Date.parse(official.dueAt)).toISOString(),
      department: r.department,
      ...(why ? { why } : {}),
    });
  }
  return out;
}

/** Raises each cut-short window to the supervisors, once (the escalation's id is the deadline's), with the filings refused in its lost days. */
export async function flagCutShortWindows(db: Db, windows: LapsedWindow[], next: StatutoryCalendar, now: Date): Promise<number> {
  let flagged = 0;
  for (const w of windows) {
    if (w.rule !== 'cut_short') continue;
    const late = await lateFilingsBetween(db, w.caseId, new Date(w.fromAt), new Date(w.toAt));
    const detail = {
      deadlineKind: w.kind,
      toldDueDate: w.from,
      officialDueDate: w.to,
      daysAtStake: Math.round((Date.parse(`${w.to}T00:00:00Z`) - Date.parse(`${w.from}T00:00:00Z`)) / 86_400_000),
      workingDaysAtStake: next.remainingWorkingDays(w.from, w.to),
      why: w.why,
      refusedFilings: late.map((f) => ({ at: f.at.toISOString(), action: f.action, actor: f.actor, reason: f.reason })),
    };
    await db.escalation.upsert({
      where: { id: `${w.deadlineId}:cut_short` },
      create: {
        id: `${w.deadlineId}:cut_short`,
        deadlineId: w.deadlineId,
        caseId: w.caseId,
        department: w.department,
        kind: 'window_cut_short',
        at: now,
        detail,
      },
      update: { detail },
    });
    flagged++;
  }
  return flagged;
}

/** A lapsed window as the calendar preview lists it beside the running deadlines that move. */
export function asMovedDeadline(w: LapsedWindow) {
  return {
    deadlineId: w.deadlineId,
    caseId: w.caseId,
    kind: w.kind,
    party: w.party,
    from: w.from,
    to: w.to,
    rule: w.rule,
  };
}
