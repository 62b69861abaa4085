import type { Db } from '../db/client';
import type { Prisma } from '../generated/prisma/client';
import type { CaseView, Procedure, Role, Subject, SubjectKind } from '../workflows/common/case-types';
import { PROCEDURES } from './procedures';
import type { Principal } from './plugins/auth';
import { deadlineRowToView } from './deadline-views';

export type CaseRow = NonNullable<Awaited<ReturnType<Db['case']['findUnique']>>>;
type TimelineRow = { at: Date; actor: string; role: string; action: string; detail: unknown };

/** The case as Postgres holds it, its details read back into the type its procedure's workflow wrote them from. */
export function caseRowToView(
  row: CaseRow,
  timeline: TimelineRow[],
  deadlines: CaseView['deadlines'] = [],
  documents: CaseView['documents'] = [],
): CaseView {
  const common = {
    ...caseRowToSummary(row),
    deadlines,
    timeline: timeline.map((t) => ({
      at: t.at.toISOString(),
      actor: t.actor,
      role: t.role as Role,
      action: t.action,
      detail: t.detail as Record<string, unknown>,
    })),
    documents,
  };
  switch (common.procedure) {
    case 'listing':
      return { ...common, procedure: 'listing', details: PROCEDURES.listing.storedDetails(row.details, row.department) };
    case 'objection':
      return { ...common, procedure: 'objection', details: PROCEDURES.objection.storedDetails(row.details, row.department) };
    case 'repair':
      return { ...common, procedure: 'repair', details: PROCEDURES.repair.storedDetails(row.details, row.department) };
  }
}

/** A case as a list shows it: without its details, deadlines, timeline and documents. */
export function caseRowToSummary(row: CaseRow): Omit<CaseView, 'details' | 'deadlines' | 'timeline' | 'documents'> {
  return {
    id: row.id,
    procedure: procedureOf(row),
    state: row.state,
    closed: row.closed,
    ...(row.outcome ? { outcome: row.outcome } : {}),
    subject: subjectOf(row),
    department: row.department,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    allowedActions: row.allowedActions,
  };
}

function procedureOf(row: CaseRow): Procedure {
  const procedure = row.procedure;
  if (isProcedure(procedure)) return procedure;
  throw new Error(`case ${row.id} names no procedure the API knows: ${procedure}`);
}

function isProcedure(name: string): name is Procedure {
  return Object.hasOwn(PROCEDURES, name);
}

function subjectOf(row: CaseRow): Subject {
  return { kind: row.subjectKind as SubjectKind, id: row.subjectId, name: row.subjectName };
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
 * The departments a case involves besides its own (an objection's supplying department and the one it was forwarded
 * to; the department whose record or listing a repair would end): their officers see it too.
 */
export function involvedDepartments(view: CaseView): string[] {
  switch (view.procedure) {
    case 'listing':
      return PROCEDURES.listing.involvedDepartments(view.details);
    case 'objection':
      return PROCEDURES.objection.involvedDepartments(view.details);
    case 'repair':
      return PROCEDURES.repair.involvedDepartments(view.details);
  }
}

/** `involvedDepartments` of a case as Postgres holds it, reading only the details that name a department. */
function involvedDepartmentsOfRow(row: CaseRow): string[] {
  switch (row.procedure) {
    case 'objection':
      return PROCEDURES.objection.involvedDepartments(PROCEDURES.objection.storedDetails(row.details, row.department));
    case 'repair':
      return PROCEDURES.repair.involvedDepartments(PROCEDURES.repair.storedDetails(row.details, row.department));
    default:
      return [];
  }
}

/**
 * Who may see a case: supervisors all; officers their department's and those it involves; subjects their
 * own. Anything else is answered as if the case did not exist (API.md: never reveal that it exists).
 */
export function maySee(p: Principal, view: CaseView): boolean {
  return mayAccess(p, view.department, view.subject.id, () => involvedDepartments(view));
}

/** `maySee` for a case as Postgres holds it. */
export function maySeeRow(p: Principal, row: CaseRow): boolean {
  return mayAccess(p, row.department, row.subjectId, () => involvedDepartmentsOfRow(row));
}

function mayAccess(p: Principal, department: string, subjectId: string, involved: () => string[]): boolean {
  switch (p.role) {
    case 'supervisor':
      return true;
    case 'officer':
      return department === p.dept || involved().includes(p.dept);
    case 'subject':
      return subjectId === p.subjectId;
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
