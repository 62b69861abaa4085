import { ExchangeUnavailable, type DeliveryResult, type ExchangeAdapter, type ExchangeMessage, type ReconciliationAnswer } from './adapter';
import { bodyOf, DAY_PATTERN, DELIVER_PATH, RECONCILIATION_PATH, signatureOf, SIGNATURE_HEADER, TIMESTAMP_HEADER } from './protocol';

export interface HttpAdapterOptions {
  /** EXCHANGE_URL: the platform's base (the protocol's paths are appended). */
  baseUrl: string;
  /** EXCHANGE_SECRET; without it requests go unsigned (the platform authenticates by mTLS instead). */
  secret?: string | undefined;
  /** How long an answer is waited for before the attempt counts as unanswered. */
  timeoutMs?: number;
  /** The clock the timestamp header is read from. */
  now?: () => Date;
}

const NOT_DECIDED = new Set([401, 403, 408, 429]);

/** The reference protocol over HTTP (docs/exchange.md), with Node's fetch. */
export function httpExchangeAdapter(opts: HttpAdapterOptions): ExchangeAdapter {
  const base = opts.baseUrl.replace(/\/+$/, '');
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const now = opts.now ?? (() => new Date());

  const signed = (payload: string): Record<string, string> => {
    if (!opts.secret) return {};
    const timestamp = String(Math.floor(now().getTime() / 1000));
    return { [TIMESTAMP_HEADER]: timestamp, [SIGNATURE_HEADER]: signatureOf(opts.secret, timestamp, payload) };
  };

  const call = async (url: string, init: RequestInit): Promise<{ status: number; body: unknown }> => {
    let res: Response;
    try {
      res = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
    } catch (err) {
      throw new ExchangeUnavailable(`no answer from ${base}: ${causeText(err)}`);
    }
    let text: string;
    try {
      text = await res.text();
    } catch (err) {
      throw new ExchangeUnavailable(`the answer from ${base} broke off: ${causeText(err)}`);
    }
    if (res.status >= 500) throw new ExchangeUnavailable(`${base} answered ${res.status}${text ? `: ${text.slice(0, 200)}` : ''}`);
    return { status: res.status, body: parseBody(text) };
  };

  return {
    target: base,
    async deliver(entry: ExchangeMessage): Promise<DeliveryResult> {
      const body = bodyOf(entry);
      const answer = await call(`${base}${DELIVER_PATH}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': entry.entryId, ...signed(body) },
        body,
      });
      if (answer.status >= 200 && answer.status < 300) return { outcome: 'accepted', answer };
      if (answer.status === 409) return { outcome: 'held', answer };
      // 408 and 429 decide nothing about the entry (the platform was busy); 401 and 403 are this system's credentials
      // (a wrong EXCHANGE_SECRET or certificate), not the entry's fault: all are retried, never kept as the entry's refusal.
      if (NOT_DECIDED.has(answer.status)) throw new ExchangeUnavailable(`${base} answered ${answer.status}: ${reasonOf(answer)}`);
      return { outcome: 'refused', answer, reason: reasonOf(answer) };
    },
    async reconciliation(day: string, o: { withEntries?: boolean } = {}): Promise<ReconciliationAnswer> {
      if (!DAY_PATTERN.test(day)) throw new RangeError(`not a day: ${day}`);
      const pathAndQuery = `${RECONCILIATION_PATH}?date=${day}${o.withEntries ? '&entries=true' : ''}`;
      const answer = await call(`${base}${pathAndQuery}`, {
        method: 'GET',
        headers: { accept: 'application/json', ...signed(pathAndQuery) },
      });
      if (answer.status !== 200)
        throw new ExchangeUnavailable(`${base} answered ${answer.status} to the reconciliation of ${day}: ${reasonOf(answer)}`);
      return reconciliationOf(answer.body);
    },
  };
}

function parseBody(text: string): unknown {
  if (text === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text.slice(0, 2000);
  }
}

/** The refusal's reason: `reason`, or problem+json's `detail` (then `title`), or the status. */
function reasonOf(answer: { status: number; body: unknown }): string {
  const b = answer.body;
  if (b !== null && typeof b === 'object') {
    const o = b as Record<string, unknown>;
    for (const k of ['reason', 'detail', 'title']) if (typeof o[k] === 'string' && o[k] !== '') return o[k];
  }
  if (typeof b === 'string' && b !== '') return b.slice(0, 500);
  return `HTTP ${answer.status}`;
}

function reconciliationOf(body: unknown): ReconciliationAnswer {
  const o = (body ?? {}) as Record<string, unknown>;
  if (typeof o.count !== 'number' || typeof o.digest !== 'string') {
    throw new ExchangeUnavailable('the reconciliation answer has no count and digest');
  }
  const out: ReconciliationAnswer = { count: o.count, digest: o.digest };
  if (Array.isArray(o.entries)) {
    out.entries = (o.entries as unknown[]).flatMap((e) => {
      const x = (e ?? {}) as Record<string, unknown>;
      return typeof x.entryId === 'string' && typeof x.payloadSha256 === 'string'
        ? [{ entryId: x.entryId, payloadSha256: x.payloadSha256 }]
        : [];
    });
  }
  return out;
}

function causeText(err: unknown): string {
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e.name === 'TimeoutError') return 'timed out';
  return e.cause?.code ?? e.cause?.message ?? e.message ?? String(err);
}
