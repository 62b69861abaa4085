/**
 * The policy defaults of DOMAIN.md ("Policy defaults") as data. Every number is a default an operator
 * may change per procedure and per department; workflow code reads the resolved table, never a constant.
 */
import { z } from 'zod';
import type { PeriodUnit } from './types';
import { GUOBAN_2025_22, ORDER_36, repairCitationOn, repairRulesOn } from '../legal-sources';

export const procedures = ['listing', 'objection', 'repair'] as const;
export type PolicyProcedure = (typeof procedures)[number];

export const periodKeys = [
  'statement_window',
  'hearing_notice',
  'listing_period',
  'min_listing_before_repair',
  'reconsideration_window',
  'litigation_window',
  'revoke_after_penalty_revoked',
  'objection_mark',
  'objection_forward',
  'objection_decide',
  'objection_supplement',
  'repair_remove_disclosure',
  'repair_accept',
  'repair_decide',
  'public_announcement_service',
  'publicity_minor',
  'publicity_general',
  'publicity_serious',
] as const;
export type PeriodKey = (typeof periodKeys)[number];
export const periodUnits = ['working_days', 'days', 'months', 'years'] as const satisfies readonly PeriodUnit[];

export interface Quantity {
  unit: PeriodUnit;
  amount: number;
}

/**
 * How sure the system is of a default: `text` the article was read and is quoted in the source; `practice` it is
 * another jurisdiction's rule or a secondary source's account; `unverified` no text supporting it was found, so an
 * operator must confirm it before go-live (the README lists these).
 */
export const confidences = ['text', 'practice', 'unverified'] as const;
export type Confidence = (typeof confidences)[number];

/** What every entry of the table says about where it comes from. */
interface Sourced {
  source: string;
  confidence: Confidence;
  /** What the source does not settle (a policy choice, an unread text). */
  note?: string;
  /** Set by resolvePolicy: the overrides that changed this entry, most specific last. */
  overriddenBy?: string[];
}

export interface PeriodPolicy extends Quantity, Sourced {
  key: PeriodKey;
  label: string;
  countedFrom: string;
  /** Who must act within the period (authority: a miss is a breach) or whose right it bounds (subject). */
  party: 'authority' | 'subject';
  /** An extension may bring the period to this many units in total (objection_decide: 20 working days). */
  maxTotal?: number;
  /**
   * Set on a range (the publicity periods): `amount` is then the maximum and `min` the minimum; the
   * period of a case is chosen between them. `min.amount` 0 means the information may stay unpublished.
   */
  min?: Quantity;
}

export interface QuotaPolicy extends Sourced {
  key: 'free_reports_per_year';
  label: string;
  amount: number;
  per: 'calendar_year';
}

/** A kind of record or listing that credit repair may not end early (国办发〔2025〕22号 and local rules). */
export interface RepairExclusion {
  target: 'record' | 'listing';
  /** Record `type` or `severity`, or listing `category`. */
  field: 'type' | 'severity' | 'category';
  equals: string;
  reason: string;
}

export interface ExclusionPolicy extends Sourced {
  key: 'repair_exclusions';
  label: string;
  items: RepairExclusion[];
}

/**
 * From when supervisors are warned that a year's holiday notice is not loaded: this month and day of the
 * year before (the State Council publishes each November), for the whole system (global overrides only).
 */
export interface CalendarWarnPolicy extends Sourced {
  key: 'calendar_warn_from';
  label: string;
  month: number;
  day: number;
}

export type Policy = { readonly [K in PeriodKey]: Readonly<PeriodPolicy> } & {
  readonly free_reports_per_year: Readonly<QuotaPolicy>;
  readonly repair_exclusions: Readonly<ExclusionPolicy>;
  readonly calendar_warn_from: Readonly<CalendarWarnPolicy>;
};

const P = {
  punish: '《中华人民共和国行政处罚法》（2021年修订）',
  samr44: '《市场监督管理严重违法失信名单管理办法》（国家市场监督管理总局令第44号）',
  shanghai: '《上海市社会信用条例》（2017年）',
  gansu: '《甘肃省社会信用条例》（2022年1月1日起施行）',
  tiers:
    '第二部分：“轻微失信信息可以不予公示或法定责任义务履行完毕即可申请修复，确有必要公示的，公示期最长为3个月；一般失信信息公示期最短为3个月，最长为1年；严重失信信息公示期最短为1年，最长为3年。”',
};

function period(key: PeriodKey, unit: PeriodUnit, amount: number, rest: Omit<PeriodPolicy, 'key' | 'unit' | 'amount'>): PeriodPolicy {
  return { key, unit, amount, ...rest };
}

/** The repair-rule sources in force on `on`: 22号 and Order 36 from 2026-04-01, Order 58 before (legal-sources.ts). */
function repairSources(on: string): {
  cite: string;
  tiers: Pick<Sourced, 'source' | 'confidence' | 'note'>;
  exclusions: Pick<Sourced, 'source' | 'confidence' | 'note'>;
} {
  const cite = repairCitationOn(on);
  const has22 = repairRulesOn(on).includes(GUOBAN_2025_22);
  const has36 = repairRulesOn(on).includes(ORDER_36);
  return {
    cite,
    tiers: has22
      ? { source: `${GUOBAN_2025_22.title}${P.tiers}${has36 ? `；${ORDER_36.title}` : ''}`, confidence: 'text' }
      : { source: cite, confidence: 'unverified', note: '国办发〔2025〕22号施行前的公示期限未核对' },
    exclusions: has36
      ? {
          source: `${ORDER_36.title}第二条：“除法律、法规或党中央、国务院政策文件明确规定不可修复的情形外，满足相关条件的信用主体均可按要求申请信用修复。”`,
          confidence: 'text',
          note: '默认不设排除情形；各部门按其规定设定',
        }
      : { source: cite, confidence: 'unverified', note: '默认不设排除情形；各部门按其规定设定' },
  };
}

function defaultsOn(on: string): Policy {
  const repair = repairSources(on);
  /** How long a record is public, from its penalty decision, at least `min`; repaired earlier on the repair rules' tiers. */
  const publicity = (key: PeriodKey, unit: PeriodUnit, amount: number, { label, min }: { label: string; min: Quantity }): PeriodPolicy =>
    period(key, unit, amount, { label, countedFrom: '处罚决定书作出之日', party: 'authority', min, ...repair.tiers });
  return deepFreeze<Policy>({
    statement_window: period('statement_window', 'working_days', 5, {
      label: '陈述申辩、申请听证期限',
      countedFrom: '拟列入告知书送达之日',
      party: 'subject',
      source: `${P.punish}第六十四条第（一）项：“当事人要求听证的，应当在行政机关告知后五日内提出”；第八十五条：“五日”“七日”的规定是指工作日`,
      confidence: 'text',
      note: '行政处罚法未规定陈述申辩的期限：与申请听证同为5个工作日是本系统的政策选择',
    }),
    hearing_notice: period('hearing_notice', 'working_days', 7, {
      label: '举行听证前通知期限',
      countedFrom: '听证通知发出之日',
      party: 'authority',
      source: `${P.punish}第六十四条第（二）项：“行政机关应当在举行听证的七日前，通知当事人及有关人员听证的时间、地点”；第八十五条`,
      confidence: 'text',
    }),
    listing_period: period('listing_period', 'years', 3, {
      label: '严重失信主体名单列入期限',
      countedFrom: '认定文书送达之日',
      party: 'authority',
      source: `${P.samr44}实践；按名单分别设定`,
      confidence: 'practice',
    }),
    min_listing_before_repair: period('min_listing_before_repair', 'years', 1, {
      label: '申请提前移出（信用修复）前最短列入期限',
      countedFrom: '列入名单之日',
      party: 'subject',
      source: `${P.samr44}实践（市场监管部门办事指南：“被列严满一年且未满三年”可申请提前移出）`,
      confidence: 'practice',
      note: '条文未核对',
    }),
    reconsideration_window: period('reconsideration_window', 'days', 60, {
      label: '申请行政复议期限',
      countedFrom: '认定文书送达之日',
      party: 'subject',
      source: '《中华人民共和国行政复议法》（2023年修订）第二十条：“可以自知道或者应当知道该行政行为之日起六十日内提出行政复议申请”',
      confidence: 'text',
    }),
    litigation_window: period('litigation_window', 'months', 6, {
      label: '提起行政诉讼期限',
      countedFrom: '认定文书送达之日',
      party: 'subject',
      source: '《中华人民共和国行政诉讼法》第四十六条：“应当自知道或者应当知道作出行政行为之日起六个月内提出”',
      confidence: 'text',
    }),
    revoke_after_penalty_revoked: period('revoke_after_penalty_revoked', 'working_days', 3, {
      label: '行政处罚被撤销后撤销列入期限',
      countedFrom: '收到撤销行政处罚的书面通知之日',
      party: 'authority',
      source: `${P.samr44}第十九条：“……应当撤销对当事人的列入决定，于三个工作日内停止公示相关信息”`,
      confidence: 'practice',
      note: '条文据二手资料转引，未读原文',
    }),
    objection_mark: period('objection_mark', 'working_days', 1, {
      label: '异议标注期限',
      countedFrom: '收到异议申请之日',
      party: 'authority',
      source: `${P.shanghai}第三十六条：“应当在收到异议材料之日起的一个工作日内作出异议标注”`,
      confidence: 'practice',
      note: `本市异议依${P.gansu}第四章办理，其期限未核对`,
    }),
    objection_forward: period('objection_forward', 'working_days', 2, {
      label: '异议转送信息提供单位期限',
      countedFrom: '收到异议申请之日',
      party: 'authority',
      source: `${P.shanghai}第三十六条：“应当在收到异议材料之日起的二个工作日内转交信用信息提供单位办理”`,
      confidence: 'practice',
      note: `本市异议依${P.gansu}第四章办理，其期限未核对`,
    }),
    objection_decide: period('objection_decide', 'working_days', 5, {
      label: '信息提供单位核查答复期限',
      countedFrom: '信息提供单位收到转送之日',
      party: 'authority',
      maxTotal: 20,
      source: `${P.shanghai}第三十六条：“信用信息提供单位应当在收到转交的异议材料之日起的五个工作日内作出是否更正的决定”`,
      confidence: 'unverified',
      note: `5个工作日出自上海条例；“经批准可延长至共20个工作日”无已核对的出处（上海条例无延长规定）；本市依${P.gansu}第四章，其期限未核对`,
    }),
    objection_supplement: period('objection_supplement', 'working_days', 10, {
      label: '异议补正材料期限',
      countedFrom: '补正通知发出之日',
      party: 'subject',
      source: '地方实践（逾期未补正的，视为撤回异议申请）',
      confidence: 'unverified',
      note: '未找到规定此期限的条文',
    }),
    repair_remove_disclosure: period('repair_remove_disclosure', 'working_days', 3, {
      label: '信用修复后停止公示期限',
      countedFrom: '信用修复决定作出之日',
      party: 'authority',
      source: `${P.shanghai}第三十八条：“市公共信用信息服务平台应当在收到该书面证明之日起的三个工作日内在平台查询界面上删除该失信信息”`,
      confidence: 'practice',
      note: `${repair.cite}规定的期限未核对`,
    }),
    repair_accept: period('repair_accept', 'working_days', 3, {
      label: '信用修复申请受理（信用平台）期限',
      countedFrom: '收到信用修复申请之日',
      party: 'authority',
      source: `${repair.cite}（受理期限条文未核对）`,
      confidence: 'unverified',
      note: '二手资料称国办发〔2025〕22号要求“信用中国”网站10个工作日内办结，未能核对原文',
    }),
    repair_decide: period('repair_decide', 'working_days', 10, {
      label: '信用修复决定（认定单位或信息提供单位）期限',
      countedFrom: '受理之日',
      party: 'authority',
      source: `${repair.cite}（谁认定、谁修复；决定期限条文未核对）`,
      confidence: 'unverified',
      note: '二手资料称行业主管部门3个工作日内作出决定，市场监管领域另有规定（7个工作日），均未能核对原文',
    }),
    public_announcement_service: period('public_announcement_service', 'days', 30, {
      label: '公告送达视为送达期限',
      countedFrom: '公告发出之日',
      party: 'authority',
      source: '《中华人民共和国民事诉讼法》（2023年修正）第九十五条：“自发出公告之日起，经过三十日，即视为送达”；按部门设定',
      confidence: 'practice',
      note: '行政程序参照民事诉讼法的公告送达规定',
    }),
    publicity_minor: publicity('publicity_minor', 'months', 3, {
      label: '轻微失信信息公示期限（最长）',
      min: { unit: 'months', amount: 0 },
    }),
    publicity_general: publicity('publicity_general', 'years', 1, {
      label: '一般失信信息公示期限（最短3个月、最长1年）',
      min: { unit: 'months', amount: 3 },
    }),
    publicity_serious: publicity('publicity_serious', 'years', 3, {
      label: '严重失信信息公示期限（最短1年、最长3年）',
      min: { unit: 'years', amount: 1 },
    }),
    free_reports_per_year: {
      key: 'free_reports_per_year',
      label: '每年免费信用报告次数',
      amount: 2,
      per: 'calendar_year',
      source: '《张掖市社会信用体系建设条例（草案）》第五十条：“信用主体有权每年……免费获取两次自身的信用报告”',
      confidence: 'text',
    },
    repair_exclusions: { key: 'repair_exclusions', label: '不予信用修复的情形', items: [], ...repair.exclusions },
    calendar_warn_from: {
      key: 'calendar_warn_from',
      label: '次年节假日安排未载入的提醒起始日（上一年）',
      month: 11,
      day: 1,
      source: '国务院办公厅通常于每年11月发布次年部分节假日安排的通知（实践）',
      confidence: 'practice',
    },
  });
}

const byRules = new Map<string, Policy>();

/**
 * The DOMAIN.md defaults citing the rules in force on `on` (an Asia/Shanghai date: a case's start); without a
 * date, the newest rules. Frozen all the way down, so a caller cannot change them by accident.
 */
export function defaultPolicy(on = '9999-12-31'): Policy {
  const key = repairRulesOn(on)
    .map((r) => r.key)
    .join(',');
  let p = byRules.get(key);
  if (!p) byRules.set(key, (p = defaultsOn(on)));
  return p;
}

export { periodOf } from './period-of';

/** What describes an entry for people reading the table (the settings page), and no case reads. */
const DESCRIPTION = ['label', 'note', 'confidence', 'overriddenBy', 'countedFrom'] as const;

/**
 * What a case keeps of an entry: its values (a period's quantity, range or extension limit, whose period it is, and
 * its source, which becomes the basis of a deadline), without what describes it.
 */
export type PolicyTerm<K extends keyof Policy> = Readonly<Omit<Policy[K], (typeof DESCRIPTION)[number]>>;
export type PeriodTerm = PolicyTerm<PeriodKey>;

/** The entries `K` of the policy, as a case receives them. */
export type PolicyTerms<K extends keyof Policy> = { readonly [P in K]: PolicyTerm<P> };

/**
 * The entries a procedure reads, cut from the resolved table for a case's input (issue 23): the whole table, with
 * its labels and notes, was most of a case's start input (6 KB of 6.5 for a listing), carried by every start,
 * stored in the case's history and in its opening facts.
 */
export function policyTerms<K extends keyof Policy>(policy: Policy, keys: readonly K[]): PolicyTerms<K> {
  const described = new Set<string>(DESCRIPTION);
  const term = (entry: object) => Object.fromEntries(Object.entries(entry).filter(([field]) => !described.has(field)));
  return Object.fromEntries(keys.map((k) => [k, term(policy[k])])) as PolicyTerms<K>;
}

// ---------------------------------------------------------------------------------------------
// Overrides
// ---------------------------------------------------------------------------------------------

const quantitySchema = z.strictObject({ unit: z.enum(periodUnits), amount: z.number().int().min(0).max(10_000) });

// maxTotal below amount is judged on the resolved table (resolvePolicy), which the API answers with a 422.
const periodValueSchema = z.strictObject({
  unit: z.enum(periodUnits).optional(),
  amount: z.number().int().min(1).max(10_000).optional(),
  maxTotal: z.number().int().min(1).max(10_000).optional(),
  min: quantitySchema.optional(),
  source: z.string().regex(/\S/, 'must not be blank').trim().min(1).max(500).optional(),
  confidence: z.enum(confidences).optional(),
});

const valuesShape = Object.fromEntries(periodKeys.map((k) => [k, periodValueSchema.optional()])) as {
  [K in PeriodKey]: z.ZodOptional<typeof periodValueSchema>;
};

/** Operator input: one override of the policy table, for all, one procedure, one department, or both. */
export const policyOverrideSchema = z.strictObject({
  procedure: z.enum(procedures).optional(),
  department: z.string().regex(/\S/, 'must not be blank').trim().min(1).max(64).optional(),
  /** The act that sets the values (a department's rules, a notice), kept with every entry it changes. */
  source: z.string().regex(/\S/, 'must not be blank').trim().min(1).max(500).optional(),
  values: z.strictObject({
    ...valuesShape,
    free_reports_per_year: z
      .strictObject({
        amount: z.number().int().min(0).max(1_000).optional(),
        source: z.string().regex(/\S/, 'must not be blank').trim().min(1).max(500).optional(),
        confidence: z.enum(confidences).optional(),
      })
      .optional(),
    repair_exclusions: z
      .strictObject({
        items: z
          .array(
            z.strictObject({
              target: z.enum(['record', 'listing']),
              field: z.enum(['type', 'severity', 'category']),
              equals: z.string().regex(/\S/, 'must not be blank').trim().min(1).max(100),
              reason: z.string().regex(/\S/, 'must not be blank').trim().min(1).max(500),
            }),
          )
          .max(100)
          .optional(),
        source: z.string().regex(/\S/, 'must not be blank').trim().min(1).max(500).optional(),
        confidence: z.enum(confidences).optional(),
      })
      .optional(),
    calendar_warn_from: z
      .strictObject({
        month: z.number().int().min(1).max(12).optional(),
        day: z.number().int().min(1).max(28).optional(),
        source: z.string().regex(/\S/, 'must not be blank').trim().min(1).max(500).optional(),
        confidence: z.enum(confidences).optional(),
      })
      .optional(),
  }),
});
export type PolicyOverride = z.infer<typeof policyOverrideSchema>;

export interface PolicyContext {
  /** `''` (and department `''`): none, so that only the overrides for every procedure (and department) apply. */
  procedure: PolicyProcedure | '';
  department: string;
  /** The date the sources must be in force on (Asia/Shanghai): a case's start. The newest rules when absent. */
  on?: string;
}

/** Global < procedure < department < department+procedure; the most specific is applied last. */
function specificity(o: PolicyOverride): number {
  return (o.procedure ? 1 : 0) + (o.department ? 2 : 0);
}

function scope(o: PolicyOverride): string {
  const where = [o.department && `department=${o.department}`, o.procedure && `procedure=${o.procedure}`].filter(Boolean);
  return `${where.length ? where.join(',') : 'all'}${o.source ? ` (${o.source})` : ''}`;
}

/**
 * The policy in force for one procedure of one department. Overrides that name another procedure or
 * department are ignored; of those that apply, a more specific one wins, and among equally specific
 * ones the later in the list wins. The result is frozen and each changed entry lists its overrides.
 * @throws RangeError when the result is incoherent (maxTotal below amount).
 */
export function resolvePolicy(base: Policy, overrides: PolicyOverride[], ctx: PolicyContext): Policy {
  const applicable = overrides
    .map((o, i) => ({ o, i }))
    .filter(({ o }) => (!o.procedure || o.procedure === ctx.procedure) && (!o.department || o.department === ctx.department))
    .sort((a, b) => specificity(a.o) - specificity(b.o) || a.i - b.i)
    .map(({ o }) => o);

  // A JSON copy: the table is plain data, and structuredClone is missing from some sandboxes (Temporal workflows).
  const out = JSON.parse(JSON.stringify(base)) as {
    -readonly [K in keyof Policy]: Policy[K] & { overriddenBy?: string[] };
  };
  for (const o of applicable) {
    for (const [key, v] of Object.entries(o.values) as [keyof Policy, Record<string, unknown> | undefined][]) {
      if (!v) continue;
      const entry = out[key];
      const { source, confidence, ...values } = v;
      const by = scope(o);
      const named = (source as string | undefined) ?? o.source;
      // The default's note spoke of the default. An operator who names the act setting the values vouches for them;
      // values changed with no act named are unverified until one is.
      delete (entry as { note?: string }).note;
      Object.assign(entry, values, named ? { source: named } : {}, {
        confidence: (confidence as Confidence | undefined) ?? (named ? 'text' : 'unverified'),
        overriddenBy: [...(entry.overriddenBy ?? []), by],
      });
    }
  }
  for (const k of periodKeys) {
    const e = out[k];
    if (e.maxTotal !== undefined && e.maxTotal < e.amount) {
      throw new RangeError(`policy ${k}: maxTotal ${e.maxTotal} is below amount ${e.amount}`);
    }
  }
  return deepFreeze(out as Policy);
}

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object' && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const v of Object.values(o)) deepFreeze(v);
  }
  return o;
}
