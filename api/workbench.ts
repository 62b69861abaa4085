/**
 * An officer's work: the open cases whose next step is their department's, each with its nearest running
 * deadline, most urgent first; a case waiting on the subject (no authority deadline, a subject's window open) says
 * so, with that window, after the cases with an authority deadline. A case's turn belongs to its department, except
 * an objection forwarded to a supplying department and a repair under review by the department that decides it
 * (谁认定、谁修复). Whose turn it is and the nearest deadlines are kept on the case row (cases.acting_department,
 * next_*, waiting_*: see activities/workbench-columns.ts), so a page reads its rows off one index however many cases
 * are open; a page query and its count, measured by bench/workbench.bench.ts at 10,000 and 100,000 open cases.
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
  // Every condition on the case row: the page walks cases_workbench_idx from the department's nearest due date and
  // stops after its rows; the due windows are ranges of that index's second column.
  const where: Prisma.Sql[] = [Prisma.sql`NOT c.closed`, Prisma.sql`c.acting_department = ${f.department}`];
  if (f.procedure) where.push(Prisma.sql`c.procedure = ${f.procedure}`);
  if (f.state) where.push(Prisma.sql`c.state = ${f.state}`);
  const q = f.q?.trim();
  if (q) {
    const like = `%${q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
    where.push(Prisma.sql`(c.id = ${q} OR c.subject_id = ${q.toUpperCase()} OR c.subject_name ILIKE ${like})`);
  }
  const endOfToday = new Date(`${today}T23:59:59.999+08:00`);
  const weekEnd = new Date(endOfToday.getTime() + 7 * 86_400_000);
  if (f.due === 'overdue') where.push(Prisma.sql`c.next_due_at < ${now}`);
  if (f.due === 'today') where.push(Prisma.sql`c.next_due_at >= ${now} AND c.next_due_at <= ${endOfToday}`);
  if (f.due === 'week') where.push(Prisma.sql`c.next_due_at <= ${weekEnd}`);
  if (f.due === 'none') where.push(Prisma.sql`c.next_due_at IS NULL`);
  const matching = Prisma.join(where, ' AND ');
  // The order is the index's: the authority's deadline, then (for a case waiting on the subject) the subject's window,
  // both nulls last, then the most recently changed. The deadlines themselves are read by id for the page's rows only.
  // The total is its own count, not a window over the page query (which would keep every matching row until the
  // end): an index-only scan of the department's entries in that index, the one part that still grows with the
  // caseload (bench/workbench.bench.ts measures it beside the page).
  const [rows, counted] = await Promise.all([
    db.$queryRaw<Row[]>`
      SELECT c.id, c.procedure, c.state, c.subject_kind, c.subject_id, c.subject_name, c.department,
             c.acting_department AS acting, c.allowed_actions, c.updated_at, d.kind AS d_kind, d.due_at AS d_due_at,
             d.due_date AS d_due_date, d.provisional AS d_provisional, s.kind AS s_kind, s.due_at AS s_due_at,
             s.due_date AS s_due_date, s.provisional AS s_provisional
      FROM (SELECT * FROM cases c WHERE ${matching}
            ORDER BY c.next_due_at, c.waiting_due_at, c.updated_at DESC, c.id
            LIMIT ${f.limit} OFFSET ${f.offset}) c
      LEFT JOIN deadlines d ON d.id = c.next_deadline_id
      LEFT JOIN deadlines s ON s.id = c.waiting_deadline_id
      ORDER BY c.next_due_at, c.waiting_due_at, c.updated_at DESC, c.id`,
    db.$queryRaw<{ total: bigint }[]>`SELECT count(*) AS total FROM cases c WHERE ${matching}`,
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
