/**
 * Errors as application/problem+json (RFC 9457); which status for what is in docs/http-contract.md. Handlers throw a Problem; the error handler in
 * api/plugins/errors.ts writes it, and turns everything else into a problem with no internals. Each problem carries its
 * sentences in both languages (contract/problem.ts `Words`); the error handler answers in the request's (api/language.ts).
 */
import { ConfigurationFault } from '../domain/faults';
import { inLanguage, type FieldWords, type Language, type Words } from '../contract/problem';

export type { FieldWords } from '../contract/problem';

const TITLES: Record<number, Words> = {
  400: { zh: '请求有误', en: 'Bad Request' },
  401: { zh: '未认证', en: 'Unauthorized' },
  403: { zh: '无权操作', en: 'Forbidden' },
  404: { zh: '未找到', en: 'Not Found' },
  405: { zh: '不支持该请求方法', en: 'Method Not Allowed' },
  409: { zh: '与当前状态冲突', en: 'Conflict' },
  413: { zh: '请求内容过大', en: 'Payload Too Large' },
  414: { zh: '请求地址过长', en: 'URI Too Long' },
  415: { zh: '不支持的内容类型', en: 'Unsupported Media Type' },
  422: { zh: '无法处理的请求', en: 'Unprocessable Content' },
  429: { zh: '请求过于频繁', en: 'Too Many Requests' },
  500: { zh: '服务器内部错误', en: 'Internal Server Error' },
  501: { zh: '尚未实现', en: 'Not Implemented' },
  503: { zh: '服务暂时不可用', en: 'Service Unavailable' },
};

export function titleFor(status: number, lang: Language = 'en'): string {
  return (TITLES[status] ?? (status >= 500 ? { zh: '服务器错误', en: 'Server Error' } : { zh: '客户端错误', en: 'Client Error' }))[lang];
}

/** A sentence the API gives word for word in both languages (an identifier, a message from outside that has no translation). */
export const same = (text: string): Words => ({ zh: text, en: text });

export class Problem extends Error {
  /** Response headers that belong to this answer (a 503's Retry-After). */
  headers: Record<string, string> = {};

  constructor(
    readonly status: number,
    readonly detail: Words,
    readonly extra: { type?: string; errors?: FieldWords[]; [k: string]: unknown } = {},
  ) {
    super(detail.en);
    this.name = 'Problem';
  }

  /** The answer in `lang`; `type` names the problem whatever the language. */
  body(lang: Language, instance?: string): Record<string, unknown> {
    const { type, errors, ...rest } = this.extra;
    return {
      type: type ?? `https://credit.zhangye.example/problems/${this.status}`,
      title: titleFor(this.status, lang),
      status: this.status,
      detail: this.detail[lang],
      ...(instance ? { instance } : {}),
      ...rest,
      ...(errors ? { errors: inLanguage(errors, lang) } : {}),
    };
  }
}

export const badRequest = (detail: Words, errors?: FieldWords[]) => new Problem(400, detail, errors ? { errors } : {});
export const unauthorized = (detail: Words) => new Problem(401, detail);
export const forbidden = (detail: Words) => new Problem(403, detail);
export const notFound = (detail: Words) => new Problem(404, detail);
export const conflict = (detail: Words, extra: Record<string, unknown> = {}) => new Problem(409, detail, extra);
export const unprocessable = (detail: Words, errors?: FieldWords[]) => new Problem(422, detail, errors ? { errors } : {});
export const unavailable = (detail: Words, retryAfterSeconds?: number) => {
  const p = new Problem(503, detail);
  if (retryAfterSeconds !== undefined) p.headers = { 'retry-after': String(retryAfterSeconds) };
  return p;
};

/**
 * Something that can never succeed as the city's settings or a case's data stand (domain/faults.ts): 422 (the
 * request was well formed; it cannot be taken now), `type` naming the fault, what failed and why in `detail`.
 * Nothing changed; for an action an incident was raised, so a supervisor can fix the cause and the action be sent again.
 */
export function stepFaultProblem(detail: Words, info: Record<string, unknown>): Problem {
  const slug = info.fault === ConfigurationFault.type ? 'configuration-fault' : 'data-fault';
  return new Problem(422, detail, { type: `https://credit.zhangye.example/problems/${slug}`, ...info });
}
