import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * HS256 JSON Web Tokens (RFC 7519), the only algorithm API.md allows. Written on node:crypto so
 * that no other algorithm (notably `none`) can be accepted by configuration mistake.
 */
export class JwtError extends Error {}

const b64url = (buf: Buffer) => buf.toString('base64url');

function hmac(secret: string, data: string): Buffer {
  return createHmac('sha256', secret).update(data).digest();
}

export function signJwt(payload: Record<string, unknown>, secret: string): string {
  const header = b64url(Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })));
  const body = b64url(Buffer.from(JSON.stringify(payload)));
  return `${header}.${body}.${b64url(hmac(secret, `${header}.${body}`))}`;
}

export function verifyJwt(token: string, secret: string, nowSeconds = Math.floor(Date.now() / 1000)): Record<string, unknown> {
  const parts = token.split('.');
  if (parts.length !== 3) throw new JwtError('token is not a JWT');
  const [h, p, s] = parts as [string, string, string];
  let header: unknown;
  let payload: unknown;
  try {
    header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8'));
    payload = JSON.parse(Buffer.from(p, 'base64url').toString('utf8'));
  } catch {
    throw new JwtError('token is not a JWT');
  }
  if (typeof header !== 'object' || header === null || (header as { alg?: unknown }).alg !== 'HS256') {
    throw new JwtError('token must be signed with HS256');
  }
  const expected = hmac(secret, `${h}.${p}`);
  const given = Buffer.from(s, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new JwtError('bad token signature');
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) throw new JwtError('token payload is not an object');
  const claims = payload as Record<string, unknown>;
  if (typeof claims.exp !== 'number') throw new JwtError('token has no exp claim');
  if (claims.exp <= nowSeconds) throw new JwtError('token has expired');
  if (typeof claims.nbf === 'number' && claims.nbf > nowSeconds) throw new JwtError('token is not valid yet');
  return claims;
}
