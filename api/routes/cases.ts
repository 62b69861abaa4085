import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { AppDeps } from '../app';
import { actorOf, principalOf, requireRole, type Principal } from '../plugins/auth';
import { idempotent } from '../idempotency';
import { newCaseId, shanghaiDate } from '../case-ids';
import { listingRuleViolations, DEFAULT_LISTING_PERIOD } from '../listing-rules';
import { maySee, readCase, caseRowToView, visibleTo } from '../case-reads';
import { caseProblem } from '../temporal-errors';
import { Problem, notFound, unprocessable } from '../problem';
import { audit } from '../../db/audit';
import { policyFor } from '../../db/policy-store';
import type { Policy } from '../../domain/calendar';
import { caseCreateBody, caseSummary, caseView, type ListingCreateBody } from '../schemas/case';
import { decodeCursor, encodeCursor, pageQuery, problemSchema } from '../schemas/common';
import { actUpdate, getCaseQuery, type ListingInput } from '../../workflows/listing/definitions';
import type { CaseView } from '../../workflows/common/case-types';

const caseIdParam = z.object({ id: z.string().regex(/^[A-Z]{3}-\d{8}-[0-9A-Z]{10}$/, 'is not a case id') });
const errors = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema, 409: problemSchema, 422: problemSchema };

export const caseRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, deps) => {
  const { db, temporal, taskQueue } = deps;

  // Every line logged about a case carries its id.
  app.addHook('preHandler', async (request) => {
    const id = (request.params as { id?: string } | undefined)?.id;
    if (id) request.log = request.log.child({ caseId: id });
  });

  /** The case as Postgres has it, or, while its first write is still on the way, as the workflow has it. */
  async function loadVisibleCase(p: Principal, id: string): Promise<CaseView> {
    let view = await readCase(db, id);
    if (!view) {
      try {
        view = await temporal.workflow.getHandle(id).query(getCaseQuery);
      } catch (err) {
        if (err instanceof WorkflowNotFoundError) throw notFound(`no case ${id}`);
        throw err;
      }
    }
    if (!maySee(p, view)) throw notFound(`no case ${id}`);
    return view;
  }

  app.post(
    '/v1/cases',
    {
      preHandler: requireRole('officer'),
      schema: {
        tags: ['cases'],
        summary: 'Open a case',
        security: [{ bearer: [] }],
        headers: z.object({ 'idempotency-key': z.string().optional() }).loose(),
        body: caseCreateBody,
        response: { 201: caseView, ...errors },
      },
    },
    async (request, reply) => {
      const body = request.body;
      if (body.procedure !== 'listing') {
        throw new Problem(501, `procedure ${body.procedure} is not available yet`);
      }
      const p = principalOf(request);
      const now = new Date();
      const violations = await listingRuleViolations(db, body, shanghaiDate(now));
      if (violations.length > 0) throw unprocessable('the listing request breaks a domain rule', violations);

      return idempotent(db, request, reply, async (claimId) => {
        const caseId = await claimId(() => newCaseId('listing', now));
        request.log = request.log.child({ caseId });
        const policy = await policyFor(db, { procedure: 'listing', department: p.role === 'subject' ? '' : p.dept });
        const input = listingInput(caseId, body, p, now, policy);
        const handle = await temporal.workflow.start('listingWorkflow', {
          taskQueue,
          workflowId: caseId,
          args: [input],
          // A retry of the same request (same Idempotency-Key) joins the case it already started.
          workflowIdConflictPolicy: 'USE_EXISTING',
          workflowIdReusePolicy: 'REJECT_DUPLICATE',
        });
        const view = await handle.query(getCaseQuery);
        request.log.info({ procedure: 'listing' }, 'case opened');
        return { status: 201, body: view, headers: { location: `/v1/cases/${caseId}` } };
      });
    },
  );

  app.get(
    '/v1/cases/:id',
    {
      preHandler: requireRole('officer', 'supervisor', 'subject'),
      schema: { tags: ['cases'], security: [{ bearer: [] }], params: caseIdParam, response: { 200: caseView, ...errors } },
    },
    async (request) => {
      const p = principalOf(request);
      const view = await loadVisibleCase(p, request.params.id);
      await audit(db, {
        actor: p.sub,
        role: p.role,
        action: 'case.read',
        target: `case:${view.id}`,
        caseId: view.id,
        subjectId: view.subject.id,
      });
      return view;
    },
  );

  app.get(
    '/v1/cases',
    {
      preHandler: requireRole('officer', 'supervisor', 'subject'),
      schema: {
        tags: ['cases'],
        security: [{ bearer: [] }],
        querystring: z.object({
          procedure: z.enum(['listing', 'objection', 'repair']).optional(),
          state: z.string().max(40).optional(),
          subjectId: z.string().trim().toUpperCase().max(32).optional(),
          department: z.string().max(40).optional(),
          ...pageQuery,
        }),
        response: { 200: z.object({ items: z.array(caseSummary), nextCursor: z.string().nullable() }), ...errors },
      },
    },
    async (request) => {
      const p = principalOf(request);
      const q = request.query;
      const scope = visibleTo(p);
      // A filter outside the caller's scope finds nothing rather than telling what exists there.
      const conflicting =
        (scope.department && q.department && q.department !== scope.department) ||
        (scope.subjectId && q.subjectId && q.subjectId !== scope.subjectId);
      if (conflicting) return { items: [], nextCursor: null };
      const after = decodeCursor(q.cursor, 2) as [string, string] | null;
      const rows = await db.case.findMany({
        where: {
          ...(q.procedure ? { procedure: q.procedure } : {}),
          ...(q.state ? { state: q.state } : {}),
          ...(q.subjectId ? { subjectId: q.subjectId } : {}),
          ...(q.department ? { department: q.department } : {}),
          ...scope,
          ...(after
            ? { OR: [{ createdAt: { lt: new Date(after[0]) } }, { createdAt: new Date(after[0]), id: { lt: after[1] } }] }
            : {}),
        },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        take: q.limit + 1,
      });
      const page = rows.slice(0, q.limit);
      const last = page[page.length - 1];
      await audit(db, {
        actor: p.sub,
        role: p.role,
        action: 'case.list',
        target: 'cases',
        subjectId: q.subjectId ?? (p.role === 'subject' ? p.subjectId : null),
        detail: { filter: { procedure: q.procedure, state: q.state, subjectId: q.subjectId, department: q.department }, count: page.length },
      });
      return {
        items: page.map((r) => {
          const { timeline: _t, deadlines: _d, documents: _o, details: _x, ...summary } = caseRowToView(r, []);
          return summary;
        }),
        nextCursor: rows.length > q.limit && last ? encodeCursor([last.createdAt.toISOString(), last.id]) : null,
      };
    },
  );

  app.post(
    '/v1/cases/:id/actions/:action',
    {
      preHandler: requireRole('officer', 'supervisor', 'subject'),
      schema: {
        tags: ['cases'],
        security: [{ bearer: [] }],
        params: caseIdParam.extend({ action: z.string().regex(/^[a-z_]{1,40}$/, 'is not an action name') }),
        body: z.record(z.string(), z.unknown()).default({}),
        response: { 200: caseView, ...errors },
      },
    },
    async (request, reply) => {
      const p = principalOf(request);
      const { id, action } = request.params;
      await loadVisibleCase(p, id);
      return idempotent(db, request, reply, async () => {
        try {
          const view = await temporal.workflow.getHandle(id).executeUpdate(actUpdate, {
            args: [{ action, actor: actorOf(p), body: request.body ?? {}, receivedAt: new Date().toISOString() }],
          });
          return { status: 200, body: view };
        } catch (err) {
          throw caseProblem(err, id) ?? err;
        }
      });
    },
  );
};

function listingInput(caseId: string, body: ListingCreateBody, p: Principal, now: Date, policy: Policy): ListingInput {
  if (p.role === 'subject') throw new Error('subjects do not open listing cases');
  return {
    caseId,
    subject: body.subject,
    category: body.category,
    facts: body.facts,
    basisDocuments: body.basisDocuments,
    proposedMeasures: body.proposedMeasures,
    responsiblePersons: body.responsiblePersons ?? [],
    listingPeriod: body.listingPeriod ?? DEFAULT_LISTING_PERIOD,
    department: p.dept,
    openedBy: actorOf(p),
    openedAt: now.toISOString(),
    policy,
  };
}
