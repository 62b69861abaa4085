/** The Chinese names of the cases' states (DOMAIN.md "Words"), which the console shows and the API's refusals say. */
export const STATE_NAMES: Record<string, string> = {
  opened: '已立案',
  notice_served: '已送达告知书',
  hearing_scheduled: '已安排听证',
  under_review: '审查中',
  awaiting_approval: '待审批',
  decided: '已决定',
  listed: '已列入',
  removed: '已移出',
  dismissed: '不予列入',
  submitted: '待受理',
  awaiting_supplement: '待补正',
  verifying: '核查中',
  forwarded: '已转送核查',
  declined: '不予受理',
  approved: '准予修复',
  rejected: '不予修复',
};

/** A state's Chinese name, or the code where it has none. */
export const stateName = (state: string): string => STATE_NAMES[state] ?? state;
