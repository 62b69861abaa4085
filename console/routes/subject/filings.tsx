/** What a subject files: objections, statements on a listing case, repair applications. */
import type { FastifyInstance } from 'fastify';
import type { ConsoleKit } from '../../kit';

export function subjectFilingRoutes(_scope: FastifyInstance, _k: ConsoleKit): void {
  // Routes to come.
}
