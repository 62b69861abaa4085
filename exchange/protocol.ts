import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { canonicalJson } from '../db/canonical-json';
import type { ExchangeMessage } from './adapter';

/** The reference protocol's names and computations (docs/exchange.md), shared by the adapter and the reference platform. */
export const DELIVER_PATH = '/v1/credit-information';
export const RECONCILIATION_PATH = '/v1/reconciliation';
export const SIGNATURE_HEADER = 'x-exchange-signature';
export const TIMESTAMP_HEADER = 'x-exchange-timestamp';
/** How far a request's timestamp may be from the platform's clock before it is refused (replay protection). */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000;

/** `sha256=<hex HMAC-SHA256 of "<timestamp>.<signed>">`; `signed` is the body of a POST, the path and query of a GET. */
export function signatureOf(secret: string, timestamp: string, signed: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${signed}`, 'utf8').digest('hex')}`;
}

export function signatureMatches(opts: { secret: string; timestamp: string; signed: string; given: string | undefined }): boolean {
  if (!opts.given) return false;
  const want = Buffer.from(signatureOf(opts.secret, opts.timestamp, opts.signed));
  const got = Buffer.from(opts.given);
  return want.length === got.length && timingSafeEqual(want, got);
}

/** The request body of a delivery: the entry in canonical JSON (keys sorted at every level). */
export function bodyOf(entry: ExchangeMessage): string {
  return canonicalJson(entry);
}

/** The hash reconciliation compares an entry's payload by: SHA-256 (hex) of its canonical JSON. */
export function payloadSha256(payload: unknown): string {
  return createHash('sha256').update(canonicalJson(payload), 'utf8').digest('hex');
}

/**
 * A day's digest: SHA-256 (hex) of the lines `<entryId>:<payloadSha256>\n`, the lines sorted as strings
 * (UTF-16 code-unit order, JavaScript's default sort) and joined with nothing between them. No entries: the SHA-256 of the empty string.
 */
export function dayDigest(entries: readonly { entryId: string; payloadSha256: string }[]): string {
  const lines = entries.map((e) => `${e.entryId}:${e.payloadSha256}\n`).sort();
  return createHash('sha256').update(lines.join(''), 'utf8').digest('hex');
}

export { DAY_PATTERN, shanghaiDayBounds, shanghaiDayOf } from './days';
