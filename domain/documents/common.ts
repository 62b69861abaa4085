/** Pieces shared by the renderers: the party block, the meta lines, numbering and the input checks. */
import { issue, p, renderPage, table, type HtmlValue, type PageSpec, type SafeHtml, type Section } from './html';
import { RECORD_CATEGORY_LABELS, chineseNumeral, formatDate, responsiblePersonFields, shanghaiDate, subjectFields } from './text';
import type {
  BasisDocument,
  DocumentBase,
  DocumentDepartment,
  DocumentKind,
  DocumentMeasure,
  DocumentRecord,
  DocumentResponsiblePerson,
  IssuedDocument,
  RecordCategory,
} from './types';

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

/**
 * A part of a renderer's input that must be an object. The input arrives as JSON (an activity's argument), so its
 * type is what the caller promised: a missing part is refused here, with its name, before a field of it is read.
 */
export function requireObject<T extends object>(value: T | null | undefined, what: string): T {
  if (value === null || typeof value !== 'object') throw new TypeError(`${what} must be an object`);
  return value;
}

/** `Array.isArray` that keeps the element type of a readonly array (the plain one narrows it to `any[]`). */
export function isArray<T>(value: readonly T[] | null | undefined): value is readonly T[] {
  return Array.isArray(value);
}

export function requireText(value: string | undefined, what: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw new RangeError(`${what} must be a non-empty string`);
  return value;
}

export function checkBase(base: DocumentBase): void {
  requireText(base.documentId, 'documentId');
  requireText(base.caseId, 'caseId');
  checkBaseRest(base);
}

/** A credit report belongs to no case: `caseId` may be `''` (it must still be a string). */
export function checkReportBase(base: DocumentBase): void {
  requireText(base.documentId, 'documentId');
  if (typeof base.caseId !== 'string') throw new TypeError("caseId must be a string ('' for a report that belongs to no case)");
  checkBaseRest(base);
}

function checkBaseRest(base: DocumentBase): void {
  requireDepartment(base.department, 'department');
  const subject = requireObject(base.subject, 'subject');
  requireText(subject.name, 'subject.name');
  requireText(subject.id, 'subject.id');
}

export function requireDepartment(d: DocumentDepartment | undefined, what: string): DocumentDepartment {
  return { code: requireText(d?.code, `${what}.code`), name: requireText(d?.name, `${what}.name`) };
}

/** The label of `key` in `labels`; only own keys count (`'toString'` is not an outcome). */
export function lookupLabel<K extends string>(labels: Record<K, string>, key: K, what: string): string {
  if (typeof key !== 'string' || !Object.prototype.hasOwnProperty.call(labels, key)) {
    throw new RangeError(`unknown ${what} ${JSON.stringify(key)}; one of ${Object.keys(labels).join(', ')}`);
  }
  return labels[key];
}

/** @throws RangeError when the date `later` (YYYY-MM-DD) falls before `earlier`. */
export function requireNotBefore(later: string, laterWhat: string, earlier: string, earlierWhat: string): void {
  if (later < earlier) throw new RangeError(`${laterWhat} ${later} is before ${earlierWhat} ${earlier}`);
}

export interface RecordFields {
  id: string;
  category: RecordCategory;
  categoryLabel: string;
  type: string;
  content: string;
  documentNumber: string;
  decidedOn: string;
  supplyingDepartment: DocumentDepartment;
}

/** A credit record checked and normalised for `fields` (`decidedOn` as a Shanghai date). */
export function recordFields(record: DocumentRecord | undefined, what: string): RecordFields {
  const r = requireObject(record, what);
  return {
    id: requireText(r.id, `${what}.id`),
    category: r.category,
    categoryLabel: lookupLabel(RECORD_CATEGORY_LABELS, r.category, `${what}.category`),
    type: requireText(r.type, `${what}.type`),
    content: requireText(r.content, `${what}.content`),
    documentNumber: requireText(r.documentNumber, `${what}.documentNumber`),
    decidedOn: shanghaiDate(r.decidedOn, `${what}.decidedOn`),
    supplyingDepartment: requireDepartment(r.supplyingDepartment, `${what}.supplyingDepartment`),
  };
}

/** The printed rows of a record, for `fieldTable`. */
export function recordRows(r: RecordFields): [string, string][] {
  return [
    ['信息编号', r.id],
    ['信息类别', r.categoryLabel],
    ['信息类型', r.type],
    ['信息内容', r.content],
    ['决定文书编号', r.documentNumber],
    ['决定日期', formatDate(r.decidedOn)],
    ['信息提供单位', r.supplyingDepartment.name],
  ];
}

/** Art 34: a listing rests on at least one legally effective document. */
export function checkBasisDocuments(docs: readonly BasisDocument[]): void {
  if (!isArray(docs) || docs.length === 0) {
    throw new RangeError('basisDocuments must name at least one legally effective document (Art 34)');
  }
}

/** Art 47: the document states the measures; one without any is a caller error. */
export function checkMeasures(measures: readonly DocumentMeasure[], what: string): void {
  if (!isArray(measures) || measures.length === 0) {
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

/** What a notice adds to the page and the fields every notice shares. */
export interface NoticeSpec {
  kind: DocumentKind;
  title: string;
  /** 文号, printed under the title and kept as `fields.documentNumber`. */
  number: string;
  intro: PageSpec['intro'];
  sections: readonly Section[];
  css?: string;
  /** The notice's own fields, after `documentNumber`, `caseId`, `issuedOn` and `department`. */
  fields: Record<string, unknown>;
}

/**
 * A notice addressed to its subject: the page with the party block, the salutation, the issuing department, the
 * issue date and the meta lines, and the fields that open every notice's record.
 */
export function issueNotice(input: DocumentBase, spec: NoticeSpec): IssuedDocument {
  const department = input.department.name;
  const html = renderPage({
    title: spec.title,
    number: spec.number,
    party: partyLines(input),
    salutation: `${input.subject.name}：`,
    intro: spec.intro,
    sections: spec.sections,
    issuer: department,
    date: formatDate(input.issuedAt, 'issuedAt'),
    meta: metaLines(input),
    ...(spec.css === undefined ? {} : { css: spec.css }),
  });
  return issue({
    id: input.documentId,
    kind: spec.kind,
    title: spec.title,
    issuedAt: input.issuedAt,
    fields: {
      documentNumber: spec.number,
      caseId: input.caseId,
      issuedOn: shanghaiDate(input.issuedAt, 'issuedAt'),
      department: { code: input.department.code, name: department },
      ...spec.fields,
    },
    html,
  });
}
