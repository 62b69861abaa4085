import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppDeps } from '../app';
import type { Db } from '../../db/client';
import { appendAudit } from '../../db/audit';
import { principalOf, requireRole } from '../plugins/auth';
import { conflict, notFound } from '../problem';
import { idempotent } from '../idempotency';
import { decodeCursor, encodeCursor, pageOf, pageQuery, problemResponses, problemSchema } from '../schemas/common';
import { escalationStates, escalationView, followUpBody, type EscalationView } from '../../contract/oversight';
import type { Prisma } from '../../generated/prisma/client';

type EscalationRow = NonNullable<Awaited<ReturnType<Db['escalation']['findUnique']>>>;
type FollowUpRow = NonNullable<Awaited<ReturnType<Db['escalationFollowUp']['findUnique']>>>;

function viewOf(e: EscalationRow, followUps: FollowUpRow[]): EscalationView {
  return {
    id: e.id,
    deadlineId: e.deadlineId,
    caseId: e.caseId,
    department: e.department,
    kind: e.kind,
    at: e.at.toISOString(),
    detail: e.detail,
    state: e.followedUpAt ? 'followed_up' : e.acknowledgedAt ? 'acknowledged' : 'unacknowledged',
    acknowledgedAt: e.acknowledgedAt?.toISOString() ?? null,
    acknowledgedBy: e.acknowledgedBy,
    followUps: followUps.map((f) => ({ id: f.id, at: f.at.toISOString(), actor: f.actor, note: f.note })),
  };
}

async function viewsOf(db: Db, rows: EscalationRow[]): Promise<EscalationView[]> {
  const notes = rows.some((r) => r.followedUpAt)
    ? await db.escalationFollowUp.findMany({
        where: { escalationId: { in: rows.map((r) => r.id) } },
        orderBy: [{ at: 'asc' }, { id: 'asc' }],
      })
    : [];
  return rows.map((r) =>
    viewOf(
      r,
      notes.filter((n) => n.escalationId === r.id),
    ),
  );
}

const STATE_WHERE: Record<(typeof escalationStates)[number], Prisma.EscalationWhereInput> = {
  unacknowledged: { acknowledgedAt: null },
  acknowledged: { acknowledgedAt: { not: null }, followedUpAt: null },
  followed_up: { followedUpAt: { not: null } },
};

const idParams = z.object({ id: z.string().min(1).max(300) });

/**
 * Escalations to supervisors, kept for good, and what supervisors did about them: acknowledged once (未确认 → 已确认),
 * then followed up with notes (已督办), each audited in the transaction that records it.
 */
export const escalationRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, { db, clock = () => new Date() }) => {
  app.get(
    '/v1/escalations',
    {
      preValidation: requireRole('officer', 'supervisor'),
      schema: {
        tags: ['deadlines'],
        summary:
          'Escalations to supervisors, kept for good: breached authority deadlines (breach), periods the calendar cannot give (blocked), missing calendar years (calendar_missing), steps of a case that can never succeed (incident); newest first, with their acknowledgement and follow-ups',
        security: [{ bearer: [] }],
        querystring: z.object({ department: z.string().max(40).optional(), state: z.enum(escalationStates).optional(), ...pageQuery }),
        response: {
          200: z.object({ items: z.array(escalationView), nextCursor: z.string().nullable() }),
          400: problemSchema,
          401: problemSchema,
          403: problemSchema,
          422: problemSchema,
        },
      },
    },
    async (request) => {
      const p = principalOf(request);
      const q = request.query;
      if (p.role === 'officer' && q.department && q.department !== p.dept) return { items: [], nextCursor: null };
      const department = p.role === 'officer' ? p.dept : q.department;
      const after = decodeCursor(q.cursor, ['instant', 'id']) as [string, string] | null;
      const rows = await db.escalation.findMany({
        where: {
          ...(department ? { department } : {}),
          ...(q.state ? STATE_WHERE[q.state] : {}),
          ...(after ? { OR: [{ at: { lt: new Date(after[0]) } }, { at: new Date(after[0]), id: { lt: after[1] } }] } : {}),
        },
        orderBy: [{ at: 'desc' }, { id: 'desc' }],
        take: q.limit + 1,
      });
      const { page, nextCursor } = pageOf(rows, q.limit, (last) => encodeCursor([last.at.toISOString(), last.id]));
      return { items: await viewsOf(db, page), nextCursor };
    },
  );

  app.post(
    '/v1/escalations/:id/acknowledge',
    {
      preValidation: requireRole('supervisor'),
      schema: {
        tags: ['deadlines'],
        summary: 'A supervisor acknowledges an escalation (once; audited). A second acknowledgement is a 409 naming the first.',
        security: [{ bearer: [] }],
        params: idParams,
        response: { 200: escalationView, ...problemResponses },
      },
    },
    async (request, reply) =>
      idempotent(db, request, reply, async () => {
        const p = principalOf(request);
        const { id } = request.params;
        const now = clock();
        const row = await db.$transaction(async (tx) => {
          const [locked] = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM escalations WHERE id = ${id} FOR UPDATE`;
          const e = locked ? await tx.escalation.findUniqueOrThrow({ where: { id } }) : null;
          if (!e) throw notFound({ zh: `没有督办事项 ${id}`, en: `no escalation ${id}` });
          if (e.acknowledgedAt) {
            throw conflict(
              {
                zh: `督办事项 ${id} 已由 ${e.acknowledgedBy ?? '?'} 于 ${e.acknowledgedAt.toISOString()} 确认`,
                en: `escalation ${id} was acknowledged by ${e.acknowledgedBy ?? '?'} at ${e.acknowledgedAt.toISOString()}`,
              },
              {
                acknowledgedBy: e.acknowledgedBy,
                acknowledgedAt: e.acknowledgedAt.toISOString(),
              },
            );
          }
          const updated = await tx.escalation.update({ where: { id }, data: { acknowledgedAt: now, acknowledgedBy: p.sub } });
          await appendAudit(tx, {
            at: now,
            actor: p.sub,
            role: p.role,
            action: 'escalation.acknowledge',
            target: `escalation:${id}`,
            caseId: e.caseId,
            detail: { kind: e.kind, department: e.department, deadlineId: e.deadlineId },
          });
          return updated;
        });
        return { status: 200, body: (await viewsOf(db, [row]))[0] };
      }),
  );

  app.post(
    '/v1/escalations/:id/follow-ups',
    {
      preValidation: requireRole('supervisor'),
      schema: {
        tags: ['deadlines'],
        summary:
          'A supervisor records a follow-up of an acknowledged escalation (督办: who, when, what; audited). Before acknowledgement a 409.',
        security: [{ bearer: [] }],
        params: idParams,
        body: followUpBody,
        response: { 201: escalationView, ...problemResponses },
      },
    },
    async (request, reply) =>
      idempotent(db, request, reply, async (claimId) => {
        const p = principalOf(request);
        const { id } = request.params;
        const { note } = request.body;
        const noteId = await claimId(() => `FU-${randomUUID()}`);
        const now = clock();
        const row = await db.$transaction(async (tx) => {
          const [locked] = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM escalations WHERE id = ${id} FOR UPDATE`;
          const e = locked ? await tx.escalation.findUniqueOrThrow({ where: { id } }) : null;
          if (!e) throw notFound({ zh: `没有督办事项 ${id}`, en: `no escalation ${id}` });
          if (!e.acknowledgedAt)
            throw conflict({
              zh: `督办事项 ${id} 尚未确认，请先确认再记录督办情况`,
              en: `escalation ${id} has not been acknowledged; acknowledge it before recording a follow-up`,
            });
          // A retry of a follow-up already written (same Idempotency-Key) finds its note and writes nothing again.
          if (await tx.escalationFollowUp.findUnique({ where: { id: noteId } })) return e;
          await tx.escalationFollowUp.create({ data: { id: noteId, escalationId: id, at: now, actor: p.sub, note } });
          const updated = await tx.escalation.update({ where: { id }, data: { followedUpAt: now } });
          await appendAudit(tx, {
            at: now,
            actor: p.sub,
            role: p.role,
            action: 'escalation.follow_up',
            target: `escalation:${id}`,
            caseId: e.caseId,
            detail: { kind: e.kind, department: e.department, followUp: noteId, note },
          });
          return updated;
        });
        return { status: 201, body: (await viewsOf(db, [row]))[0] };
      }),
  );
};
