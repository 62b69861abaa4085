/**
 * The reminders' words: a department's daily digest and a subject's notice that a window opened or is closing.
 * Chinese first, dates in full, as the documents write them. Pure, so the unit tests read what a recipient reads.
 */
import { cnDate, cnWeekday } from '../calendar/explain';
import { DEADLINE_KIND_NAMES, PROCEDURE_NAMES } from '../../contract/case-words';

/** What a subject may do within each window the regulation gives them. */
const SUBJECT_MAY: Record<string, string> = {
  statement_window: '您可以在期限内提出陈述、申辩，或者申请听证。',
  supplement_window: '您可以在期限内补正异议材料；逾期未补正的，视为撤回异议申请。',
  reconsideration_window: '您可以在期限内依法申请行政复议。',
  litigation_window: '您可以在期限内依法提起行政诉讼。',
};

export const kindZh = (kind: string): string => DEADLINE_KIND_NAMES[kind] ?? kind;

/** `2026年12月8日（星期二）24时届满，还有1个工作日`; due today: `今日（2026年12月8日，星期二）24时届满`. */
export function dueInWords(dueDate: string, left: number | undefined): string {
  const when = `${cnDate(dueDate)}（${cnWeekday(dueDate)}）24时届满`;
  if (left === undefined) return when;
  return left === 0 ? `今日（${cnDate(dueDate)}，${cnWeekday(dueDate)}）24时届满` : `${when}，还有${String(left)}个工作日`;
}

const PROVISIONAL_NOTE = '（暂定：该年度国务院放假安排尚未载入，按法定节假日推算，安排公布后可能调整）';

export interface DigestItem {
  caseId: string;
  procedure: string;
  kind: string;
  dueDate: string;
  /** Working days left after today (0: due today); undefined for a breach. */
  left?: number;
  /** Who must act: the department itself, or the subject (named). */
  actor: string;
  provisional: boolean;
}

export interface DigestEscalation {
  caseId: string | null;
  kind: string;
  at: string;
  state: string;
  what: string;
}

export interface DigestInput {
  departmentName: string;
  today: string;
  provisionalDay: boolean;
  dueSoon: DigestItem[];
  breached: DigestItem[];
  escalations: DigestEscalation[];
  /** How many of each list were left out of the mail (it names the first ones only). */
  more: { dueSoon: number; breached: number; escalations: number };
  consoleUrl: string;
}

const ESCALATION_KIND_ZH: Record<string, string> = {
  breach: '期限超期',
  blocked: '期限无法计算',
  calendar_missing: '放假安排缺失',
  incident: '案件步骤无法完成',
};

/** True when the digest would say nothing: then no mail goes (README "Reminders"). */
export function digestIsEmpty(d: Pick<DigestInput, 'dueSoon' | 'breached' | 'escalations'>): boolean {
  return d.dueSoon.length + d.breached.length + d.escalations.length === 0;
}

export function digestMail(d: DigestInput): { subject: string; text: string } {
  const lines: string[] = [];
  const caseLink = (id: string) => `${d.consoleUrl}/console/cases/${encodeURIComponent(id)}`;
  const item = (i: DigestItem, breach: boolean) =>
    `- 案件 ${i.caseId}（${PROCEDURE_NAMES[i.procedure] ?? i.procedure}）：${kindZh(i.kind)}，${
      breach ? `${cnDate(i.dueDate)}（${cnWeekday(i.dueDate)}）24时已届满，尚未办结` : dueInWords(i.dueDate, i.left)
    }${i.provisional ? PROVISIONAL_NOTE : ''}；办理方：${i.actor}\n  ${caseLink(i.caseId)}`;
  lines.push(`${d.departmentName}：`, '', `以下是截至${cnDate(d.today)}（${cnWeekday(d.today)}）的期限提醒。`);
  if (d.provisionalDay) lines.push(`本日及其后两个工作日按法定节假日推算${PROVISIONAL_NOTE}。`);
  lines.push('', `一、两个工作日内到期的期限（${String(d.dueSoon.length + d.more.dueSoon)}项）`);
  lines.push(...(d.dueSoon.length ? d.dueSoon.map((i) => item(i, false)) : ['无']));
  if (d.more.dueSoon) lines.push(`另有${String(d.more.dueSoon)}项，请在控制台查看。`);
  lines.push('', `二、已超期未办结的期限（${String(d.breached.length + d.more.breached)}项）`);
  lines.push(...(d.breached.length ? d.breached.map((i) => item(i, true)) : ['无']));
  if (d.more.breached) lines.push(`另有${String(d.more.breached)}项，请在控制台查看。`);
  lines.push('', `三、尚未督办的事项（${String(d.escalations.length + d.more.escalations)}项）`);
  lines.push(
    ...(d.escalations.length
      ? d.escalations.map(
          (e) => `- ${ESCALATION_KIND_ZH[e.kind] ?? e.kind}${e.caseId ? `（案件 ${e.caseId}）` : ''}：${e.what}；${e.state}`,
        )
      : ['无']),
  );
  if (d.more.escalations) lines.push(`另有${String(d.more.escalations)}项，请在控制台查看。`);
  lines.push('', `控制台：${d.consoleUrl}/console`, '', '本邮件由信用信息平台每个工作日自动发送，请勿直接回复。');
  const count = d.dueSoon.length + d.more.dueSoon;
  const late = d.breached.length + d.more.breached;
  return {
    subject: `【期限提醒】${cnDate(d.today)}：${String(count)}项两个工作日内到期，${String(late)}项已超期`,
    text: lines.join('\n'),
  };
}

export interface WindowNoticeInput {
  subjectName: string;
  /** The day the window opened (Asia/Shanghai): a subject whose consent came later is told when it began. */
  openedOn: string;
  caseId: string;
  procedure: string;
  kind: string;
  dueDate: string;
  left: number | undefined;
  provisional: boolean;
  link: string;
}

/** A window opened for the subject: what it is, until when, what they can do, where. */
export function windowOpenedMail(n: WindowNoticeInput): { subject: string; text: string; sms: string } {
  const may = SUBJECT_MAY[n.kind] ?? '您可以在期限内办理相关事项。';
  const due = `${dueInWords(n.dueDate, n.left)}${n.provisional ? PROVISIONAL_NOTE : ''}`;
  return {
    subject: `【办理期限】${kindZh(n.kind)}已开始，${cnDate(n.dueDate)}届满`,
    text: [
      `${n.subjectName}：`,
      '',
      `您的${PROCEDURE_NAMES[n.procedure] ?? n.procedure}案件（${n.caseId}）中，${kindZh(n.kind)}已于${cnDate(n.openedOn)}开始计算，${due}。`,
      may,
      '',
      `请登录控制台查看并办理：${n.link}`,
      '',
      '本通知依您确认的电子送达地址发送，请勿直接回复。',
    ].join('\n'),
    sms: `【信用平台】${n.subjectName}：案件${n.caseId}的${kindZh(n.kind)}已开始，${cnDate(n.dueDate)}24时届满。${may}详见 ${n.link}`,
  };
}

/** A window closes within two working days. */
export function windowClosingMail(n: WindowNoticeInput): { subject: string; text: string; sms: string } {
  const may = SUBJECT_MAY[n.kind] ?? '您可以在期限内办理相关事项。';
  const due = `${dueInWords(n.dueDate, n.left)}${n.provisional ? PROVISIONAL_NOTE : ''}`;
  return {
    subject: `【期限即将届满】${kindZh(n.kind)}将于${cnDate(n.dueDate)}届满`,
    text: [
      `${n.subjectName}：`,
      '',
      `您的${PROCEDURE_NAMES[n.procedure] ?? n.procedure}案件（${n.caseId}）中，${kindZh(n.kind)}将于${due}。`,
      may,
      '期限届满后将不能再办理。',
      '',
      `请登录控制台查看并办理：${n.link}`,
      '',
      '本通知依您确认的电子送达地址发送，请勿直接回复。',
    ].join('\n'),
    sms: `【信用平台】${n.subjectName}：案件${n.caseId}的${kindZh(n.kind)}将于${cnDate(n.dueDate)}24时届满。${may}详见 ${n.link}`,
  };
}
