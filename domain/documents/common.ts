/** Pieces shared by the renderers: the party block, the meta lines, numbering and the input checks. */
import { p, table, type HtmlValue, type SafeHtml, type Section } from './html';
import { chineseNumeral, responsiblePersonFields, subjectFields } from './text';
import type { BasisDocument, DocumentBase, DocumentMeasure, DocumentResponsiblePerson } from './types';

export function partyLines(base: DocumentBase): { label: string; value: string }[] {
  const s = subjectFields(base.subject);
  return [
    { label: '当事人', value: s.name },
    { label: s.idLabel, value: s.id },
  ];
}

export function metaLines(base: DocumentBase): { label: string; value: string }[] {
  return [
    { label: '文书编号', value: base.documentId },
    { label: '案件编号', value: base.caseId },
  ];
}

export function requireText(value: string | undefined, what: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw new RangeError(`${what} must be a non-empty string`);
  return value;
}

export function checkBase(base: DocumentBase): void {
  requireText(base.documentId, 'documentId');
  requireText(base.caseId, 'caseId');
  requireText(base.department?.code, 'department.code');
  requireText(base.department?.name, 'department.name');
  requireText(base.subject?.name, 'subject.name');
  requireText(base.subject?.id, 'subject.id');
}

/** Art 34: a listing rests on at least one legally effective document. */
export function checkBasisDocuments(docs: readonly BasisDocument[]): void {
  if (!Array.isArray(docs) || docs.length === 0) {
    throw new RangeError('basisDocuments must name at least one legally effective document (Art 34)');
  }
}

/** Art 47: the document states the measures; one without any is a caller error. */
export function checkMeasures(measures: readonly DocumentMeasure[], what: string): void {
  if (!Array.isArray(measures) || measures.length === 0) {
    throw new RangeError(`${what} must contain at least one catalogue measure (Art 43, 47)`);
  }
}

/** The responsible persons of Art 48 as a table: role, name, masked ID number. */
export function responsiblePersonsTable(persons: readonly DocumentResponsiblePerson[]): SafeHtml {
  const rows = responsiblePersonFields(persons).map((r) => [r.roleLabel, r.name, r.idNumber]);
  return table(['身份', '姓名', '公民身份号码'], rows, 'responsible-persons');
}

/** `（一）…`, `（二）…` paragraphs. */
export function numberedItems(items: readonly HtmlValue[]): SafeHtml[] {
  return items.map((it, i) => p(`（${chineseNumeral(i + 1)}）`, it));
}

/** Number the sections 一、二、… in order (a conditional section shifts the ones after it). */
export function numberSections(sections: readonly (Section | false | undefined)[]): Section[] {
  return sections
    .filter((s): s is Section => Boolean(s))
    .map((s, i) => ({ heading: `${chineseNumeral(i + 1)}、${s.heading}`, body: s.body }));
}
