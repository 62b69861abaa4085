/** A supervisor's oversight: the deadline dashboard, breaches and escalations, the audit log. */
import type { FastifyInstance } from 'fastify';
import type { ConsoleKit } from '../../kit';

export function supervisorOversightRoutes(_scope: FastifyInstance, _k: ConsoleKit): void {
  // Routes to come.
}
