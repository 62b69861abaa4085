import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppDeps } from '../app';

export const healthRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, deps) => {
  app.get('/healthz', { schema: { tags: ['service'], response: { 200: z.object({ status: z.literal('ok') }) } } }, async () => ({
    status: 'ok' as const,
  }));

  app.get(
    '/readyz',
    {
      schema: {
        tags: ['service'],
        response: {
          200: z.object({ status: z.literal('ready'), checks: z.record(z.string(), z.string()) }),
          503: z.object({ status: z.literal('unavailable'), checks: z.record(z.string(), z.string()) }),
        },
      },
    },
    async (_request, reply) => {
      const [db, temporal] = await Promise.all([
        withTimeout(deps.db.$queryRaw`SELECT 1`, 2000),
        withTimeout(deps.temporal.workflowService.getSystemInfo({}), 2000),
      ]);
      const checks = { postgres: db, temporal };
      const ok = db === 'ok' && temporal === 'ok';
      return ok ? { status: 'ready' as const, checks } : reply.code(503).send({ status: 'unavailable' as const, checks });
    },
  );
};

async function withTimeout(p: Promise<unknown>, ms: number): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      p,
      new Promise((_, reject) => {
        timer = setTimeout(() => {
          reject(new Error('timeout'));
        }, ms);
      }),
    ]);
    return 'ok';
  } catch (err) {
    return (err as Error).message === 'timeout' ? 'timed out' : 'not reachable';
  } finally {
    clearTimeout(timer);
  }
}
