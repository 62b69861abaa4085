/** What a subject reads: their cases' timelines, the notices served on them, their credit reports. */
import type { FastifyInstance } from 'fastify';
import type { ConsoleKit } from '../../kit';

export function subjectReadingRoutes(_scope: FastifyInstance, _k: ConsoleKit): void {
  // Routes to come.
}
