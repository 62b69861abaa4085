import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { roleRefused } from '../words';
import { stateName } from '../../contract/state-names';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { AppDeps } from '../app';
import { actorOf, principalOf, requireRole, type Principal } from '../plugins/auth';
import { actionUpdateId, idempotentWith, type AnswerableKey, type Outcome, type ResourceIdClaim } from '../idempotency';
import { caseAsChanged, caseAsOpened } from '../case-answers';
import { startCaseHandingOver } from '../case-start';
import { newCaseId } from '../case-ids';
import { maySee, readCase, readCaseWritten, caseRowToSummary, visibleTo, type CaseOpeningRead } from '../case-reads';
import { caseProblem, isClosedWorkflowError } from '../temporal-errors';
import { ACTION_ANSWER_DEADLINE_MS, claimOpening, dropHandover, openingClaim, writeActionChanges } from '../action-changes';
import { present } from '../../workflows/common/present';
import { mayQuote, quoteAhead } from '../action-quotes';
import { conflict, forbidden, notFound, Problem, unavailable } from '../problem';
import { attachUploads, caseFiles, checkUploads, evidenceFileIdsOf, releaseUploads, type FilingRef } from '../evidence-files';
import { isTemporalUnavailable } from '../infra-errors';
import { ACTIONS_BY_NAME, checkAction, procedureApi, PROCEDURES } from '../procedures';
import type { OpenContext, Opening, OpeningClaim, WorkflowInputOf } from '../procedures/procedure';
import { Prisma } from '../../generated/prisma/client';
import { audit } from '../../db/audit';
import { sqlOf } from '../../db/client';
import { keepLateFiling } from '../../db/late-filings';
import { caseCreateBody, caseSummary, caseView, listingImportBody } from '../schemas/case';
import { decodeCursor, encodeCursor, pageOf, pageQuery, problemResponses, problemSchema } from '../schemas/common';
import { getCaseQuery, takeActionUpdate } from '../../workflows/common/definitions';
import type { CaseView, Procedure } from '../../workflows/common/case-types';

const caseIdParam = z.object({ id: z.string().regex(/^[A-Z]{3}-\d{8}-[0-9A-Z]{10}$/, 'is not a case id') });
const errors = problemResponses;
/** What a route that waits for a workflow says of its limit in the OpenAPI document. */
const answersWithin = (ms: number) => `Answers within ${Math.ceil(ms / 1000)} s; otherwise 503 with Retry-After.`;

export const caseRoutes: FastifyPluginAsyncZod<AppDeps> = (app, deps) => {
  const clock = deps.clock ?? (() => new Date());
  const startAnswerDeadlineMs = deps.startAnswerDeadlineMs ?? 20_000;
  const actionAnswerDeadlineMs = deps.actionAnswerDeadlineMs ?? ACTION_ANSWER_DEADLINE_MS;
  const { db, temporal, taskQueue } = deps;

  // Every line logged about a case carries its id.
  app.addHook('preHandler', (request, _reply, done) => {
    const id = (request.params as { id?: string } | undefined)?.id;
    if (id) request.log = request.log.child({ caseId: id });
    done();
  });

  /**
   * Starts the case an opening passed its checks for, under the id the request's Idempotency-Key claims. With no worker
   * polling, the workflow's answer would never come: after the deadline the client gets a 503 (a DEADLINE_EXCEEDED
   * from Temporal). The case stays started and is recorded when a worker returns; a retry with the same key joins it.
   */
  function startCase<P extends Procedure>(
    request: FastifyRequest,
    reply: FastifyReply,
    { procedure, opening, now, message = 'case opened' }: { procedure: P; opening: Opening<P>; now: Date; message?: string },
  ) {
    const newId = () => newCaseId(procedure, now);
    const p = principalOf(request);
    const ids = evidenceFileIdsOf(request.body);
    // An opening that takes nothing and brings no files is claimed with a new key, a round trip fewer (issue 23): the
    // claim made for the id the key names is the one the case starts with.
    let claimedWithKey: OpeningClaim<P> | undefined;
    const claimOf = ids.length === 0 ? opening.claimOf : undefined;
    const claimsForNewId = claimOf
      ? (caseId: string, gate: Prisma.Sql) => {
          claimedWithKey = claimOf(caseId);
          return openingClaim(openingHandover(caseId), { procedure, input: claimedWithKey.input }, gate);
        }
      : undefined;
    return idempotentWith(db, { request, reply, newId, claimsForNewId }, async (claimId, key, claimedForNewId) => {
      const caseId = await claimId(newId);
      request.log = request.log.child({ caseId });
      const handover = openingHandover(caseId);
      const evidence = { ids, to: { caseId, filing: 'opening' } };
      let startInput: WorkflowInputOf<P>;
      let logged: Record<string, unknown>;
      if (claimedForNewId && claimedWithKey) {
        ({ input: startInput, logged } = claimedWithKey);
      } else {
        // The filing's files become the new case's before anything else is claimed (a 422 leaves nothing behind).
        await attachUploads(db, { p, ...evidence, now, subjectId: p.role === 'subject' ? p.subjectId : null });
        const claim = await opening.claim(caseId).catch(async (err: unknown) => {
          await releaseIfRefused(err, evidence);
          throw err;
        });
        logged = claim.logged;
        // The API writes the opening (as it writes actions): claimed first, so a process that dies before writing it
        // leaves it to the sweeper. The case starts with the facts recorded with the claim, a retry's with its first's.
        startInput = await claimOpening(db, handover, { procedure, input: claim.input });
      }
      try {
        const { changes } = await temporal.withDeadline(Date.now() + startAnswerDeadlineMs, () =>
          startCaseHandingOver(
            temporal,
            { taskQueue, workflowType: procedureApi(procedure).workflowType, input: startInput },
            handover.updateId,
          ),
        );
        // Answered with the case as the read model shows it once the opening is written: worked out from the change,
        // and the key answered in the statement that writes it; or, where it cannot be, read back once written.
        const worked = caseAsOpened(changes);
        const { answered } = await writeActionChanges(
          db,
          temporal,
          { ...handover, changes },
          worked && key ? { key: { ...key, status: 201, response: worked } } : undefined,
        );
        const view = worked ?? (await writtenOpening(caseId));
        request.log.info({ procedure, ...logged, state: view.state }, message);
        return { status: 201, body: view, headers: { location: `/v1/cases/${caseId}` }, ...(answered ? { keyAnswered: true } : {}) };
      } catch (err) {
        await opening.abandon?.(caseId);
        await releaseIfRefused(err, evidence);
        throw err;
      }
    });
  }

  /** A case's opening as written, for an answer that could not be worked out from its change (api/case-answers.ts). */
  async function writtenOpening(caseId: string): Promise<CaseView> {
    const view = (await readCase(db, caseId)) ?? (await workflowView(caseId));
    // Written before this is asked; a case no one can read then is nothing a client sent.
    if (!view) throw new Error(`case ${caseId} was opened and written, and cannot be read`);
    return view;
  }

  /** The handover of a case's opening: one per case, so any attempt to open it claims the same. */
  function openingHandover(caseId: string) {
    return { updateId: `open-${caseId}`, caseId };
  }

  /** A filing refused (4xx) gives its files back, so they may be named again; one that may yet be taken keeps them. */
  async function releaseIfRefused(err: unknown, { ids, to }: { ids: string[]; to: FilingRef }): Promise<void> {
    if (err instanceof Problem && err.status < 500) await releaseUploads(db, { ids, to });
  }

  function openContext(request: FastifyRequest): OpenContext {
    return { db, temporal, p: principalOf(request), now: clock(), replayOfOwnFiling: () => replayOfOwnFiling(request) };
  }

  /** The case as Postgres has it, or, while its first write is still on the way, as the workflow has it. */
  async function loadVisibleCase(p: Principal, id: string): Promise<CaseView> {
    let view = await readCase(db, id);
    if (!view) view = await workflowView(id);
    if (!view) throw notFound(noCase(id));
    if (!maySee(p, view)) throw notFound(noCase(id));
    return view;
  }

  async function workflowView(id: string): Promise<CaseView | null> {
    try {
      return await temporal.workflow.getHandle(id).query(getCaseQuery);
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return null;
      throw err;
    }
  }

  /**
   * The case as its workflow holds it now, for an action the read model could not judge (judgedAction). The read
   * model answers for a case whose workflow is no longer kept by Temporal.
   */
  async function liveVisibleCase(p: Principal, id: string, by?: number): Promise<CaseView> {
    const live = by === undefined ? await workflowView(id) : await temporal.withDeadline(by, () => workflowView(id));
    const view = live ?? (await readCase(db, id));
    if (!view || !maySee(p, view)) throw notFound(noCase(id));
    return view;
  }

  app.post(
    '/v1/cases',
    {
      preValidation: requireRole('officer', 'subject', 'supervisor'),
      schema: {
        tags: ['cases'],
        summary: 'Open a case',
        description: `${answersWithin(startAnswerDeadlineMs)} The case is then started all the same: a retry with the same Idempotency-Key joins it.`,
        security: [{ bearer: [] }],
        headers: z.object({ 'idempotency-key': z.string().min(1).max(200).optional() }).loose(),
        body: caseCreateBody,
        response: { 201: caseView, ...errors, 503: problemSchema },
      },
    },
    async (request, reply) => {
      const ctx = openContext(request);
      const { procedure } = request.body;
      // Files judged before anything is claimed, so a 422 leaves the Idempotency-Key free for the corrected filing;
      // a retry finds them on the case its key already claimed.
      const ids = evidenceFileIdsOf(request.body);
      const claimed = ids.length > 0 ? await ownClaimedCase(request) : null;
      await checkUploads(db, { p: ctx.p, ids, ...(claimed ? { to: { caseId: claimed, filing: 'opening' } } : {}) });
      const opening = await procedureApi(procedure).open(ctx, request.body);
      return startCase(request, reply, { procedure, opening, now: ctx.now });
    },
  );

  /** True when this request repeats an earlier one (same caller and Idempotency-Key) that already claimed a case. */
  async function replayOfOwnFiling(request: FastifyRequest): Promise<boolean> {
    return (await ownClaimedCase(request)) !== null;
  }

  /** The case an earlier request with this caller's Idempotency-Key claimed, if any. */
  async function ownClaimedCase(request: FastifyRequest): Promise<string | null> {
    const key = request.headers['idempotency-key'];
    if (typeof key !== 'string') return null;
    const [row] = await sqlOf(db).query<{ resource_id: string | null }>(
      'SELECT resource_id FROM idempotency_keys WHERE actor = $1 AND key = $2',
      [principalOf(request).sub, key],
    );
    return row?.resource_id ?? null;
  }

  app.post(
    '/v1/imports/listings',
    {
      preValidation: requireRole('supervisor'),
      schema: {
        tags: ['cases'],
        summary: 'Migrate a listing decided before the system went live: listed, or removed (expired) when its period is over',
        description:
          'A decision is imported once: a decision of the same number for the same subject and department that is already a case is a 409 whose `caseId` names it, ' +
          "unless the request repeats the caller's own import under its Idempotency-Key, which is answered with that import.",
        security: [{ bearer: [] }],
        body: listingImportBody,
        response: { 201: caseView, ...errors },
      },
    },
    async (request, reply) => {
      const ctx = openContext(request);
      const opening = await PROCEDURES.listing.import(ctx, request.body);
      return startCase(request, reply, { procedure: 'listing', opening, now: ctx.now, message: 'listing imported' });
    },
  );

  app.get(
    '/v1/cases/:id',
    {
      preValidation: requireRole('officer', 'supervisor', 'subject'),
      schema: {
        tags: ['cases'],
        security: [{ bearer: [] }],
        params: caseIdParam,
        response: { 200: caseView, ...errors },
      },
    },
    async (request) => {
      const p = principalOf(request);
      const view = await loadVisibleCase(p, request.params.id);
      // The files and the audit entry (one INSERT, no lock since issue 23) side by side: one round trip, not two.
      const [evidenceFiles] = await Promise.all([
        caseFiles(db, view.id),
        audit(db, {
          actor: p.sub,
          role: p.role,
          action: 'case.read',
          target: `case:${view.id}`,
          caseId: view.id,
          subjectId: view.subject.id,
        }),
      ]);
      return { ...view, evidenceFiles };
    },
  );

  app.get(
    '/v1/cases',
    {
      preValidation: requireRole('officer', 'supervisor', 'subject'),
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
      const after = decodeCursor(q.cursor, ['instant', 'id']) as [string, string] | null;
      const rows = await db.case.findMany({
        where: {
          ...(q.procedure ? { procedure: q.procedure } : {}),
          ...(q.state ? { state: q.state } : {}),
          ...(q.subjectId ? { subjectId: q.subjectId } : {}),
          ...(q.department ? { department: q.department } : {}),
          // A filter outside the caller's scope finds nothing rather than telling what exists there.
          AND: [
            visibleTo(p),
            after
              ? {
                  OR: [{ createdAt: { lt: new Date(after[0]) } }, { createdAt: new Date(after[0]), id: { lt: after[1] } }],
                }
              : {},
          ],
        },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        take: q.limit + 1,
      });
      const { page, nextCursor } = pageOf(rows, q.limit, (last) => encodeCursor([last.createdAt.toISOString(), last.id]));
      await audit(db, {
        actor: p.sub,
        role: p.role,
        action: 'case.list',
        target: 'cases',
        subjectId: q.subjectId ?? (p.role === 'subject' ? p.subjectId : null),
        detail: {
          filter: { procedure: q.procedure, state: q.state, subjectId: q.subjectId, department: q.department },
          count: page.length,
        },
      });
      return {
        items: page.map(caseRowToSummary),
        nextCursor,
      };
    },
  );

  /**
   * A subject's filing refused because its window or its case had closed is kept (db/late-filings.ts): a later official
   * schedule may show it was in time. Keeping it must not change the answer, so a failure to keep it is only logged.
   */
  async function keptIfLate(
    problem: Problem,
    { p, caseId, action, body }: { p: Principal; caseId: string; action: string; body: unknown },
  ): Promise<Problem> {
    const closedAt = problem.extra.closedAt;
    if (p.role !== 'subject' || problem.status !== 409 || typeof closedAt !== 'string') return problem;
    await keepLateFiling(db, {
      caseId,
      action,
      actor: p.sub,
      role: p.role,
      at: clock(),
      closedAt,
      reason: problem.detail.en,
      body,
    }).catch((err: unknown) => {
      app.log.warn({ caseId, action, err: (err as Error).message }, 'could not keep a late filing');
    });
    return problem;
  }

  /**
   * The case an action is judged on, and the body as checked. The read model judges first: asking the workflow is a
   * query, a workflow activation on the worker for every action (issue 23). The read model may lag by the case's last
   * change, so where that change could turn a refusal into an acceptance (a forward makes a department involved and
   * the deciding one; the case's first write may be on its way) the workflow's own view judges again. An acceptance
   * the lag got wrong is refused by the workflow, which checks state and department itself.
   */
  async function judgedAction(
    a: { p: Principal; id: string; action: string; raw: unknown },
    live: () => Promise<CaseView>,
  ): Promise<{ view: CaseView; body: Record<string, unknown>; writtenThrough?: number; opening?: CaseOpeningRead }> {
    const read = await readCaseWritten(db, a.id, { withOpening: mayQuote(a.action) });
    const stored = read?.view;
    if (read && stored && maySee(a.p, stored)) {
      try {
        const body = await checkAction(db, { view: stored, action: a.action, p: a.p, raw: a.raw });
        return { view: stored, body, writtenThrough: read.writtenThrough, ...(read.opening ? { opening: read.opening } : {}) };
      } catch (err) {
        if (!(err instanceof Problem && (err.status === 403 || err.status === 404))) throw err;
      }
    }
    const view = await live();
    return { view, body: await checkAction(db, { view, action: a.action, p: a.p, raw: a.raw }) };
  }

  /**
   * The case as it closed, for an action its completed workflow did not take. The view the action was judged on may
   * be the read model before the change that closed the case; the case completes only once that change is in
   * Postgres, so the read model has it now (or else the workflow's own view does).
   */
  async function closedCaseView(judged: CaseView): Promise<CaseView> {
    if (judged.closed) return judged;
    const stored = await readCase(db, judged.id);
    if (stored?.closed) return stored;
    const live = await workflowView(judged.id).catch(() => null);
    return live?.closed ? live : (stored ?? judged);
  }

  /**
   * Takes one action on a case: role (403), body (400) and the API's domain checks (422) from the action's
   * definition, then the workflow's Update, which judges the state (409). Every action is its own operation
   * (one route per action name, so the OpenAPI document shows each body); the URL is API.md's.
   */
  async function takeAction(request: FastifyRequest, reply: FastifyReply, id: string, action: string) {
    const p = principalOf(request);
    // One limit for everything this request asks of Temporal: no caller waits longer, whatever a step waits for.
    const by = Date.now() + actionAnswerDeadlineMs;
    const timedOut = (err: unknown) => isTemporalUnavailable(err) && Date.now() >= by - 100;
    const { view, body, writtenThrough, opening } = await judgedAction({ p, id, action, raw: request.body ?? {} }, () =>
      liveVisibleCase(p, id, by).catch((err: unknown) => {
        throw timedOut(err) ? actionTimeout(action, id) : err;
      }),
    );
    const filing = { p, caseId: id, action, body };
    const updateId = actionUpdateId(p.sub, id, request.headers['idempotency-key']);
    // The files named go to this filing (one per Update id); judged before the key is claimed, attached before the case is asked.
    const evidence = { ids: evidenceFileIdsOf(body), to: { caseId: id, filing: `${action}:${updateId ?? randomUUID()}` } };
    // A closed case's workflow has completed and takes no new Update: the refusal is given here. With a key,
    // the workflow is asked all the same: a retry of the action that closed it gets that action's answer.
    if (view.closed && !updateId) {
      throw await keptIfLate(
        conflict(closedCase(action, view), {
          state: view.state,
          closedAt: view.updatedAt,
        }),
        filing,
      );
    }
    await checkUploads(db, { p, ...evidence });
    const receivedAt = clock().toISOString();
    // Worked out ahead where it can be; what it renders is kept by the statement that claims the action (with its key).
    const ahead = await quoteAhead(db, { view, action, body, receivedAt, ...(opening ? { opening } : {}) });
    const quotes = ahead?.quotes;
    // The key is the Update's id, so Temporal takes the action once however often it is retried, and answers a retry
    // with the first outcome even when this API lost its own record of it. Without a key the id is this request's, so
    // the handover, claimed with the key before anything else is taken, can be finished by another process.
    const handover = { updateId: updateId ?? `act-${randomUUID()}`, caseId: id, ...(ahead ? { renderings: ahead.renderings } : {}) };
    const taking = async (_claimId: ResourceIdClaim, key?: AnswerableKey): Promise<Outcome> => {
      // A refusal gives them back. The handover claimed stays: a retry's first attempt may have sent the Update, and
      // one never sent is forgotten by the sweeper.
      await attachUploads(db, { p, ...evidence, now: clock(), subjectId: view.subject.id });
      try {
        const { changes } = await temporal.withDeadline(by, () =>
          temporal.workflow.getHandle(id).executeUpdate(takeActionUpdate, {
            args: [
              {
                action,
                actor: actorOf(p),
                body,
                receivedAt,
                ...(quotes ? { quotes } : {}),
                // How far the read model holds the case without a gap: the workflow may forget what it handed over up to there.
                ...(writtenThrough ? { confirmedVersion: writtenThrough } : {}),
              },
            ],
            updateId: handover.updateId,
          }),
        );
        // The answer worked out from the change where the view it was judged on allows, and then the key answered with
        // it as the change is written; else the case read back once written.
        const answer = caseAsChanged(
          { view, ...(writtenThrough !== undefined ? { writtenThrough } : {}) },
          changes,
          quotes?.documents?.map((d) => d.meta) ?? [],
        );
        const { answered } = await writeActionChanges(
          db,
          temporal,
          { ...handover, changes },
          answer ? { judged: answer.judged, ...(key ? { key: { ...key, status: 200, response: answer.view } } : {}) } : undefined,
        );
        const result = answered && answer ? answer.view : present(await readCase(db, id), 'the case just written');
        request.log.info({ action, state: result.state }, 'action accepted');
        return { status: 200, body: result, ...(answered && key ? { keyAnswered: true } : {}) };
      } catch (err) {
        const closed = isClosedWorkflowError(err) ? await closedCaseView(view) : null;
        if (closed) {
          await dropHandover(db, handover.updateId);
          await releaseUploads(db, evidence);
          throw await keptIfLate(
            conflict(closedCase(action, closed), {
              state: closed.state,
              closedAt: closed.updatedAt,
            }),
            filing,
          );
        }
        // The action may still be taken: the handover stays for the sweeper.
        if (timedOut(err)) throw actionTimeout(action, id);
        const problem = caseProblem(err, id);
        if (problem) await dropHandover(db, handover.updateId);
        await releaseIfRefused(problem, evidence);
        throw problem ? await keptIfLate(problem, filing) : err;
      }
    };
    return idempotentWith(db, { request, reply, handover }, taking);
  }

  /**
   * The case did not answer in time: a step may be waiting for Postgres, or no worker runs. The action may still
   * be taken (an Update once accepted is carried out), so the client asks again with the same key for its outcome.
   */
  function actionTimeout(action: string, id: string): Problem {
    const s = Math.ceil(actionAnswerDeadlineMs / 1000);
    return unavailable(
      {
        zh: `案件 ${id} 未在${s}秒内答复操作 ${action}；该操作仍可能被执行：请以相同的 Idempotency-Key 再次发送以获知结果`,
        en: `case ${id} did not answer ${action} within ${s} s; it may still be taken: send it again with the same Idempotency-Key to learn its outcome`,
      },
      5,
    );
  }

  for (const [action, [first, ...others]] of ACTIONS_BY_NAME) {
    const defs = [first, ...others];
    const body = others.length === 0 ? first.definition.body : z.union(defs.map((d) => d.definition.body));
    const roles = [...new Set(defs.flatMap((d) => d.definition.roles))];
    app.post(
      `/v1/cases/:id/actions/${action}`,
      {
        // The roles of every procedure that has this action: a caller none allows is told 403 before the body is read.
        preValidation: (request, _reply, done) => {
          const p = principalOf(request);
          if (!roles.includes(p.role)) throw forbidden(roleRefused(p.role, roles, { zh: `执行 ${action}`, en: action }));
          done();
        },
        schema: {
          tags: ['actions'],
          operationId: `action_${action}`,
          summary: defs.map((d) => `${d.procedure}: ${d.definition.title}`).join(' / '),
          description: `${defs
            .map(
              (d) =>
                `${d.procedure} (${d.definition.roles.join(', ')})${d.definition.significant ? ', a legally significant act' : ''}; example: ${JSON.stringify(d.definition.example)}`,
            )
            .join(
              '. ',
            )}. ${answersWithin(actionAnswerDeadlineMs)} A step that can never succeed as the settings or the case's data stand is a 422 (type …/configuration-fault or …/data-fault) with the step and its cause; the case is unchanged and supervisors see an incident.`,
          security: [{ bearer: [] }],
          params: caseIdParam,
          body: body.meta({ example: first.definition.example }),
          response: { 200: caseView, ...errors, 503: problemSchema },
        },
      },
      async (request, reply) => takeAction(request, reply, request.params.id, action),
    );
  }

  // A name no procedure has: a 404 naming the actions there are (kept out of the OpenAPI document).
  app.post(
    '/v1/cases/:id/actions/:action',
    {
      preValidation: requireRole('officer', 'supervisor', 'subject'),
      schema: { hide: true, params: caseIdParam.extend({ action: z.string().max(200) }), response: errors },
    },
    (request) => {
      const actions = [...ACTIONS_BY_NAME.keys()];
      const action = request.params.action;
      return Promise.reject(
        notFound({
          zh: `没有操作 ${action}；可用的操作：${actions.join('、')}`,
          en: `no action ${action}; the actions are ${actions.join(', ')}`,
        }),
      );
    },
  );
  return Promise.resolve();
};

const noCase = (id: string) => ({ zh: `没有案件 ${id}`, en: `no case ${id}` });

/** The refusal of an action on a case that has closed. */
function closedCase(action: string, view: { procedure: string; state: string; updatedAt: string }) {
  const title = ACTIONS_BY_NAME.get(action)?.find((d) => d.procedure === view.procedure)?.definition.title ?? action;
  return {
    zh: `案件当前为“${stateName(view.state)}”状态，不能${title}；案件已于 ${view.updatedAt} 办结`,
    en: `action ${action} is not allowed while the case is ${view.state}; the case closed at ${view.updatedAt}`,
  };
}
