/**
 * What each repair action is called, in Chinese (the console's button, the OpenAPI summary, a refusal's words). Kept
 * apart from the zod bodies in actions.ts: the workflow names an action in a refusal but never parses a body (the API
 * has), so the workflow bundle takes these words and no zod.
 */
export const repairActionTitles = {
  accept: '受理修复申请',
  decline: '不予受理',
  decide: '作出修复决定',
} as const;
