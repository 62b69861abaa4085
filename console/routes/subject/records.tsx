/** 我的信用记录: a subject's records, their histories, listings in force and Art 48 entries. */
import type { FastifyInstance } from 'fastify';
import type { ConsoleKit } from '../../kit';

export function subjectRecordRoutes(_scope: FastifyInstance, _k: ConsoleKit): void {
  // Routes to come.
}
