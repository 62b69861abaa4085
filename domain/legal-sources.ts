/**
 * The national credit-repair rules and when each is in force, so policy entries and documents cite the rule
 * in force on the date that matters (a case's start, a document's date), never a repealed one. Pure.
 *
 * - 《失信行为纠正后的信用信息修复管理办法（试行）》, 国家发展和改革委员会令2023年第58号: in force 2023-05-01
 *   (order text: "自2023年5月1日起施行"); repealed by Order 36 from 2026-04-01. The regulation's Art 52 still names it.
 * - 国办发〔2025〕22号 (2025-06-22): the frame of 谁认定、谁修复 and the publicity tiers (§二, quoted in the README).
 * - 《信用修复管理办法》, 国家发展和改革委员会令第36号: adopted 2025-11-19, in force 2026-04-01 (order text:
 *   "自2026年4月1日起施行"). That it repeals Order 58 is reported by the NDRC's announcements as read here, not
 *   read in its final article (see the README's policy table).
 */

export interface LegalRule {
  key: string;
  /** The title as cited in documents. */
  title: string;
  /** First day in force (Asia/Shanghai). */
  from: string;
  /** Last day in force, where a later rule repealed it. */
  until?: string;
  repealedBy?: string;
}

export const ORDER_58: LegalRule = {
  key: 'ndrc-order-58',
  title: '《失信行为纠正后的信用信息修复管理办法（试行）》（国家发展和改革委员会令2023年第58号）',
  from: '2023-05-01',
  until: '2026-03-31',
  repealedBy: 'ndrc-order-36',
};

export const ORDER_36: LegalRule = {
  key: 'ndrc-order-36',
  title: '《信用修复管理办法》（国家发展和改革委员会令第36号）',
  from: '2026-04-01',
};

export const GUOBAN_2025_22: LegalRule = {
  key: 'guoban-2025-22',
  title: '《国务院办公厅关于印发〈关于进一步完善信用修复制度的实施方案〉的通知》（国办发〔2025〕22号）',
  from: '2025-06-22',
};

export const REPAIR_RULES: readonly LegalRule[] = [ORDER_58, GUOBAN_2025_22, ORDER_36];

export function inForce(rule: LegalRule, on: string): boolean {
  return on >= rule.from && (rule.until === undefined || on <= rule.until);
}

/** The national credit-repair rules in force on `on`, frame first ("国办发〔2025〕22号和《信用修复管理办法》"). */
export function repairRulesOn(on: string): LegalRule[] {
  return [GUOBAN_2025_22, ORDER_36, ORDER_58].filter((r) => inForce(r, on));
}

/** The repair rules in force on `on`, joined for a citation; the regulation's Art 52 stands in before any. */
export function repairCitationOn(on: string): string {
  const rules = repairRulesOn(on);
  return rules.length ? rules.map((r) => r.title).join('和') : '国家有关规定';
}

/** The short name of the measures in force on `on` (for policy sources). */
export function repairMeasuresOn(on: string): LegalRule | undefined {
  return [ORDER_36, ORDER_58].find((r) => inForce(r, on));
}

/** Every rule cited in `text` that was repealed on or before `on`: what a document dated `on` must not cite. */
export function repealedCitations(text: string, on: string): LegalRule[] {
  return REPAIR_RULES.filter((r) => r.until !== undefined && on > r.until && citesRule(text, r));
}

function citesRule(text: string, rule: LegalRule): boolean {
  const name = rule.title.slice(0, rule.title.indexOf('》') + 1);
  return text.includes(name) || (rule === ORDER_58 && /令2023年第58号|第58号令/.test(text));
}
