// The benchmarks' HTTP client: Node's fetch (undici), which keeps connections alive and opens one per
// concurrent request, so N concurrent clients hold N keep-alive connections to the API.
import { randomUUID } from 'node:crypto';
import { nowMs } from './measure';

export interface HttpResult {
  status: number;
  body: string;
  /** Request sent to body read, milliseconds. */
  ms: number;
}

export class HttpError extends Error {
  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number,
    readonly body: string,
  ) {
    super(`${method} ${path} answered ${status}: ${body.slice(0, 500)}`);
  }
}

export class ApiClient {
  constructor(readonly base: string) {}

  /** One request; every POST carries a fresh Idempotency-Key unless one is given. */
  async request(
    method: 'GET' | 'POST',
    path: string,
    opts: { token: string; body?: unknown; idempotencyKey?: string },
  ): Promise<HttpResult> {
    const headers: Record<string, string> = { authorization: `Bearer ${opts.token}` };
    let body: string | undefined;
    if (method === 'POST') {
      headers['content-type'] = 'application/json';
      headers['idempotency-key'] = opts.idempotencyKey ?? randomUUID();
      body = JSON.stringify(opts.body ?? {});
    }
    const t0 = nowMs();
    const res = await fetch(this.base + path, { method, headers, body });
    const text = await res.text();
    return { status: res.status, body: text, ms: nowMs() - t0 };
  }

  /** A request that must answer `expect` (200 for GET, 200/201 for POST by default); the parsed body and the time. */
  async json(
    method: 'GET' | 'POST',
    path: string,
    opts: { token: string; body?: unknown; expect?: number[] },
  ): Promise<{ value: unknown; ms: number }> {
    const r = await this.request(method, path, opts);
    const ok = opts.expect ?? (method === 'GET' ? [200] : [200, 201]);
    if (!ok.includes(r.status)) throw new HttpError(method, path, r.status, r.body);
    return { value: JSON.parse(r.body) as unknown, ms: r.ms };
  }
}

/** A console session's cookie for the holder of `token`, by the token handover a portal uses (POST /console/session). */
export async function consoleSessionCookie(base: string, token: string): Promise<string> {
  const handover = await fetch(`${base}/console/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: `token=${token}`,
    redirect: 'manual',
  });
  const cookie = /sc_session=[^;]+/.exec(handover.headers.get('set-cookie') ?? '')?.[0];
  if (handover.status !== 303 || !cookie) throw new Error(`the token handover answered ${handover.status}`);
  return cookie;
}
