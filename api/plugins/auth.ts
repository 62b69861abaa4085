import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { z } from 'zod';
import type { Actor, Role } from '../../workflows/common/case-types';
import { forbidden, unauthorized } from '../problem';
import { JwtError, verifyJwt } from '../jwt';

export const claimsSchema = z.discriminatedUnion('role', [
  z.object({ sub: z.string().min(1), role: z.literal('officer'), dept: z.string().min(1) }),
  z.object({ sub: z.string().min(1), role: z.literal('supervisor'), dept: z.string().min(1) }),
  z.object({ sub: z.string().min(1), role: z.literal('subject'), subjectId: z.string().min(1) }),
]);

export type Principal = z.infer<typeof claimsSchema>;

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
}

export function actorOf(p: Principal): Actor {
  return { id: p.sub, role: p.role, ...(p.role !== 'subject' ? { department: p.dept } : {}) };
}

/** Reads the bearer token when one is sent; routes decide with `requireRole` whether one is needed. */
export const authPlugin = fp<{ secret: string }>(async (app, opts) => {
  app.decorateRequest('principal', undefined);
  app.addHook('onRequest', async (request) => {
    const header = request.headers.authorization;
    if (!header) return;
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw unauthorized('Authorization must be "Bearer <token>"');
    let claims: Record<string, unknown>;
    try {
      claims = verifyJwt(match[1]!, opts.secret);
    } catch (err) {
      throw unauthorized(err instanceof JwtError ? err.message : 'bad token');
    }
    const parsed = claimsSchema.safeParse(claims);
    if (!parsed.success) throw unauthorized('token claims must carry sub, role and dept (officer, supervisor) or subjectId (subject)');
    request.principal = parsed.data;
    request.log = request.log.child({ actor: parsed.data.sub, role: parsed.data.role });
  });
});

/** preValidation: the caller must be authenticated and hold one of `roles`, judged before the request is validated (403 before 400). */
export function requireRole(...roles: Role[]) {
  return async (request: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    const p = request.principal;
    if (!p) throw unauthorized('a bearer token is required');
    if (!roles.includes(p.role)) throw forbidden(`role ${p.role} may not do this; allowed: ${roles.join(', ')}`);
  };
}

export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw unauthorized('a bearer token is required');
  return request.principal;
}
