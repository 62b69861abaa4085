/** 信用信息公示: the pages anyone may read without signing in. */
import type { FastifyInstance } from 'fastify';
import type { ConsoleKit } from '../kit';

export function publicRoutes(_scope: FastifyInstance, _k: ConsoleKit): void {
  // Routes to come.
}
