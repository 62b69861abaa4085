/**
 * The console takes every action and reads every case through the HTTP API itself (in-process, Fastify's
 * `inject`), as the signed-in user: the same roles, bodies, domain checks, refusals, audit entries and
 * idempotency as any API client, so a page can never allow what the API refuses.
 */
import type { FastifyInstance } from 'fastify';
import type { Principal } from '../api/plugins/auth';
import { mintToken } from '../api/dev-tokens';

export interface ApiAnswer<T = unknown> {
  status: number;
  body: T;
}

export interface Problem {
  status: number;
  title: string;
  detail: string;
  errors?: { path: string; message: string }[];
}

export function apiClient(app: FastifyInstance, secret: string) {
  return async function call<T = unknown>(
    user: Principal,
    method: 'GET' | 'POST',
    url: string,
    payload?: unknown,
    headers: Record<string, string> = {},
  ): Promise<ApiAnswer<T>> {
    const token = mintToken(user, secret, 120);
    const res = await app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${token}`, ...headers },
      ...(payload !== undefined ? { payload: payload as object } : {}),
    });
    const text = res.body;
    let body: unknown = text;
    if (/json/.test(String(res.headers['content-type'] ?? ''))) body = text ? JSON.parse(text) : null;
    return { status: res.statusCode, body: body as T };
  };
}

export interface Refusal {
  /** What the page answers: the API's status, or 503 for any failure of ours. */
  status: number;
  error: { title: string; detail: string; errors?: { path: string; message: string }[] };
}

/** A refused or failed API answer as the form shows it: a title by status (`titles`, else `otherwise`), the API's detail and field errors. */
export function refusalOf(r: ApiAnswer<Partial<Problem> | undefined>, otherwise: string, titles: Record<number, string> = {}): Refusal {
  const busy = r.status >= 500;
  const p = r.body;
  return {
    status: busy ? 503 : r.status,
    error: {
      title: busy ? '系统暂时无法处理，请稍后重试' : (titles[r.status] ?? otherwise),
      detail: p?.detail ?? '',
      ...(p?.errors ? { errors: p.errors } : {}),
    },
  };
}
