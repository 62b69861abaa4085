/**
 * An officer's work: the open cases whose next step is their department's, each with its nearest running
 * deadline, most urgent first. A case's turn belongs to its department, except an objection forwarded to a
 * supplying department and a repair under review by the department that decides it (谁认定、谁修复). A page query
 * and its count, measured at 10,000 open cases of one department by bench/console.bench.ts.
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
  // The total is its own count, not a window over the page query: a window keeps every matching row until the end
  // (spilling to disk at 10,000 rows), where the page needs only the top of a heap. It looks at deadlines only when
  // the filter does.
  const [rows, counted] = await Promise.all([
    db.$queryRaw<Row[]>`
      SELECT c.id, c.procedure, c.state, c.subject_kind, c.subject_id, c.subject_name, c.department, ${ACTING} AS acting,
             c.allowed_actions, c.updated_at, d.kind AS d_kind, d.due_at AS d_due_at, d.due_date AS d_due_date,
             d.provisional AS d_provisional
      FROM cases c
      ${nearest}
      WHERE ${Prisma.join(where, ' AND ')}
      ORDER BY d.due_at ASC NULLS LAST, c.updated_at DESC, c.id
      LIMIT ${f.limit} OFFSET ${f.offset}`,
    db.$queryRaw<{ total: bigint }[]>`
      SELECT count(*) AS total FROM cases c ${byDeadline ? nearest : Prisma.empty} WHERE ${Prisma.join(where, ' AND ')}`,
  ]);
  const calendar = rows.some((r) => r.d_due_date) ? await loadCalendar(db) : null;
  const items = rows.map(
    (r): WorkbenchItem => ({
      id: r.id,
      procedure: r.procedure,
      state: r.state,
      subject: { kind: r.subject_kind, id: r.subject_id, name: r.subject_name },
      department: r.department,
      actingDepartment: r.acting,
      allowedActions: r.allowed_actions,
      updatedAt: r.updated_at.toISOString(),
      nextDeadline:
        r.d_due_at && r.d_due_date && r.d_kind
          ? {
              kind: r.d_kind,
              dueAt: r.d_due_at.toISOString(),
              dueDate: r.d_due_date,
              provisional: Boolean(r.d_provisional),
              ...(() => {
                const left = calendar ? workingDaysLeft(calendar, today, r.d_due_date) : undefined;
                return left === undefined ? {} : { workingDaysLeft: left };
              })(),
              overdue: r.d_due_at.getTime() < now.getTime(),
            }
          : null,
    }),
  );
  return { items, total: Number(counted[0]?.total ?? 0) };
}
