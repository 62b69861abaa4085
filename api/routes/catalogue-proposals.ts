import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppDeps } from '../app';
import { principalOf, requireRole } from '../plugins/auth';
import { problemSchema } from '../schemas/common';
import { proposalSchema } from '../schemas/settings';
import { catalogueChangeSchema } from '../../domain/catalogue-changes';
import { idempotent } from '../idempotency';
import { propose } from '../settings/proposals';
import { settingsContext } from './settings';

const errors = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 422: problemSchema };

/**
 * The catalogue (Art 32) is one of the city's legal settings: a supervisor proposes a change of a provincial or city
 * item here, and it takes effect when a second supervisor approves it (POST /v1/settings/proposals/{id}/approve).
 */
export const catalogueProposalRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, deps) => {
  app.post(
    '/v1/catalogue/items',
    {
      preValidation: requireRole('supervisor'),
      schema: {
        tags: ['reference'],
        summary:
          'Propose adding, changing or withdrawing a provincial or city item of the public credit information catalogue; a second supervisor approves it',
        description:
          'Answers 202 with a proposal (`kind: catalogue_item`; `preview`: the item before and after, the records that use it, the catalogue version it ' +
          'makes). `{ code, withdraw: true, source }` withdraws an item: records already supplied keep their type, new ones are refused. Refused with 422 ' +
          'naming the field where the category does not match the article (Art 33 basic, 34 dishonesty, 35 other), a department does not exist, the source ' +
          'names no act or document, or the item is a national one, one written by the listing procedure, or already withdrawn. Checked again when approved.',
        security: [{ bearer: [] }],
        body: catalogueChangeSchema,
        response: { 202: proposalSchema, ...errors },
      },
    },
    async (request, reply) =>
      idempotent(deps.db, request, reply, async (claimId) => ({
        status: 202,
        body: await propose(settingsContext(deps, request), {
          kind: 'catalogue_item',
          payload: request.body,
          by: principalOf(request),
          claimId,
        }),
      })),
  );
};
