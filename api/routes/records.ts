import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppDeps } from '../app';
import { principalOf, requireRole, type Principal } from '../plugins/auth';
import { idempotent } from '../idempotency';
import { newRecordId, shanghaiDate } from '../case-ids';
import { decodeCursor, encodeCursor, pageOf, pageQuery, problemSchema } from '../schemas/common';
import { recordCreateBody, recordEventView, recordView } from '../schemas/records';
import { recordRuleViolations } from '../record-rules';
import { recordIdSchema } from '../schemas/objection';
import { isSelf, recordRowToView, recordVisible } from '../record-reads';
import { notFound, unprocessable } from '../problem';
import { appendAudit, audit } from '../../db/audit';
import { appendRecordEvent } from '../../db/record-events';
import { policyFor } from '../../db/policy-store';
import { CREDIT_AGENCY_CODE } from '../../domain/reference-data';
import { publicityOf } from '../../domain/records';
import { maskResidentId, residentIdProblem } from '../../domain/identity';
import type { Prisma } from '../../generated/prisma/client';

const errors = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema, 409: problemSchema, 422: problemSchema };
const subjectParam = z.object({ subjectId: z.string().trim().toUpperCase().min(1).max(32) });
const purposeQuery = { purpose: z.string().regex(/\S/, 'must not be blank').trim().min(1).max(500).optional() };

/**
 * Credit records (Art 32-35) and the queries the law allows on them (Art 38-40, 49-50): a department
 * supplies a record with its legal document; subjects read their own freely; officials state a purpose,
 * see what their duty covers, and every read is audited and shows in each record's own history. A natural
 * person's ID number is masked for anyone but that person.
 */
export const recordRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, { db, clock = () => new Date() }) => {
  /** Officials must say why they look (Art 39); the purpose goes into the audit log and the record's history. */
  function purposeOf(p: Principal, purpose: string | undefined): string {
    if (p.role === 'subject') return 'own records';
    if (!purpose) throw unprocessable('officials must state the purpose of a credit query (Art 39)', [{ path: 'querystring.purpose', message: 'required' }]);
    return purpose;
  }

  /** The same rule as `recordVisible`, as a where clause. */
  function scopeOf(p: Principal, today: string): Prisma.CreditRecordWhereInput {
    if (p.role !== 'officer' || p.dept === CREDIT_AGENCY_CODE) return {};
    return { OR: [{ department: p.dept }, { status: 'active', OR: [{ publicUntil: null }, { publicUntil: { gte: today } }] }] };
  }

  app.post(
    '/v1/records',
    {
      preValidation: requireRole('officer'),
      schema: {
        tags: ['records'],
        summary: 'Supply a credit record (Art 32-35)',
        security: [{ bearer: [] }],
        body: recordCreateBody,
        response: { 201: recordView, ...errors },
      },
    },
    async (request, reply) => {
      const p = principalOf(request);
      if (p.role !== 'officer') throw new Error('unreachable');
      const body = request.body;
      const now = clock();
      const today = shanghaiDate(now);
      const violations = recordRuleViolations(body, today);
      if (violations.length) throw unprocessable('the record breaks a domain rule', violations);
      const policy = await policyFor(db, { procedure: 'objection', department: p.dept, on: today });
      const publicity = publicityOf(body.category, body.severity, body.decidedOn, policy);

      return idempotent(db, request, reply, async (claimId) => {
        const id = await claimId(() => newRecordId(now));
        const row = await db.$transaction(async (tx) => {
          const existing = await tx.creditRecord.findUnique({ where: { id } });
          if (existing) return existing;
          const created = await tx.creditRecord.create({
            data: {
              id,
              subjectKind: body.subject.kind,
              subjectId: body.subject.id,
              subjectName: body.subject.name,
              category: body.category,
              type: body.type,
              content: body.content,
              documentNumber: body.documentNumber,
              decidedOn: body.decidedOn,
              severity: body.severity ?? null,
              department: p.dept,
              createdBy: p.sub,
              status: 'active',
              publicUntil: publicity.publicUntil,
              publicMinUntil: publicity.publicMinUntil,
              publicity: { basis: publicity.basis, explanation: publicity.explanation },
              createdAt: now,
              updatedAt: now,
            },
          });
          await appendRecordEvent(tx, {
            recordId: id,
            at: now,
            actor: p.sub,
            role: p.role,
            department: p.dept,
            action: 'supplied',
            detail: { documentNumber: body.documentNumber, decidedOn: body.decidedOn, publicUntil: publicity.publicUntil },
            eventKey: `record:${id}#supplied`,
          });
          await appendAudit(tx, {
            at: now,
            actor: p.sub,
            role: p.role,
            action: 'record.create',
            target: `record:${id}`,
            subjectId: body.subject.id,
            detail: { category: body.category, type: body.type, department: p.dept, publicUntil: publicity.publicUntil },
            eventKey: `record:${id}#create`,
          });
          return created;
        });
        request.log.info({ recordId: id, category: body.category }, 'record supplied');
        return { status: 201, body: recordRowToView(row, p, today), headers: { location: `/v1/subjects/${row.subjectId}/records/${id}` } };
      });
    },
  );

  app.get(
    '/v1/subjects/:subjectId/records',
    {
      preValidation: requireRole('officer', 'supervisor', 'subject'),
      schema: {
        tags: ['records'],
        summary: "A subject's credit records, listings and Art 48 entries; officials must state a purpose",
        security: [{ bearer: [] }],
        params: subjectParam,
        querystring: z.object({ ...purposeQuery, ...pageQuery }),
        response: {
          200: z.object({
            subjectId: z.string(),
            items: z.array(recordView),
            nextCursor: z.string().nullable(),
            listings: z.array(z.record(z.string(), z.unknown())),
            responsiblePersonEntries: z.array(z.record(z.string(), z.unknown())),
          }),
          ...errors,
        },
      },
    },
    async (request) => {
      const p = principalOf(request);
      const { subjectId } = request.params;
      if (p.role === 'subject' && p.subjectId !== subjectId) throw notFound(`no subject ${subjectId}`);
      const purpose = purposeOf(p, request.query.purpose);
      const today = shanghaiDate(clock());
      const after = decodeCursor(request.query.cursor, ['instant', 'id']) as [string, string] | null;
      const [rows, listings, entries] = await Promise.all([
        db.creditRecord.findMany({
          where: {
            subjectId,
            AND: [
              scopeOf(p, today),
              after ? { OR: [{ createdAt: { lt: new Date(after[0]) } }, { createdAt: new Date(after[0]), id: { lt: after[1] } }] } : {},
            ],
          },
          orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
          take: request.query.limit + 1,
        }),
        db.publicListing.findMany({ where: { subjectId, status: 'listed' }, orderBy: { listedFrom: 'desc' } }),
        db.subjectEntry.findMany({ where: { subjectId, status: 'active' }, orderBy: { listedFrom: 'desc' } }),
      ]);
      const { page, nextCursor } = pageOf(rows, request.query.limit, (last) => encodeCursor([last.createdAt.toISOString(), last.id]));
      const self = isSelf(p, subjectId);
      await db.$transaction(async (tx) => {
        await appendAudit(tx, {
          actor: p.sub,
          role: p.role,
          action: 'records.read',
          target: `subject:${subjectId}`,
          subjectId,
          detail: { purpose, records: page.map((r) => r.id), listings: listings.length, entries: entries.length },
        });
        // Each record's own history shows who queried it and why; a subject reading their own is not a query about them.
        if (!self && page.length) {
          await tx.$executeRaw`
            INSERT INTO record_events (record_id, at, actor, role, department, action, detail)
            SELECT unnest(${page.map((r) => r.id)}::text[]), now(), ${p.sub}, ${p.role}, ${p.role === 'subject' ? null : p.dept}, 'queried',
                   ${JSON.stringify({ purpose })}::jsonb`;
        }
      });
      return {
        subjectId: self ? subjectId : maskIfPerson(subjectId),
        items: page.map((r) => recordRowToView(r, p, today)),
        nextCursor,
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
          idNumber: self ? e.subjectId : maskResidentId(e.subjectId),
          organisation: { id: e.organisationId, name: e.organisationName },
          listedFrom: e.listedFrom,
          listedUntil: e.listedUntil,
        })),
      };
    },
  );

  app.get(
    '/v1/subjects/:subjectId/records/:recordId/history',
    {
      preValidation: requireRole('officer', 'supervisor', 'subject'),
      schema: {
        tags: ['records'],
        summary: 'Who supplied, marked, corrected, disclosed and queried one record',
        security: [{ bearer: [] }],
        params: subjectParam.extend({ recordId: recordIdSchema }),
        querystring: z.object({ ...purposeQuery, ...pageQuery }),
        response: { 200: z.object({ record: recordView, items: z.array(recordEventView), nextCursor: z.string().nullable() }), ...errors },
      },
    },
    async (request) => {
      const p = principalOf(request);
      const { subjectId, recordId } = request.params;
      const purpose = purposeOf(p, request.query.purpose);
      const today = shanghaiDate(clock());
      const row = await db.creditRecord.findUnique({ where: { id: recordId } });
      const view = row && row.subjectId === subjectId ? recordRowToView(row, p, today) : null;
      if (!row || !view || !recordVisible(p, row, view.disclosure)) throw notFound(`no record ${recordId} of subject ${subjectId}`);
      const after = decodeCursor(request.query.cursor, ['seq']) as [string] | null;
      const events = await db.recordEvent.findMany({
        where: { recordId, ...(after ? { id: { gt: BigInt(after[0]) } } : {}) },
        orderBy: { id: 'asc' },
        take: request.query.limit + 1,
      });
      const { page, nextCursor } = pageOf(events, request.query.limit, (last) => encodeCursor([last.id.toString()]));
      await audit(db, { actor: p.sub, role: p.role, action: 'record.history.read', target: `record:${recordId}`, subjectId, detail: { purpose } });
      const items = page.map((e) => ({
        at: e.at.toISOString(),
        actor: e.actor,
        role: e.role,
        department: e.department,
        action: e.action,
        detail: e.detail as Record<string, unknown>,
      }));
      // Publicity that ran its full period ended by itself at the end of its last day; nothing wrote that down,
      // so the last page says it, at that moment.
      if (nextCursor === null && row.status === 'active' && row.publicUntil !== null && row.publicUntil < today) {
        items.push({
          at: new Date(Date.parse(`${row.publicUntil}T00:00:00+08:00`) + 86_400_000).toISOString(),
          actor: 'system',
          role: 'system',
          department: null,
          action: 'publicity_ended',
          detail: { reason: 'the publicity period is over', publicUntil: row.publicUntil },
        });
      }
      return { record: view, items, nextCursor };
    },
  );
};

/** A natural person's ID number (GB 11643) is masked; an organisation's code is public. */
function maskIfPerson(id: string): string {
  return residentIdProblem(id) === null ? maskResidentId(id) : id;
}
