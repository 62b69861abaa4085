/**
 * Chinese wording shared by the document renderers: dates in Asia/Shanghai, periods, labels, the
 * regulation's name and article references. Pure: nothing here reads the clock or the host timezone.
 */
import { isIsoDate } from '../calendar/dates';
import { SHANGHAI_OFFSET_MS, shanghaiDate as shanghaiDayOf } from '../../workflows/common/dates';
import { maskSubjectId, maskResidentId } from '../identity';
import { listingCategories, type ListingCategoryInfo } from '../reference-data';
import type {
  BasisDocument,
  DocumentMeasure,
  DocumentResponsiblePerson,
  DocumentSubject,
  ListingCategory,
  RecordCategory,
  ResponsibleRole,
  YearMonthPeriod,
} from './types';
import type { ServiceMethod } from '../calendar/service';

/** The regulation the documents rest on (same wording as domain/reference-data.ts). */
export const REGULATION = '《张掖市社会信用体系建设条例（草案）》';

const INSTANT_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/i;
/** Asia/Shanghai is UTC+8 all year (no DST since 1991). */

/**
 * The Asia/Shanghai calendar date (`YYYY-MM-DD`) of a date or an instant. A date is taken as it is; an
 * instant must carry `Z` or an offset (a bare local time would depend on the host timezone) and is
 * shifted to +08:00.
 * @throws RangeError on anything else.
 */
export function shanghaiDate(value: string, what = 'date'): string {
  if (typeof value === 'string') {
    if (isIsoDate(value)) return value;
    if (INSTANT_RE.test(value)) {
      const ms = Date.parse(value);
      const day = value.slice(0, 10);
      if (Number.isFinite(ms) && isIsoDate(day)) return shanghaiDayOf(value);
    }
  }
  throw new RangeError(`${what} must be a date YYYY-MM-DD or an ISO instant with Z or an offset, got ${JSON.stringify(value)}`);
}

/** True for an ISO instant with `Z` or an offset (not a bare date, not a bare local time). */
export function isInstant(value: string): boolean {
  return typeof value === 'string' && INSTANT_RE.test(value) && Number.isFinite(Date.parse(value)) && isIsoDate(value.slice(0, 10));
}

/**
 * `2026年11月29日 10:05` in Asia/Shanghai. Only an instant has a time of day.
 * @throws RangeError on anything but an instant with `Z` or an offset.
 */
export function formatDateTime(value: string, what = 'instant'): string {
  if (!isInstant(value)) throw new RangeError(`${what} must be an ISO instant with Z or an offset, got ${JSON.stringify(value)}`);
  const shifted = new Date(Date.parse(value) + SHANGHAI_OFFSET_MS).toISOString();
  return `${formatDate(shifted.slice(0, 10))} ${shifted.slice(11, 16)}`;
}

/** `2026年11月29日` (Asia/Shanghai for an instant). */
export function formatDate(value: string, what?: string): string {
  const d = shanghaiDate(value, what);
  return `${Number(d.slice(0, 4))}年${Number(d.slice(5, 7))}月${Number(d.slice(8, 10))}日`;
}

function nonNegativeInt(n: number | undefined, what: string): number {
  if (n === undefined) return 0;
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`${what} must be a non-negative integer, got ${n}`);
  return n;
}

export function positiveInt(n: number, what: string): number {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`${what} must be a positive integer, got ${n}`);
  return n;
}

/** `3年`, `1年6个月`, `6个月`. @throws RangeError when neither part is positive. */
export function formatPeriod(p: YearMonthPeriod, what = 'period'): string {
  const years = nonNegativeInt(p.years, `${what}.years`);
  const months = nonNegativeInt(p.months, `${what}.months`);
  if (years === 0 && months === 0) throw new RangeError(`${what} must have years or months, got ${JSON.stringify(p)}`);
  return `${years > 0 ? `${years}年` : ''}${months > 0 ? `${months}个月` : ''}`;
}

/** Normalised copy of a period for `fields` (no undefined, no zero parts). */
export function periodFields(p: YearMonthPeriod, what: string): { years?: number; months?: number; text: string } {
  const text = formatPeriod(p, what);
  return { ...(p.years ? { years: p.years } : {}), ...(p.months ? { months: p.months } : {}), text };
}

const CN_DIGITS = '零一二三四五六七八九';

/** 1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 99 → 九十九 (section and item numbers). */
export function chineseNumeral(n: number): string {
  if (!Number.isInteger(n) || n < 1 || n > 99) throw new RangeError(`chineseNumeral: 1-99, got ${n}`);
  if (n < 10) return CN_DIGITS.charAt(n);
  const tens = Math.floor(n / 10);
  const ones = n % 10;
  return `${tens === 1 ? '' : CN_DIGITS.charAt(tens)}十${ones ? CN_DIGITS.charAt(ones) : ''}`;
}

export function categoryInfo(code: ListingCategory): ListingCategoryInfo {
  const info = listingCategories.find((c) => c.code === code);
  if (!info) throw new RangeError(`unknown listing category ${JSON.stringify(code)}`);
  return info;
}

/** How the subject is addressed in the body: 你 for a person, 你单位 for an organisation. */
export function you(subject: DocumentSubject): string {
  return subject.kind === 'natural_person' ? '你' : '你单位';
}

export function subjectIdLabel(subject: DocumentSubject): string {
  return subject.kind === 'natural_person' ? '公民身份号码' : '统一社会信用代码';
}

const SUBJECT_KIND_LABELS: Record<DocumentSubject['kind'], string> = {
  natural_person: '自然人',
  legal_person: '法人',
  other_org: '非法人组织',
};

/** The subject as printed: a natural person's ID number masked (Art 39, Art 44 (6)), a code in full. */
export function subjectFields(subject: DocumentSubject): {
  kind: string;
  kindLabel: string;
  name: string;
  idLabel: string;
  id: string;
} {
  // Fields come from stored JSON, which may carry a kind the type does not know.
  const kindLabel: string | undefined = SUBJECT_KIND_LABELS[subject.kind];
  if (!kindLabel) throw new RangeError(`unknown subject kind ${JSON.stringify(subject.kind)}`);
  return {
    kind: subject.kind,
    kindLabel,
    name: subject.name,
    idLabel: subjectIdLabel(subject),
    id: maskSubjectId(subject.kind, subject.id),
  };
}

export const RESPONSIBLE_ROLE_LABELS: Record<ResponsibleRole, string> = {
  legal_representative: '法定代表人',
  principal: '主要负责人',
  actual_controller: '实际控制人',
  directly_responsible: '其他直接责任人',
};

/** Responsible persons as printed: the ID number (always a natural person's) masked. */
export function responsiblePersonFields(
  persons: readonly DocumentResponsiblePerson[],
): { role: ResponsibleRole; roleLabel: string; name: string; idNumber: string }[] {
  return persons.map((p) => {
    const roleLabel = RESPONSIBLE_ROLE_LABELS[p.role];
    if (!roleLabel) throw new RangeError(`unknown responsible person role ${JSON.stringify(p.role)}`);
    return { role: p.role, roleLabel, name: p.name, idNumber: maskResidentId(p.idNumber) };
  });
}

/** Art 32 third paragraph, with the article that lists each kind. */
export const RECORD_CATEGORY_LABELS: Record<RecordCategory, string> = {
  basic: '基础信息',
  dishonesty: '失信信息',
  other: '其他信息',
};

export const RECORD_CATEGORY_ARTICLES: Record<RecordCategory, string> = {
  basic: '第三十三条',
  dishonesty: '第三十四条',
  other: '第三十五条',
};

/** Severity of penalty information (国办发〔2025〕22号: minor, general, serious). */
export const RECORD_SEVERITY_LABELS = { minor: '轻微', general: '一般', serious: '严重' } as const;
export type RecordSeverity = keyof typeof RECORD_SEVERITY_LABELS;

/** Where the sharing platform of Art 50 is named in the documents. */
export const SHARING_PLATFORM = '市公共信用信息共享平台';

/** The generic remedies line (no named body: the objection and repair documents leave that to the subject). */
export function genericRemedy(subject: DocumentSubject, what: string): string {
  return `${you(subject)}如对${what}不服，可以依法申请行政复议或者提起行政诉讼。`;
}

export const SERVICE_METHOD_LABELS: Record<ServiceMethod, string> = {
  in_person: '直接送达',
  mail: '邮寄送达',
  electronic: '电子送达',
  public_announcement: '公告送达',
};

/** Art 44 (general measures) and Art 46 (measures for subjects on the serious-dishonesty list). */
export const MEASURE_LEVEL_LABELS: Record<DocumentMeasure['level'], string> = {
  general: '一般失信惩戒措施',
  serious: '严重失信主体惩戒措施',
};

export function measureFields(
  measures: readonly DocumentMeasure[],
): { code: string; title: string; level: string; levelLabel: string; basis: string }[] {
  return measures.map((m) => {
    const levelLabel: string | undefined = MEASURE_LEVEL_LABELS[m.level];
    if (!levelLabel) throw new RangeError(`unknown measure level ${JSON.stringify(m.level)} (measure ${m.code})`);
    return { code: m.code, title: m.title, level: m.level, levelLabel, basis: m.basis };
  });
}

/** `《行政处罚决定书》（张市监处罚〔2026〕12号，2026年3月1日）`; the title is wrapped in 《》 unless it already is. */
export function basisDocumentText(d: BasisDocument): string {
  const title = d.title.startsWith('《') ? d.title : `《${d.title}》`;
  return `${title}（${d.number}，${formatDate(d.issuedOn, 'basisDocuments.issuedOn')}）`;
}

export function basisDocumentFields(docs: readonly BasisDocument[]): { title: string; number: string; issuedOn: string; text: string }[] {
  return docs.map((d) => ({
    title: d.title,
    number: d.number,
    issuedOn: shanghaiDate(d.issuedOn, 'basisDocuments.issuedOn'),
    text: basisDocumentText(d),
  }));
}

/** The regulation's provisions a listing of this category rests on. */
export function regulationBasis(category: ListingCategoryInfo): string {
  return `${REGULATION}${category.article}、第四十七条第一款`;
}

/** `你单位的上述行为属于……第四十五条第一款第（二）项规定的“……”，构成严重失信行为`. */
export function categoryReason(subject: DocumentSubject, category: ListingCategoryInfo): string {
  return `${you(subject)}的上述行为属于${REGULATION}${category.article}规定的“${category.title}”，构成严重失信行为`;
}
