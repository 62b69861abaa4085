/**
 * Who may reach each area of the console, said once per route prefix: the console's `onRequest` resolves the session
 * (plugin.tsx) and each area's `preValidation` hook answers the pages' redirects before any route runs, after the CSRF
 * check (so a stale form is still a 403, not a trip to sign-in) and before the params are validated (so a signed-out
 * user is sent to sign in, not told a page does not exist).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Principal } from '../contract/principal';

export type Officer = Extract<Principal, { role: 'officer' }>;
export type Subject = Extract<Principal, { role: 'subject' }>;
export type Supervisor = Extract<Principal, { role: 'supervisor' }>;

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

/** The user of `role` a route of that role's area serves; its area's hook has already sent anyone else away. */
function signedInWith<R extends Principal['role']>(request: FastifyRequest, role: R): Extract<Principal, { role: R }> {
  const user = signedInUser(request);
  if (user.role !== role) throw new Error(`${request.url} is served outside the area of the role ${role}`);
  return user as Extract<Principal, { role: R }>;
}

/** The officer a route of an officers' area serves. */
export const signedInOfficer = (request: FastifyRequest): Officer => signedInWith(request, 'officer');
/** The subject a route of the subjects' area (/console/me) serves. */
export const signedInSubject = (request: FastifyRequest): Subject => signedInWith(request, 'subject');
/** The supervisor a route of the supervisors' area (/console/supervise) serves. */
export const signedInSupervisor = (request: FastifyRequest): Supervisor => signedInWith(request, 'supervisor');
