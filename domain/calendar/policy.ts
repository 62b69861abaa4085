/**
 * The policy defaults of DOMAIN.md ("Policy defaults") as data. Every number is a default an operator
 * may change per procedure and per department; workflow code reads the resolved table, never a constant.
 */
import { z } from 'zod';
import type { PeriodSpec, PeriodUnit } from './types';

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

export interface PeriodPolicy extends Quantity {
  key: PeriodKey;
  label: string;
  countedFrom: string;
  source: string;
  /** Who must act within the period (authority: a miss is a breach) or whose right it bounds (subject). */
  party: 'authority' | 'subject';
  /** An extension may bring the period to this many units in total (objection_decide: 20 working days). */
  maxTotal?: number;
  /**
   * Set on a range (the publicity periods): `amount` is then the maximum and `min` the minimum; the
   * period of a case is chosen between them. `min.amount` 0 means the information may stay unpublished.
   */
  min?: Quantity;
  /** Set by resolvePolicy: the overrides that changed this entry, most specific last. */
  overriddenBy?: string[];
}

export interface QuotaPolicy {
  key: 'free_reports_per_year';
  label: string;
  amount: number;
  per: 'calendar_year';
  source: string;
  overriddenBy?: string[];
}

/** A kind of record or listing that credit repair may not end early (国办发〔2025〕22号 and local rules). */
export interface RepairExclusion {
  target: 'record' | 'listing';
  /** Record `type` or `severity`, or listing `category`. */
  field: 'type' | 'severity' | 'category';
  equals: string;
  reason: string;
}

export interface ExclusionPolicy {
  key: 'repair_exclusions';
  label: string;
  items: RepairExclusion[];
  source: string;
  overriddenBy?: string[];
}

/**
 * From when supervisors are warned that a year's holiday notice is not loaded: this month and day of the
 * year before (the State Council publishes each November), for the whole system (global overrides only).
 */
export interface CalendarWarnPolicy {
  key: 'calendar_warn_from';
  label: string;
  month: number;
  day: number;
  source: string;
  overriddenBy?: string[];
}

export type Policy = { readonly [K in PeriodKey]: Readonly<PeriodPolicy> } & {
  readonly free_reports_per_year: Readonly<QuotaPolicy>;
  readonly repair_exclusions: Readonly<ExclusionPolicy>;
  readonly calendar_warn_from: Readonly<CalendarWarnPolicy>;
};

const P = {
  punish: '《中华人民共和国行政处罚法》',
  samr44: '《市场监督管理严重违法失信名单管理办法》（国家市场监督管理总局令第44号）',
  shanghai: '《上海市社会信用条例》',
  repair: '国办发〔2025〕22号；《信用修复管理办法》（2026年）',
};

function period(key: PeriodKey, unit: PeriodUnit, amount: number, rest: Omit<PeriodPolicy, 'key' | 'unit' | 'amount'>): PeriodPolicy {
  return { key, unit, amount, ...rest };
}

const DEFAULTS: Policy = deepFreeze({
  statement_window: period('statement_window', 'working_days', 5, {
    label: '陈述申辩、申请听证期限', countedFrom: '拟列入告知书送达之日', party: 'subject',
    source: `${P.punish}第六十四条、第八十五条（“五日”指工作日）`,
  }),
  hearing_notice: period('hearing_notice', 'working_days', 7, {
    label: '举行听证前通知期限', countedFrom: '听证通知发出之日', party: 'authority',
    source: `${P.punish}第六十四条（举行听证的七日前通知）、第八十五条`,
  }),
  listing_period: period('listing_period', 'years', 3, {
    label: '严重失信主体名单列入期限', countedFrom: '认定文书送达之日', party: 'authority',
    source: `${P.samr44}实践；按名单分别设定`,
  }),
  min_listing_before_repair: period('min_listing_before_repair', 'years', 1, {
    label: '申请提前移出（信用修复）前最短列入期限', countedFrom: '列入名单之日', party: 'subject',
    source: `${P.samr44}实践`,
  }),
  reconsideration_window: period('reconsideration_window', 'days', 60, {
    label: '申请行政复议期限', countedFrom: '认定文书送达之日', party: 'subject',
    source: '《中华人民共和国行政复议法》',
  }),
  litigation_window: period('litigation_window', 'months', 6, {
    label: '提起行政诉讼期限', countedFrom: '认定文书送达之日', party: 'subject',
    source: '《中华人民共和国行政诉讼法》第四十六条',
  }),
  revoke_after_penalty_revoked: period('revoke_after_penalty_revoked', 'working_days', 3, {
    label: '行政处罚被撤销后撤销列入期限', countedFrom: '收到撤销行政处罚的书面通知之日', party: 'authority',
    source: `${P.samr44}第十九条`,
  }),
  objection_mark: period('objection_mark', 'working_days', 1, {
    label: '异议标注期限', countedFrom: '收到异议申请之日', party: 'authority', source: `${P.shanghai}第三十六条`,
  }),
  objection_forward: period('objection_forward', 'working_days', 2, {
    label: '异议转送信息提供单位期限', countedFrom: '收到异议申请之日', party: 'authority', source: `${P.shanghai}第三十六条`,
  }),
  objection_decide: period('objection_decide', 'working_days', 5, {
    label: '信息提供单位核查答复期限', countedFrom: '信息提供单位收到转送之日', party: 'authority', maxTotal: 20,
    source: `${P.shanghai}第三十六条；浙江省规定：5个工作日，经批准可延长至共20个工作日`,
  }),
  objection_supplement: period('objection_supplement', 'working_days', 10, {
    label: '异议补正材料期限', countedFrom: '补正通知发出之日', party: 'subject',
    source: '无全国统一规定：地方实践（逾期未补正的，视为撤回异议申请）',
  }),
  repair_remove_disclosure: period('repair_remove_disclosure', 'working_days', 3, {
    label: '信用修复后停止公示期限', countedFrom: '信用修复决定作出之日', party: 'authority', source: `${P.shanghai}第三十八条`,
  }),
  repair_accept: period('repair_accept', 'working_days', 3, {
    label: '信用修复申请受理期限', countedFrom: '收到信用修复申请之日', party: 'authority',
    source: '无全国统一规定：地方实践',
  }),
  repair_decide: period('repair_decide', 'working_days', 10, {
    label: '信用修复决定期限', countedFrom: '受理之日', party: 'authority', source: '无全国统一规定：地方实践',
  }),
  public_announcement_service: period('public_announcement_service', 'days', 30, {
    label: '公告送达视为送达期限', countedFrom: '公告发出之日', party: 'authority',
    source: '《中华人民共和国民事诉讼法》公告送达规定（经过三十日视为送达）；按部门设定',
  }),
  publicity_minor: period('publicity_minor', 'months', 3, {
    label: '轻微失信信息公示期限（最长）', countedFrom: '处罚决定书作出之日', party: 'authority',
    min: { unit: 'months', amount: 0 }, source: P.repair,
  }),
  publicity_general: period('publicity_general', 'years', 1, {
    label: '一般失信信息公示期限（最短3个月、最长1年）', countedFrom: '处罚决定书作出之日', party: 'authority',
    min: { unit: 'months', amount: 3 }, source: P.repair,
  }),
  publicity_serious: period('publicity_serious', 'years', 3, {
    label: '严重失信信息公示期限（最短1年、最长3年）', countedFrom: '处罚决定书作出之日', party: 'authority',
    min: { unit: 'years', amount: 1 }, source: P.repair,
  }),
  free_reports_per_year: {
    key: 'free_reports_per_year', label: '每年免费信用报告次数', amount: 2, per: 'calendar_year',
    source: '《张掖市社会信用体系建设条例（草案）》第五十条',
  },
  // None by default: the national list of what cannot be repaired is set per department by its own rules.
  repair_exclusions: { key: 'repair_exclusions', label: '不予信用修复的情形', items: [], source: '按部门规定设定' },
  calendar_warn_from: {
    key: 'calendar_warn_from',
    label: '次年节假日安排未载入的提醒起始日（上一年）',
    month: 11,
    day: 1,
    source: '国务院办公厅通常于每年11月发布次年部分节假日安排的通知（实践）',
  },
});

/** The DOMAIN.md defaults; frozen all the way down, so a caller cannot change them by accident. */
export function defaultPolicy(): Policy {
  return DEFAULTS;
}

/** The period of a policy entry, in the shape the calendar and the legal clocks take. */
export function periodOf(p: Quantity): PeriodSpec {
  return { unit: p.unit, amount: p.amount };
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
      .strictObject({ amount: z.number().int().min(0).max(1_000).optional(), source: z.string().regex(/\S/, 'must not be blank').trim().min(1).max(500).optional() })
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
      })
      .optional(),
    calendar_warn_from: z
      .strictObject({
        month: z.number().int().min(1).max(12).optional(),
        day: z.number().int().min(1).max(28).optional(),
        source: z.string().regex(/\S/, 'must not be blank').trim().min(1).max(500).optional(),
      })
      .optional(),
  }),
});
export type PolicyOverride = z.infer<typeof policyOverrideSchema>;

export interface PolicyContext {
  procedure: PolicyProcedure | string;
  department: string;
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
  const out = JSON.parse(JSON.stringify(base)) as { -readonly [K in keyof Policy]: Policy[K] & { overriddenBy?: string[] } };
  for (const o of applicable) {
    for (const [key, v] of Object.entries(o.values) as [keyof Policy, Record<string, unknown> | undefined][]) {
      if (!v) continue;
      const entry = out[key];
      const { source, ...values } = v;
      const by = scope(o);
      Object.assign(entry, values, source || o.source ? { source: (source as string | undefined) ?? o.source } : {}, {
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
