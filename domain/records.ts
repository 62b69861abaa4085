/**
 * Credit records (Art 32-35) as data and the rule that bounds their disclosure: a penalty's dishonesty
 * information is disclosed for the publicity period of its severity, counted from the decision date
 * (DOMAIN.md "Policy defaults"; 国办发〔2025〕22号). Basic and other information has no such limit. Pure.
 */
import { addMonthsClamped } from './calendar/dates';
import type { Policy, Quantity } from './calendar/policy';

export const recordCategories = ['basic', 'dishonesty', 'other'] as const;
export type RecordCategory = (typeof recordCategories)[number];
export const severities = ['minor', 'general', 'serious'] as const;
export type Severity = (typeof severities)[number];

/**
 * What a reader is told about a record's disclosure (API.md). `pending_review` and `returned` are never
 * disclosed (Art 36): only the supplying department and the subject see them.
 */
export const disclosures = ['pending_review', 'returned', 'published', 'under_objection', 'publicity_ended', 'deleted'] as const;
export type Disclosure = (typeof disclosures)[number];
/**
 * What the row keeps: `pending_review` until a second officer of the supplying department releases it
 * (`active`) or returns it (`returned`, final); `publicity_ended` covers a decision, a repair and the end of a listing.
 */
export type RecordStatus = 'pending_review' | 'returned' | 'active' | 'publicity_ended' | 'deleted';

export interface Publicity {
  /** Last day disclosed; null: no limit. */
  publicUntil: string | null;
  /** Earliest day the publicity may end by credit repair; null: no minimum. */
  publicMinUntil: string | null;
  basis: string | null;
  explanation: string[];
}

const SEVERITY_LABEL: Record<Severity, string> = { minor: '轻微', general: '一般', serious: '严重' };

function months(q: Quantity): number {
  switch (q.unit) {
    case 'months':
      return q.amount;
    case 'years':
      return q.amount * 12;
    default:
      // Publicity periods are set in months or years; a policy in days would need a calendar and is refused.
      throw new RangeError(`publicity periods are counted in months or years, not ${q.unit}`);
  }
}

function fmt(q: Quantity): string {
  return q.unit === 'years' ? `${q.amount}年` : `${q.amount}个月`;
}

/** The publicity period of a record decided on `decidedOn` (a date, Asia/Shanghai). */
export function publicityOf(category: RecordCategory, severity: Severity | undefined, decidedOn: string, policy: Policy): Publicity {
  if (category !== 'dishonesty') {
    return { publicUntil: null, publicMinUntil: null, basis: null, explanation: ['基本信息和其他信息不设公示期限。'] };
  }
  if (!severity) throw new RangeError('dishonesty information needs a severity to bound its publicity');
  const p = policy[`publicity_${severity}`];
  const max = addMonthsClamped(decidedOn, months(p));
  const floor = p.min && p.min.amount > 0 ? { period: p.min, until: addMonthsClamped(decidedOn, months(p.min)) } : null;
  const explanation = [
    `失信信息（${SEVERITY_LABEL[severity]}）自决定文书作出之日（${decidedOn}）起计算公示期。`,
    `最长公示${fmt(p)}，至${max.date}届满${max.clamped ? '（到期月无对应日，以月末为最后一日）' : ''}，届满后自动停止公示。`,
    floor ? `最短公示${fmt(floor.period)}，${floor.until.date}后方可申请信用修复提前停止公示。` : '不设最短公示期，可随时申请信用修复。',
  ];
  return { publicUntil: max.date, publicMinUntil: floor?.until.date ?? null, basis: p.source, explanation };
}

/** Deleted beats ended beats marked: a record no longer disclosed is not shown as contested to others. */
export function disclosureOf(r: { status: string; publicUntil: string | null; openObjectionId: string | null }, today: string): Disclosure {
  if (r.status === 'pending_review' || r.status === 'returned') return r.status;
  if (r.status === 'deleted') return 'deleted';
  if (r.status === 'publicity_ended' || (r.publicUntil !== null && r.publicUntil < today)) return 'publicity_ended';
  if (r.openObjectionId) return 'under_objection';
  return 'published';
}
