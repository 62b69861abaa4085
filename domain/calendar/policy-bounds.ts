/**
 * What an override of the policy table may set: for each entry the units it may be counted in (the clocks and the
 * documents read it in those) and its legal floor and ceiling with the act that sets them. Where no text read sets a
 * bound the entry says so and only a sane range is kept, so a typo cannot stop a procedure or make a period absurd.
 * Checked when an override is proposed and again when it is approved (api/settings/).
 */
import type { Words } from '../../contract/problem';
import type { PeriodUnit } from './types';
import type { Policy, PeriodKey, Quantity } from './policy';
import { periodKeys } from './policy';
import { GUOBAN_2025_22, ORDER_36 } from '../legal-sources';

export interface Bound extends Quantity {
  /** The act and article that set it, or why the bound is only a sane limit. */
  source: string;
  /** `law`: the cited text sets it, an override may not cross it; `sane`: no text read sets one. */
  basis: 'law' | 'sane';
}

export interface PeriodBounds {
  /** The units the entry may be set in: the clocks and documents read it in these (months and years are one kind). */
  units: readonly PeriodUnit[];
  floor: Bound;
  ceiling: Bound;
  /** For a range (publicity): bounds of its minimum `min`. */
  minFloor?: Bound;
  minCeiling?: Bound;
  /** Bounds of the total an extension may reach (`maxTotal`). */
  maxTotalCeiling?: Bound;
}

export interface QuotaBounds {
  floor: { amount: number; source: string; basis: 'law' | 'sane' };
  ceiling: { amount: number; source: string; basis: 'law' | 'sane' };
}

const PUNISH = '《中华人民共和国行政处罚法》（2021年修订）';
const NO_TEXT = '未找到设定此期限上下限的条文：仅要求合理范围';
const TIERS = `${GUOBAN_2025_22.title}第二部分`;

const law = (unit: PeriodUnit, amount: number, source: string): Bound => ({ unit, amount, source, basis: 'law' });
const sane = (unit: PeriodUnit, amount: number): Bound => ({ unit, amount, source: NO_TEXT, basis: 'sane' });

/** An authority's or subject's period with no text setting its bounds, counted in working days. */
const workingDaysSane = (max = 60): PeriodBounds => ({
  units: ['working_days'],
  floor: sane('working_days', 1),
  ceiling: sane('working_days', max),
});
const monthsOrYears = ['months', 'years'] as const;

export const periodBounds: { readonly [K in PeriodKey]: PeriodBounds } = {
  statement_window: {
    units: ['working_days'],
    floor: law('working_days', 5, `${PUNISH}第六十四条第（一）项（告知后五日内提出听证）、第八十五条（五日指工作日）`),
    ceiling: sane('working_days', 60),
  },
  hearing_notice: {
    units: ['working_days'],
    floor: law('working_days', 7, `${PUNISH}第六十四条第（二）项（举行听证的七日前通知）、第八十五条`),
    ceiling: sane('working_days', 60),
  },
  listing_period: { units: monthsOrYears, floor: sane('months', 1), ceiling: sane('years', 10) },
  min_listing_before_repair: { units: monthsOrYears, floor: sane('months', 1), ceiling: sane('years', 10) },
  reconsideration_window: {
    units: ['days'],
    floor: law('days', 60, '《中华人民共和国行政复议法》（2023年修订）第二十条（六十日内提出；法律规定的申请期限超过六十日的除外）'),
    ceiling: sane('days', 365),
  },
  litigation_window: {
    units: monthsOrYears,
    floor: law('months', 6, '《中华人民共和国行政诉讼法》第四十六条第一款（六个月内提出；法律另有规定的除外）'),
    ceiling: law(
      'years',
      5,
      '《中华人民共和国行政诉讼法》第四十六条第二款（其他案件自行政行为作出之日起超过五年提起诉讼的，人民法院不予受理）',
    ),
  },
  revoke_after_penalty_revoked: workingDaysSane(30),
  objection_mark: workingDaysSane(30),
  objection_forward: workingDaysSane(30),
  objection_decide: { ...workingDaysSane(60), maxTotalCeiling: sane('working_days', 60) },
  objection_supplement: workingDaysSane(60),
  repair_remove_disclosure: workingDaysSane(30),
  repair_accept: workingDaysSane(30),
  repair_decide: workingDaysSane(60),
  public_announcement_service: { units: ['days'], floor: sane('days', 1), ceiling: sane('days', 90) },
  publicity_minor: {
    units: monthsOrYears,
    floor: sane('months', 1),
    ceiling: law('months', 3, `${TIERS}：轻微失信信息确有必要公示的，公示期最长为3个月`),
    minFloor: sane('months', 0),
    minCeiling: law('months', 3, `${TIERS}：轻微失信信息公示期最长为3个月`),
  },
  publicity_general: {
    units: monthsOrYears,
    floor: law('months', 3, `${TIERS}：一般失信信息公示期最短为3个月`),
    ceiling: law('years', 1, `${TIERS}：一般失信信息公示期最长为1年`),
    minFloor: law('months', 3, `${TIERS}：一般失信信息公示期最短为3个月`),
    minCeiling: law('years', 1, `${TIERS}：一般失信信息公示期最长为1年`),
  },
  publicity_serious: {
    units: monthsOrYears,
    floor: law('years', 1, `${TIERS}：严重失信信息公示期最短为1年`),
    ceiling: law('years', 3, `${TIERS}：严重失信信息公示期最长为3年`),
    minFloor: law('years', 1, `${TIERS}：严重失信信息公示期最短为1年`),
    minCeiling: law('years', 3, `${TIERS}：严重失信信息公示期最长为3年`),
  },
};

export const quotaBounds: QuotaBounds = {
  floor: {
    amount: 2,
    source: '《张掖市社会信用体系建设条例（草案）》第五十条（每年免费获取两次自身的信用报告）',
    basis: 'law',
  },
  ceiling: { amount: 1_000, source: NO_TEXT, basis: 'sane' },
};

/** Working days, days and months (a year is 12) are each their own measure; periods of different measures do not compare. */
function measureOf(unit: PeriodUnit): 'working_days' | 'days' | 'months' {
  return unit === 'years' ? 'months' : unit;
}
function inMeasure(q: Quantity): number {
  return q.unit === 'years' ? q.amount * 12 : q.amount;
}

const fmt = (q: Quantity) => `${q.amount} ${q.unit}`;

export interface BoundProblem {
  /** Where in an override's `values` the problem is (`statement_window.amount`). */
  path: string;
  message: Words;
}

const UNIT_ZH: Record<string, string> = { working_days: '个工作日', days: '日', months: '个月', years: '年' };
const fmtZh = (q: Quantity) => `${q.amount}${UNIT_ZH[q.unit] ?? ` ${q.unit}`}`;

function against(
  key: string,
  field: string,
  q: Quantity,
  { floor, ceiling }: { floor: Bound | undefined; ceiling: Bound | undefined },
): BoundProblem[] {
  const out: BoundProblem[] = [];
  if (floor && measureOf(floor.unit) === measureOf(q.unit) && inMeasure(q) < inMeasure(floor)) {
    out.push({
      path: `${key}.${field}`,
      message: {
        zh: `${key}${field === 'min' ? ' 的下限' : ''} ${fmtZh(q)} 低于${floor.basis === 'law' ? '法定下限' : '合理的最小值'} ${fmtZh(floor)}（${floor.source}）`,
        en: `${key}${field === 'min' ? ' minimum' : ''} ${fmt(q)} is below its ${floor.basis === 'law' ? 'statutory minimum' : 'least sane value'} of ${fmt(floor)} (${floor.source})`,
      },
    });
  }
  if (ceiling && measureOf(ceiling.unit) === measureOf(q.unit) && inMeasure(q) > inMeasure(ceiling)) {
    out.push({
      path: `${key}.${field}`,
      message: {
        zh: `${key}${field === 'min' ? ' 的下限' : ''} ${fmtZh(q)} 高于${ceiling.basis === 'law' ? '法定上限' : '合理的最大值'} ${fmtZh(ceiling)}（${ceiling.source}）`,
        en: `${key}${field === 'min' ? ' minimum' : ''} ${fmt(q)} is above its ${ceiling.basis === 'law' ? 'statutory maximum' : 'greatest sane value'} of ${fmt(ceiling)} (${ceiling.source})`,
      },
    });
  }
  return out;
}

/**
 * The problems of one resolved entry against its bounds: its unit, its amount, the minimum of a range and the total
 * of an extension. Empty when the entry may stand.
 */
export function periodEntryProblems(key: PeriodKey, entry: Quantity & { min?: Quantity; maxTotal?: number }): BoundProblem[] {
  const b = periodBounds[key];
  if (!b.units.includes(entry.unit)) {
    return [
      {
        path: `${key}.unit`,
        message: {
          zh: `${key} 以 ${b.units.join(' 或 ')} 计算；使用它的期限计算和文书无法读取 ${entry.unit}`,
          en: `${key} is counted in ${b.units.join(' or ')}; ${entry.unit} cannot be read by the clocks and documents that use it`,
        },
      },
    ];
  }
  const out = against(key, 'amount', entry, { floor: b.floor, ceiling: b.ceiling });
  if (entry.min) {
    if (!b.minFloor) {
      out.push({
        path: `${key}.min`,
        message: { zh: `${key} 是单一期限而非区间：没有下限`, en: `${key} is a single period, not a range: it has no minimum` },
      });
    } else if (!b.units.includes(entry.min.unit))
      out.push({
        path: `${key}.min.unit`,
        message: {
          zh: `${key} 的下限以 ${b.units.join(' 或 ')} 计算，不是 ${entry.min.unit}`,
          en: `${key} minimum is counted in ${b.units.join(' or ')}, not ${entry.min.unit}`,
        },
      });
    else {
      out.push(...against(key, 'min', entry.min, { floor: b.minFloor, ceiling: b.minCeiling }));
      if (inMeasure(entry.min) > inMeasure(entry))
        out.push({
          path: `${key}.min`,
          message: {
            zh: `${key} 的下限 ${fmtZh(entry.min)} 高于其上限 ${fmtZh(entry)}`,
            en: `${key} minimum ${fmt(entry.min)} is above its maximum ${fmt(entry)}`,
          },
        });
    }
  }
  if (entry.maxTotal !== undefined) {
    if (!b.maxTotalCeiling) {
      out.push({
        path: `${key}.maxTotal`,
        message: { zh: `${key} 不能延长：不接受 maxTotal`, en: `${key} cannot be extended: it takes no maxTotal` },
      });
    } else if (entry.maxTotal > b.maxTotalCeiling.amount) {
      out.push({
        path: `${key}.maxTotal`,
        message: {
          zh: `${key} 的 maxTotal ${entry.maxTotal} 超过 ${fmtZh(b.maxTotalCeiling)}（${b.maxTotalCeiling.source}）`,
          en: `${key} maxTotal ${entry.maxTotal} is above ${b.maxTotalCeiling.amount} ${b.maxTotalCeiling.unit} (${b.maxTotalCeiling.source})`,
        },
      });
    }
  }
  return out;
}

export function quotaProblems(amount: number): BoundProblem[] {
  const { floor, ceiling } = quotaBounds;
  if (amount < floor.amount)
    return [
      {
        path: 'free_reports_per_year.amount',
        message: {
          zh: `free_reports_per_year ${amount} 低于法定下限 ${floor.amount}（${floor.source}）`,
          en: `free_reports_per_year ${amount} is below its statutory minimum of ${floor.amount} (${floor.source})`,
        },
      },
    ];
  if (amount > ceiling.amount)
    return [
      {
        path: 'free_reports_per_year.amount',
        message: {
          zh: `free_reports_per_year ${amount} 高于 ${ceiling.amount}（${ceiling.source}）`,
          en: `free_reports_per_year ${amount} is above ${ceiling.amount} (${ceiling.source})`,
        },
      },
    ];
  return [];
}

/** Bounds between entries: repair may not be allowed later than the listing ends. */
export function crossEntryProblems(p: Policy): BoundProblem[] {
  if (inMeasure(p.min_listing_before_repair) > inMeasure(p.listing_period)) {
    return [
      {
        path: 'min_listing_before_repair.amount',
        message: {
          zh: `min_listing_before_repair ${fmtZh(p.min_listing_before_repair)} 长于 listing_period ${fmtZh(p.listing_period)}`,
          en: `min_listing_before_repair ${fmt(p.min_listing_before_repair)} is longer than listing_period ${fmt(p.listing_period)}`,
        },
      },
    ];
  }
  return [];
}

/** Every entry of a resolved table against its bounds (the defaults satisfy them: test/unit/policy-bounds.test.ts). */
export function policyTableProblems(p: Policy, only?: ReadonlySet<string>): BoundProblem[] {
  const out: BoundProblem[] = [];
  for (const k of periodKeys) if (!only || only.has(k)) out.push(...periodEntryProblems(k, p[k]));
  if (!only || only.has('free_reports_per_year')) out.push(...quotaProblems(p.free_reports_per_year.amount));
  if (!only || only.has('min_listing_before_repair') || only.has('listing_period')) out.push(...crossEntryProblems(p));
  return out;
}

/** Entries that are not an amount: what bounds them instead. */
const unboundedNotes: Record<string, string> = {
  repair_exclusions: `不设数量上下限：${ORDER_36.title}第二条，仅法律、法规或党中央、国务院政策文件明确规定的情形不可修复，每项须写明理由`,
  calendar_warn_from: '未找到设定此日期的条文：月1–12、日1–28',
};

export interface LegalBoundsView {
  units?: readonly PeriodUnit[];
  floor: unknown;
  ceiling: unknown;
  minFloor?: unknown;
  minCeiling?: unknown;
  maxTotalCeiling?: unknown;
  note?: string;
}

/** What `GET /v1/policy` shows of an entry's bounds: every entry of the table has them, or says why it has none. */
export function legalBoundsOf(key: string): LegalBoundsView | undefined {
  if (key === 'free_reports_per_year') return { floor: quotaBounds.floor, ceiling: quotaBounds.ceiling };
  const note = unboundedNotes[key];
  if (note) return { floor: null, ceiling: null, note };
  return (periodBounds as Record<string, PeriodBounds | undefined>)[key];
}

// ---------------------------------------------------------------------------------------------
// Sources
// ---------------------------------------------------------------------------------------------

// An act by its title in 《》, by a document number (国办发〔2025〕22号, 令第36号), or by a name ending as acts do.
const ACT_PATTERNS = [
  /《[^》]{2,}》/,
  /〔\d{4}〕\d+号/,
  /令第\s*\d+\s*号/,
  /[\u4e00-\u9fff]{2,}(法|条例|办法|规定|细则|决定|通知|规则|意见|标准)/,
];

/** Whether a `source` names an act, so that `confidence: "text"` can rest on it. */
export function namesAnAct(source: string): boolean {
  return ACT_PATTERNS.some((r) => r.test(source));
}

/** A source must say something: letters or characters, not only digits and punctuation. */
export function saysSomething(source: string): boolean {
  return /[\p{L}]{2,}/u.test(source);
}
