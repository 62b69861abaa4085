import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { roleRefused } from '../words';
import { claimsSchema, type Principal } from '../../contract/principal';
import type { Actor, Role } from '../../workflows/common/case-types';
import { forbidden, unauthorized } from '../problem';
import { JwtError, verifyJwt } from '../jwt';

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

/** Reads the bearer token when one is sent; routes decide with `requireRole` whether one is needed. */
export const authPlugin = fp<{ secret: string }>((app, opts, done) => {
  app.decorateRequest('principal', undefined);
  // async so that Fastify answers what it throws as the request's error
  app.addHook('onRequest', async (request) => {
    const header = request.headers.authorization;
    if (!header) return;
    const token = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
    if (!token) throw unauthorized({ zh: 'Authorization 请求头应为“Bearer <令牌>”', en: 'Authorization must be "Bearer <token>"' });
    let claims: Record<string, unknown>;
    try {
      claims = verifyJwt(token, opts.secret);
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
    request.principal = parsed.data;
    request.log = request.log.child({ actor: parsed.data.sub, role: parsed.data.role });
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
