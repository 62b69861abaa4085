/**
 * 信用报告 (regulation Art 49, 50): what is disclosed about one subject as of one day — the subject's basic
 * data, its records by category (Art 32: basic, dishonesty, other) with their source and the objection mark
 * (异议标注) where an objection is open, and its serious-dishonesty listings with their measures and period.
 * Records whose publicity has ended are not part of it. `department` of the base is the credit agency that
 * issues the report; a report belongs to no case, so `caseId` may be `''`. Pure.
 */
import {
  checkReportBase,
  isArray,
  lookupLabel,
  recordFields,
  recordRows,
  requireDepartment,
  requireNotBefore,
  requireObject,
  requireText,
  type RecordFields,
} from './common';
import { FIELD_TABLE_CSS, fieldTable, issue, p, renderPage, table, type SafeHtml, type Section } from './html';
import {
  REGULATION,
  RECORD_CATEGORY_LABELS,
  RECORD_SEVERITY_LABELS,
  chineseNumeral,
  categoryInfo,
  formatDate,
  formatDateTime,
  isInstant,
  positiveInt,
  shanghaiDate,
  subjectFields,
  type RecordSeverity,
} from './text';
import { isIsoDate } from '../calendar/dates';
import {
  recordCategories,
  type DocumentBase,
  type DocumentDepartment,
  type DocumentRecord,
  type IssuedDocument,
  type ListingCategory,
} from './types';

export const CREDIT_REPORT_TITLE = '信用报告';

/** The mark printed on a record while an objection to it is open (DOMAIN.md procedure 2 step 2). */
export const OBJECTION_MARK = '该信息正在异议处理中';

export interface CreditReportRecord extends DocumentRecord {
  /** Penalty information only (category `dishonesty`). */
  severity?: RecordSeverity;
  /** Last day of publicity (date or instant); a record whose publicity ended before `asOf` does not belong in the report. */
  publicUntil?: string;
  underObjection: boolean;
}

export interface CreditReportListing {
  caseId: string;
  decisionNumber: string;
  category: ListingCategory;
  /** The recognising department. */
  department: DocumentDepartment;
  /** First and last day on the list (dates or instants); `asOf` must fall between them. */
  listedFrom: string;
  listedUntil: string;
  measures: readonly { code: string; title: string }[];
}

export interface CreditReportInput extends DocumentBase {
  /** 报告编号, printed under the title. */
  reportNumber: string;
  /** The day the report describes (YYYY-MM-DD); not after the day it was generated. */
  asOf: string;
  /** When the report was generated: an ISO instant with Z or an offset, printed in Asia/Shanghai. */
  generatedAt: string;
  freeOfCharge: boolean;
  /** Art 50 free reports: `used` counts this one when it is free; `year` is the calendar year of `generatedAt`. */
  quota?: { used: number; of: number; year: number };
  records: readonly CreditReportRecord[];
  listings: readonly CreditReportListing[];
}

type ReportRecordFields = RecordFields & {
  severity?: RecordSeverity;
  severityLabel?: string;
  publicUntil?: string;
  underObjection: boolean;
};

function reportRecord(r: CreditReportRecord, i: number, asOf: string): ReportRecordFields {
  const what = `records[${i}]`;
  const base = recordFields(r, what);
  if (typeof r.underObjection !== 'boolean') throw new TypeError(`${what}.underObjection must be a boolean`);
  requireNotBefore(asOf, 'asOf', base.decidedOn, `${what}.decidedOn`);
  const out: ReportRecordFields = { ...base, underObjection: r.underObjection };
  if (r.severity !== undefined) {
    if (base.category !== 'dishonesty')
      throw new RangeError(`${what}.severity is for dishonesty information only, got category ${base.category}`);
    out.severity = r.severity;
    out.severityLabel = lookupLabel(RECORD_SEVERITY_LABELS, r.severity, `${what}.severity`);
  }
  if (r.publicUntil !== undefined) {
    const until = shanghaiDate(r.publicUntil, `${what}.publicUntil`);
    if (until < asOf) throw new RangeError(`${what}: publicity ended on ${until}, before asOf ${asOf}; such records are not in a report`);
    out.publicUntil = until;
  }
  return out;
}

function reportListing(listing: CreditReportListing, i: number, asOf: string) {
  const what = `listings[${i}]`;
  const l = requireObject(listing, what);
  requireText(l.caseId, `${what}.caseId`);
  requireText(l.decisionNumber, `${what}.decisionNumber`);
  const category = categoryInfo(l.category);
  const department = requireDepartment(l.department, `${what}.department`);
  const listedFrom = shanghaiDate(l.listedFrom, `${what}.listedFrom`);
  const listedUntil = shanghaiDate(l.listedUntil, `${what}.listedUntil`);
  requireNotBefore(listedUntil, `${what}.listedUntil`, listedFrom, `${what}.listedFrom`);
  if (asOf < listedFrom || asOf > listedUntil) {
    throw new RangeError(`${what} runs ${listedFrom} to ${listedUntil}: not on the list on asOf ${asOf}`);
  }
  if (!isArray(l.measures) || l.measures.length === 0) {
    throw new RangeError(`${what}.measures must contain at least one catalogue measure (Art 43, 47)`);
  }
  const measures = l.measures.map((measure, j) => {
    const m = requireObject(measure, `${what}.measures[${j}]`);
    return { code: requireText(m.code, `${what}.measures[${j}].code`), title: requireText(m.title, `${what}.measures[${j}].title`) };
  });
  return {
    caseId: l.caseId,
    decisionNumber: l.decisionNumber,
    category: category.code,
    categoryTitle: category.title,
    article: category.article,
    department,
    listedFrom,
    listedUntil,
    measures,
  };
}

/** Newest first, then by id: the order does not depend on how the caller listed them. */
function newestFirst<T>(items: T[], date: (x: T) => string, id: (x: T) => string): T[] {
  return items.sort((a, b) => (date(a) !== date(b) ? (date(a) > date(b) ? -1 : 1) : id(a) < id(b) ? -1 : id(a) > id(b) ? 1 : 0));
}

const NONE = () => p('无。');

export function renderCreditReport(input: CreditReportInput): IssuedDocument {
  checkReportBase(input);
  requireText(input.reportNumber, 'reportNumber');
  if (typeof input.asOf !== 'string' || !isIsoDate(input.asOf))
    throw new RangeError(`asOf must be a date YYYY-MM-DD, got ${JSON.stringify(input.asOf)}`);
  const asOf = input.asOf;
  if (!isInstant(input.generatedAt))
    throw new RangeError(`generatedAt must be an ISO instant with Z or an offset, got ${JSON.stringify(input.generatedAt)}`);
  const generatedOn = shanghaiDate(input.generatedAt, 'generatedAt');
  requireNotBefore(generatedOn, 'generatedAt', asOf, 'asOf');
  const issuedOn = shanghaiDate(input.issuedAt, 'issuedAt');
  if (typeof input.freeOfCharge !== 'boolean') throw new TypeError('freeOfCharge must be a boolean');
  const quota = input.quota;
  if (quota !== undefined) {
    positiveInt(quota.of, 'quota.of');
    if (!Number.isInteger(quota.used) || quota.used < 0)
      throw new RangeError(`quota.used must be a non-negative integer, got ${quota.used}`);
    if (quota.year !== Number(generatedOn.slice(0, 4)))
      throw new RangeError(`quota.year ${quota.year} is not the year the report was generated (${generatedOn})`);
    if (input.freeOfCharge && (quota.used < 1 || quota.used > quota.of)) {
      throw new RangeError(`a free report must be within the quota: used ${quota.used} of ${quota.of}`);
    }
  }
  if (!isArray(input.records)) throw new TypeError('records must be an array');
  if (!isArray(input.listings)) throw new TypeError('listings must be an array');
  const records = newestFirst(
    input.records.map((r, i) => reportRecord(r, i, asOf)),
    (r) => r.decidedOn,
    (r) => r.id,
  );
  const seen = new Set<string>();
  for (const r of records) {
    if (seen.has(r.id)) throw new RangeError(`record ${r.id} appears twice`);
    seen.add(r.id);
  }
  const listings = newestFirst(
    input.listings.map((l, i) => reportListing(l, i, asOf)),
    (l) => l.listedFrom,
    (l) => l.caseId,
  );

  const subject = subjectFields(input.subject);
  const department = input.department.name;
  const charge = input.freeOfCharge
    ? `免费${quota ? `（${quota.year}年度第${quota.used}次免费获取，每年${quota.of}次）` : ''}`
    : `收费${quota ? `（${quota.year}年度免费次数已使用${quota.used}次，每年${quota.of}次）` : ''}`;

  const recordBlock = (r: ReportRecordFields, i: number): SafeHtml[] => {
    const rows = recordRows(r).filter(([label]) => label !== '信息类别');
    if (r.severityLabel) rows.splice(2, 0, ['严重程度', r.severityLabel]);
    if (r.publicUntil) rows.push(['公示截止日期', formatDate(r.publicUntil)]);
    if (r.underObjection) rows.push(['异议标注', OBJECTION_MARK]);
    return [p(`（${chineseNumeral(i + 1)}）${r.type}${r.underObjection ? `【异议标注：${OBJECTION_MARK}】` : ''}`), fieldTable(rows)];
  };
  const recordSections: Section[] = recordCategories.map((c) => {
    const inCategory = records.filter((r) => r.category === c);
    return {
      heading: RECORD_CATEGORY_LABELS[c],
      body: inCategory.length === 0 ? NONE() : inCategory.flatMap(recordBlock),
    };
  });
  const listingBlock = (l: ReturnType<typeof reportListing>, i: number): SafeHtml[] => [
    p(`（${chineseNumeral(i + 1)}）${l.categoryTitle}`),
    fieldTable([
      ['列入事由', `${REGULATION}${l.article}规定的“${l.categoryTitle}”`],
      ['认定部门', l.department.name],
      ['认定决定书文号', l.decisionNumber],
      ['案件编号', l.caseId],
      ['列入期限', `${formatDate(l.listedFrom)}至${formatDate(l.listedUntil)}`],
    ]),
    p('失信惩戒措施：'),
    table(
      ['措施编号', '措施名称'],
      l.measures.map((m) => [m.code, m.title]),
      'measures',
    ),
  ];

  const sectionList: Section[] = [
    {
      heading: '信用主体基本情况',
      body: fieldTable([
        [subject.kind === 'natural_person' ? '姓名' : '名称', subject.name],
        ['主体类型', subject.kindLabel],
        [subject.idLabel, subject.id],
      ]),
    },
    {
      heading: '报告信息',
      body: fieldTable([
        ['报告编号', input.reportNumber],
        ['信息截止日期', formatDate(asOf)],
        ['生成时间', formatDateTime(input.generatedAt, 'generatedAt')],
        ['出具机构', department],
        ['收费情况', charge],
      ]),
    },
    ...recordSections,
    { heading: '严重失信主体名单信息', body: listings.length === 0 ? NONE() : listings.flatMap(listingBlock) },
  ];
  const sections = sectionList.map((s, i) => ({ heading: `${chineseNumeral(i + 1)}、${s.heading}`, body: s.body }));

  const notes = [
    `本报告反映截至${formatDate(asOf)}依法披露的该信用主体的社会信用信息；公示期限已届满、已停止公示的信息不在本报告中列示。`,
    '各项信息的来源为所列信息提供单位或者认定部门。标注“异议标注”的信息正在异议处理中，以处理结果为准。',
    `信用主体认为本报告所载信息存在错误、遗漏，或者侵犯其商业秘密、个人隐私和其他合法权益的，可以依照${REGULATION}第五十一条的规定提出异议申请。`,
    ...(subject.kind === 'natural_person' ? ['为保护个人信息，本报告中的公民身份号码已作部分隐藏处理。'] : []),
  ];

  const htmlText = renderPage({
    title: CREDIT_REPORT_TITLE,
    number: input.reportNumber,
    party: [
      { label: '信用主体', value: subject.name },
      { label: subject.idLabel, value: subject.id },
    ],
    intro: p(`依据${REGULATION}第四十九条、第五十条的规定，出具本信用报告。`),
    sections,
    closing: [p('说明：'), ...notes.map((n, i) => p(`${i + 1}. ${n}`))],
    issuer: department,
    date: formatDate(issuedOn),
    meta: [
      { label: '文书编号', value: input.documentId },
      { label: '报告编号', value: input.reportNumber },
      ...(input.caseId !== '' ? [{ label: '案件编号', value: input.caseId }] : []),
    ],
    css: FIELD_TABLE_CSS,
  });

  return issue({
    id: input.documentId,
    kind: 'credit_report',
    title: CREDIT_REPORT_TITLE,
    issuedAt: input.issuedAt,
    fields: {
      reportNumber: input.reportNumber,
      ...(input.caseId !== '' ? { caseId: input.caseId } : {}),
      issuedOn,
      asOf,
      generatedAt: input.generatedAt,
      department: { code: input.department.code, name: department },
      subject,
      freeOfCharge: input.freeOfCharge,
      ...(quota ? { quota: { used: quota.used, of: quota.of, year: quota.year } } : {}),
      charge,
      records: Object.fromEntries(recordCategories.map((c) => [c, records.filter((r) => r.category === c)])),
      listings,
      notes,
    },
    html: htmlText,
  });
}
