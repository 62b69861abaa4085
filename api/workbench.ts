/**
 * An officer's work: the open cases whose next step is their department's, each with its nearest running
 * deadline, most urgent first; a case waiting on the subject (no authority deadline, a subject's window open) says
 * so, with that window, after the cases with an authority deadline. A case's turn belongs to its department, except
 * an objection forwarded to a supplying department and a repair under review by the department that decides it
 * (谁认定、谁修复). A page query and its count, measured at 10,000 open cases of one department by
 * bench/console.bench.ts (before the subject's window was looked for).
 */
import { Prisma } from '../generated/prisma/client';
import type { Db } from '../db/client';
import { loadCalendar } from '../db/calendar-store';
import type { WorkbenchItem } from '../contract/workbench';
import { workingDaysLeft } from '../domain/calendar/working-days-left';

export const dueWindows = ['all', 'overdue', 'today', 'week', 'none'] as const;
export type DueWindow = (typeof dueWindows)[number];

export interface WorkbenchFilter {
  department: string;
  procedure?: 'listing' | 'objection' | 'repair';
  state?: string;
  due?: DueWindow;
  /** A case id, a subject's code (exact) or part of a subject's name. */
  q?: string;
  limit: number;
  offset: number;
}

// The row's shape is shared with the console (contract/workbench.ts).
export type { WorkbenchItem } from '../contract/workbench';

const ACTING = Prisma.sql`CASE WHEN (c.procedure = 'objection' AND c.state = 'forwarded') OR (c.procedure = 'repair' AND c.state = 'under_review')
  THEN COALESCE(c.details->>'decidingDepartment', c.department) ELSE c.department END`;

interface Row {
  id: string;
  procedure: string;
  state: string;
  subject_kind: string;
  subject_id: string;
  subject_name: string;
  department: string;
  acting: string;
  allowed_actions: string[];
  updated_at: Date;
  d_kind: string | null;
  d_due_at: Date | null;
  d_due_date: string | null;
  d_provisional: boolean | null;
  s_kind: string | null;
  s_due_at: Date | null;
  s_due_date: string | null;
  s_provisional: boolean | null;
}

type Deadline = NonNullable<WorkbenchItem['nextDeadline']>;
type Calendar = Awaited<ReturnType<typeof loadCalendar>>;

/** A joined deadline's columns as the row's deadline, or null when the join found none. */
function deadlineOf(
  c: { kind: string | null; dueAt: Date | null; dueDate: string | null; provisional: boolean | null },
  { calendar, now, today }: { calendar: Calendar | null; now: Date; today: string },
): Deadline | null {
  if (!c.kind || !c.dueAt || !c.dueDate) return null;
  const left = calendar ? workingDaysLeft(calendar, today, c.dueDate) : undefined;
  return {
    kind: c.kind,
    dueAt: c.dueAt.toISOString(),
    dueDate: c.dueDate,
    provisional: Boolean(c.provisional),
    ...(left === undefined ? {} : { workingDaysLeft: left }),
    overdue: c.dueAt.getTime() < now.getTime(),
  };
}

/** The page of the workbench and how many cases match in all. */
export async function workbench(db: Db, f: WorkbenchFilter, now: Date, today: string): Promise<{ items: WorkbenchItem[]; total: number }> {
  const where: Prisma.Sql[] = [Prisma.sql`c.closed = false`, Prisma.sql`${ACTING} = ${f.department}`];
  if (f.procedure) where.push(Prisma.sql`c.procedure = ${f.procedure}`);
  if (f.state) where.push(Prisma.sql`c.state = ${f.state}`);
  const q = f.q?.trim();
  if (q) {
    const like = `%${q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
    where.push(Prisma.sql`(c.id = ${q} OR c.subject_id = ${q.toUpperCase()} OR c.subject_name ILIKE ${like})`);
  }
  const endOfToday = new Date(`${today}T23:59:59.999+08:00`);
  const weekEnd = new Date(endOfToday.getTime() + 7 * 86_400_000);
  if (f.due === 'overdue') where.push(Prisma.sql`d.due_at < ${now}`);
  if (f.due === 'today') where.push(Prisma.sql`d.due_at >= ${now} AND d.due_at <= ${endOfToday}`);
  if (f.due === 'week') where.push(Prisma.sql`d.due_at <= ${weekEnd}`);
  if (f.due === 'none') where.push(Prisma.sql`d.due_at IS NULL`);
  const byDeadline = f.due !== undefined && f.due !== 'all';
  const nearest = Prisma.sql`LEFT JOIN LATERAL (
      SELECT kind, due_at, due_date, provisional FROM deadlines
      WHERE case_id = c.id AND status IN ('open', 'breached') AND party = 'authority'
      -- A running period first; a breached one only while nothing runs (the late step is still awaited).
      ORDER BY (status = 'open') DESC, due_at LIMIT 1
    ) d ON true`;
  // The subject's nearest open window, looked for only where no authority deadline was found: such a case waits on
  // the subject. It sorts after every case with an authority deadline (whatever the subject's date, the officers'
  // own periods come first on their desk) and before the cases with no deadline at all, by the subject's date.
  const subject = Prisma.sql`LEFT JOIN LATERAL (
      SELECT kind, due_at, due_date, provisional FROM deadlines
      WHERE d.kind IS NULL AND case_id = c.id AND status = 'open' AND party = 'subject'
      ORDER BY due_at LIMIT 1
    ) s ON true`;
  // The total is its own count, not a window over the page query: a window keeps every matching row until the end
  // (spilling to disk at 10,000 rows), where the page needs only the top of a heap. It looks at deadlines only when
  // the filter does.
  const [rows, counted] = await Promise.all([
    db.$queryRaw<Row[]>`
      SELECT c.id, c.procedure, c.state, c.subject_kind, c.subject_id, c.subject_name, c.department, ${ACTING} AS acting,
             c.allowed_actions, c.updated_at, d.kind AS d_kind, d.due_at AS d_due_at, d.due_date AS d_due_date,
             d.provisional AS d_provisional, s.kind AS s_kind, s.due_at AS s_due_at, s.due_date AS s_due_date,
             s.provisional AS s_provisional
      FROM cases c
      ${nearest}
      ${subject}
      WHERE ${Prisma.join(where, ' AND ')}
      ORDER BY d.due_at ASC NULLS LAST, s.due_at ASC NULLS LAST, c.updated_at DESC, c.id
      LIMIT ${f.limit} OFFSET ${f.offset}`,
    db.$queryRaw<{ total: bigint }[]>`
      SELECT count(*) AS total FROM cases c ${byDeadline ? nearest : Prisma.empty} WHERE ${Prisma.join(where, ' AND ')}`,
  ]);
  const calendar = rows.some((r) => r.d_due_date ?? r.s_due_date) ? await loadCalendar(db) : null;
  const at = { calendar, now, today };
  const items = rows.map((r): WorkbenchItem => {
    const waiting = deadlineOf({ kind: r.s_kind, dueAt: r.s_due_at, dueDate: r.s_due_date, provisional: r.s_provisional }, at);
    return {
      id: r.id,
      procedure: r.procedure,
      state: r.state,
      subject: { kind: r.subject_kind, id: r.subject_id, name: r.subject_name },
      department: r.department,
      actingDepartment: r.acting,
      allowedActions: r.allowed_actions,
      updatedAt: r.updated_at.toISOString(),
      nextDeadline: deadlineOf({ kind: r.d_kind, dueAt: r.d_due_at, dueDate: r.d_due_date, provisional: r.d_provisional }, at),
      ...(waiting ? { waitingOnSubject: waiting } : {}),
    };
  });
  return { items, total: Number(counted[0]?.total ?? 0) };
}
