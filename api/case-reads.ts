import { sqlOf, type Db } from '../db/client';
import type { Prisma } from '../generated/prisma/client';
import type { CaseView, Procedure, Role, Subject, SubjectKind } from '../workflows/common/case-types';
import { PROCEDURES } from './procedures';
import type { Principal } from './plugins/auth';
import { deadlineRowToView } from './deadline-views';
import { CALENDAR_FINGERPRINT } from '../db/calendar-store';
import { printedRowsSelect, type PrintedRowsRead } from '../activities/listing-documents';

export type CaseRow = NonNullable<Awaited<ReturnType<Db['case']['findUnique']>>>;
/** What a case's view is made of: the row's columns the API shows. */
type CaseViewRow = Pick<
  CaseRow,
  | 'id'
  | 'procedure'
  | 'state'
  | 'closed'
  | 'outcome'
  | 'subjectKind'
  | 'subjectId'
  | 'subjectName'
  | 'department'
  | 'details'
  | 'allowedActions'
  | 'createdAt'
  | 'updatedAt'
>;
type DeadlineRow = Parameters<typeof deadlineRowToView>[0];
type TimelineRow = { at: Date; actor: string; role: string; action: string; detail: unknown };

/** The case as Postgres holds it, its details read back into the type its procedure's workflow wrote them from. */
export function caseRowToView(
  row: CaseViewRow,
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
export function caseRowToSummary(row: CaseViewRow): Omit<CaseView, 'details' | 'deadlines' | 'timeline' | 'documents'> {
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

function procedureOf(row: CaseViewRow): Procedure {
  const procedure = row.procedure;
  if (isProcedure(procedure)) return procedure;
  throw new Error(`case ${row.id} names no procedure the API knows: ${procedure}`);
}

function isProcedure(name: string): name is Procedure {
  return Object.hasOwn(PROCEDURES, name);
}

function subjectOf(row: CaseViewRow): Subject {
  return { kind: row.subjectKind as SubjectKind, id: row.subjectId, name: row.subjectName };
}

/**
 * The case row, its timeline, deadlines and documents as one statement answers them (JSON for the lists, ids in byte
 * order where times tie, whatever the database's collation, so an answer worked out from a change orders them alike).
 */
export interface CaseReadRow extends CaseViewRow {
  timeline: (Omit<TimelineRow, 'at'> & { at: string })[];
  deadlines: (Omit<DeadlineRow, 'startsAt' | 'dueAt' | 'metAt' | 'closedAt' | 'updatedAt'> & {
    startsAt: string;
    dueAt: string;
    metAt: string | null;
    closedAt: string | null;
    updatedAt: string;
  })[];
  documents: { id: string; kind: string; title: string; issuedAt: string }[];
}

const CASE_VIEW_COLUMNS = `
    SELECT c.id, c.procedure, c.state, c.closed, c.outcome, c.subject_kind AS "subjectKind",
           c.subject_id AS "subjectId", c.subject_name AS "subjectName", c.department, c.details,
           c.allowed_actions AS "allowedActions", c.created_at AS "createdAt", c.updated_at AS "updatedAt",
           COALESCE((SELECT json_agg(json_build_object('at', t.at, 'actor', t.actor, 'role', t.role,
                                                       'action', t.action, 'detail', t.detail) ORDER BY t.seq)
                     FROM timeline_entries t WHERE t.case_id = c.id), '[]') AS timeline,
           COALESCE((SELECT json_agg(json_build_object(
                       'id', d.id, 'caseId', d.case_id, 'procedure', d.procedure, 'department', d.department,
                       'kind', d.kind, 'party', d.party, 'status', d.status, 'startsAt', d.starts_at,
                       'dueAt', d.due_at, 'dueDate', d.due_date, 'metAt', d.met_at, 'closedAt', d.closed_at,
                       'calendarVersion', d.calendar_version, 'provisional', d.provisional, 'basis', d.basis,
                       'explanation', d.explanation, 'inputs', d.inputs, 'extended', d.extended,
                       'version', d.version, 'updatedAt', d.updated_at) ORDER BY d.starts_at, d.id COLLATE "C")
                     FROM deadlines d WHERE d.case_id = c.id), '[]') AS deadlines,
           COALESCE((SELECT json_agg(json_build_object('id', o.id, 'kind', o.kind, 'title', o.title,
                                                       'issuedAt', o.issued_at) ORDER BY o.issued_at, o.id COLLATE "C")
                     FROM documents o WHERE o.case_id = c.id), '[]') AS documents`;
const CASE_VIEW_SQL = `${CASE_VIEW_COLUMNS} FROM cases c WHERE c.id = $1`;
/** The same, with the end of the first run of the case's changes without a gap (the read path does not pay for it). */
const WRITTEN_THROUGH = `,
           COALESCE((SELECT min(t.seq) FROM timeline_entries t
                      WHERE t.case_id = c.id
                        AND EXISTS (SELECT 1 FROM timeline_entries f WHERE f.case_id = c.id AND f.seq = 1)
                        AND NOT EXISTS (SELECT 1 FROM timeline_entries n WHERE n.case_id = c.id AND n.seq = t.seq + 1)), 0)::int
             AS "writtenThrough"`;
const CASE_WRITTEN_SQL = `${CASE_VIEW_COLUMNS}${WRITTEN_THROUGH} FROM cases c WHERE c.id = $1`;
/**
 * And the case's opening facts with the calendar's years as loaded now, and the rows a listing's notice prints for them
 * (its department's name, its proposed measures' wording): what an action worked out ahead reads.
 *
 * The department and the measures are taken out of the stored facts once (the subquery kept apart by its OFFSET): as
 * conditions, the facts were decompressed again for every department compared with them.
 */
const CASE_WRITTEN_OPENING_SQL = `${CASE_VIEW_COLUMNS}${WRITTEN_THROUGH},
           (SELECT i.input FROM case_inputs i WHERE i.case_id = c.id) AS "openingInput",
           (SELECT ${printedRowsSelect('f.department', 'f.codes')}
              FROM case_inputs i,
                   LATERAL (SELECT i.input->>'department' AS department,
                                   CASE WHEN jsonb_typeof(i.input->'proposedMeasures') = 'array'
                                        THEN ARRAY(SELECT jsonb_array_elements_text(i.input->'proposedMeasures'))
                                        ELSE '{}'::text[] END AS codes
                             OFFSET 0) f
             WHERE i.case_id = c.id) AS "openingPrinted",
           ${CALENDAR_FINGERPRINT} AS "calendarFingerprint"
    FROM cases c WHERE c.id = $1`;

/** A case's opening facts (`case_inputs`) and the fingerprint of the calendar as loaded when they were read. */
export interface CaseOpeningRead {
  input: unknown;
  calendarFingerprint: string | null;
  /** The rows a listing's documents print for its opening facts, read with them (absent where not read). */
  printed?: PrintedRowsRead;
}

/**
 * The case as the read model holds it, in ONE statement: every read of a case pays for it, and four Prisma queries
 * (the row with its timeline, the deadlines, the documents) cost the API several times the CPU of one (issue 23).
 */
export async function readCase(db: Db, id: string): Promise<CaseView | null> {
  const rows = await sqlOf(db).query<CaseReadRow>(CASE_VIEW_SQL, [id]);
  return rows[0] ? caseView(rows[0]) : null;
}

/**
 * `readCase`, with how far the read model holds the case's changes without a gap: an action tells the workflow so
 * (`confirmedVersion`), which then stops keeping the changes it handed over up to there (api/action-changes.ts). With
 * `withOpening`, also the case's opening facts as an action worked out ahead reads them (api/action-quotes.ts), in the
 * same statement.
 */
export async function readCaseWritten(
  db: Db,
  id: string,
  opts: { withOpening?: boolean } = {},
): Promise<{ view: CaseView; writtenThrough: number; opening?: CaseOpeningRead } | null> {
  type Row = CaseReadRow & {
    writtenThrough: number;
    openingInput?: unknown;
    openingPrinted?: PrintedRowsRead | null;
    calendarFingerprint?: string | null;
  };
  const rows = await sqlOf(db).query<Row>(opts.withOpening ? CASE_WRITTEN_OPENING_SQL : CASE_WRITTEN_SQL, [id]);
  const row = rows[0];
  if (!row) return null;
  // The case's changes the read model holds without a gap: 1 up to this version (0 if not even the first).
  const read = { view: caseView(row), writtenThrough: row.writtenThrough };
  if (!opts.withOpening || row.openingInput == null) return read;
  const opening: CaseOpeningRead = { input: row.openingInput, calendarFingerprint: row.calendarFingerprint ?? null };
  return { ...read, opening: row.openingPrinted ? { ...opening, printed: row.openingPrinted } : opening };
}

/** The case's view from its row as the read answers it (or as an action's answer works it out, api/case-answers.ts). */
export function caseView(row: CaseReadRow): CaseView {
  return caseRowToView(
    row,
    row.timeline.map((t) => ({ ...t, at: new Date(t.at) })),
    row.deadlines.map((d) => {
      const {
        procedure: _p,
        department: _d,
        ...view
      } = deadlineRowToView({
        ...d,
        startsAt: new Date(d.startsAt),
        dueAt: new Date(d.dueAt),
        metAt: d.metAt === null ? null : new Date(d.metAt),
        closedAt: d.closedAt === null ? null : new Date(d.closedAt),
        updatedAt: new Date(d.updatedAt),
      });
      return view;
    }),
    row.documents.map((d) => ({ ...d, issuedAt: new Date(d.issuedAt).toISOString() })),
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
