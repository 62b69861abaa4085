/**
 * 异议处理结果告知书 (DOMAIN.md procedure 2 step 5; regulation Art 49, 51): the subject is told how the objection
 * to one of its records ended, why, and where the result comes from (the record's supplying department and the
 * department that decided). `department` of the base is the credit agency that issues the notice. Pure.
 */
import {
  checkBase,
  issueNotice,
  lookupLabel,
  numberSections,
  recordFields,
  recordRows,
  requireDepartment,
  requireNotBefore,
  requireObject,
  requireText,
} from './common';
import { FIELD_TABLE_CSS, fieldTable, p, paragraphs, table } from './html';
import { REGULATION, formatDate, genericRemedy, shanghaiDate, subjectFields, you } from './text';
import type { DocumentBase, DocumentDepartment, DocumentRecord, IssuedDocument } from './types';

export const OBJECTION_RESULT_NOTICE_TITLE = '异议处理结果告知书';

/** Art 51: the three grounds of an objection. */
export const objectionGrounds = ['error_or_omission', 'trade_secret', 'privacy_or_rights'] as const;
export type ObjectionGrounds = (typeof objectionGrounds)[number];

export const OBJECTION_GROUNDS_LABELS: Record<ObjectionGrounds, string> = {
  error_or_omission: '信息存在错误、遗漏',
  trade_secret: '侵犯商业秘密',
  privacy_or_rights: '侵犯个人隐私或者其他合法权益',
};

export const objectionOutcomes = [
  'delete',
  'correct',
  'supplement',
  'stop_disclosure',
  'remove_from_list',
  'keep',
  'declined',
  'withdrawn',
] as const;
export type ObjectionOutcome = (typeof objectionOutcomes)[number];

export const OBJECTION_OUTCOME_LABELS: Record<ObjectionOutcome, string> = {
  delete: '删除',
  correct: '更正',
  supplement: '补充',
  stop_disclosure: '停止公示',
  remove_from_list: '移出名单',
  keep: '维持',
  declined: '不予受理',
  withdrawn: '逾期未补正视为撤回',
};

/** Outcomes that replace the record's content: `correctedContent` is required for them and refused for the others. */
const CHANGES_CONTENT: ReadonlySet<ObjectionOutcome> = new Set(['correct', 'supplement']);

export interface ObjectionResultNoticeInput extends DocumentBase {
  /** 文号; the document id is printed when there is none. */
  documentNumber?: string;
  /** `caseId` must equal the base `caseId` (the notice belongs to the objection case). */
  objection: { caseId: string; filedAt: string; grounds: ObjectionGrounds; statement: string };
  /** The record objected to, as it stood before the outcome. */
  record: DocumentRecord;
  outcome: ObjectionOutcome;
  reasons: string;
  /** The record's content after the outcome: required for `correct` and `supplement`, refused otherwise. */
  correctedContent?: string;
  /** Date or instant of the decision; not before the objection was filed, not after the notice is issued. */
  decidedOn: string;
  /** The department that verified and decided: the credit agency itself or the supplying department (Art 49: the result's source). */
  decidingDepartment: DocumentDepartment;
}

export function renderObjectionResultNotice(input: ObjectionResultNoticeInput): IssuedDocument {
  checkBase(input);
  const objection = requireObject(input.objection, 'objection');
  requireText(objection.caseId, 'objection.caseId');
  if (objection.caseId !== input.caseId) {
    throw new RangeError(`objection.caseId ${JSON.stringify(objection.caseId)} differs from caseId ${JSON.stringify(input.caseId)}`);
  }
  const filedOn = shanghaiDate(objection.filedAt, 'objection.filedAt');
  const groundsLabel = lookupLabel(OBJECTION_GROUNDS_LABELS, objection.grounds, 'objection.grounds');
  requireText(objection.statement, 'objection.statement');
  const record = recordFields(input.record, 'record');
  const outcome = input.outcome;
  const outcomeLabel = lookupLabel(OBJECTION_OUTCOME_LABELS, outcome, 'objection outcome');
  requireText(input.reasons, 'reasons');
  let corrected: string | undefined;
  if (CHANGES_CONTENT.has(outcome)) {
    corrected = requireText(input.correctedContent, `correctedContent (required for outcome ${outcome})`);
    if (corrected === record.content) throw new RangeError(`correctedContent is the same as record.content: nothing to ${outcome}`);
  } else if (input.correctedContent !== undefined) {
    throw new RangeError(`correctedContent is only for outcomes correct and supplement, not ${outcome}`);
  }
  if (outcome === 'remove_from_list' && record.category !== 'dishonesty') {
    throw new RangeError(`outcome remove_from_list needs a dishonesty record (a listing), got category ${record.category}`);
  }
  const decidedOn = shanghaiDate(input.decidedOn, 'decidedOn');
  const issuedOn = shanghaiDate(input.issuedAt, 'issuedAt');
  requireNotBefore(decidedOn, 'decidedOn', filedOn, 'objection.filedAt');
  requireNotBefore(issuedOn, 'issuedAt', decidedOn, 'decidedOn');
  const decidingDepartment = requireDepartment(input.decidingDepartment, 'decidingDepartment');

  const u = you(input.subject);
  const by = decidingDepartment.name;
  const on = formatDate(decidedOn);
  const number = input.documentNumber ?? input.documentId;

  const outcomeText: Record<ObjectionOutcome, string> = {
    delete: `经${by}核查，该信息确有错误，决定予以删除。自${on}起，该信息不再披露、共享和使用。`,
    correct: `经${by}核查，该信息内容有误，决定予以更正。自${on}起，该信息按更正后的内容披露。`,
    supplement: `经${by}核查，该信息存在遗漏，决定予以补充。自${on}起，该信息按补充后的内容披露。`,
    stop_disclosure: `经${by}核查，该信息不应继续公示，决定停止公示。自${on}起，该信息不再向社会公开。`,
    remove_from_list:
      `经${by}核查，将${u}列入严重失信主体名单确有错误，应当移出名单。` +
      `移出由认定部门依照严重失信主体名单的认定程序撤销列入决定后办理，撤销及移出情况另行书面告知${u}。`,
    keep: `经${by}核查，该信息记录准确，决定予以维持，该信息继续依法披露。`,
    declined: `经${by}审查，${u}的异议申请不符合受理条件，决定不予受理。`,
    withdrawn: `${u}未在规定期限内补正异议申请材料，视为撤回异议申请，本次异议处理终结。${u}如仍有异议，可以依法重新提出异议申请。`,
  };
  // The mark exists while the objection is open (procedure 2 step 2); a deleted record no longer shows at all.
  const markLifted = outcome !== 'delete';
  const markText = `${outcome === 'keep' ? '异议处理已经终结，' : ''}该信息的异议标注同时撤销。`;
  const sourceText = `该信息的提供单位为${record.supplyingDepartment.name}；本处理结果由${by}于${on}作出。`;
  const change = corrected === undefined ? undefined : { before: record.content, after: corrected };
  const changeHead = outcome === 'supplement' ? ['补充前', '补充后'] : ['更正前', '更正后'];
  const remedy = genericRemedy(input.subject, '本处理结果');

  const sections = numberSections([
    {
      heading: '异议申请情况',
      body: [
        p(
          `${u}于${formatDate(filedOn)}就下列信息提出异议申请（案件编号：${objection.caseId}），异议事由为“${groundsLabel}”。异议申请的主要内容：`,
        ),
        ...paragraphs(objection.statement),
      ],
    },
    { heading: '异议涉及的信息', body: fieldTable(recordRows(record)) },
    {
      heading: '处理结果',
      body: [
        p(`处理结果：${outcomeLabel}。`),
        p(outcomeText[outcome]),
        ...(change ? [table(changeHead, [[change.before, change.after]], 'change')] : []),
        ...(markLifted ? [p(markText)] : []),
        p(sourceText),
      ],
    },
    { heading: '理由', body: paragraphs(input.reasons) },
    { heading: '救济途径', body: p(remedy) },
  ]);

  return issueNotice(input, {
    kind: 'objection_result_notice',
    title: OBJECTION_RESULT_NOTICE_TITLE,
    number: number,
    intro: p(`依据${REGULATION}第四十九条、第五十一条的规定，现将${u}异议申请的处理结果及其来源告知如下：`),
    sections,
    css: FIELD_TABLE_CSS,
    fields: {
      subject: subjectFields(input.subject),
      objection: {
        caseId: objection.caseId,
        filedOn,
        grounds: { code: objection.grounds, label: groundsLabel },
        statement: objection.statement,
      },
      record,
      outcome: { code: outcome, label: outcomeLabel, text: outcomeText[outcome] },
      ...(change ? { change } : {}),
      reasons: input.reasons,
      decidedOn,
      decidingDepartment,
      source: sourceText,
      objectionMarkLifted: markLifted,
      remedies: remedy,
    },
  });
}
