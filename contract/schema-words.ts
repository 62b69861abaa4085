/**
 * The Chinese of the English messages the API's zod schemas give themselves (`.regex(re, 'must not be blank')`):
 * zod's zh-CN locale does not reach a schema's own message, so the API's error handler (api/zod-words.ts) and the
 * console's pre-check (console/form-fields.ts parseZh) look them up here. A message not listed keeps zod's own Chinese.
 */
const SCHEMA_MESSAGES_ZH: Record<string, string> = {
  'must not be blank': '不能为空白',
  'must be a date YYYY-MM-DD': '应为 YYYY-MM-DD 格式的日期',
  'a record needs at least one document with legal effect (Art 34)': '须至少有一份具有法律效力的文书（第三十四条）',
  'evidence of the obligations performed is required': '须提供已履行法定义务的证明材料',
  'lower-case ASCII letters, digits and _, starting with a letter (3-64)': '应为小写英文字母、数字和下划线，以字母开头（3至64位）',
  'is not a case id': '不是案件编号',
  'is not a listing case id': '不是列入案件编号',
  'is not a record id': '不是记录编号',
  'is not a report id': '不是报告编号',
  'is not a document id': '不是文书编号',
  'is not a cursor this API issued': '不是本接口签发的游标',
};

/** The Chinese of a schema's own message, or undefined where it has none listed. */
export function schemaMessageZh(en: string): string | undefined {
  return Object.hasOwn(SCHEMA_MESSAGES_ZH, en) ? SCHEMA_MESSAGES_ZH[en] : undefined;
}
