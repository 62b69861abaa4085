/**
 * 严重失信主体认定决定书 (Art 47 first paragraph): 事由, 依据, 失信惩戒措施提示, 移出条件和程序 and
 * 救济途径, plus the listing period and, for an organisation, the Art 48 responsible persons whose own
 * records get an entry. Pure: every date is passed in.
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
import { p, paragraphs } from './html';
import { repairCitationOn } from '../legal-sources';
import {
  REGULATION,
  SHARING_PLATFORM,
  basisDocumentFields,
  categoryInfo,
  categoryReason,
  formatDate,
  formatPeriod,
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

export const RECOGNITION_DOCUMENT_TITLE = '严重失信主体认定决定书';

export interface RecognitionDocumentInput extends DocumentBase {
  category: ListingCategory;
  facts: string;
  basisDocuments: readonly BasisDocument[];
  decision: {
    /** 文号, printed under the title. */
    number: string;
    /** Instant or date of the approved decision. */
    decidedAt: string;
    /** The approving supervisor: kept in `fields`, not printed. */
    approvedBy: string;
    reasons: string;
  };
  measures: readonly DocumentMeasure[];
  listingPeriod: YearMonthPeriod;
  /** Known once the decision is served; without it the period reads `自本决定书送达之日起N年`. */
  listedFrom?: string;
  /** Last day on the list; only together with `listedFrom`. */
  listedUntil?: string;
  removal: {
    /** Minimum time on the list before early removal by credit repair (policy `min_listing_before_repair`). */
    earliestRepairAfter: YearMonthPeriod;
    /** First day a repair application may be made, when the listing date is known. */
    earliestRepairOn?: string;
    /** Where to apply for repair (the platform's single window); default `市公共信用信息共享平台（信用修复受理窗口）`. */
    repairBody?: string;
    /** Working days to revoke after written notice that the underlying document was revoked (policy `revoke_after_penalty_revoked`). */
    revokeWithinWorkingDays?: number;
  };
  remedies: { reconsiderationDays: number; reconsiderationBody: string; litigationMonths: number; court: string };
  /** Art 48; required non-empty for `legal_person` and `other_org`, ignored for a natural person. Printed masked. */
  responsiblePersons: readonly DocumentResponsiblePerson[];
  /** What happened after the pre-listing notice; omitted: not printed. */
  priorProcedure?: {
    noticeNumber?: string;
    noticeServedAt?: string;
    statementSubmitted: boolean;
    hearingHeldAt?: string;
    /** The authority's answer to the statement or hearing. */
    statementResponse?: string;
  };
}

function listingPeriodText(
  input: RecognitionDocumentInput,
  periodText: string,
): { text: string; listedFrom?: string; listedUntil?: string } {
  const from = input.listedFrom === undefined ? undefined : shanghaiDate(input.listedFrom, 'listedFrom');
  const until = input.listedUntil === undefined ? undefined : shanghaiDate(input.listedUntil, 'listedUntil');
  if (until !== undefined && from === undefined) throw new RangeError('listedUntil needs listedFrom');
  if (from !== undefined && until !== undefined && until < from) throw new RangeError(`listedUntil ${until} is before listedFrom ${from}`);
  if (from === undefined) return { text: `列入期限为自本决定书送达之日起${periodText}` };
  if (until === undefined) return { text: `列入期限为${periodText}，自${formatDate(from)}起计算`, listedFrom: from };
  return {
    text: `列入期限为${periodText}，自${formatDate(from)}起至${formatDate(until)}止`,
    listedFrom: from,
    listedUntil: until,
  };
}

export function renderRecognitionDocument(input: RecognitionDocumentInput): IssuedDocument {
  checkBase(input);
  requireText(input.facts, 'facts');
  checkBasisDocuments(input.basisDocuments);
  checkMeasures(input.measures, 'measures');
  const decision = requireObject(input.decision, 'decision');
  requireText(decision.number, 'decision.number');
  requireText(decision.approvedBy, 'decision.approvedBy');
  requireText(decision.reasons, 'decision.reasons');
  const decidedOn = shanghaiDate(decision.decidedAt, 'decision.decidedAt');
  const remedies = requireObject(input.remedies, 'remedies');
  const reconsiderationDays = positiveInt(remedies.reconsiderationDays, 'remedies.reconsiderationDays');
  const litigationMonths = positiveInt(remedies.litigationMonths, 'remedies.litigationMonths');
  requireText(remedies.reconsiderationBody, 'remedies.reconsiderationBody');
  requireText(remedies.court, 'remedies.court');
  const isOrg = input.subject.kind !== 'natural_person';
  if (isOrg && (!Array.isArray(input.responsiblePersons) || input.responsiblePersons.length === 0)) {
    throw new RangeError('responsiblePersons must be non-empty for a legal person or other organisation (Art 48)');
  }
  const removal = requireObject(input.removal, 'removal');
  const repairAfter = formatPeriod(removal.earliestRepairAfter, 'removal.earliestRepairAfter');
  const earliestRepairOn =
    removal.earliestRepairOn === undefined ? undefined : shanghaiDate(removal.earliestRepairOn, 'removal.earliestRepairOn');
  const revokeDays =
    removal.revokeWithinWorkingDays === undefined
      ? undefined
      : positiveInt(removal.revokeWithinWorkingDays, 'removal.revokeWithinWorkingDays');
  const repairBody = removal.repairBody ?? `${SHARING_PLATFORM}（信用修复受理窗口）`;
  const prior = input.priorProcedure;
  const noticeServedOn =
    prior?.noticeServedAt === undefined ? undefined : shanghaiDate(prior.noticeServedAt, 'priorProcedure.noticeServedAt');
  const hearingHeldOn = prior?.hearingHeldAt === undefined ? undefined : shanghaiDate(prior.hearingHeldAt, 'priorProcedure.hearingHeldAt');

  const u = you(input.subject);
  const subject = subjectFields(input.subject);
  const category = categoryInfo(input.category);
  const basisDocs = basisDocumentFields(input.basisDocuments);
  const regulation = regulationBasis(category);
  const reason = categoryReason(input.subject, category);
  const measures = measureFields(input.measures);
  const period = periodFields(input.listingPeriod, 'listingPeriod');
  const listing = listingPeriodText(input, period.text);
  const persons = isOrg ? responsiblePersonFields(input.responsiblePersons) : [];

  // 认定事由: the facts, what became of the notice, the authority's reasons, the Art 45 category.
  const priorText: string[] = [];
  if (prior) {
    const notice = `《拟列入严重失信主体名单告知书》${prior.noticeNumber ? `（${prior.noticeNumber}）` : ''}`;
    priorText.push(noticeServedOn ? `本机关于${formatDate(noticeServedOn)}向${u}送达了${notice}。` : `本机关已向${u}送达${notice}。`);
    if (!prior.statementSubmitted) {
      priorText.push(`${u}在规定期限内未提出陈述、申辩或者听证要求，视为放弃上述权利。`);
    } else {
      priorText.push(
        `${u}在规定期限内提出了陈述、申辩意见${hearingHeldOn ? `，本机关于${formatDate(hearingHeldOn)}依法举行了听证` : ''}。`,
      );
      priorText.push(prior.statementResponse ? `经复核：${prior.statementResponse}` : '本机关已对其提出的事实、理由和证据进行了复核。');
    }
  }
  const grounds = [
    p(`经查，${u}存在下列行为：`),
    ...paragraphs(input.facts),
    ...(priorText.length > 0 ? [p(priorText.join(''))] : []),
    p('经审查认为：'),
    ...paragraphs(decision.reasons),
    p(`${reason}。`),
  ];

  const measureNote = `列入严重失信主体名单期间，有关国家机关将依照法律、法规和国家有关规定，对${u}采取以下失信惩戒措施：`;
  const publication = `列入期间，${u}的严重失信主体名单信息将依法向社会公示。`;

  const expiryText = `（一）期满移出。列入期限届满的，本机关将${u}移出严重失信主体名单，无需申请${listing.listedUntil ? `；列入期限至${formatDate(listing.listedUntil)}届满` : ''}。`;
  const repairText =
    `（二）信用修复提前移出。${u}自列入严重失信主体名单之日起满${repairAfter}` +
    (earliestRepairOn ? `（即${formatDate(earliestRepairOn)}起）` : '') +
    `，已纠正失信行为、履行相关义务、消除不良影响的，可以依据${REGULATION}第五十二条和${repairCitationOn(shanghaiDate(input.issuedAt, 'issuedAt'))}的规定，向${repairBody}提出信用修复申请，` +
    '并提交已履行法定义务、纠正失信行为的证明材料和信用承诺书。申请受理后，由本机关（作出认定的单位）审核并作出是否准予信用修复的决定：' +
    '符合条件的，提前移出严重失信主体名单；不符合条件的，书面告知不予修复的理由。';
  const revokeText =
    `（三）撤销移出。本决定被依法撤销、确认违法或者确认无效，或者作为认定依据的法律文书被依法撤销的，本机关将` +
    (revokeDays ? `自收到相关书面通知之日起${revokeDays}个工作日内` : '依法') +
    `撤销列入决定，将${u}移出严重失信主体名单。`;
  const afterRemoval = `移出后，本机关将停止公示${u}的严重失信主体名单信息，相关失信惩戒措施同时停止实施，并书面告知${u}。`;

  const remedyText =
    `${u}如不服本决定，可以自收到本决定书之日起${reconsiderationDays}日内向${remedies.reconsiderationBody}申请行政复议，` +
    `也可以自收到本决定书之日起${litigationMonths}个月内依法向${remedies.court}提起行政诉讼。` +
    '行政复议或者行政诉讼期间，本决定不停止执行，法律另有规定的除外。';

  const sections = numberSections([
    { heading: '认定事由', body: grounds },
    {
      heading: '认定依据',
      body: numberedItems([`据以认定的具有法律效力的文书：${basisDocs.map((d) => d.text).join('；')}。`, `${regulation}。`]),
    },
    {
      heading: '认定结论及列入期限',
      body: p(`本机关决定将${u}列入严重失信主体名单。${listing.text}。`),
    },
    {
      heading: '失信惩戒措施提示',
      body: [
        p(measureNote),
        ...numberedItems(measures.map((m) => `${m.title}（措施编号：${m.code}；类别：${m.levelLabel}）。依据：${m.basis}。`)),
        p(publication),
      ],
    },
    isOrg && {
      heading: '相关责任人员',
      body: [
        p(
          `依据${REGULATION}第四十八条的规定，本机关在记录${u}的严重失信信息时标明下列人员的信息；有关部门和单位将依照法律、法规和国家有关规定对其进行失信惩戒，`,
          '并将相关失信行为记入其个人信用记录：',
        ),
        responsiblePersonsTable(input.responsiblePersons),
      ],
    },
    { heading: '移出条件和程序', body: [p(expiryText), p(repairText), p(revokeText), p(afterRemoval)] },
    { heading: '救济途径', body: p(remedyText) },
  ]);

  return issueNotice(input, {
    kind: 'recognition_document',
    title: RECOGNITION_DOCUMENT_TITLE,
    number: decision.number,
    intro: p(
      `本机关于${formatDate(decidedOn)}依据${REGULATION}第四十五条、第四十七条的规定，决定将${u}列入严重失信主体名单。`,
      `依据第四十七条第一款的规定，现将认定事由、依据、失信惩戒措施提示、移出条件和程序以及救济途径告知如下：`,
    ),
    sections,
    fields: {
      subject,
      decision: { number: decision.number, decidedOn, approvedBy: decision.approvedBy, reasons: decision.reasons },
      grounds: {
        facts: input.facts,
        reasons: decision.reasons,
        category: category.code,
        categoryTitle: category.title,
        article: category.article,
        text: `${reason}。`,
        ...(prior
          ? {
              priorProcedure: {
                ...(prior.noticeNumber ? { noticeNumber: prior.noticeNumber } : {}),
                ...(noticeServedOn ? { noticeServedOn } : {}),
                statementSubmitted: prior.statementSubmitted,
                ...(hearingHeldOn ? { hearingHeldOn } : {}),
                ...(prior.statementResponse ? { statementResponse: prior.statementResponse } : {}),
              },
            }
          : {}),
      },
      basis: { documents: basisDocs, regulation },
      listingPeriod: {
        ...period,
        ...(listing.listedFrom ? { listedFrom: listing.listedFrom } : {}),
        ...(listing.listedUntil ? { listedUntil: listing.listedUntil } : {}),
        text: listing.text,
      },
      measures: { note: measureNote, items: measures, publication },
      ...(isOrg ? { responsiblePersons: persons } : {}),
      removal: {
        expiry: expiryText,
        repair: {
          earliestAfter: periodFields(removal.earliestRepairAfter, 'removal.earliestRepairAfter'),
          ...(earliestRepairOn ? { earliestOn: earliestRepairOn } : {}),
          body: repairBody,
          text: repairText,
        },
        revocation: { ...(revokeDays ? { withinWorkingDays: revokeDays } : {}), text: revokeText },
        effects: afterRemoval,
      },
      remedies: {
        reconsideration: { days: reconsiderationDays, body: remedies.reconsiderationBody },
        litigation: { months: litigationMonths, court: remedies.court },
        text: remedyText,
      },
    },
  });
}
