/**
 * Errors as application/problem+json (RFC 9457); which status for what is in docs/http-contract.md. Handlers throw a Problem; the error handler in
 * api/plugins/errors.ts writes it, and turns everything else into a problem with no internals.
 */
import { ConfigurationFault } from '../domain/faults';

export interface FieldError {
  path: string;
  message: string;
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  503: 'Service Unavailable',
};

export function titleFor(status: number): string {
  return TITLES[status] ?? (status >= 500 ? 'Server Error' : 'Client Error');
}

export class Problem extends Error {
  /** Response headers that belong to this answer (a 503's Retry-After). */
  headers: Record<string, string> = {};

  constructor(
    readonly status: number,
    readonly detail: string,
    readonly extra: { type?: string; errors?: FieldError[]; [k: string]: unknown } = {},
  ) {
    super(detail);
    this.name = 'Problem';
  }

  body(instance?: string): Record<string, unknown> {
    const { type, ...rest } = this.extra;
    return {
      type: type ?? `https://credit.zhangye.example/problems/${this.status}`,
      title: titleFor(this.status),
      status: this.status,
      detail: this.detail,
      ...(instance ? { instance } : {}),
      ...rest,
    };
  }
}

export const badRequest = (detail: string, errors?: FieldError[]) => new Problem(400, detail, errors ? { errors } : {});
export const unauthorized = (detail: string) => new Problem(401, detail);
export const forbidden = (detail: string) => new Problem(403, detail);
export const notFound = (detail: string) => new Problem(404, detail);
export const conflict = (detail: string, extra: Record<string, unknown> = {}) => new Problem(409, detail, extra);
export const unprocessable = (detail: string, errors?: FieldError[]) => new Problem(422, detail, errors ? { errors } : {});
export const unavailable = (detail: string, retryAfterSeconds?: number) => {
  const p = new Problem(503, detail);
  if (retryAfterSeconds !== undefined) p.headers = { 'retry-after': String(retryAfterSeconds) };
  return p;
};

/**
 * Something that can never succeed as the city's settings or a case's data stand (domain/faults.ts): 422 (the
 * request was well formed; it cannot be taken now), `type` naming the fault, what failed and why in `detail`.
 * Nothing changed; for an action an incident was raised, so a supervisor can fix the cause and the action be sent again.
 */
export function stepFaultProblem(detail: string, info: Record<string, unknown>): Problem {
  const slug = info.fault === ConfigurationFault.type ? 'configuration-fault' : 'data-fault';
  return new Problem(422, detail, { type: `https://credit.zhangye.example/problems/${slug}`, ...info });
}
