// The benchmarks' HTTP client: Node's http with a keep-alive agent, which opens one connection per concurrent
// request and keeps it, so N concurrent clients hold N keep-alive connections to the API.
//
// Not fetch: the clients run in the API's process and share its cores, so what they cost is charged to the API's
// side of every figure. On this machine fetch (undici, with its web streams) took 0.2 to 0.3 ms more CPU per request
// than Node's http client (20,000 POSTs at 32 clients against a bare Node server, three runs: 0.31 to 0.41 ms against
// 0.09 to 0.10, client and server together): a load the API's real clients put on machines of their own.
import { randomUUID } from 'node:crypto';
import { Agent, request as httpRequest } from 'node:http';
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
  /** Idle connections are closed before the API's server would close them (Fastify keeps them 72 s). */
  private readonly agent = new Agent({ keepAlive: true, timeout: 30_000 });

  constructor(readonly base: string) {
    if (!base.startsWith('http://')) throw new Error(`the benchmarks' client speaks plain HTTP, not ${base}`);
  }

  /** One request; every POST carries a fresh Idempotency-Key unless one is given. */
  async request(
    method: 'GET' | 'POST',
    path: string,
    opts: { token: string; body?: unknown; idempotencyKey?: string },
  ): Promise<HttpResult> {
    const headers: Record<string, string | number> = { authorization: `Bearer ${opts.token}` };
    let body: string | undefined;
    if (method === 'POST') {
      body = JSON.stringify(opts.body ?? {});
      headers['content-type'] = 'application/json';
      headers['content-length'] = Buffer.byteLength(body);
      headers['idempotency-key'] = opts.idempotencyKey ?? randomUUID();
    }
    const t0 = nowMs();
    const { status, text } = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = httpRequest(this.base + path, { method, headers, agent: this.agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => {
          chunks.push(c);
        });
        res.on('end', () => {
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') });
        });
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(body);
    });
    return { status, body: text, ms: nowMs() - t0 };
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
