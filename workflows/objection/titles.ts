/**
 * What each objection action is called, in Chinese (the console's button, the OpenAPI summary, a refusal's words). Kept
 * apart from the zod bodies in actions.ts: the workflow names an action in a refusal but never parses a body (the API
 * has), so the workflow bundle takes these words and no zod.
 */
export const objectionActionTitles = {
  request_supplement: '通知补正材料',
  submit_supplement: '提交补正材料',
  accept: '受理异议',
  decline: '不予受理',
  forward: '转送信息提供单位核查',
  extend: '批准延长核查期限',
  decide: '作出异议处理决定',
} as const;
