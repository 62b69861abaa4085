/**
 * Who may reach each area of the console, said once per route prefix: the console's `onRequest` resolves the session
 * (plugin.tsx) and each area's `preValidation` hook answers the pages' redirects before any route runs, after the CSRF
 * check (so a stale form is still a 403, not a trip to sign-in) and before the params are validated (so a signed-out
 * user is sent to sign in, not told a page does not exist).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Principal } from '../contract/principal';

export type Officer = Extract<Principal, { role: 'officer' }>;

declare module 'fastify' {
  interface FastifyRequest {
    /** The session's user, resolved on every console request; null when signed out. */
    consoleUser: Principal | null;
  }
}

/** The hook of an area: signed out, to sign in; signed in without the area's role, to the workbench. */
export function signInRequired(role: Principal['role'] | null) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> => {
    const user = request.consoleUser;
    // Returning the reply holds the hook chain until the redirect is sent, so no route runs after it.
    if (!user) return reply.redirect('/console/sign-in', 303);
    if (role && user.role !== role) return reply.redirect('/console', 303);
    return undefined;
  };
}

/** The user a route of a signed-in area serves; its area's hook has already sent anyone else away. */
export function signedInUser(request: FastifyRequest): Principal {
  if (!request.consoleUser) throw new Error(`${request.url} is served outside a signed-in area`);
  return request.consoleUser;
}

/** The officer a route of an officers' area serves. */
export function signedInOfficer(request: FastifyRequest): Officer {
  const user = signedInUser(request);
  if (user.role !== 'officer') throw new Error(`${request.url} is served outside the officers' area`);
  return user;
}
