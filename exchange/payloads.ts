/**
 * The protocol's fields of each kind of exchange entry (docs/exchange.md, docs/exchange-fields.md): the public data
 * items of the 双公示 standards (行政许可和行政处罚等信用信息数据标准) as far as our records hold them, in English
 * camelCase with the item's Chinese name beside it. Items our records cannot fill are left out, never sent empty
 * (docs/exchange-fields.md lists them). Pure functions: the callers read the rows in the change's transaction.
 */
import type { ExchangeKind } from '../db/exchange-outbox';
import { residentIdProblem } from '../domain/identity';

/** What every entry carries, whatever it reports. */
export interface EntryHead {
  entryId: string;
  kind: ExchangeKind;
  /** When the change happened (ISO 8601, UTC). */
  occurredAt: string;
  /** The entry this one corrects or withdraws (the supply, correction or listing it ends), if any. */
  supersedes?: string;
  /** Why, in words, for an ending or a mark (the decision or the case behind it). */
  reason?: string;
}

/** The credit record's facts an entry reports. */
export interface RecordFacts {
  id: string;
  subjectKind: string;
  subjectId: string;
  subjectName: string;
  category: string;
  type: string;
  /** The catalogue item's title, when the catalogue names it. */
  typeTitle?: string | null;
  content: string;
  documentNumber: string;
  decidedOn: string;
  issuedBy: string | null;
  article: string | null;
  penalty: unknown;
  severity: string | null;
  publicUntil: string | null;
  department: string;
  departmentName: string;
  openObjectionId: string | null;
  listingCaseId: string | null;
}

export interface ListingFacts {
  caseId: string;
  subjectKind: string;
  subjectId: string;
  subjectName: string;
  category: string;
  measures: unknown;
  decisionNumber: string;
  listedFrom: string;
  listedUntil: string;
  department: string;
  departmentName: string;
  recordId: string;
  removalOutcome?: string | null;
}

export interface EntryFacts {
  recordId: string;
  role: string;
  name: string;
  idNumber: string;
  organisationId: string;
  organisationName: string;
  listingCaseId: string;
  decisionNumber: string;
  listedFrom: string;
  listedUntil: string;
  department: string;
  departmentName: string;
}

/** 行政相对人类别 as the standards word it. */
const SUBJECT_CATEGORY: Record<string, string> = {
  legal_person: '法人及非法人组织',
  other_org: '法人及非法人组织',
  natural_person: '自然人',
};

/** The subject's identifying items: 统一社会信用代码 for an organisation, 证件类型 + 证件号码 for a person. */
function subjectItems(kind: string, id: string, name: string): Record<string, string> {
  const base = {
    subjectName: name, // 行政相对人名称
    subjectCategory: SUBJECT_CATEGORY[kind] ?? kind, // 行政相对人类别
  };
  if (kind === 'natural_person') {
    return {
      ...base,
      idType: residentIdProblem(id) === null ? '身份证' : '其他', // 证件类型
      idNumber: id, // 证件号码
    };
  }
  return { ...base, unifiedSocialCreditCode: id }; // 统一社会信用代码 (行政相对人代码_1, GB 32100)
}

function head(h: EntryHead): Record<string, unknown> {
  return {
    entryId: h.entryId,
    kind: h.kind,
    occurredAt: h.occurredAt,
    ...(h.supersedes ? { supersedes: h.supersedes } : {}),
    ...(h.reason ? { reason: h.reason } : {}),
  };
}

/** A credit record (a penalty, licence or other item of the catalogue) and its state. */
export function recordPayload(h: EntryHead, r: RecordFacts): Record<string, unknown> {
  const penalty = r.penalty && typeof r.penalty === 'object' ? (r.penalty as Record<string, unknown>) : null;
  return {
    ...head(h),
    recordId: r.id,
    ...subjectItems(r.subjectKind, r.subjectId, r.subjectName),
    informationCategory: r.category, // 信息类别 (Art 32: basic, dishonesty, other)
    catalogueItem: r.type, // 目录事项 (the public credit information catalogue's code)
    ...(r.typeTitle ? { catalogueItemTitle: r.typeTitle } : {}),
    ...(r.article ? { legalBasisArticle: r.article } : {}),
    decisionNumber: r.documentNumber, // 行政处罚决定书文号 / 行政许可决定文书号
    decisionContent: r.content, // 处罚内容 / 许可内容
    decisionDate: r.decidedOn, // 处罚决定日期 / 许可决定日期
    ...(r.publicUntil ? { publicityUntil: r.publicUntil } : {}), // 公示截止期
    ...(r.issuedBy ? { decidingAuthority: r.issuedBy } : {}), // 处罚机关 / 许可机关
    ...(r.severity ? { severity: r.severity } : {}),
    ...(penalty?.procedure ? { penaltyProcedure: penalty.procedure } : {}),
    dataSource: r.departmentName, // 数据来源单位
    dataSourceCode: r.department, // 数据来源单位 (our department code, not its 统一社会信用代码)
    underObjection: r.openObjectionId !== null, // 异议标注
    ...(r.listingCaseId ? { listingCaseId: r.listingCaseId } : {}),
  };
}

/** A serious-dishonesty listing (严重失信主体名单) and, when it ended, how. */
export function listingPayload(h: EntryHead, l: ListingFacts): Record<string, unknown> {
  return {
    ...head(h),
    listingCaseId: l.caseId,
    recordId: l.recordId,
    ...subjectItems(l.subjectKind, l.subjectId, l.subjectName),
    listingCategory: l.category, // 列入类别
    decisionNumber: l.decisionNumber, // 认定文书号
    measures: l.measures, // 惩戒措施
    listedFrom: l.listedFrom, // 列入日期
    listedUntil: l.listedUntil, // 列入期限 (公示截止期)
    recognisingAuthority: l.departmentName, // 认定部门
    dataSource: l.departmentName, // 数据来源单位
    dataSourceCode: l.department,
    ...(l.removalOutcome ? { removalOutcome: l.removalOutcome } : {}), // 移出原因
  };
}

/** A responsible person's entry for an organisation's listing (Art 48). */
export function subjectEntryPayload(h: EntryHead, e: EntryFacts): Record<string, unknown> {
  return {
    ...head(h),
    recordId: e.recordId,
    ...subjectItems('natural_person', e.idNumber, e.name),
    responsibleRole: e.role, // 责任人类别 (法定代表人、主要负责人 …)
    organisationName: e.organisationName, // 所在单位名称
    organisationCode: e.organisationId, // 所在单位统一社会信用代码
    listingCaseId: e.listingCaseId,
    decisionNumber: e.decisionNumber, // 认定文书号
    listedFrom: e.listedFrom,
    listedUntil: e.listedUntil,
    recognisingAuthority: e.departmentName, // 认定部门
    dataSource: e.departmentName, // 数据来源单位
    dataSourceCode: e.department,
  };
}
