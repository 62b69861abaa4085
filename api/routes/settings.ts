import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyRequest } from 'fastify';
import type { AppDeps } from '../app';
import { principalOf, requireRole } from '../plugins/auth';
import { problemResponses } from '../schemas/common';
import { proposalSchema, proposalStatuses } from '../schemas/settings';
import { proposalKindNames } from '../settings/proposal-kinds';
import { approve, noProposal, proposalView, reject } from '../settings/proposals';
import type { SettingsContext } from '../settings/proposal-kind';
import { idempotent } from '../idempotency';
import { notFound } from '../problem';

const errors = problemResponses;
const idParam = z.object({ id: z.string().min(1).max(100) });

/** What a settings proposal needs of the app, per request. */
export function settingsContext(deps: AppDeps, request: FastifyRequest): SettingsContext {
  return { db: deps.db, temporal: deps.temporal, now: (deps.clock ?? (() => new Date()))(), log: request.log };
}

/**
 * The proposals to change the city's legal settings: `PUT /v1/calendar/years/{year}` and `POST /v1/policy/overrides`
 * make them; a second supervisor approves or any supervisor rejects them here.
 */
export const settingsRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, deps) => {
  const { db } = deps;

  app.get(
    '/v1/settings/proposals',
    {
      preValidation: requireRole('supervisor'),
      schema: {
        tags: ['settings'],
        summary: 'Proposed changes of the legal settings (calendar years, policy overrides, catalogue items), newest first',
        security: [{ bearer: [] }],
        querystring: z.object({
          status: z.enum(proposalStatuses).optional(),
          kind: z.enum(proposalKindNames).optional(),
          limit: z.coerce.number().int().min(1).max(500).default(50),
        }),
        response: { 200: z.object({ items: z.array(proposalSchema) }), ...errors },
      },
    },
    async (request) => {
      const { status, kind, limit } = request.query;
      const rows = await db.settingsProposal.findMany({
        where: { ...(status ? { status } : {}), ...(kind ? { kind } : {}) },
        orderBy: [{ proposedAt: 'desc' }, { id: 'asc' }],
        take: limit,
      });
      return { items: rows.map(proposalView) as z.infer<typeof proposalSchema>[] };
    },
  );

  app.get(
    '/v1/settings/proposals/:id',
    {
      preValidation: requireRole('supervisor'),
      schema: {
        tags: ['settings'],
        security: [{ bearer: [] }],
        params: idParam,
        response: { 200: proposalSchema, ...errors },
      },
    },
    async (request) => {
      const row = await db.settingsProposal.findUnique({ where: { id: request.params.id } });
      if (!row) throw notFound(noProposal(request.params.id));
      return proposalView(row) as z.infer<typeof proposalSchema>;
    },
  );

  app.post(
    '/v1/settings/proposals/:id/approve',
    {
      preValidation: requireRole('supervisor'),
      schema: {
        tags: ['settings'],
        summary:
          'A second supervisor approves: checked again, then applied (a calendar year moves running deadlines); the proposer gets 409',
        security: [{ bearer: [] }],
        params: idParam,
        response: { 200: proposalSchema, ...errors },
      },
    },
    async (request, reply) =>
      idempotent(db, request, reply, async () => ({
        status: 200,
        body: await approve(settingsContext(deps, request), request.params.id, principalOf(request)),
      })),
  );

  app.post(
    '/v1/settings/proposals/:id/reject',
    {
      preValidation: requireRole('supervisor'),
      schema: {
        tags: ['settings'],
        summary: 'Reject a proposal with reasons (the proposer may withdraw their own); nothing changes',
        security: [{ bearer: [] }],
        params: idParam,
        body: z.object({
          reasons: z.array(z.string().regex(/\S/, 'must not be blank').trim().min(1).max(1_000)).min(1).max(20),
        }),
        response: { 200: proposalSchema, ...errors },
      },
    },
    async (request, reply) =>
      idempotent(db, request, reply, async () => ({
        status: 200,
        body: await reject(settingsContext(deps, request), request.params.id, principalOf(request), request.body.reasons),
      })),
  );
};
