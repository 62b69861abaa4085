/**
 * Console sessions: a random id in an HttpOnly, SameSite=Strict cookie (Secure outside the embedded default);
 * Postgres keeps only its SHA-256 with the user's claims, so signing out ends it everywhere and a copy of the table
 * opens nothing. CSRF: every form carries an HMAC of a per-browser random cookie (double submit, signed), checked on
 * every POST; SameSite=Strict already keeps other sites' requests from carrying the session. A session begun at an
 * OpenID provider keeps the provider's ID token, the hint with which signing out ends the provider's session too.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../db/client';
import { claimsSchema, type Principal } from '../contract/principal';

export const SESSION_COOKIE = 'sc_session';
export const CSRF_COOKIE = 'sc_csrf';
const SESSION_HOURS = 10;

const hash = (id: string) => createHash('sha256').update(id).digest('hex');

export interface CookieOptions {
  secure: boolean;
}

/** The request's cookies (RFC 6265 `name=value; …`); a value that is not one of ours is ignored by its reader. */
export function cookiesOf(request: FastifyRequest): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0) out[part.slice(0, i).trim()] = part.slice(i + 1).trim();
  }
  return out;
}

/**
 * Our cookies hold base64url only, so they need no encoding. HttpOnly, scoped to /console, SameSite=Strict unless
 * `lax` (the OpenID sign-in's transaction, which comes back with the provider's cross-site redirect).
 */
export interface CookieWrite {
  name: string;
  value: string;
  /** Omitted: a browser-session cookie; 0 clears it. */
  maxAgeSeconds?: number;
  lax?: boolean;
}

export function setCookie(reply: FastifyReply, o: CookieOptions, { name, value, maxAgeSeconds, lax = false }: CookieWrite): void {
  const attrs = [
    `${name}=${value}`,
    'Path=/console',
    'HttpOnly',
    `SameSite=${lax ? 'Lax' : 'Strict'}`,
    ...(o.secure ? ['Secure'] : []),
    ...(maxAgeSeconds !== undefined ? [`Max-Age=${maxAgeSeconds}`] : []),
  ];
  const prev = reply.getHeader('set-cookie');
  const list = prev === undefined ? [] : Array.isArray(prev) ? prev.map(String) : [String(prev)];
  reply.header('set-cookie', [...list, attrs.join('; ')]);
}

export async function startSession(
  db: Db,
  reply: FastifyReply,
  {
    claims,
    via,
    idToken,
    cookies: o,
    now,
  }: { claims: Principal; via: 'dev' | 'token' | 'oidc'; idToken?: string; cookies: CookieOptions; now: Date },
): Promise<void> {
  const id = randomBytes(32).toString('base64url');
  await db.consoleSession.create({
    data: {
      idHash: hash(id),
      claims,
      via,
      idToken: idToken ?? null,
      createdAt: now,
      expiresAt: new Date(now.getTime() + SESSION_HOURS * 3_600_000),
    },
  });
  setCookie(reply, o, { name: SESSION_COOKIE, value: id, maxAgeSeconds: SESSION_HOURS * 3600 });
}

/** The signed-in user, or null (no cookie, ended, expired, or claims that no longer parse). */
export async function sessionOf(db: Db, request: FastifyRequest, now: Date): Promise<Principal | null> {
  const id = cookiesOf(request)[SESSION_COOKIE];
  if (!id) return null;
  const row = await db.consoleSession.findUnique({ where: { idHash: hash(id) } });
  if (!row || row.endedAt || row.expiresAt <= now) return null;
  const parsed = claimsSchema.safeParse(row.claims);
  return parsed.success ? parsed.data : null;
}

/** Ends the browser's session; answers how it was begun and, for one begun at an OpenID provider, its ID token. */
export async function endSession(
  db: Db,
  { request, reply }: { request: FastifyRequest; reply: FastifyReply },
  { cookies: o, now }: { cookies: CookieOptions; now: Date },
): Promise<{ via: string; idToken: string | null } | null> {
  const id = cookiesOf(request)[SESSION_COOKIE];
  setCookie(reply, o, { name: SESSION_COOKIE, value: '', maxAgeSeconds: 0 });
  if (!id) return null;
  const ended = await db.consoleSession.updateManyAndReturn({
    where: { idHash: hash(id), endedAt: null },
    data: { endedAt: now },
    select: { via: true, idToken: true },
  });
  return ended[0] ?? null;
}

/** The browser's CSRF secret, made on its first page. */
export function csrfSecret(request: FastifyRequest, reply: FastifyReply, o: CookieOptions): string {
  const known = (request as { csrfSecret?: string }).csrfSecret ?? cookiesOf(request)[CSRF_COOKIE];
  if (known && /^[\w-]{43}$/.test(known)) return known;
  const s = randomBytes(32).toString('base64url');
  setCookie(reply, o, { name: CSRF_COOKIE, value: s });
  (request as { csrfSecret?: string }).csrfSecret = s;
  return s;
}

export function csrfToken(key: string, secret: string): string {
  return createHmac('sha256', key).update(`csrf:${secret}`).digest('base64url');
}

export function csrfValid(key: string, request: FastifyRequest, sent: unknown): boolean {
  const secret = cookiesOf(request)[CSRF_COOKIE];
  if (!secret || typeof sent !== 'string') return false;
  const want = Buffer.from(csrfToken(key, secret));
  const got = Buffer.from(sent);
  return want.length === got.length && timingSafeEqual(want, got);
}
