/**
 * What each listing action is called, in Chinese (the console's button, the OpenAPI summary, a refusal's words). Kept
 * apart from the zod bodies in actions.ts: the workflow names an action in a refusal but never parses a body (the API
 * has), so the workflow bundle takes these words and no zod.
 */
export const listingActionTitles = {
  serve_notice: '送达拟列入告知书',
  submit_statement: '提交陈述申辩',
  schedule_hearing: '安排听证',
  record_hearing: '记录听证',
  propose_decision: '提出处理意见',
  approve_decision: '批准处理意见',
  reject_decision: '退回处理意见',
  serve_decision: '送达认定决定书',
  record_remedy: '登记行政复议或诉讼',
  record_remedy_outcome: '登记复议或诉讼结果',
  revoke: '撤销列入',
} as const;
