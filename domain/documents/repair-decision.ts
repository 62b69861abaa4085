/**
 * 信用修复决定书 (DOMAIN.md procedure 3; regulation Art 52): the decision on a credit repair application for one
 * record or one serious-dishonesty listing. Approval ends the record's publicity (it stays in the subject's own
 * credit record) or removes the listing early (removal outcome 信用修复), and the sharing platform is told;
 * rejection states the reasons and from when a new application may be made; 不予受理 states why the application
 * is not eligible. Pure.
 */
import { checkBase, issueNotice, lookupLabel, numberSections, requireNotBefore, requireObject, requireText } from './common';
import { FIELD_TABLE_CSS, fieldTable, p, paragraphs } from './html';
import { REMOVAL_OUTCOME_LABELS } from './removal-notice';
import { REGULATION, SHARING_PLATFORM, formatDate, genericRemedy, positiveInt, shanghaiDate, subjectFields, you } from './text';
import type { DocumentBase, IssuedDocument } from './types';
import { repairCitationOn, repairRulesOn } from '../legal-sources';

export const REPAIR_DECISION_TITLE = '信用修复决定书';

export const repairOutcomes = ['approve', 'reject', 'decline'] as const;
export type RepairOutcome = (typeof repairOutcomes)[number];

export const REPAIR_OUTCOME_LABELS: Record<RepairOutcome, string> = {
  approve: '准予信用修复',
  reject: '不予信用修复',
  decline: '不予受理',
};

/** What the application is about: one credit record, or one listing (its case, decision and period). */
export type RepairTarget =
  | { kind: 'record'; recordId: string; type: string; documentNumber: string }
  | { kind: 'listing'; listingCaseId: string; decisionNumber: string; listedFrom: string; listedUntil: string };

/** What the decision's table calls each kind of target (修复对象). */
const TARGET_KIND_LABELS: Record<RepairTarget['kind'], string> = { record: '信用信息', listing: '严重失信主体名单' };

export interface RepairDecisionInput extends DocumentBase {
  /** 文号; the document id is printed when there is none. */
  documentNumber?: string;
  /** `caseId` must equal the base `caseId` (the decision belongs to the repair case); `filedAt` is a date or an instant. */
  repair: { caseId: string; filedAt: string };
  target: RepairTarget;
  outcome: RepairOutcome;
  reasons: string;
  /** Date or instant of the decision; not before the application, not after the document is issued. */
  decidedOn: string;
  /** Date from which a new application may be made: required for `reject`, optional for `decline`, refused for `approve`. */
  reapplyAfter?: string;
  /** `approve` only: publicity ends / the listing is removed within this many working days of the decision (policy `repair_remove_disclosure`). */
  effectsWithinWorkingDays?: number;
  /**
   * The credit agency that received the application, where another department (the issuer, which recognised the
   * listing or supplied the record) decides it: 谁认定、谁修复.
   */
  receivedBy?: { code: string; name: string };
}

export function renderRepairDecision(input: RepairDecisionInput): IssuedDocument {
  checkBase(input);
  const repair = requireObject(input.repair, 'repair');
  requireText(repair.caseId, 'repair.caseId');
  if (repair.caseId !== input.caseId) {
    throw new RangeError(`repair.caseId ${JSON.stringify(repair.caseId)} differs from caseId ${JSON.stringify(input.caseId)}`);
  }
  const filedOn = shanghaiDate(repair.filedAt, 'repair.filedAt');
  const outcome = input.outcome;
  const outcomeLabel = lookupLabel(REPAIR_OUTCOME_LABELS, outcome, 'repair outcome');
  requireText(input.reasons, 'reasons');
  const decidedOn = shanghaiDate(input.decidedOn, 'decidedOn');
  const issuedOn = shanghaiDate(input.issuedAt, 'issuedAt');
  requireNotBefore(decidedOn, 'decidedOn', filedOn, 'repair.filedAt');
  requireNotBefore(issuedOn, 'issuedAt', decidedOn, 'decidedOn');

  let reapplyOn: string | undefined;
  if (outcome === 'approve') {
    if (input.reapplyAfter !== undefined) throw new RangeError('reapplyAfter is for reject or decline, not approve');
  } else {
    if (outcome === 'reject' && input.reapplyAfter === undefined) throw new RangeError('reapplyAfter is required for outcome reject');
    if (input.reapplyAfter !== undefined) {
      reapplyOn = shanghaiDate(input.reapplyAfter, 'reapplyAfter');
      if (reapplyOn <= decidedOn) throw new RangeError(`reapplyAfter ${reapplyOn} must be after decidedOn ${decidedOn}`);
    }
  }
  let workingDays: number | undefined;
  if (input.effectsWithinWorkingDays !== undefined) {
    if (outcome !== 'approve') throw new RangeError(`effectsWithinWorkingDays is for approve only, not ${outcome}`);
    workingDays = positiveInt(input.effectsWithinWorkingDays, 'effectsWithinWorkingDays');
  }

  const t = requireObject(input.target, 'target');
  const u = you(input.subject);
  const kindLabel = lookupLabel(TARGET_KIND_LABELS, t.kind, 'target kind');
  let targetFields: Record<string, unknown>;
  let targetRows: [string, string][];
  let targetName: string;
  if (t.kind === 'record') {
    requireText(t.recordId, 'target.recordId');
    requireText(t.type, 'target.type');
    requireText(t.documentNumber, 'target.documentNumber');
    targetFields = { kind: 'record', recordId: t.recordId, type: t.type, documentNumber: t.documentNumber };
    targetRows = [
      ['修复对象', kindLabel],
      ['信息编号', t.recordId],
      ['信息类型', t.type],
      ['决定文书编号', t.documentNumber],
    ];
    targetName = `下列${t.type}`;
  } else {
    requireText(t.listingCaseId, 'target.listingCaseId');
    requireText(t.decisionNumber, 'target.decisionNumber');
    const listedFrom = shanghaiDate(t.listedFrom, 'target.listedFrom');
    const listedUntil = shanghaiDate(t.listedUntil, 'target.listedUntil');
    requireNotBefore(listedUntil, 'target.listedUntil', listedFrom, 'target.listedFrom');
    // Early removal needs a listing that is still running when the decision is made.
    if (outcome === 'approve' && decidedOn > listedUntil) {
      throw new RangeError(`the listing ended on ${listedUntil}, before decidedOn ${decidedOn}: nothing to remove early`);
    }
    targetFields = {
      kind: 'listing',
      listingCaseId: t.listingCaseId,
      decisionNumber: t.decisionNumber,
      listedFrom,
      listedUntil,
    };
    targetRows = [
      ['修复对象', kindLabel],
      ['认定决定书文号', t.decisionNumber],
      ['列入案件编号', t.listingCaseId],
      ['列入期限', `${formatDate(listedFrom)}至${formatDate(listedUntil)}`],
    ];
    targetName = '列入严重失信主体名单的下列事项';
  }

  const on = formatDate(decidedOn);
  const within = workingDays === undefined ? '依照有关规定及时' : `自本决定作出之日起${workingDays}个工作日内`;
  const effects: string[] = [];
  if (outcome === 'approve') {
    if (t.kind === 'record') {
      effects.push(
        `${within}停止公示该信息，该信息不再通过${SHARING_PLATFORM}向社会公开；` + `该信息仍保留在${u}的信用记录中，${u}本人可以依法查询。`,
      );
    } else {
      effects.push(
        `${u}提前移出严重失信主体名单，移出方式为“${REMOVAL_OUTCOME_LABELS.repaired}”。${within}停止公示${u}的严重失信主体名单信息，` +
          `依据原认定决定采取的失信惩戒措施同时停止实施。`,
      );
    }
    effects.push(`本机关将本决定同步告知${SHARING_PLATFORM}。`);
  }
  const decisionText: Record<RepairOutcome, string> = {
    approve: `经审核，${u}已纠正失信行为、消除不良影响，符合信用修复条件，本机关于${on}决定准予信用修复。`,
    reject: `经审核，${u}的信用修复申请不符合信用修复条件，本机关于${on}决定不予信用修复。`,
    decline: `经审查，${u}的信用修复申请不符合受理条件，本机关于${on}决定不予受理。`,
  };
  const reapplyText = reapplyOn === undefined ? undefined : `${u}可以自${formatDate(reapplyOn)}起重新提出信用修复申请。`;
  const reasonsHeading: Record<RepairOutcome, string> = {
    approve: '审核意见',
    reject: '不予信用修复的理由',
    decline: '不予受理的理由',
  };
  const remedy = genericRemedy(input.subject, '本决定');
  const number = input.documentNumber ?? input.documentId;

  const sections = numberSections([
    {
      heading: '申请情况',
      body: [
        p(
          `${u}于${formatDate(filedOn)}${input.receivedBy ? `通过${input.receivedBy.name}（信用修复受理窗口）` : ''}提出信用修复申请（案件编号：${repair.caseId}），申请对${targetName}进行信用修复` +
            (input.receivedBy ? `。该申请经受理后转本机关审核决定（谁认定、谁修复）：` : '：'),
        ),
        fieldTable(targetRows),
      ],
    },
    { heading: reasonsHeading[outcome], body: paragraphs(input.reasons) },
    {
      heading: '决定',
      body: [p(`决定结果：${outcomeLabel}。`), p(decisionText[outcome]), ...effects.map((e) => p(e))],
    },
    reapplyText !== undefined && { heading: '重新申请', body: p(reapplyText) },
    { heading: '救济途径', body: p(remedy) },
  ]);

  return issueNotice(input, {
    kind: 'repair_decision',
    title: REPAIR_DECISION_TITLE,
    number: number,
    intro: p(`依据${REGULATION}第五十二条和${repairCitationOn(decidedOn)}的规定，本机关对${u}的信用修复申请作出如下决定：`),
    sections,
    css: FIELD_TABLE_CSS,
    fields: {
      ...(input.receivedBy ? { receivedBy: { code: input.receivedBy.code, name: input.receivedBy.name } } : {}),
      basis: { regulation: `${REGULATION}第五十二条`, rules: repairRulesOn(decidedOn).map((r) => r.title) },
      subject: subjectFields(input.subject),
      repair: { caseId: repair.caseId, filedOn },
      target: targetFields,
      outcome: { code: outcome, label: outcomeLabel, text: decisionText[outcome] },
      reasons: input.reasons,
      decidedOn,
      ...(reapplyOn !== undefined ? { reapplyAfter: reapplyOn, reapplyText } : {}),
      ...(workingDays !== undefined ? { effectsWithinWorkingDays: workingDays } : {}),
      effects,
      remedies: remedy,
    },
  });
}
