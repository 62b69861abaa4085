/** The console's Chinese words for the system's codes (DOMAIN.md "Words"); a code without a label shows as it is. */

export { PROCEDURE_NAMES as PROCEDURE, DEADLINE_KIND_NAMES as DEADLINE_KIND } from '../contract/case-words';
export { STATE_NAMES as STATE } from '../contract/state-names';

export const DEADLINE_STATUS: Record<string, string> = {
  open: '进行中',
  suspended: '已中止',
  met: '已按期办结',
  lapsed: '已届满',
  breached: '已超期',
  cancelled: '已取消',
};

export const FIELD: Record<string, string> = {
  servedAt: '送达时间',
  method: '送达方式',
  addressId: '电子送达地址（方式为电子送达时）',
  text: '陈述申辩内容',
  requestHearing: '申请听证',
  heldAt: '听证时间',
  place: '听证地点',
  summary: '听证情况',
  outcome: '处理结果',
  reasons: '理由',
  measures: '惩戒措施（措施编号，每行一个）',
  comment: '审批意见',
  kind: '类型',
  filedAt: '提出时间',
  decidedAt: '作出时间',
  reason: '理由',
  basis: '依据',
  items: '补正事项（每行一项）',
  evidence: '证据材料',
  evidenceFiles: '证据文件',
  title: '名称',
  description: '说明',
  department: '部门',
  workingDays: '延长的工作日数',
  correctedContent: '更正或补充后的内容',
  reapplyAfter: '可重新申请日期',
  subject: '信用主体',
  category: '信息类别',
  type: '信息类型',
  content: '信息内容',
  documentNumber: '决定文书编号',
  issuedBy: '作出决定机关',
  penalty: '行政处罚情况',
  decidedOn: '作出决定日期',
  severity: '失信程度',
};

export const VALUE: Record<string, string> = {
  in_person: '直接送达',
  mail: '邮寄送达',
  electronic: '电子送达',
  public_announcement: '公告送达',
  list: '列入名单',
  dismiss: '不予列入',
  reconsideration: '行政复议',
  litigation: '行政诉讼',
  upheld: '维持',
  revoked: '撤销',
  approve: '准予信用修复',
  reject: '不予信用修复',
  delete: '删除',
  correct: '更正',
  supplement: '补充',
  stop_disclosure: '停止公开',
  remove_from_list: '移出名单',
  keep: '维持原记录',
  true: '是',
  false: '否',
};

export const ROLE: Record<string, string> = {
  officer: '经办人员',
  supervisor: '审核人员',
  subject: '信用主体',
  system: '系统',
};

export const label = (table: Record<string, string>, code: string): string => table[code] ?? code;
