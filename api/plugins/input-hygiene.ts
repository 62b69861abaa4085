import fp from 'fastify-plugin';
import { badRequest, type FieldWords } from '../problem';

/**
 * Text that no record should hold and Postgres cannot store: a NUL character (text columns refuse it,
 * which would surface as a server error) or a lone UTF-16 surrogate (not a character at all).
 */
const NUL = '\u0000';
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function isUnstorable(text: string): boolean {
  return text.includes(NUL) || LONE_SURROGATE.test(text);
}

function findUnstorable(value: unknown, path: string, out: FieldWords[]): void {
  if (out.length >= 20) return;
  if (typeof value === 'string') {
    if (isUnstorable(value)) {
      out.push({ path, message: { zh: '含有NUL字符或不成对的代理项，无法保存', en: 'contains a NUL character or a lone surrogate' } });
    }
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => {
      findUnstorable(v, `${path}.${i}`, out);
    });
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      findUnstorable(k, `${path}.${k}`, out);
      findUnstorable(v, `${path}.${k}`, out);
    }
  }
}

/**
 * Refuses such text anywhere in the query, the path or the body with a 400 naming the field. It runs as
 * the first preHandler, after the role check (preValidation: 403 first) and the schema (400), so a request
 * with a bad role is told so before anything about its body, and nothing unstorable reaches a handler.
 */
export const inputHygienePlugin = fp(async (app) => {
  app.addHook('preHandler', async (request) => {
    const errors: FieldWords[] = [];
    findUnstorable(request.query, 'querystring', errors);
    findUnstorable(request.params, 'params', errors);
    findUnstorable(request.body, 'body', errors);
    if (errors.length) throw badRequest({ zh: '请求中含有无法保存的文字', en: 'the request holds text that cannot be stored' }, errors);
  });
});
