/**
 * Whether a repair application would pass the policy's eligibility on a day (Art 52; 国办发〔2025〕22号,
 * 《信用修复管理办法》): no exclusion of the deciding department's policy matches, the record's minimum publicity
 * (`publicMinUntil`) has passed, and, for a listing or an Art 48 entry, the minimum time on the list from the listing
 * date. Pure and in the words the repair workflow declines an application with (workflows/repair/workflow.ts,
 * `eligibility`), so what a subject is told before applying is what the workflow decides on filing.
 */
import { addDays } from './calendar/dates';
import type { RepairExclusion } from './calendar/policy';

/** What of a repair target the rule reads. */
export type EligibilityTarget =
  | { kind: 'record'; type: string; severity: string | null; publicMinUntil: string | null; listedFrom?: string }
  | { kind: 'listing'; category: string; listedFrom: string };

export interface EligibilityInput {
  target: EligibilityTarget;
  /** The deciding department's policy `repair_exclusions`. */
  exclusions: readonly RepairExclusion[];
  /** The day one would apply (Asia/Shanghai). */
  on: string;
  /**
   * Where the target has a listing date: the last day of the minimum time on the list (policy
   * `min_listing_before_repair` counted from `listedFrom` on the statutory calendar) and that minimum in words.
   */
  listingMinimum?: { until: string; words: string };
}

export interface EligibilityReason {
  code: 'excluded' | 'minimum_publicity' | 'minimum_listing';
  text: string;
}

export interface Eligibility {
  reasons: EligibilityReason[];
  /** The first day an application passes the minimum periods; absent when no minimum holds it back. */
  earliest?: string;
}

export function repairEligibility({ target: t, exclusions, on, listingMinimum }: EligibilityInput): Eligibility {
  const reasons: EligibilityReason[] = [];
  for (const x of exclusions) {
    const value =
      t.kind === 'record'
        ? x.field === 'type'
          ? t.type
          : x.field === 'severity'
            ? t.severity
            : null
        : x.field === 'category'
          ? t.category
          : null;
    if (x.target === t.kind && value === x.equals) reasons.push({ code: 'excluded', text: `不予信用修复：${x.reason}` });
  }
  let earliest: string | undefined;
  if (t.kind === 'record' && t.publicMinUntil && on <= t.publicMinUntil) {
    earliest = addDays(t.publicMinUntil, 1);
    reasons.push({ code: 'minimum_publicity', text: `最短公示期至${t.publicMinUntil}届满，${earliest}起方可申请信用修复。` });
  }
  if (t.listedFrom !== undefined && listingMinimum && on <= listingMinimum.until) {
    earliest = addDays(listingMinimum.until, 1);
    reasons.push({
      code: 'minimum_listing',
      text: `列入名单未满最短期限（${listingMinimum.words}，至${listingMinimum.until}），${earliest}起方可申请${t.kind === 'listing' ? '提前移出' : '信用修复'}。`,
    });
  }
  return { reasons, ...(earliest ? { earliest } : {}) };
}
