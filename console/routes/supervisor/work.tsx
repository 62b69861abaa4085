/** A supervisor's work: approvals, calendar and policy, imports, case search. */
import type { FastifyInstance } from 'fastify';
import type { ConsoleKit } from '../../kit';

export function supervisorWorkRoutes(_scope: FastifyInstance, _k: ConsoleKit): void {
  // Routes to come.
}
