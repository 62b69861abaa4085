import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppDeps } from '../app';
import { principalOf, requireRole } from '../plugins/auth';
import { isoDate, problemSchema } from '../schemas/common';
import { shanghaiDate } from '../case-ids';
import { defaultPolicy, policyOverrideSchema, resolvePolicy } from '../../domain/calendar';
import { loadOverrides, policyFor } from '../../db/policy-store';
import { appendAudit } from '../../db/audit';
import { unprocessable } from '../problem';
import { idempotent } from '../idempotency';

const errors = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 422: problemSchema };

/** The policy table of periods (DOMAIN.md "Policy defaults") and the operator's overrides of it. */
export const policyRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, { db, clock = () => new Date() }) => {
  app.get(
    '/v1/policy',
    {
      preValidation: requireRole('officer', 'supervisor'),
      schema: {
        tags: ['policy'],
        summary: 'The policy in force for a procedure and department (new cases take these values), each entry with its source and confidence',
        description:
          'Every entry carries `source` (the act and article it rests on, quoted where read), `confidence` (`text`: the article was read; ' +
          '`practice`: another jurisdiction or a secondary source; `unverified`: to be confirmed before go-live) and, where the source leaves ' +
          'something open, `note`. `on` (default today, Asia/Shanghai) picks the rules in force on that date.',
        security: [{ bearer: [] }],
        querystring: z.object({
          procedure: z.enum(['listing', 'objection', 'repair']),
          department: z.string().min(1).max(40),
          on: isoDate.optional(),
        }),
        response: { 200: z.record(z.string(), z.unknown()), ...errors },
      },
    },
    async (request) => policyFor(db, { ...request.query, on: request.query.on ?? shanghaiDate(clock()) }),
  );

  app.get(
    '/v1/policy/overrides',
    {
      preValidation: requireRole('officer', 'supervisor'),
      schema: { tags: ['policy'], security: [{ bearer: [] }], response: { 200: z.object({ items: z.array(z.record(z.string(), z.unknown())) }), ...errors } },
    },
    async () => {
      const rows = await db.policyOverride.findMany({ orderBy: { id: 'asc' } });
      return {
        items: rows.map((r) => ({
          id: String(r.id),
          procedure: r.procedure,
          department: r.department,
          ...(r.values as object),
          createdBy: r.createdBy,
          createdAt: r.createdAt.toISOString(),
        })),
      };
    },
  );

  app.post(
    '/v1/policy/overrides',
    {
      preValidation: requireRole('supervisor'),
      schema: {
        tags: ['policy'],
        summary: 'Change policy values for all, one procedure, one department, or both; running cases keep theirs',
        security: [{ bearer: [] }],
        body: policyOverrideSchema,
        response: { 201: z.record(z.string(), z.unknown()), ...errors },
      },
    },
    async (request, reply) => {
      const p = principalOf(request);
      const o = request.body;
      // Refuse an override that would leave an incoherent table for any procedure it touches.
      const existing = await loadOverrides(db);
      for (const procedure of o.procedure ? [o.procedure] : (['listing', 'objection', 'repair'] as const)) {
        try {
          resolvePolicy(defaultPolicy(), [...existing, o], { procedure, department: o.department ?? '*' });
        } catch (err) {
          throw unprocessable((err as Error).message);
        }
      }
      return idempotent(db, request, reply, async () => {
        const { procedure, department, ...values } = o;
        const row = await db.$transaction(async (tx) => {
          const created = await tx.policyOverride.create({
            data: { procedure: procedure ?? null, department: department ?? null, values: values as object, createdBy: p.sub },
          });
          await appendAudit(tx, { actor: p.sub, role: p.role, action: 'policy.override', target: `policy:${created.id}`, detail: o as Record<string, unknown> });
          return created;
        });
        return { status: 201, body: { id: String(row.id), ...o, createdBy: row.createdBy, createdAt: row.createdAt.toISOString() } };
      });
    },
  );
};
