import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppDeps } from '../app';
import { principalOf, requireRole } from '../plugins/auth';
import { isoDate, problemSchema } from '../schemas/common';
import { shanghaiDate } from '../case-ids';
import { confidences, legalBoundsOf, policyOverrideSchema, periodUnits } from '../../domain/calendar';
import { policyFor } from '../../db/policy-store';
import { idempotent } from '../idempotency';
import { proposalSchema } from '../schemas/settings';
import { propose } from '../settings/proposals';
import { settingsContext } from './settings';

const errors = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 422: problemSchema };

const bound = z.object({
  unit: z.enum(periodUnits).optional(),
  amount: z.number(),
  source: z.string(),
  basis: z.enum(['law', 'sane']),
});
/** An entry of the resolved table with what an override may set it to (domain/calendar/policy-bounds.ts). */
const policyEntry = z.looseObject({
  key: z.string(),
  label: z.string(),
  source: z.string(),
  confidence: z.enum(confidences),
  note: z.string().optional(),
  overriddenBy: z.array(z.string()).optional(),
  legalBounds: z
    .object({
      units: z.array(z.enum(periodUnits)).optional(),
      floor: bound.nullable(),
      ceiling: bound.nullable(),
      minFloor: bound.optional(),
      minCeiling: bound.optional(),
      maxTotalCeiling: bound.optional(),
      note: z.string().optional(),
    })
    .optional(),
});

/** The policy table of periods (DOMAIN.md "Policy defaults") and the operator's overrides of it. */
export const policyRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, deps) => {
  const { db, clock = () => new Date() } = deps;
  app.get(
    '/v1/policy',
    {
      preValidation: requireRole('officer', 'supervisor'),
      schema: {
        tags: ['policy'],
        summary:
          'The policy in force for a procedure and department (new cases take these values), each entry with its source and confidence',
        description:
          'Every entry carries `source` (the act and article it rests on, quoted where read), `confidence` (`text`: the article was read; ' +
          '`practice`: another jurisdiction or a secondary source; `unverified`: to be confirmed before go-live) and, where the source leaves ' +
          'something open, `note`; and `legalBounds`: the units it may be set in and its floor and ceiling, each with its `source` and `basis` ' +
          '(`law`: the cited text sets it; `sane`: no text read sets one, only a sane range is kept). `on` (default today, Asia/Shanghai) picks the rules in force on that date.',
        security: [{ bearer: [] }],
        querystring: z.object({
          procedure: z.enum(['listing', 'objection', 'repair']),
          department: z.string().min(1).max(40),
          on: isoDate.optional(),
        }),
        response: { 200: z.record(z.string(), policyEntry), ...errors },
      },
    },
    async (request) => {
      const policy = await policyFor(db, { ...request.query, on: request.query.on ?? shanghaiDate(clock()) });
      return Object.fromEntries(
        Object.entries(policy).map(([key, entry]) => {
          const legalBounds = legalBoundsOf(key);
          return [key, { ...(entry as object), ...(legalBounds ? { legalBounds } : {}) } as z.infer<typeof policyEntry>];
        }),
      );
    },
  );

  app.get(
    '/v1/policy/overrides',
    {
      preValidation: requireRole('officer', 'supervisor'),
      schema: {
        tags: ['policy'],
        security: [{ bearer: [] }],
        response: { 200: z.object({ items: z.array(z.record(z.string(), z.unknown())) }), ...errors },
      },
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
        summary:
          'Propose changing policy values for all, one procedure, one department, or both; a second supervisor approves it; running cases keep theirs',
        description:
          'Answers 202 with a proposal (`kind: policy_override`, `preview.changes`: the entries it changes). Refused with 422 naming each entry ' +
          'where it crosses its legal floor or ceiling (`GET /v1/policy` shows them), is set in a unit its clocks and documents cannot read, names a ' +
          'department that does not exist, claims `confidence: "text"` without a source naming an act, or leaves any table it reaches unable ' +
          'to compute its periods or render its documents. Checked again when approved.',
        security: [{ bearer: [] }],
        body: policyOverrideSchema,
        response: { 202: proposalSchema, ...errors },
      },
    },
    async (request, reply) =>
      idempotent(db, request, reply, async (claimId) => ({
        status: 202,
        body: await propose(settingsContext(deps, request), {
          kind: 'policy_override',
          payload: request.body,
          by: principalOf(request),
          claimId,
        }),
      })),
  );
};
