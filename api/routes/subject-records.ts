import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppDeps } from '../app';
import { principalOf, requireRole } from '../plugins/auth';
import { problemSchema } from '../schemas/common';
import { audit } from '../../db/audit';
import { badRequest, notFound } from '../problem';
import { maskResidentId } from '../../domain/identity';

/**
 * What the credit record shows of a subject today (Art 49/50). This first version carries the listing
 * procedure's part: the subject's own serious-dishonesty listings and, for a natural person, the entries
 * that an organisation's listing put in their record (Art 48). Credit records proper join with the
 * objection procedure. Subjects read their own freely; officials must state a purpose; every read is audited.
 */
export const subjectRecordRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, { db }) => {
  app.get(
    '/v1/subjects/:subjectId/records',
    {
      preHandler: requireRole('officer', 'supervisor', 'subject'),
      schema: {
        tags: ['records'],
        security: [{ bearer: [] }],
        params: z.object({ subjectId: z.string().trim().toUpperCase().min(1).max(32) }),
        querystring: z.object({ purpose: z.string().trim().min(1).max(500).optional() }),
        response: {
          200: z.object({
            subjectId: z.string(),
            items: z.array(z.record(z.string(), z.unknown())),
            listings: z.array(z.record(z.string(), z.unknown())),
            responsiblePersonEntries: z.array(z.record(z.string(), z.unknown())),
          }),
          400: problemSchema,
          401: problemSchema,
          403: problemSchema,
          404: problemSchema,
        },
      },
    },
    async (request) => {
      const p = principalOf(request);
      const { subjectId } = request.params;
      if (p.role === 'subject' && p.subjectId !== subjectId) throw notFound(`no subject ${subjectId}`);
      const purpose = request.query.purpose;
      if (p.role !== 'subject' && !purpose) {
        throw badRequest('officials must state the purpose of a credit query (Art 39)', [{ path: 'querystring.purpose', message: 'required' }]);
      }
      const [listings, entries] = await Promise.all([
        db.publicListing.findMany({ where: { subjectId, status: 'listed' }, orderBy: { listedFrom: 'desc' } }),
        db.subjectEntry.findMany({ where: { subjectId, status: 'active' }, orderBy: { listedFrom: 'desc' } }),
      ]);
      await audit(db, {
        actor: p.sub,
        role: p.role,
        action: 'records.read',
        target: `subject:${subjectId}`,
        subjectId,
        detail: { purpose: purpose ?? 'own records', listings: listings.length, entries: entries.length },
      });
      const own = p.role === 'subject';
      return {
        subjectId,
        items: [],
        listings: listings.map((l) => ({
          caseId: l.caseId,
          category: l.category,
          measures: l.measures,
          decisionNumber: l.decisionNumber,
          department: l.department,
          listedFrom: l.listedFrom,
          listedUntil: l.listedUntil,
        })),
        responsiblePersonEntries: entries.map((e) => ({
          caseId: e.caseId,
          role: e.role,
          name: e.name,
          idNumber: own ? e.subjectId : maskResidentId(e.subjectId),
          organisation: { id: e.organisationId, name: e.organisationName },
          listedFrom: e.listedFrom,
          listedUntil: e.listedUntil,
        })),
      };
    },
  );
};
