/** The Chinese names of the procedures and of their deadlines, which the console shows and the reminders' mails say. */
export const PROCEDURE_NAMES: Record<string, string> = {
  listing: '严重失信主体名单认定',
  objection: '信用信息异议',
  repair: '信用修复',
};

export const DEADLINE_KIND_NAMES: Record<string, string> = {
  statement_window: '陈述申辩、申请听证期限',
  hearing_notice: '听证通知期限',
  listing_period: '列入期限',
  reconsideration_window: '申请行政复议期限',
  litigation_window: '提起行政诉讼期限',
  objection_mark: '异议标注期限',
  objection_forward: '异议转送期限',
  objection_decide: '核查答复期限',
  supplement_window: '补正材料期限',
  repair_accept: '修复受理期限',
  repair_decide: '修复决定期限',
  repair_remove_disclosure: '停止公示期限',
};
