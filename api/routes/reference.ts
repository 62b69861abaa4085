import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppDeps } from '../app';
import { requireRole } from '../plugins/auth';
import { catalogueItemView, catalogueItemsOf } from './public-reference';

const anyRole = requireRole('officer', 'supervisor', 'subject');

export const referenceRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, { db }) => {
  app.get(
    '/v1/departments',
    {
      preValidation: anyRole,
      schema: {
        tags: ['reference'],
        security: [{ bearer: [] }],
        response: {
          200: z.object({
            items: z.array(z.object({ code: z.string(), name: z.string(), kind: z.enum(['credit_agency', 'supplying']) })),
          }),
        },
      },
    },
    async () => ({ items: await db.department.findMany({ orderBy: { code: 'asc' } }) }),
  );

  app.get(
    '/v1/catalogue/measures',
    {
      preValidation: anyRole,
      schema: {
        tags: ['reference'],
        security: [{ bearer: [] }],
        response: {
          200: z.object({
            items: z.array(
              z.object({
                code: z.string(),
                title: z.string(),
                level: z.enum(['general', 'serious']),
                basis: z.string(),
                scope: z.string(),
                maxYears: z.number().int().nullable(),
              }),
            ),
          }),
        },
      },
    },
    async () => ({ items: await db.measure.findMany({ orderBy: { code: 'asc' } }) }),
  );

  app.get(
    '/v1/catalogue/records',
    {
      preValidation: anyRole,
      schema: {
        tags: ['reference'],
        summary: 'The public credit information catalogue (Art 32), as GET /v1/public/catalogue gives it, without its rate limit',
        security: [{ bearer: [] }],
        response: { 200: z.object({ items: z.array(catalogueItemView) }) },
      },
    },
    async () => ({ items: await catalogueItemsOf(db) }),
  );
};
