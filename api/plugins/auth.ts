import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { roleRefused } from '../words';
import { claimsSchema, type Principal } from '../../contract/principal';
import type { Db } from '../../db/client';
import type { Actor, Role } from '../../workflows/common/case-types';
import { forbidden, unauthorized, unavailable } from '../problem';
import { JwtError, verifyJwt } from '../jwt';
import {
  ProviderKeysUnavailable,
  ProviderTokenRefused,
  isProviderSigned,
  providerTokenVerifier,
  type ProviderTokenSettings,
} from '../provider-tokens';

// The claims live in contract/, which the console's sessions share; the API's modules keep importing them here.
export { claimsSchema, type Principal };

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
}

export function actorOf(p: Principal): Actor {
  return { id: p.sub, role: p.role, ...(p.role !== 'subject' ? { department: p.dept } : {}) };
}

const TOKEN_REQUIRED = { zh: '需要 Bearer 令牌', en: 'a bearer token is required' };

export interface AuthOptions {
  /** The HS256 key of the embedded default's tokens and of the console's own calls (AUTH_JWT_SECRET). */
  secret: string;
  /** The identity provider's own tokens (RS256/ES256 against its JWKS); absent, only HS256 tokens are taken. */
  providerTokens?: ProviderTokenSettings | undefined;
  /** Where the display names of callers are kept for the audit (db/audit.ts reads them). */
  db?: Db;
}

/**
 * Keeps each caller's display name where every audit entry, the worker's included, can read it beside the stable
 * `sub`. Written only when it changed since this process last saw it, so a read costs no write.
 */
function actorNameBook(db: Db) {
  const known = new Map<string, string>();
  return async (p: Principal, log: FastifyRequest['log']): Promise<void> => {
    if (!p.name || known.get(p.sub) === p.name) return;
    const now = new Date();
    try {
      await db.actorName.upsert({
        where: { sub: p.sub },
        create: { sub: p.sub, name: p.name, updatedAt: now },
        update: { name: p.name, updatedAt: now },
      });
    } catch (err) {
      // The request does not depend on it; the audit then records the name known before, or none.
      log.warn({ err }, 'could not record the caller display name');
      return;
    }
    if (known.size >= 10_000) known.clear();
    known.set(p.sub, p.name);
  };
}

/**
 * The caller an HS256 token names, checked once per token by this process: a client sends the same token with every
 * request until it expires, and checking it (signature, claims) was a tenth of a case read's CPU (issue 23). A token
 * known is still refused once it expires.
 */
function hs256Principals(secret: string) {
  const known = new Map<string, { principal: Principal; exp: number }>();
  return (token: string): Principal => {
    const now = Math.floor(Date.now() / 1000);
    const hit = known.get(token);
    if (hit && hit.exp > now) return hit.principal;
    let claims: Record<string, unknown>;
    try {
      claims = verifyJwt(token, secret, now);
    } catch (err) {
      throw unauthorized({ zh: '令牌无效或已过期', en: err instanceof JwtError ? err.message : 'bad token' });
    }
    const parsed = claimsSchema.safeParse(claims);
    if (!parsed.success) {
      throw unauthorized({
        zh: '令牌须载明 sub、role，以及 dept（工作人员、审核人员）或 subjectId（信用主体）',
        en: 'token claims must carry sub, role and dept (officer, supervisor) or subjectId (subject)',
      });
    }
    // Shared by every request that sends the token.
    const principal = Object.freeze(parsed.data);
    if (known.size >= 10_000) known.clear();
    // verifyJwt took it, so it has a numeric exp (and no nbf still to come).
    known.set(token, { principal, exp: claims.exp as number });
    return principal;
  };
}

/**
 * Reads the bearer token when one is sent; routes decide with `requireRole` whether one is needed. A token signed
 * RS256/ES256 is the identity provider's (checked against its keys when configured); any other is the HS256 path.
 */
export const authPlugin = fp<AuthOptions>((app, opts, done) => {
  const provider = opts.providerTokens ? providerTokenVerifier(opts.providerTokens) : null;
  const remember = opts.db ? actorNameBook(opts.db) : null;
  const hs256 = hs256Principals(opts.secret);
  app.decorateRequest('principal', undefined);
  // async so that Fastify answers what it throws as the request's error
  app.addHook('onRequest', async (request) => {
    const header = request.headers.authorization;
    if (!header) return;
    const token = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
    if (!token) throw unauthorized({ zh: 'Authorization 请求头应为“Bearer <令牌>”', en: 'Authorization must be "Bearer <token>"' });
    let principal: Principal;
    if (provider && isProviderSigned(token)) {
      try {
        principal = await provider.verify(token);
      } catch (err) {
        if (err instanceof ProviderTokenRefused)
          throw unauthorized({ zh: `令牌未通过身份认证服务的校验：${err.message}`, en: err.message });
        if (err instanceof ProviderKeysUnavailable) {
          request.log.warn({ err: err.message }, 'the identity provider keys are unavailable');
          throw unavailable(
            {
              zh: '暂时无法连接统一身份认证服务以校验令牌，请稍后重试',
              en: 'the identity provider cannot be reached to check the token; try again shortly',
            },
            30,
          );
        }
        throw err;
      }
    } else {
      principal = hs256(token);
    }
    request.principal = principal;
    request.log = request.log.child({ actor: principal.sub, role: principal.role });
    await remember?.(principal, request.log);
  });
  done();
});

/** preValidation: the caller must be authenticated and hold one of `roles`, judged before the request is validated (403 before 400). */
export function requireRole(...roles: Role[]) {
  return async (request: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    const p = request.principal;
    if (!p) throw unauthorized(TOKEN_REQUIRED);
    if (!roles.includes(p.role)) throw forbidden(roleRefused(p.role, roles));
  };
}

export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw unauthorized(TOKEN_REQUIRED);
  return request.principal;
}
