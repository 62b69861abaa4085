import type { Db } from '../db/client';
import type { Prisma } from '../generated/prisma/client';
import type { CaseView, Procedure, Role, SubjectKind } from '../workflows/common/case-types';
import type { Principal } from './plugins/auth';
import { deadlineRowToView } from './deadline-views';

type CaseRow = NonNullable<Awaited<ReturnType<Db['case']['findUnique']>>>;
type TimelineRow = { at: Date; actor: string; role: string; action: string; detail: unknown };

export function caseRowToView(
  row: CaseRow,
  timeline: TimelineRow[],
  deadlines: CaseView['deadlines'] = [],
  documents: CaseView['documents'] = [],
): CaseView {
  return {
    id: row.id,
    procedure: row.procedure as Procedure,
    state: row.state,
    closed: row.closed,
    ...(row.outcome ? { outcome: row.outcome } : {}),
    subject: { kind: row.subjectKind as SubjectKind, id: row.subjectId, name: row.subjectName },
    department: row.department,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    details: row.details as Record<string, unknown>,
    deadlines,
    timeline: timeline.map((t) => ({
      at: t.at.toISOString(),
      actor: t.actor,
      role: t.role as Role,
      action: t.action,
      detail: t.detail as Record<string, unknown>,
    })),
    documents,
    allowedActions: row.allowedActions,
  };
}

export async function readCase(db: Db, id: string): Promise<CaseView | null> {
  const [row, deadlines, documents] = await Promise.all([
    db.case.findUnique({ where: { id }, include: { timeline: { orderBy: { seq: 'asc' } } } }),
    db.deadline.findMany({ where: { caseId: id }, orderBy: [{ startsAt: 'asc' }, { id: 'asc' }] }),
    db.document.findMany({
      where: { caseId: id },
      orderBy: [{ issuedAt: 'asc' }, { id: 'asc' }],
      select: { id: true, kind: true, title: true, issuedAt: true },
    }),
  ]);
  if (!row) return null;
  return caseRowToView(
    row,
    row.timeline,
    deadlines.map((d) => {
      const { procedure: _p, department: _d, ...view } = deadlineRowToView(d);
      return view;
    }),
    documents.map((d) => ({ ...d, issuedAt: d.issuedAt.toISOString() })),
  );
}

/**
 * The departments a case involves besides its own: an objection's supplying department, and the one it
 * was forwarded to (they verify and decide, API.md "objection"); the department whose record or listing a
 * repair would end.
 */
export function involvedDepartments(c: { procedure?: string; details?: Record<string, unknown> }): string[] {
  if (!c.details) return [];
  if (c.procedure === 'repair') {
    const dept = (c.details as { target?: { department?: string } }).target?.department;
    return dept ? [dept] : [];
  }
  if (c.procedure !== 'objection') return [];
  const d = c.details as { record?: { department?: string }; forward?: { to?: string } };
  return [d.record?.department, d.forward?.to].filter((x): x is string => typeof x === 'string');
}

/**
 * Who may see a case: supervisors all; officers their department's and those it involves; subjects their
 * own. Anything else is answered as if the case did not exist (API.md: never reveal that it exists).
 */
export function maySee(
  p: Principal,
  c: Pick<CaseView, 'department' | 'subject'> & { procedure?: string; details?: Record<string, unknown> },
): boolean {
  switch (p.role) {
    case 'supervisor':
      return true;
    case 'officer':
      return c.department === p.dept || involvedDepartments(c).includes(p.dept);
    case 'subject':
      return c.subject.id === p.subjectId;
  }
}

/** The filter that restricts a list to what `maySee` allows, as a Prisma where clause. */
export function visibleTo(p: Principal): Prisma.CaseWhereInput {
  if (p.role === 'officer') {
    return {
      OR: [
        { department: p.dept },
        { procedure: 'objection', details: { path: ['record', 'department'], equals: p.dept } },
        { procedure: 'objection', details: { path: ['forward', 'to'], equals: p.dept } },
        { procedure: 'repair', details: { path: ['target', 'department'], equals: p.dept } },
      ],
    };
  }
  if (p.role === 'subject') return { subjectId: p.subjectId };
  return {};
}
