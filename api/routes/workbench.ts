import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppDeps } from '../app';
import { principalOf, requireRole } from '../plugins/auth';
import { problemSchema } from '../schemas/common';
import { shanghaiDate } from '../case-ids';
import { audit } from '../../db/audit';
import { dueWindows, workbench } from '../workbench';

const deadline = z.object({
  kind: z.string(),
  dueAt: z.string(),
  dueDate: z.string(),
  provisional: z.boolean(),
  workingDaysLeft: z.number().int().optional(),
  overdue: z.boolean(),
});

const item = z.object({
  id: z.string(),
  procedure: z.string(),
  state: z.string(),
  subject: z.object({ kind: z.string(), id: z.string(), name: z.string() }),
  department: z.string(),
  actingDepartment: z.string(),
  allowedActions: z.array(z.string()),
  updatedAt: z.string(),
  nextDeadline: deadline.nullable().describe("The authority's nearest running deadline (a late one while none runs), or null"),
  waitingOnSubject: deadline
    .optional()
    .describe(
      "Present when the case waits on the subject: no authority deadline (nextDeadline is null) and a subject's window " +
        'open, such as the statement window of a listing whose notice was served; the nearest such window. These cases ' +
        'follow those with an authority deadline, by this date.',
    ),
});

/** The officer's workbench (the console's first page) as JSON: the same query the page renders. */
export const workbenchRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, { db, clock = () => new Date() }) => {
  app.get(
    '/v1/workbench',
    {
      preValidation: requireRole('officer'),
      schema: {
        tags: ['cases'],
        summary: "Open cases whose next step is the caller's department, nearest authority deadline first",
        description:
          "Each row carries its nearest authority deadline; a case waiting on the subject (a subject's window open, no authority deadline) " +
          'carries that window as waitingOnSubject and follows the cases with an authority deadline, nearest window first; cases with ' +
          'neither come last, most recently changed first. The due filter looks at authority deadlines only.',
        security: [{ bearer: [] }],
        querystring: z.object({
          procedure: z.enum(['listing', 'objection', 'repair']).optional(),
          state: z.string().max(40).optional(),
          due: z.enum(dueWindows).default('all'),
          q: z.string().max(100).optional(),
          limit: z.coerce.number().int().min(1).max(200).default(50),
          offset: z.coerce.number().int().min(0).max(100_000).default(0),
        }),
        response: {
          200: z.object({ items: z.array(item), total: z.number().int() }),
          400: problemSchema,
          401: problemSchema,
          403: problemSchema,
        },
      },
    },
    async (request) => {
      const p = principalOf(request);
      if (p.role !== 'officer') throw new Error('requireRole admits officers only');
      const now = clock();
      const q = request.query;
      const filter = {
        department: p.dept,
        due: q.due,
        limit: q.limit,
        offset: q.offset,
        ...(q.procedure ? { procedure: q.procedure } : {}),
        ...(q.state ? { state: q.state } : {}),
        ...(q.q ? { q: q.q } : {}),
      };
      const result = await workbench(db, filter, now, shanghaiDate(now));
      await audit(db, {
        at: now,
        actor: p.sub,
        role: p.role,
        action: 'workbench.read',
        target: `department:${p.dept}`,
        caseId: null,
        subjectId: null,
        detail: { filter: { procedure: q.procedure, state: q.state, due: q.due, q: q.q }, count: result.items.length },
      });
      return result;
    },
  );
};
