/**
 * 不予列入严重失信主体名单决定告知书 (DOMAIN.md procedure 1 step 5, outcome `dismiss`): the subject is told
 * that the listing proposed in the pre-listing notice will not be made, and why. Pure.
 */
import { checkBase, issueNotice, numberSections, requireObject, requireText } from './common';
import { p, paragraphs } from './html';
import { REGULATION, categoryInfo, formatDate, shanghaiDate, subjectFields, you } from './text';
import type { DocumentBase, IssuedDocument, ListingCategory } from './types';

export const DISMISSAL_NOTICE_TITLE = '不予列入严重失信主体名单决定告知书';

export interface DismissalNoticeInput extends DocumentBase {
  category: ListingCategory;
  /** The conduct the case was opened for; omitted: not printed. */
  facts?: string;
  /** The pre-listing notice that proposed the listing, if one was served. */
  notice?: { number?: string; servedAt?: string };
  decision: {
    /** 文号; the document id is printed when there is none. */
    number?: string;
    decidedAt: string;
    /** The approving supervisor: kept in `fields`, not printed. */
    approvedBy?: string;
    reasons: string;
  };
}

export function renderDismissalNotice(input: DismissalNoticeInput): IssuedDocument {
  checkBase(input);
  const decision = requireObject(input.decision, 'decision');
  requireText(decision.reasons, 'decision.reasons');
  const decidedOn = shanghaiDate(decision.decidedAt, 'decision.decidedAt');
  const servedOn = input.notice?.servedAt === undefined ? undefined : shanghaiDate(input.notice.servedAt, 'notice.servedAt');
  const category = categoryInfo(input.category);
  const u = you(input.subject);
  const number = decision.number ?? input.documentId;
  const noticeName = `《拟列入严重失信主体名单告知书》${input.notice?.number ? `（${input.notice.number}）` : ''}`;

  const review: string[] = [];
  if (input.notice) {
    review.push(servedOn ? `本机关于${formatDate(servedOn)}向${u}送达了${noticeName}，` : `本机关已向${u}送达${noticeName}，`);
    review.push(`拟以${u}存在${REGULATION}${category.article}规定的“${category.title}”为由，将${u}列入严重失信主体名单。`);
  } else {
    review.push(`本机关对${u}是否存在${REGULATION}${category.article}规定的“${category.title}”进行了审查。`);
  }
  const outcome = `本机关于${formatDate(decidedOn)}决定不将${u}列入严重失信主体名单${input.notice ? `，${noticeName}所列拟采取的失信惩戒措施不予实施` : ''}。本案终结。`;

  const sections = numberSections([
    { heading: '审查情况', body: [p(review.join('')), ...(input.facts ? paragraphs(input.facts) : [])] },
    { heading: '不予列入的理由', body: paragraphs(decision.reasons) },
    { heading: '决定', body: p(outcome) },
  ]);

  return issueNotice(input, {
    kind: 'dismissal_notice',
    title: DISMISSAL_NOTICE_TITLE,
    number: number,
    intro: p(`现将本机关对${u}是否列入严重失信主体名单的审查结果告知如下：`),
    sections,
    fields: {
      subject: subjectFields(input.subject),
      category: { code: category.code, title: category.title, article: category.article },
      ...(input.facts ? { facts: input.facts } : {}),
      ...(input.notice
        ? {
            notice: {
              ...(input.notice.number ? { number: input.notice.number } : {}),
              ...(servedOn ? { servedOn } : {}),
            },
          }
        : {}),
      decision: {
        ...(decision.number ? { number: decision.number } : {}),
        decidedOn,
        ...(decision.approvedBy ? { approvedBy: decision.approvedBy } : {}),
        reasons: decision.reasons,
      },
      outcome: { code: 'dismissed', text: outcome },
    },
  });
}
