/**
 * 相关责任人员失信信息记入告知书 (DOMAIN.md procedure 1 step 8): served on each Art 48 person of a listed
 * organisation when the organisation's recognition document is served. The entry is a credit record of the
 * person's own, so the person is told what it says, which listing it rests on, the measures that may reach
 * them, and the rights every credit subject has over a record (Arts 49-52) besides reconsideration and
 * litigation. Pure.
 */
import {
  checkBase,
  checkMeasures,
  issueNotice,
  lookupLabel,
  numberedItems,
  numberSections,
  requireDepartment,
  requireObject,
  requireText,
} from './common';
import { fieldTable, p } from './html';
import { repairCitationOn } from '../legal-sources';
import {
  REGULATION,
  RESPONSIBLE_ROLE_LABELS,
  SHARING_PLATFORM,
  categoryInfo,
  formatDate,
  formatPeriod,
  measureFields,
  periodFields,
  positiveInt,
  shanghaiDate,
  subjectFields,
} from './text';
import type {
  DocumentBase,
  DocumentDepartment,
  DocumentMeasure,
  DocumentSubject,
  IssuedDocument,
  ListingCategory,
  ResponsibleRole,
  YearMonthPeriod,
} from './types';

export const RESPONSIBLE_PERSON_NOTICE_TITLE = '相关责任人员失信信息记入告知书';

export interface ResponsiblePersonNoticeInput extends DocumentBase {
  /** `subject` is the person (a natural person); this is the listed organisation. */
  organisation: DocumentSubject;
  role: ResponsibleRole;
  listing: {
    caseId: string;
    decisionNumber: string;
    category: ListingCategory;
    listedFrom: string;
    listedUntil: string;
  };
  /** The person's own record of the entry: what an objection or a repair application names. */
  record: { id: string; content: string };
  /** The listing's measures (Art 43, 47); the measure list says which of them reach the person. */
  measures: readonly DocumentMeasure[];
  /** The credit agency, where objections and repair applications are filed (Arts 51, 52). */
  agency: DocumentDepartment;
  /** Minimum time from the listing date before repair (policy `min_listing_before_repair`, as in the decision). */
  repair: { earliestAfter: YearMonthPeriod };
  remedies: { reconsiderationDays: number; reconsiderationBody: string; litigationMonths: number; court: string };
}

export function renderResponsiblePersonNotice(input: ResponsiblePersonNoticeInput): IssuedDocument {
  checkBase(input);
  if (input.subject.kind !== 'natural_person') throw new RangeError('subject must be the responsible person, a natural person (Art 48)');
  const org = requireObject(input.organisation, 'organisation');
  requireText(org.name, 'organisation.name');
  requireText(org.id, 'organisation.id');
  if (org.kind === 'natural_person') throw new RangeError('organisation must be a legal person or other organisation (Art 48)');
  const roleLabel = lookupLabel(RESPONSIBLE_ROLE_LABELS, input.role, 'responsible person role');
  const listing = requireObject(input.listing, 'listing');
  requireText(listing.caseId, 'listing.caseId');
  requireText(listing.decisionNumber, 'listing.decisionNumber');
  const listedFrom = shanghaiDate(listing.listedFrom, 'listing.listedFrom');
  const listedUntil = shanghaiDate(listing.listedUntil, 'listing.listedUntil');
  if (listedUntil < listedFrom) throw new RangeError(`listing.listedUntil ${listedUntil} is before listing.listedFrom ${listedFrom}`);
  const category = categoryInfo(listing.category);
  const record = requireObject(input.record, 'record');
  requireText(record.id, 'record.id');
  requireText(record.content, 'record.content');
  checkMeasures(input.measures, 'measures');
  const agency = requireDepartment(input.agency, 'agency');
  const repairAfter = formatPeriod(requireObject(input.repair, 'repair').earliestAfter, 'repair.earliestAfter');
  const remedies = requireObject(input.remedies, 'remedies');
  const reconsiderationDays = positiveInt(remedies.reconsiderationDays, 'remedies.reconsiderationDays');
  const litigationMonths = positiveInt(remedies.litigationMonths, 'remedies.litigationMonths');
  requireText(remedies.reconsiderationBody, 'remedies.reconsiderationBody');
  requireText(remedies.court, 'remedies.court');

  const department = input.department.name;
  const orgFields = subjectFields(org);
  const measures = measureFields(input.measures);
  const issuedOn = shanghaiDate(input.issuedAt, 'issuedAt');

  const listingText =
    `本机关认定${org.name}（${orgFields.idLabel}：${orgFields.id}）存在${REGULATION}${category.article}规定的“${category.title}”，` +
    `作出《严重失信主体认定决定书》（${listing.decisionNumber}），将其列入严重失信主体名单，列入期限自${formatDate(listedFrom)}起至${formatDate(listedUntil)}止（案件编号：${listing.caseId}）。`;
  const entryText =
    `依据${REGULATION}第四十八条的规定，本机关在记录该单位严重失信信息时标明你为该单位的${roleLabel}，` +
    `相关失信行为记入你的个人信用记录，信息编号为${input.record.id}，随该单位的列入期限公示至${formatDate(listedUntil)}。`;
  const measureNote =
    `该单位列入严重失信主体名单期间，有关部门和单位将依照法律、法规和国家有关规定，按照失信惩戒措施清单所列各项措施适用于法定代表人、主要负责人、` +
    `实际控制人和其他直接责任人的范围，对你实施下列失信惩戒措施中的相应措施：`;
  const rights = [
    `查询。你可以向${SHARING_PLATFORM}免费查询本信息及其来源、变动理由，并依照${REGULATION}第五十条的规定每年免费获取两次自身的信用报告。`,
    `异议。你认为本信息存在错误、遗漏（例如你在上述行为发生时并未担任该单位的${roleLabel}），或者侵犯你的商业秘密、个人隐私和其他合法权益的，` +
      `可以依照${REGULATION}第五十一条的规定，就信息编号${input.record.id}向${agency.name}（公共信用信息管理机构）提出异议申请，并提交相关证明材料；` +
      `异议期间本信息标注“异议处理中”，由本机关核查并作出删除、更正或者保留等处理决定。`,
    `信用修复。你已纠正失信行为、消除不良影响的，自${formatDate(listedFrom)}起满${repairAfter}后，可以依照${REGULATION}第五十二条和${repairCitationOn(issuedOn)}的规定，` +
      `就信息编号${input.record.id}向${agency.name}提出信用修复申请，由本机关审核决定；准予修复的，本信息停止公示，该单位的列入决定不受影响。`,
    `停止公示。该单位列入期限届满、列入决定被撤销或者该单位经信用修复提前移出严重失信主体名单的，本信息同时停止公示（列入决定被撤销的，本信息予以删除）。`,
  ];
  const remedyText =
    `你如对将上述信息记入你的个人信用记录不服，可以自收到本告知书之日起${reconsiderationDays}日内向${remedies.reconsiderationBody}申请行政复议，` +
    `也可以自收到本告知书之日起${litigationMonths}个月内依法向${remedies.court}提起行政诉讼。`;

  const sections = numberSections([
    { heading: '列入情况', body: p(listingText) },
    {
      heading: '记入你的信用记录的信息',
      body: [
        p(entryText),
        fieldTable([
          ['信息编号', input.record.id],
          ['信息内容', input.record.content],
          ['身份', roleLabel],
          ['认定文书编号', listing.decisionNumber],
          ['认定单位', department],
          ['公示期限', `${formatDate(listedFrom)}至${formatDate(listedUntil)}`],
        ]),
      ],
    },
    {
      heading: '失信惩戒措施提示',
      body: [
        p(measureNote),
        ...numberedItems(measures.map((m) => `${m.title}（措施编号：${m.code}；类别：${m.levelLabel}）。依据：${m.basis}。`)),
      ],
    },
    { heading: '你的权利', body: numberedItems(rights) },
    { heading: '救济途径', body: p(remedyText) },
  ]);

  return issueNotice(input, {
    kind: 'responsible_person_notice',
    title: RESPONSIBLE_PERSON_NOTICE_TITLE,
    number: input.documentId,
    intro: p(`${org.name}被列入严重失信主体名单，你作为该单位的${roleLabel}，相关失信信息已记入你的个人信用记录。现将有关事项告知如下：`),
    sections,
    fields: {
      subject: subjectFields(input.subject),
      organisation: orgFields,
      role: { code: input.role, label: roleLabel },
      listing: {
        caseId: listing.caseId,
        decisionNumber: listing.decisionNumber,
        category: category.code,
        categoryTitle: category.title,
        listedFrom,
        listedUntil,
        text: listingText,
      },
      record: { id: input.record.id, content: input.record.content, text: entryText },
      measures: { note: measureNote, items: measures },
      rights: {
        agency,
        repairEarliestAfter: periodFields(input.repair.earliestAfter, 'repair.earliestAfter'),
        items: rights,
      },
      remedies: {
        reconsideration: { days: reconsiderationDays, body: remedies.reconsiderationBody },
        litigation: { months: litigationMonths, court: remedies.court },
        text: remedyText,
      },
    },
  });
}
