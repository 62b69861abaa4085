/**
 * 陈述申辩期限重新计算告知书 (DOMAIN.md "Deadlines"): the statement window of a pre-listing notice lapsed on a date
 * counted on the statutory holidays while the year's holiday notice was not out; the notice, once loaded, ends it
 * later, on a day still to come, so the subject is told that the window is open again until that day and what
 * happens to a decision that is pending. Pure.
 */
import { checkBase, metaLines, numberSections, partyLines } from './common';
import { issue, p, renderPage } from './html';
import { formatDate, shanghaiDate, subjectFields, you } from './text';
import type { DocumentBase, IssuedDocument } from './types';

export const WINDOW_REOPENED_NOTICE_TITLE = '陈述申辩期限重新计算告知书';

export interface WindowReopenedNoticeInput extends DocumentBase {
  /** The pre-listing notice whose window this is. */
  notice: { number?: string; servedAt: string };
  /** The last day the subject had been told, counted provisionally; the last day under the official schedule. */
  previousDueDate: string;
  statementDueDate: string;
  /** A decision had been proposed or approved, not served: it waits until the window closes. */
  decisionWaiting: boolean;
  hearingNoticeWorkingDays: number;
}

export function renderWindowReopenedNotice(input: WindowReopenedNoticeInput): IssuedDocument {
  checkBase(input);
  const previous = shanghaiDate(input.previousDueDate, 'previousDueDate');
  const due = shanghaiDate(input.statementDueDate, 'statementDueDate');
  if (due <= previous) throw new RangeError(`statementDueDate ${due} must be later than previousDueDate ${previous}`);
  const servedOn = shanghaiDate(input.notice.servedAt, 'notice.servedAt');
  const u = you(input.subject);
  const noticeName = `《拟列入严重失信主体名单告知书》${input.notice.number ? `（${input.notice.number}）` : ''}`;
  const number = input.documentId;

  const sections = numberSections([
    {
      heading: '期限重新计算的原因',
      body: p(
        `本机关于${formatDate(servedOn)}向${u}送达${noticeName}。送达时当年节假日安排尚未公布，陈述申辩期限暂按《全国年节及纪念日放假办法》规定的法定节假日计算，` +
          `截至${formatDate(previous)}24时。国务院办公厅公布当年节假日安排后，按正式安排计算，该期限截至${formatDate(due)}24时。` +
          `依法保障${u}陈述、申辩和要求听证的权利，${u}的陈述申辩期限重新开放至该日。`,
      ),
    },
    {
      heading: `${u}的权利`,
      body: p(
        `${u}可以在${formatDate(due)}24时前，向本机关提出陈述、申辩，并可以要求举行听证；要求听证的，本机关将在举行听证的${input.hearingNoticeWorkingDays}个工作日前通知${u}听证的时间、地点。` +
          `逾期未提出的，视为放弃上述权利。`,
      ),
    },
    {
      heading: '案件的处理',
      body: p(
        input.decisionWaiting
          ? `本案已拟定处理意见但尚未送达。在上述期限届满或${u}提出陈述申辩之前，本机关不作出或送达认定决定；${u}提出的陈述申辩，本机关将在作出决定前予以审查。`
          : `在上述期限届满或${u}提出陈述申辩之前，本机关不作出认定决定。`,
      ),
    },
  ]);

  const htmlText = renderPage({
    title: WINDOW_REOPENED_NOTICE_TITLE,
    number,
    party: partyLines(input),
    salutation: `${input.subject.name}：`,
    intro: p(`现将${u}陈述申辩期限重新计算的情况告知如下：`),
    sections,
    issuer: input.department.name,
    date: formatDate(input.issuedAt, 'issuedAt'),
    meta: metaLines(input),
  });

  return issue({
    id: input.documentId,
    kind: 'window_reopened_notice',
    title: WINDOW_REOPENED_NOTICE_TITLE,
    issuedAt: input.issuedAt,
    fields: {
      documentNumber: number,
      caseId: input.caseId,
      issuedOn: shanghaiDate(input.issuedAt, 'issuedAt'),
      department: input.department,
      subject: subjectFields(input.subject),
      notice: { ...(input.notice.number ? { number: input.notice.number } : {}), servedOn },
      statementWindow: { previousDueDate: previous, dueDate: due, provisionalBefore: true },
      decisionWaiting: input.decisionWaiting,
    },
    html: htmlText,
  });
}
