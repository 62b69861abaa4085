/**
 * Shapes of the documents of the three procedures (DOMAIN.md: listing, Art 43-48; objection, Art 49, 51;
 * credit repair, Art 52) and of the credit report (Art 50), and of the inputs their renderers take.
 * Plain data, no imports with side effects.
 */
import type { SubjectKind } from '../identity';
import type { ListingCategory, MeasureLevel } from '../reference-data';

export const documentKinds = [
  'pre_listing_notice',
  'window_reopened_notice',
  'recognition_document',
  'dismissal_notice',
  'removal_notice',
  'responsible_person_notice',
  'objection_result_notice',
  'repair_decision',
  'credit_report',
] as const;
export type DocumentKind = (typeof documentKinds)[number];

/** What `GET /v1/cases/{id}/documents/{documentId}` returns (API.md). */
export interface IssuedDocument {
  id: string;
  kind: DocumentKind;
  title: string;
  /** As passed in by the caller (an ISO instant with offset, or a date). */
  issuedAt: string;
  /** The printed content as data: same values as the HTML, unescaped; natural-person ID numbers masked. */
  fields: Record<string, unknown>;
  /** A complete printable A4 page; byte-identical for the same input. */
  html: string;
  /** Hex SHA-256 of `html` encoded as UTF-8. */
  sha256: string;
}

export interface DocumentDepartment {
  code: string;
  name: string;
}

export interface DocumentSubject {
  kind: SubjectKind;
  /** GB 11643 ID number (natural person: printed masked) or GB 32100 code (organisation: printed in full). */
  id: string;
  name: string;
}

/** A legally effective document the listing rests on (Art 34). `issuedOn` is a date or an instant. */
export interface BasisDocument {
  title: string;
  number: string;
  issuedOn: string;
}

/** A catalogue measure (Art 43); `Measure` of domain/reference-data.ts fits. */
export interface DocumentMeasure {
  code: string;
  title: string;
  level: MeasureLevel;
  basis: string;
}

export const responsibleRoles = ['legal_representative', 'principal', 'actual_controller', 'directly_responsible'] as const;
export type ResponsibleRole = (typeof responsibleRoles)[number];

/** Art 48; same shape as `ResponsiblePerson` of workflows/listing/definitions.ts. Always printed masked. */
export interface DocumentResponsiblePerson {
  role: ResponsibleRole;
  name: string;
  idNumber: string;
}

/** A period in years and/or months; at least one part must be positive. */
export interface YearMonthPeriod {
  years?: number;
  months?: number;
}

/** Art 32 third paragraph: basic (Art 33), dishonesty (Art 34) and other (Art 35) information. */
export const recordCategories = ['basic', 'dishonesty', 'other'] as const;
export type RecordCategory = (typeof recordCategories)[number];

/** A credit record as printed (Art 32-35): what it says, the document it rests on, who supplied it. */
export interface DocumentRecord {
  id: string;
  category: RecordCategory;
  /** The kind of information, e.g. `行政处罚信息`. */
  type: string;
  content: string;
  /** Number of the legal document the record rests on (Art 34 last paragraph). */
  documentNumber: string;
  /** Date (or instant) of that document. */
  decidedOn: string;
  /** 信息提供单位: printed as the record's source (Art 49). */
  supplyingDepartment: DocumentDepartment;
}

export type { ListingCategory, MeasureLevel, SubjectKind };

/** What every renderer takes. `issuedAt` is an instant with offset (or a date); it is printed in Asia/Shanghai. */
export interface DocumentBase {
  /** Becomes `IssuedDocument.id`. */
  documentId: string;
  /** The case the document belongs to; a credit report belongs to none and may pass `''`. */
  caseId: string;
  issuedAt: string;
  /** The issuing (recognising) department, printed at the bottom right. */
  department: DocumentDepartment;
  subject: DocumentSubject;
}
