import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppDeps } from '../app';
import type { Db } from '../../db/client';
import { Prisma } from '../../generated/prisma/client';
import { appendAudit, audit } from '../../db/audit';
import { rebuiltPayload } from '../../exchange/sources';
import { maskIfResidentId } from '../../domain/identity';
import { principalOf, requireRole } from '../plugins/auth';
import { conflict, notFound } from '../problem';
import { idempotent } from '../idempotency';
import { problemResponses, problemSchema } from '../schemas/common';
import {
  exchangeEntryView,
  exchangeStatusView,
  resendBody,
  type ExchangeEntryView,
  type ExchangeStatusView,
  type RefusedEntryView,
} from '../../contract/exchange';
import { wakeExchangeDelivery } from '../../exchange/wake';

type EntryRow = NonNullable<Awaited<ReturnType<Db['exchangeEntry']['findUnique']>>>;

/** How many refused entries the status lists; the count covers all of them. */
const REFUSED_SHOWN = 200;

function refusalOf(e: EntryRow): { status: number | null; reason: string } {
  const r = e.refusal && typeof e.refusal === 'object' ? (e.refusal as { status?: unknown; reason?: unknown }) : {};
  return {
    status: Number.isInteger(r.status) ? (r.status as number) : null,
    reason: typeof r.reason === 'string' && r.reason ? r.reason : '（省平台未说明原因）',
  };
}

function refusedView(e: EntryRow): RefusedEntryView {
  const refusal = refusalOf(e);
  return {
    id: e.id,
    kind: e.kind,
    subjectId: maskIfResidentId(e.subjectId),
    recordId: e.recordId,
    caseId: e.caseId,
    occurredAt: e.occurredAt.toISOString(),
    refusedAt: e.lastAttemptAt?.toISOString() ?? null,
    platformStatus: refusal.status,
    reason: refusal.reason,
    attempts: e.attempts,
  };
}

function entryView(e: EntryRow): ExchangeEntryView {
  const payload = (e.payload ?? {}) as Record<string, unknown>;
  return {
    id: e.id,
    kind: e.kind,
    subjectId: maskIfResidentId(e.subjectId),
    recordId: e.recordId,
    caseId: e.caseId,
    status: e.status as ExchangeEntryView['status'],
    occurredAt: e.occurredAt.toISOString(),
    attempts: e.attempts,
    // What the platform is sent, as a supervisor may read it: a person's ID number masked, as everywhere else.
    payload: typeof payload.idNumber === 'string' ? { ...payload, idNumber: maskIfResidentId(payload.idNumber) } : payload,
  };
}

async function statusOf(db: Db, now: Date): Promise<ExchangeStatusView> {
  const [pending, refused, refusedRows, oldest, last, reconciliation] = await Promise.all([
    db.exchangeEntry.count({ where: { status: 'pending' } }),
    db.exchangeEntry.count({ where: { status: 'refused' } }),
    db.exchangeEntry.findMany({ where: { status: 'refused' }, orderBy: { seq: 'asc' }, take: REFUSED_SHOWN }),
    // The one that has waited longest since its change (write order need not be the order of the changes' times).
    db.exchangeEntry.findFirst({ where: { status: 'pending' }, orderBy: [{ occurredAt: 'asc' }, { seq: 'asc' }] }),
    db.exchangeEntry.findFirst({
      where: { status: { in: ['accepted', 'held'] }, deliveredAt: { not: null } },
      orderBy: { deliveredAt: 'desc' },
    }),
    db.exchangeReconciliation.findFirst({ orderBy: { ranAt: 'desc' } }),
  ]);
  return {
    asOf: now.toISOString(),
    pending,
    refused,
    refusedEntries: refusedRows.map(refusedView),
    oldestUnsent: oldest
      ? {
          id: oldest.id,
          kind: oldest.kind,
          occurredAt: oldest.occurredAt.toISOString(),
          ageSeconds: Math.max(0, Math.floor((now.getTime() - oldest.occurredAt.getTime()) / 1000)),
          lastError: oldest.lastError,
        }
      : null,
    lastDelivery:
      last?.deliveredAt && (last.status === 'accepted' || last.status === 'held')
        ? { id: last.id, kind: last.kind, status: last.status, deliveredAt: last.deliveredAt.toISOString() }
        : null,
    lastReconciliation: reconciliation
      ? {
          id: reconciliation.id,
          day: reconciliation.day,
          ranAt: reconciliation.ranAt.toISOString(),
          status: reconciliation.status,
          localCount: reconciliation.localCount,
          platformCount: reconciliation.platformCount,
          resent: Array.isArray(reconciliation.resent) ? reconciliation.resent.map(String) : [],
        }
      : null,
  };
}

const STATUS_ZH: Record<string, string> = { pending: '等待报送', accepted: '已被省平台接收', held: '省平台已有此条' };

/**
 * The exchange with the provincial platform as the supervisors watch it (issue 24): what waits, what the platform
 * refused and why, the last delivery and the last daily reconciliation; and the correction of a refusal, which sends
 * the entry again built from the record as it is now.
 */
export const exchangeRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, { db, temporal, clock = () => new Date() }) => {
  app.get(
    '/v1/exchange/status',
    {
      preValidation: requireRole('supervisor'),
      schema: {
        tags: ['exchange'],
        summary:
          'The exchange with the provincial platform: pending and refused counts, the refused entries with the platform’s reasons, the oldest unsent entry, the last delivery and the last reconciliation',
        security: [{ bearer: [] }],
        response: { 200: exchangeStatusView, 400: problemSchema, 401: problemSchema, 403: problemSchema },
      },
    },
    async (request) => {
      const p = principalOf(request);
      const status = await statusOf(db, clock());
      // The refused entries name subjects and their records: a read of credit data, so it is audited.
      await audit(db, {
        actor: p.sub,
        role: p.role,
        action: 'exchange.status.read',
        target: 'exchange',
        detail: { pending: status.pending, refused: status.refusedEntries.map((e) => e.id) },
      });
      return status;
    },
  );

  app.post(
    '/v1/exchange/entries/:id/resend',
    {
      preValidation: requireRole('supervisor'),
      schema: {
        tags: ['exchange'],
        summary:
          'Send a refused entry again after its record was corrected: it goes back to pending with its payload built from the record or listing as it is now; the refusal is kept in the audit entry. Any other entry is a 409 saying why.',
        security: [{ bearer: [] }],
        params: z.object({ id: z.string().min(1).max(300) }),
        body: resendBody,
        response: { 200: exchangeEntryView, ...problemResponses },
      },
    },
    async (request, reply) =>
      idempotent(db, request, reply, async () => {
        const p = principalOf(request);
        const { id } = request.params;
        const { reason } = request.body;
        const now = clock();
        const row = await db.$transaction(async (tx) => {
          const [locked] = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM exchange_outbox WHERE id = ${id} FOR UPDATE`;
          const e = locked ? await tx.exchangeEntry.findUniqueOrThrow({ where: { id } }) : null;
          if (!e) throw notFound({ zh: `没有报送条目 ${id}`, en: `no exchange entry ${id}` });
          if (e.status !== 'refused') {
            throw conflict(
              {
                zh: `报送条目 ${id} ${STATUS_ZH[e.status] ?? e.status}，未被省平台退回；只有被退回的条目可以改正后重新报送`,
                en: `exchange entry ${id} is ${e.status}, not refused; only an entry the platform refused is sent again`,
              },
              { entryStatus: e.status },
            );
          }
          const payload = await rebuiltPayload(tx, e);
          const updated = await tx.exchangeEntry.update({
            where: { id },
            // The refusal leaves the row (it no longer holds); the audit entry keeps it.
            data: { status: 'pending', refusal: Prisma.DbNull, lastError: null, payload: payload as Prisma.InputJsonValue },
          });
          await appendAudit(tx, {
            at: now,
            actor: p.sub,
            role: p.role,
            action: 'exchange.entry.resend',
            target: `exchange:${id}`,
            caseId: e.caseId,
            subjectId: e.subjectId,
            detail: {
              reason,
              kind: e.kind,
              recordId: e.recordId,
              refusal: e.refusal,
              attempts: e.attempts,
              payloadChanged: JSON.stringify(e.payload) !== JSON.stringify(payload),
            },
          });
          return updated;
        });
        request.log.info({ entryId: id }, 'exchange entry sent again after correction');
        // At once rather than at the delivery's next look; the entry is pending either way.
        await wakeExchangeDelivery(temporal).catch((err: unknown) => {
          request.log.warn({ entryId: id, err: (err as Error).message }, 'exchange delivery not woken');
        });
        return { status: 200, body: entryView(row) };
      }),
  );
};
