import { deadlineRowOf } from '../activities/case-records';
import { takenDocuments } from '../activities/case-effects';
import type { Prisma } from '../generated/prisma/client';
import type { CaseEvent, CaseView, DocumentQuote } from '../workflows/common/case-types';
import type { JudgedCase } from './action-changes';
import { caseView, type CaseReadRow } from './case-reads';

/**
 * An action's answer worked out from the change it wrote, instead of read back after writing it (issue 23: a statement
 * fewer per action, and the request's Idempotency-Key answered in the statement that writes the change, one more).
 * The answer is the read model's view of the case once the change is written: the case row, deadlines and timeline
 * entry the change writes, on the view the action was judged on. It holds only where that view held the case up to the
 * change before, with no gap, and the change is written onto exactly that case (`JudgedCase`, checked in the statement
 * that writes it, api/action-changes.ts `WrittenAnswer`); otherwise the route reads the case back as before.
 */
export interface CaseAnswer {
  view: CaseView;
  judged: JudgedCase;
}

/** What an answer worked out from a change reads of the case before it: what the change's write keeps as first written. */
type CaseBefore = Pick<CaseView, 'id' | 'procedure' | 'subject' | 'department' | 'createdAt' | 'timeline' | 'deadlines' | 'documents'>;

/**
 * The case as `change` leaves it, from the view the action was judged on and how far the read model held the case
 * without a gap (`writtenThrough`), with the documents the change takes as they were rendered ahead (`quoted`). Null
 * where that cannot be known without reading: a view behind or ahead, a change in several steps, a deadline the change
 * does not carry, a document taken that was not rendered here.
 */
export function caseAsChanged(
  judged: { view: CaseBefore; writtenThrough?: number },
  changes: CaseEvent[],
  quoted: DocumentQuote['meta'][],
): CaseAnswer | null {
  const [change] = changes;
  if (!change || changes.length !== 1 || judged.writtenThrough === undefined) return null;
  const s = change.snapshot;
  const before = s.version - 1;
  const { view } = judged;
  if (s.id !== view.id || judged.writtenThrough !== before || view.timeline.length !== before) return null;
  // A deadline's row is never deleted: one the snapshot no longer carries would stay in the read.
  const carried = new Set(s.deadlines.map((d) => d.id));
  if (!view.deadlines.every((d) => carried.has(d.id))) return null;
  const shown = new Map(view.deadlines.map((d) => [d.id, d]));
  const documents = takenDocuments(change.effects ?? []).map((t) => quoted.find((q) => q.id === t.id));
  if (documents.some((d) => d === undefined)) return null;
  const t = change.timeline;
  // What a change's write updates comes from the change; what it keeps as first written (the case's subject, department
  // and creation, a deadline's kind, party and basis) from the view, as the rows hold it (activities/case-records.ts).
  const row: CaseReadRow = {
    id: view.id,
    procedure: view.procedure,
    state: s.state,
    closed: s.closed,
    outcome: s.outcome,
    subjectKind: view.subject.kind,
    subjectId: view.subject.id,
    subjectName: s.subject.name,
    department: view.department,
    details: asStored(s.details),
    allowedActions: s.allowedActions,
    createdAt: new Date(view.createdAt),
    updatedAt: new Date(s.updatedAt),
    timeline: [...view.timeline, { at: t.at, actor: t.actor, role: t.role, action: t.action, detail: asStored(t.detail) }],
    deadlines: s.deadlines
      .map((d) => {
        const r = deadlineRowOf(s, d);
        const kept = shown.get(d.id);
        return {
          id: r.id,
          caseId: s.id,
          procedure: s.procedure,
          department: r.department,
          kind: kept?.kind ?? r.kind,
          party: kept?.party ?? r.party,
          status: r.status,
          startsAt: r.starts_at,
          dueAt: r.due_at,
          dueDate: r.due_date,
          metAt: r.met_at,
          closedAt: r.closed_at,
          calendarVersion: r.calendar_version,
          provisional: r.provisional,
          basis: kept?.basis ?? r.basis,
          explanation: asStored(r.explanation),
          inputs: asStored(r.inputs),
          extended: r.extended,
          version: s.version,
          updatedAt: s.updatedAt,
        };
      })
      .sort((a, b) => byTimeThenId(a.startsAt, a.id, b.startsAt, b.id)),
    documents: [
      ...view.documents,
      ...documents.flatMap((d) => (d ? [{ id: d.id, kind: d.kind, title: d.title, issuedAt: d.issuedAt }] : [])),
    ].sort((a, b) => byTimeThenId(a.issuedAt, a.id, b.issuedAt, b.id)),
  };
  return { view: caseView(row), judged: { version: before, documents: view.documents.length } };
}

/**
 * A case's opening answered from its change (the `openedChanges` Update's answer), as `caseAsChanged` answers an action,
 * from the case before it, which Postgres has not: the read model's view once the change is written. Null where that
 * cannot be known without reading (an opening recorded in several changes, or one that issued a document).
 */
export function caseAsOpened(changes: CaseEvent[]): CaseView | null {
  const s = changes[0]?.snapshot;
  if (!s || s.version !== 1) return null;
  const none: CaseBefore = {
    id: s.id,
    procedure: s.procedure,
    subject: s.subject,
    department: s.department,
    createdAt: s.createdAt,
    deadlines: [],
    timeline: [],
    documents: [],
  };
  return caseAsChanged({ view: none, writtenThrough: 0 }, changes, [])?.view ?? null;
}

/** A value as Postgres hands it back from a JSON column: what JSON can carry of it. */
function asStored(v: unknown): Prisma.JsonValue {
  return JSON.parse(JSON.stringify(v)) as Prisma.JsonValue;
}

/** The read's order: by time, then by id in byte order (`COLLATE "C"`, api/case-reads.ts). */
function byTimeThenId(at: string, id: string, bt: string, bid: string): number {
  return Date.parse(at) - Date.parse(bt) || (id < bid ? -1 : id > bid ? 1 : 0);
}
