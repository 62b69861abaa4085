import { CREDIT_AGENCY_CODE } from '../domain/reference-data';
import {
  defaultPolicy,
  provisionalYearsOf,
  recomputeOnLoad,
  resolvePolicy,
  shanghaiDate,
  type PeriodSpec,
  type RecomputeRule,
  type StatutoryCalendar,
} from '../domain/calendar';
import { loadOverrides } from './policy-store';
import type { Db } from './client';
import type { LapsedWindow } from './lapsed-windows';

export interface MissingYear {
  year: number;
  /** Open or suspended deadlines counted on this year's statutory holidays. */
  provisionalDeadlines: number;
  /** From this day on supervisors are warned (policy `calendar_warn_from`, in the year before). */
  warnFrom: string;
  warning: boolean;
}

export interface CalendarStatus {
  today: string;
  /** The last year of the unbroken run of loaded notices. */
  publishedThrough: number | null;
  missing: MissingYear[];
}

/** The policy's warning day is system-wide: only overrides for all procedures and departments apply. */
async function warnDay(db: Db): Promise<{ month: number; day: number }> {
  const p = resolvePolicy(defaultPolicy(), await loadOverrides(db), { procedure: '', department: '' });
  return { month: p.calendar_warn_from.month, day: p.calendar_warn_from.day };
}

/**
 * The years that open periods or periods starting now need and that have no notice loaded: each year some
 * provisional deadline counts on, and this year and the next (a period opened today can run into it).
 */
export async function calendarStatus(db: Db, now: Date): Promise<CalendarStatus> {
  const today = shanghaiDate(now.toISOString());
  const thisYear = Number(today.slice(0, 4));
  const [loaded, byVersion, warn] = await Promise.all([
    db.calendarYear.findMany({ select: { year: true }, orderBy: { year: 'asc' } }),
    db.$queryRaw<{ calendar_version: string; n: bigint }[]>`
      SELECT calendar_version, count(*) AS n FROM deadlines
      WHERE status IN ('open', 'suspended') AND provisional GROUP BY calendar_version`,
    warnDay(db),
  ]);
  const years = new Set(loaded.map((r) => r.year));
  let publishedThrough: number | null = null;
  const first = loaded[0];
  if (first) {
    publishedThrough = first.year;
    while (years.has(publishedThrough + 1)) publishedThrough += 1;
  }
  const counts = new Map<number, number>();
  for (const y of [thisYear, thisYear + 1]) if (!years.has(y)) counts.set(y, 0);
  for (const r of byVersion) {
    for (const y of provisionalYearsOf(r.calendar_version)) {
      if (!years.has(y)) counts.set(y, (counts.get(y) ?? 0) + Number(r.n));
    }
  }
  const pad = (n: number) => String(n).padStart(2, '0');
  const missing = [...counts]
    .sort(([a], [b]) => a - b)
    .map(([year, provisionalDeadlines]) => {
      const warnFrom = `${year - 1}-${pad(warn.month)}-${pad(warn.day)}`;
      return { year, provisionalDeadlines, warnFrom, warning: today >= warnFrom };
    });
  return { today, publishedThrough, missing };
}

export function calendarWarningId(year: number): string {
  return `calendar:${year}:missing`;
}

/**
 * Escalates each missing year whose warning day has come, once (the id is the year's), to the credit
 * management department (Art 5), where supervisors list escalations. Returns the status it acted on.
 */
export async function raiseCalendarWarnings(db: Db, now: Date): Promise<CalendarStatus> {
  const status = await calendarStatus(db, now);
  for (const m of status.missing.filter((x) => x.warning)) {
    const detail = {
      year: m.year,
      warnFrom: m.warnFrom,
      provisionalDeadlines: m.provisionalDeadlines,
      message: `${m.year}年节假日安排（国务院办公厅通知）尚未载入：涉及${m.year}年的工作日期间暂按法定节假日计算，载入后将重新计算。`,
    };
    await db.$executeRaw`
      INSERT INTO escalations (id, deadline_id, case_id, department, kind, at, detail)
      VALUES (${calendarWarningId(m.year)}, NULL, NULL, ${CREDIT_AGENCY_CODE}, 'calendar_missing', ${now}, ${JSON.stringify(detail)}::jsonb)
      ON CONFLICT (id) DO NOTHING`;
  }
  return status;
}

export interface MovedDeadline {
  deadlineId: string;
  caseId: string;
  kind: string;
  party: 'authority' | 'subject';
  from: string;
  to: string;
  rule: RecomputeRule | LapsedWindow['rule'];
}

/**
 * What loading a schedule would move: every running deadline that is provisional or counts on an earlier
 * version of the year, recomputed as its workflow will recompute it (domain/calendar/recompute.ts); those
 * whose date changes, and those a subject keeps by reliance although the notice would shorten them.
 */
export async function deadlinesMovedBy(db: Db, year: number, next: StatutoryCalendar, loadedOn: string): Promise<MovedDeadline[]> {
  const rows = await db.$queryRaw<
    {
      id: string;
      case_id: string;
      kind: string;
      party: string;
      due_date: string;
      extended: boolean;
      inputs: Record<string, unknown>;
    }[]
  >`
    SELECT id, case_id, kind, party, due_date, extended, inputs FROM deadlines
    WHERE status IN ('open', 'suspended') AND (provisional OR calendar_version LIKE ${`%${year}-%`})
    ORDER BY due_at, id`;
  const moved: MovedDeadline[] = [];
  for (const r of rows) {
    const from = r.inputs.from as string | undefined;
    const period = r.inputs.period as PeriodSpec | undefined;
    const extendedBy = r.inputs.extendedBy as number | undefined;
    // A deadline extended before extensions were recorded with their length keeps its date (legal-clock.ts).
    if (!from || !period || (r.extended && extendedBy === undefined)) continue;
    const party = r.party === 'subject' ? 'subject' : 'authority';
    const c = recomputeOnLoad(next, {
      party,
      from,
      period,
      ...(extendedBy ? { extendedBy } : {}),
      currentDueDate: r.due_date,
      loadedOn,
    });
    // A date kept by reliance is listed too: it is the one a supervisor must be able to explain.
    if (c.dueDate !== r.due_date || c.rule === 'reliance')
      moved.push({
        deadlineId: r.id,
        caseId: r.case_id,
        kind: r.kind,
        party,
        from: r.due_date,
        to: c.dueDate,
        rule: c.rule,
      });
  }
  return moved;
}
