/**
 * 移出严重失信主体名单告知书 (DOMAIN.md procedure 1 step 8): the listing ends because its period expired,
 * the subject's credit was repaired, or the listing was revoked; publication and measures stop, and for an
 * organisation the marked responsible persons' entries stop too (Art 48). Pure.
 */
import { checkBase, issueNotice, numberSections, requireObject, requireText, responsiblePersonsTable } from './common';
import { p, paragraphs } from './html';
import { REGULATION, categoryInfo, formatDate, responsiblePersonFields, shanghaiDate, subjectFields, you } from './text';
import type { DocumentBase, DocumentResponsiblePerson, IssuedDocument, ListingCategory } from './types';
import { repairCitationOn } from '../legal-sources';

export const REMOVAL_NOTICE_TITLE = '移出严重失信主体名单告知书';

export const removalOutcomes = ['expired', 'repaired', 'revoked'] as const;
export type RemovalOutcome = (typeof removalOutcomes)[number];

export const REMOVAL_OUTCOME_LABELS: Record<RemovalOutcome, string> = {
  expired: '列入期限届满',
  repaired: '信用修复',
  revoked: '撤销列入决定',
};

export interface RemovalNoticeInput extends DocumentBase {
  /** 文号; the document id is printed when there is none. */
  documentNumber?: string;
  /** The listing being ended. */
  listing: { decisionNumber: string; category: ListingCategory; listedFrom?: string; listedUntil?: string };
  outcome: RemovalOutcome;
  /** Date (or instant) the removal takes effect. */
  removedOn: string;
  reason: string;
  /** What the removal rests on, e.g. the repair decision or the decision quashing the listing. */
  basis?: string;
  /** For an organisation: the Art 48 persons whose entries end with the listing; printed masked. */
  responsiblePersons?: readonly DocumentResponsiblePerson[];
}

export function renderRemovalNotice(input: RemovalNoticeInput): IssuedDocument {
  checkBase(input);
  requireText(requireObject(input.listing, 'listing').decisionNumber, 'listing.decisionNumber');
  requireText(input.reason, 'reason');
  const outcomeLabel = REMOVAL_OUTCOME_LABELS[input.outcome];
  if (!outcomeLabel) throw new RangeError(`unknown removal outcome ${JSON.stringify(input.outcome)}`);
  const removedOn = shanghaiDate(input.removedOn, 'removedOn');
  const listedFrom = input.listing.listedFrom === undefined ? undefined : shanghaiDate(input.listing.listedFrom, 'listing.listedFrom');
  const listedUntil = input.listing.listedUntil === undefined ? undefined : shanghaiDate(input.listing.listedUntil, 'listing.listedUntil');
  const category = categoryInfo(input.listing.category);
  const u = you(input.subject);
  const number = input.documentNumber ?? input.documentId;
  const isOrg = input.subject.kind !== 'natural_person';
  const persons = isOrg ? responsiblePersonFields(input.responsiblePersons ?? []) : [];

  const listingText =
    `${u}因${REGULATION}${category.article}规定的“${category.title}”，经本机关认定（${input.listing.decisionNumber}）` +
    (listedFrom ? `，自${formatDate(listedFrom)}起` : '') +
    `列入严重失信主体名单` +
    (listedUntil ? `，列入期限至${formatDate(listedUntil)}` : '') +
    '。';
  const outcomeIntro: Record<RemovalOutcome, string> = {
    expired: `${u}的列入期限已届满，依法移出严重失信主体名单。`,
    repaired: `${u}已纠正失信行为、消除不良影响，信用修复申请经本机关审核同意，依据${REGULATION}第五十二条和${repairCitationOn(removedOn)}的规定提前移出严重失信主体名单。`,
    revoked: `${u}的列入决定已被撤销，依法移出严重失信主体名单。`,
  };
  const effects = [
    `自${formatDate(removedOn)}起，${u}移出严重失信主体名单，本机关停止公示${u}的严重失信主体名单信息，` +
      `依据上述认定决定采取的失信惩戒措施同时停止实施。`,
    ...(input.outcome === 'revoked' ? [`该认定决定不再作为对${u}采取失信惩戒措施的依据。`] : []),
    ...(persons.length > 0 ? [`依据${REGULATION}第四十八条标明的下列人员的相关信息，一并停止公示，相关失信惩戒措施一并停止实施：`] : []),
  ];

  const sections = numberSections([
    { heading: '原列入情况', body: p(listingText) },
    {
      heading: '移出原因',
      body: [
        p(`移出方式：${outcomeLabel}。`),
        p(outcomeIntro[input.outcome]),
        ...paragraphs(input.reason),
        ...(input.basis ? [p(`依据：${input.basis}。`)] : []),
      ],
    },
    {
      heading: '移出日期及效力',
      body: [...effects.map((t) => p(t)), ...(persons.length > 0 ? [responsiblePersonsTable(input.responsiblePersons ?? [])] : [])],
    },
  ]);

  return issueNotice(input, {
    kind: 'removal_notice',
    title: REMOVAL_NOTICE_TITLE,
    number: number,
    intro: p(`现将${u}移出严重失信主体名单的有关事项告知如下：`),
    sections,
    fields: {
      subject: subjectFields(input.subject),
      listing: {
        decisionNumber: input.listing.decisionNumber,
        category: category.code,
        categoryTitle: category.title,
        ...(listedFrom ? { listedFrom } : {}),
        ...(listedUntil ? { listedUntil } : {}),
        text: listingText,
      },
      outcome: { code: input.outcome, label: outcomeLabel, text: outcomeIntro[input.outcome] },
      removedOn,
      reason: input.reason,
      ...(input.basis ? { basis: input.basis } : {}),
      ...(persons.length > 0 ? { responsiblePersons: persons } : {}),
      effects,
    },
  });
}
