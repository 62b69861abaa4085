import type { Db } from '../db/client';
import { CREDIT_AGENCY_CODE } from '../domain/reference-data';
import { disclosureOf, type Disclosure, type RecordCategory, type Severity } from '../domain/records';
import { maskSubjectId, type SubjectKind } from '../domain/identity';
import type { Principal } from './plugins/auth';
import type { RecordView } from './schemas/records';
import { shanghaiDate } from './case-ids';

export type RecordRow = NonNullable<Awaited<ReturnType<Db['creditRecord']['findUnique']>>>;

/** Only the person themselves sees a natural person's ID number in full (Art 40). */
export function isSelf(p: Principal, subjectId: string): boolean {
  return p.role === 'subject' && p.subjectId === subjectId;
}

/**
 * What a caller's duty covers (Art 38-39): the subject all of their own records; supervisors and the
 * credit agency every record; a supplying department its own records in full and others' only while
 * they are disclosed. Anything else is answered as if it did not exist.
 */
export function recordVisible(p: Principal, r: Pick<RecordRow, 'subjectId' | 'department'>, disclosure: Disclosure): boolean {
  switch (p.role) {
    case 'subject':
      return p.subjectId === r.subjectId;
    case 'supervisor':
      return true;
    case 'officer':
      return p.dept === CREDIT_AGENCY_CODE || p.dept === r.department || disclosure === 'published' || disclosure === 'under_objection';
  }
}

export function recordRowToView(r: RecordRow, p: Principal, today = shanghaiDate(new Date())): RecordView {
  const publicity = r.publicity as { basis?: string | null; explanation?: string[] };
  return {
    id: r.id,
    subject: { kind: r.subjectKind as SubjectKind, id: isSelf(p, r.subjectId) ? r.subjectId : maskSubjectId(r.subjectKind as SubjectKind, r.subjectId), name: r.subjectName },
    category: r.category as RecordCategory,
    type: r.type,
    content: r.content,
    documentNumber: r.documentNumber,
    decidedOn: r.decidedOn,
    severity: (r.severity as Severity | null) ?? null,
    department: r.department,
    disclosure: disclosureOf(r, today),
    publicUntil: r.publicUntil,
    publicMinUntil: r.publicMinUntil,
    publicity: { basis: publicity.basis ?? null, explanation: publicity.explanation ?? [] },
    listingCaseId: r.listingCaseId,
    objection: r.openObjectionId && r.objectionSince ? { caseId: r.openObjectionId, since: r.objectionSince.toISOString() } : null,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}
