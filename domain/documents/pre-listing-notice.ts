/**
 * 拟列入严重失信主体名单告知书 (DOMAIN.md procedure 1 step 3): facts, reasons (the Art 45 category),
 * basis (the legally effective documents, Art 45 and 47), the proposed measures with their basis, the
 * right to state and defend (Art 47 second paragraph) and to ask for a hearing within the statement
 * window, what a lapsed window means, and whom to contact. Pure: every date is passed in.
 */
import {
  checkBase,
  checkBasisDocuments,
  checkMeasures,
  issueNotice,
  numberedItems,
  numberSections,
  requireObject,
  requireText,
  responsiblePersonsTable,
} from './common';
import { p, paragraphs, type SafeHtml } from './html';
import {
  REGULATION,
  SERVICE_METHOD_LABELS,
  basisDocumentFields,
  categoryInfo,
  categoryReason,
  formatDate,
  measureFields,
  periodFields,
  positiveInt,
  regulationBasis,
  responsiblePersonFields,
  shanghaiDate,
  subjectFields,
  you,
} from './text';
import type {
  BasisDocument,
  DocumentBase,
  DocumentMeasure,
  DocumentResponsiblePerson,
  IssuedDocument,
  ListingCategory,
  YearMonthPeriod,
} from './types';
import type { ServiceMethod } from '../calendar/service';

export const PRE_LISTING_NOTICE_TITLE = '拟列入严重失信主体名单告知书';

export interface PreListingNoticeInput extends DocumentBase {
  /** 文号; the document id is printed when there is none. */
  documentNumber?: string;
  category: ListingCategory;
  facts: string;
  basisDocuments: readonly BasisDocument[];
  proposedMeasures: readonly DocumentMeasure[];
  /** Proposed time on the list, counted from service of the recognition document. */
  listingPeriod: YearMonthPeriod;
  /**
   * The statement window as computed by the calendar: its length and its last day (ends 24:00 Asia/Shanghai).
   * `provisional`: the day rests on a year whose holiday notice is not out, so the notice states the rule first
   * and the date as provisional (a later notice can only extend it for the subject: 信赖保护).
   */
  statementWindow: { workingDays: number; dueDate: string; provisional?: boolean };
  hearingRight: boolean;
  /** How many working days before a hearing it is announced (policy `hearing_notice`); omitted: not printed. */
  hearingNoticeWorkingDays?: number;
  serviceMethod: ServiceMethod;
  /** For an organisation: the Art 48 persons whose information will be marked; printed masked. */
  responsiblePersons?: readonly DocumentResponsiblePerson[];
  contact?: { person?: string; phone?: string; address?: string };
}

export function renderPreListingNotice(input: PreListingNoticeInput): IssuedDocument {
  checkBase(input);
  requireText(input.facts, 'facts');
  checkBasisDocuments(input.basisDocuments);
  checkMeasures(input.proposedMeasures, 'proposedMeasures');
  const serviceLabel: string | undefined = SERVICE_METHOD_LABELS[input.serviceMethod];
  if (!serviceLabel) throw new RangeError(`unknown serviceMethod ${JSON.stringify(input.serviceMethod)}`);
  const statementWindow = requireObject(input.statementWindow, 'statementWindow');
  const workingDays = positiveInt(statementWindow.workingDays, 'statementWindow.workingDays');
  const dueDate = shanghaiDate(statementWindow.dueDate, 'statementWindow.dueDate');
  const hearingNotice =
    input.hearingNoticeWorkingDays === undefined ? undefined : positiveInt(input.hearingNoticeWorkingDays, 'hearingNoticeWorkingDays');
  shanghaiDate(input.issuedAt, 'issuedAt'); // a bad issue date is refused before the other parts are read

  const subject = subjectFields(input.subject);
  const category = categoryInfo(input.category);
  const basisDocs = basisDocumentFields(input.basisDocuments);
  const regulation = regulationBasis(category);
  const reason = categoryReason(input.subject, category);
  const measures = measureFields(input.proposedMeasures);
  const period = periodFields(input.listingPeriod, 'listingPeriod');
  const persons = input.subject.kind === 'natural_person' ? [] : responsiblePersonFields(input.responsiblePersons ?? []);
  const number = input.documentNumber ?? input.documentId;
  const u = you(input.subject);
  const hearing = input.hearingRight;
  const rightsText = hearing ? '陈述、申辩或者要求听证' : '陈述、申辩';
  const lapseText = hearing ? '陈述、申辩意见或者听证要求' : '陈述、申辩意见';
  const dueText = formatDate(dueDate);
  const provisional = input.statementWindow.provisional === true;
  // 自送达之日起5个工作日内（暂按法定节假日计算，截至2027年1月5日24时）: the rule binds, the date is the estimate.
  const dueClause = provisional
    ? `（暂按法定节假日计算，截至${dueText}24时；国务院公布当年节假日安排后如有顺延，以顺延后的日期为准）`
    : `，即于${dueText}24时前`;
  const department = input.department.name;

  const statementParas: SafeHtml[] = [
    p(
      `依据${REGULATION}第四十七条第二款的规定，${u}有权进行陈述和申辩${hearing ? '，并有权要求举行听证' : ''}。`,
      `${u}如需${rightsText}，应当自本告知书送达之日起${workingDays}个工作日内${dueClause}，`,
      `向${department}提出书面陈述、申辩意见${hearing ? '或者听证申请' : ''}，并可以同时提交相关证据材料。`,
    ),
    p(
      `本机关将对${u}提出的事实、理由和证据进行复核；${u}提出的事实、理由或者证据成立的，本机关将予以采纳。`,
      `本机关不因${u}陈述、申辩而加重惩戒。`,
    ),
  ];
  if (hearing && hearingNotice !== undefined) {
    statementParas.push(p(`${u}要求听证的，本机关将在举行听证的${hearingNotice}个工作日前，将听证的时间、地点通知${u}。`));
  }

  const contact = input.contact ?? {};
  const contactLines: string[] = [`联系部门：${department}`];
  if (contact.person) contactLines.push(`联系人：${contact.person}`);
  if (contact.phone) contactLines.push(`联系电话：${contact.phone}`);
  if (contact.address) contactLines.push(`地址：${contact.address}`);

  const sections = numberSections([
    { heading: '事实', body: paragraphs(input.facts) },
    { heading: '理由', body: p(`${reason}，符合列入严重失信主体名单的条件。`) },
    {
      heading: '依据',
      body: numberedItems([`据以认定的具有法律效力的文书：${basisDocs.map((d) => d.text).join('；')}。`, `${regulation}。`]),
    },
    {
      heading: '拟采取的失信惩戒措施',
      body: [
        p(
          `本机关拟将${u}列入严重失信主体名单，列入期限为${period.text}，自认定决定书送达之日起计算。列入期间，拟对${u}采取以下失信惩戒措施：`,
        ),
        ...numberedItems(measures.map((m) => `${m.title}（措施编号：${m.code}；类别：${m.levelLabel}）。依据：${m.basis}。`)),
        ...(persons.length > 0
          ? [
              p(
                `依据${REGULATION}第四十八条的规定，${u}被列入严重失信主体名单的，将同时标明下列人员的信息，并将相关失信行为记入其个人信用记录：`,
              ),
              responsiblePersonsTable(input.responsiblePersons ?? []),
            ]
          : []),
      ],
    },
    { heading: hearing ? '陈述、申辩和听证权利' : '陈述、申辩权利', body: statementParas },
    {
      heading: '逾期不行使权利的后果',
      body: p(`${u}逾期未提出${lapseText}的，视为放弃上述权利，本机关将依法作出是否列入严重失信主体名单的决定。`),
    },
    {
      heading: '送达方式及联系部门',
      body: [
        p(
          `本告知书以${serviceLabel}方式送达。`,
          input.serviceMethod === 'public_announcement'
            ? '公告送达的，自公告发出之日起经过规定期间视为送达，上述期限自视为送达之日起计算。'
            : '',
        ),
        ...contactLines.map((l) => p(l)),
      ],
    },
  ]);

  return issueNotice(input, {
    kind: 'pre_listing_notice',
    title: PRE_LISTING_NOTICE_TITLE,
    number: number,
    intro: p(
      `经查，${u}存在下列行为。依据${REGULATION}第四十五条、第四十七条的规定，本机关拟将${u}列入严重失信主体名单。`,
      `现将拟作出决定的事实、理由、依据、拟采取的失信惩戒措施以及${u}依法享有的权利告知如下：`,
    ),
    sections,
    fields: {
      subject,
      facts: input.facts,
      reasons: {
        category: category.code,
        categoryTitle: category.title,
        article: category.article,
        text: `${reason}。`,
      },
      basis: { documents: basisDocs, regulation },
      proposedMeasures: measures,
      listingPeriod: period,
      ...(persons.length > 0 ? { responsiblePersons: persons } : {}),
      statementWindow: {
        workingDays,
        dueDate,
        ...(provisional ? { provisional: true } : {}),
        text: provisional
          ? `自本告知书送达之日起${workingDays}个工作日内（暂按法定节假日计算，截至${dueText}24时）`
          : `自本告知书送达之日起${workingDays}个工作日内（${dueText}24时前）`,
      },
      hearingRight: hearing,
      ...(hearingNotice !== undefined ? { hearingNoticeWorkingDays: hearingNotice } : {}),
      lapse: `逾期未提出${lapseText}的，视为放弃上述权利`,
      serviceMethod: { code: input.serviceMethod, label: serviceLabel },
      contact: {
        department,
        ...(contact.person ? { person: contact.person } : {}),
        ...(contact.phone ? { phone: contact.phone } : {}),
        ...(contact.address ? { address: contact.address } : {}),
      },
    },
  });
}
