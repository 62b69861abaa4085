/**
 * The console takes every action and reads every case through the HTTP API itself (in-process, Fastify's
 * `inject`), as the signed-in user: the same roles, bodies, domain checks, refusals, audit entries and
 * idempotency as any API client, so a page can never allow what the API refuses. It asks in Chinese, so every
 * refusal and field problem it shows is the API's Chinese.
 */
import type { FastifyInstance } from 'fastify';
import { claimsSchema, type Principal } from '../contract/principal';
import type { FieldProblem } from '../contract/problem';
import { mintToken } from '../api/dev-tokens';
import { verifyJwt } from '../api/jwt';

export interface ApiAnswer<T = unknown> {
  status: number;
  body: T;
  /** True when the API answered a repeated Idempotency-Key with the first answer (`Idempotent-Replayed`). */
  replayed?: boolean;
  /** The answer's headers (a download's content type and disposition). */
  headers: Record<string, string | string[] | undefined>;
}

export interface Problem {
  status: number;
  title: string;
  detail: string;
  errors?: FieldProblem[];
}

/**
 * Who an API bearer token names, or null when the API would refuse it (bad signature, expired, claims it does not
 * accept): a portal hands one over for a console session, which then acts with exactly the rights the token had.
 */
export function principalOfToken(token: unknown, secret: string): Principal | null {
  if (typeof token !== 'string') return null;
  try {
    const parsed = claimsSchema.safeParse(verifyJwt(token, secret));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/**
 * `user` null calls without a token, as anyone may call the public routes (the published list, catalogue and
 * measures); `remoteAddress` is then the visitor's, so the API's per-client rate limit counts each visitor rather
 * than the console as one client.
 */
export function apiClient(app: FastifyInstance, secret: string) {
  return async function call<T = unknown>(
    user: Principal | null,
    method: 'GET' | 'POST' | 'PUT',
    url: string,
    {
      payload,
      headers = {},
      raw = false,
      remoteAddress,
    }: {
      /** A JSON body, or a Buffer sent as it is (a multipart body, with its content-type in `headers`). */
      payload?: unknown;
      headers?: Record<string, string>;
      /** Answer the body as the bytes sent (a file download), not as text or JSON. */
      raw?: boolean;
      remoteAddress?: string;
    } = {},
  ): Promise<ApiAnswer<T>> {
    // The session's display name travels as the token's optional `name`, so the API's audit records it beside `sub`.
    const auth: Record<string, string> = user ? { authorization: `Bearer ${mintToken(user, secret, 120)}` } : {};
    const res = await app.inject({
      method,
      url,
      headers: { ...auth, 'accept-language': 'zh-CN', ...headers },
      ...(remoteAddress ? { remoteAddress } : {}),
      ...(payload !== undefined ? { payload: payload as object } : {}),
    });
    const answer = { status: res.statusCode, headers: res.headers as ApiAnswer['headers'] };
    if (raw && res.statusCode < 300) return { ...answer, body: res.rawPayload as T };
    const text = res.body;
    let body: unknown = text;
    if (/json/.test(String(res.headers['content-type'] ?? ''))) body = text ? JSON.parse(text) : null;
    return { ...answer, body: body as T, ...(res.headers['idempotent-replayed'] === 'true' ? { replayed: true } : {}) };
  };
}

export interface Refusal {
  /** What the page answers: the API's status, or 503 for any failure of ours. */
  status: number;
  error: { title: string; detail: string; errors?: FieldProblem[] };
}

/** A refused or failed API answer as the form shows it: a title by status (`titles`, else `otherwise`), the API's detail and field errors. */
export function refusalOf(
  r: Pick<ApiAnswer<Partial<Problem> | undefined>, 'status' | 'body'>,
  otherwise: string,
  titles: Record<number, string> = {},
): Refusal {
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

/** A read the page cannot do without answered `status`: the console's error handler shows it as a 503 with Retry-After. */
export function apiUnavailable(what: string, status: number): Error {
  return Object.assign(new Error(`${what} answered ${status}`), { statusCode: 503 });
}
