import type { Db } from '../db/client';
import { CREDIT_AGENCY_CODE } from '../domain/reference-data';
import { disclosureOf, type Disclosure, type RecordCategory, type Severity } from '../domain/records';
import { findCatalogueItem } from '../domain/credit-catalogue';
import type { PenaltyFacts } from '../domain/record-admission';
import { maskSubjectId, type SubjectKind } from '../domain/identity';
import type { Principal } from './plugins/auth';
import type { RecordView } from './schemas/records';
import { shanghaiDate } from './case-ids';

export type RecordRow = NonNullable<Awaited<ReturnType<Db['creditRecord']['findUnique']>>>;

/** Only the person themselves sees a natural person's ID number in full (Art 40). */
export function isSelf(p: Principal, subjectId: string): boolean {
  return p.role === 'subject' && p.subjectId === subjectId;
}

/** Who reviews the version awaiting review: the department and officer that wrote it (Art 36). */
export function reviewOf(r: Pick<RecordRow, 'department' | 'createdBy' | 'revisionBy' | 'revisionDepartment'>): {
  department: string;
  author: string;
} {
  return { department: r.revisionDepartment ?? r.department, author: r.revisionBy ?? r.createdBy };
}

/**
 * What a caller's duty covers (Art 38-39): the subject all of their own records; supervisors and the
 * credit agency every released record; a supplying department its own records in full (and those whose
 * correction it must review) and others' only while they are disclosed. Anything else is answered as if it
 * did not exist.
 */
export function recordVisible(
  p: Principal,
  r: Pick<RecordRow, 'subjectId' | 'department' | 'revisionDepartment'>,
  disclosure: Disclosure,
): boolean {
  switch (p.role) {
    case 'subject':
      return p.subjectId === r.subjectId;
    case 'supervisor':
      return !unreleased(disclosure);
    case 'officer':
      if (p.dept === r.department || p.dept === r.revisionDepartment) return true;
      if (unreleased(disclosure)) return false;
      return p.dept === CREDIT_AGENCY_CODE || disclosure === 'published' || disclosure === 'under_objection';
  }
}

/**
 * Art 36: a record not (yet) released by its department's review is nobody else's; only the supplying
 * department (and the department whose correction awaits review) and the subject (who may know what is being
 * recorded about them, Art 49) see it.
 */
export function unreleased(disclosure: Disclosure): boolean {
  return disclosure === 'pending_review' || disclosure === 'returned';
}

export function recordRowToView(r: RecordRow, p: Principal, today = shanghaiDate(new Date())): RecordView {
  const publicity = r.publicity as { basis?: string | null; explanation?: string[] };
  return {
    id: r.id,
    subject: {
      kind: r.subjectKind as SubjectKind,
      id: isSelf(p, r.subjectId) ? r.subjectId : maskSubjectId(r.subjectKind as SubjectKind, r.subjectId),
      name: r.subjectName,
    },
    category: r.category as RecordCategory,
    type: r.type,
    content: r.content,
    documentNumber: r.documentNumber,
    decidedOn: r.decidedOn,
    issuedBy: r.issuedBy,
    // Records written before the article was kept take it from the catalogue.
    article: r.article ?? findCatalogueItem(r.type)?.article ?? null,
    penalty: (r.penalty as PenaltyFacts | null) ?? null,
    severity: (r.severity as Severity | null) ?? null,
    department: r.department,
    disclosure: disclosureOf(r, today),
    review: r.reviewedBy && r.reviewedAt ? { by: r.reviewedBy, at: r.reviewedAt.toISOString() } : null,
    publicUntil: r.publicUntil,
    publicMinUntil: r.publicMinUntil,
    publicity: { basis: publicity.basis ?? null, explanation: publicity.explanation ?? [] },
    listingCaseId: r.listingCaseId,
    objection: r.openObjectionId && r.objectionSince ? { caseId: r.openObjectionId, since: r.objectionSince.toISOString() } : null,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}
