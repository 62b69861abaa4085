import { z } from 'zod';
import { disclosureZh } from '../words';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppDeps } from '../app';
import { principalOf, requireRole, type Principal } from '../plugins/auth';
import { idempotent } from '../idempotency';
import { newRecordId, shanghaiDate } from '../case-ids';
import { decodeCursor, encodeCursor, pageOf, pageQuery, problemResponses, subjectIdInPath } from '../schemas/common';
import { pendingRecordView, recordCreateBody, recordEventView, recordReturnBody, recordView } from '../schemas/records';
import { catalogueItemOf, recordRuleViolations } from '../record-rules';
import { recordIdSchema } from '../schemas/objection';
import { isSelf, recordRowToView, recordVisible, reviewOf } from '../record-reads';
import { conflict, forbidden, notFound, unprocessable } from '../problem';
import { appendAudit, audit } from '../../db/audit';
import { appendRecordEvent } from '../../db/record-events';
import { enqueueRecordChange } from '../../exchange/sources';
import { recordExchangeItem, type RecordExchangeItem } from '../../contract/exchange';
import { policyFor } from '../../db/policy-store';
import { CREDIT_AGENCY_CODE } from '../../domain/reference-data';
import { publicityOf } from '../../domain/records';
import { maskIfResidentId, maskResidentId } from '../../domain/identity';
import { Prisma } from '../../generated/prisma/client';
import { sqlOf, type Db } from '../../db/client';

const errors = problemResponses;
const subjectParam = z.object({ subjectId: subjectIdInPath });
const purposeQuery = { purpose: z.string().regex(/\S/, 'must not be blank').trim().min(1).max(500).optional() };

interface SubjectListing {
  caseId: string;
  category: string;
  measures: unknown;
  decisionNumber: string;
  department: string;
  listedFrom: string;
  listedUntil: string;
}
interface SubjectEntryRow {
  caseId: string;
  role: string;
  name: string;
  subjectId: string;
  organisationId: string;
  organisationName: string;
  listedFrom: string;
  listedUntil: string;
}

/**
 * A subject's listings in force and Art 48 entries, in one statement straight to the pool: every official's query of
 * a subject's records pays for it, and two Prisma queries cost the API more CPU than the read itself (issue 23).
 */
async function listingsAndEntriesOf(db: Db, subjectId: string): Promise<{ listings: SubjectListing[]; entries: SubjectEntryRow[] }> {
  const [row] = await sqlOf(db).query<{ listings: SubjectListing[]; entries: SubjectEntryRow[] }>(
    `SELECT
       COALESCE((SELECT json_agg(json_build_object('caseId', l.case_id, 'category', l.category, 'measures', l.measures,
                   'decisionNumber', l.decision_number, 'department', l.department, 'listedFrom', l.listed_from,
                   'listedUntil', l.listed_until) ORDER BY l.listed_from DESC)
                 FROM public_listings l WHERE l.subject_id = $1 AND l.status = 'listed'), '[]') AS listings,
       COALESCE((SELECT json_agg(json_build_object('caseId', e.case_id, 'role', e.role, 'name', e.name,
                   'subjectId', e.subject_id, 'organisationId', e.organisation_id,
                   'organisationName', e.organisation_name, 'listedFrom', e.listed_from,
                   'listedUntil', e.listed_until) ORDER BY e.listed_from DESC)
                 FROM subject_entries e WHERE e.subject_id = $1 AND e.status = 'active'), '[]') AS entries`,
    [subjectId],
  );
  return row ?? { listings: [], entries: [] };
}

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
    if (!purpose)
      throw unprocessable(
        { zh: '工作人员查询信用信息须说明查询目的（第三十九条）', en: 'officials must state the purpose of a credit query (Art 39)' },
        [{ path: 'querystring.purpose', message: { zh: '此项必填', en: 'required' } }],
      );
    return purpose;
  }

  /** The same rule as `recordVisible`, as a where clause. */
  function scopeOf(p: Principal, today: string): Prisma.CreditRecordWhereInput {
    const released: Prisma.CreditRecordWhereInput = { status: { notIn: ['pending_review', 'returned'] } };
    if (p.role === 'subject') return {};
    if (p.role === 'supervisor') return released;
    const mine: Prisma.CreditRecordWhereInput[] = [{ department: p.dept }, { revisionDepartment: p.dept }];
    if (p.dept === CREDIT_AGENCY_CODE) return { OR: [...mine, released] };
    return { OR: [...mine, { status: 'active', OR: [{ publicUntil: null }, { publicUntil: { gte: today } }] }] };
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
      const item = await catalogueItemOf(db, body.type);
      const violations = recordRuleViolations(body, { today, item, department: p.dept, supplier: p.sub });
      // A type that names no catalogue item is always among the violations (Art 32); `!item` narrows it for what follows.
      if (violations.length || !item)
        throw unprocessable({ zh: '该记录不符合业务规则', en: 'the record breaks a domain rule' }, violations);
      // Art 36: released at once only when the department's own system names the second officer who reviewed it.
      const reviewedBy = body.reviewedBy;
      const reviewed = reviewedBy !== undefined;
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
              issuedBy: body.issuedBy,
              article: item.article,
              ...(body.penalty ? { penalty: body.penalty } : {}),
              severity: body.severity ?? null,
              department: p.dept,
              createdBy: p.sub,
              status: reviewed ? 'active' : 'pending_review',
              reviewedBy: body.reviewedBy ?? null,
              reviewedAt: reviewed ? now : null,
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
            detail: {
              type: body.type,
              article: item.article,
              catalogueVersion: item.version,
              documentNumber: body.documentNumber,
              decidedOn: body.decidedOn,
              issuedBy: body.issuedBy,
              ...(body.penalty ? { penalty: body.penalty } : {}),
              publicUntil: publicity.publicUntil,
            },
            eventKey: `record:${id}#supplied`,
          });
          if (reviewed) {
            await appendRecordEvent(tx, {
              recordId: id,
              at: now,
              actor: reviewedBy,
              role: 'officer',
              department: p.dept,
              action: 'released',
              detail: { reviewedIn: "the department's own system", statedBy: p.sub },
              eventKey: `record:${id}#released`,
            });
            // Disclosed now, so the platforms are told now (Art 36); a record pending review is not theirs yet.
            await enqueueRecordChange(tx, { recordId: id, change: 'supplied', at: now });
          }
          await appendAudit(tx, {
            at: now,
            actor: p.sub,
            role: p.role,
            action: 'record.create',
            target: `record:${id}`,
            subjectId: body.subject.id,
            detail: {
              category: body.category,
              type: body.type,
              article: item.article,
              catalogueVersion: item.version,
              department: p.dept,
              publicUntil: publicity.publicUntil,
              ...(reviewed ? { reviewedBy: body.reviewedBy } : { disclosure: 'pending_review' }),
            },
            eventKey: `record:${id}#create`,
          });
          if (reviewed) {
            await appendAudit(tx, {
              at: now,
              actor: p.sub,
              role: p.role,
              action: 'record.release',
              target: `record:${id}`,
              subjectId: body.subject.id,
              detail: { reviewedBy: body.reviewedBy, reviewedIn: "the department's own system", department: p.dept },
              eventKey: `record:${id}#release`,
            });
          }
          return created;
        });
        request.log.info({ recordId: id, category: body.category, reviewed }, 'record supplied');
        return {
          status: 201,
          body: recordRowToView(row, p, today),
          headers: { location: `/v1/subjects/${row.subjectId}/records/${id}` },
        };
      });
    },
  );

  /**
   * Art 36: a second officer of the supplying department releases a record pending review (it is disclosed from
   * then on, its publicity still counted from the decision date) or returns it with reasons (never disclosed).
   * The supplier may do neither; another department's officer is answered as if the record did not exist.
   */
  const reviewRoute =
    (decision: 'release' | 'return') =>
    async (request: { params: { recordId: string }; body?: unknown } & Parameters<typeof principalOf>[0]) => {
      const p = principalOf(request);
      if (p.role !== 'officer') throw new Error('unreachable');
      const { recordId } = request.params;
      const reasons = decision === 'return' ? (request.body as { reasons: string }).reasons : undefined;
      const now = clock();
      const today = shanghaiDate(now);
      const row = await db.$transaction(async (tx) => {
        const [locked] = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM credit_records WHERE id = ${recordId} FOR UPDATE`;
        const r = locked ? await tx.creditRecord.findUniqueOrThrow({ where: { id: recordId } }) : null;
        const review = r && reviewOf(r);
        if (!r || !review || review.department !== p.dept) {
          throw notFound({ zh: `${p.dept} 没有待审核的记录 ${recordId}`, en: `no record ${recordId} for ${p.dept} to review` });
        }
        if (review.author === p.sub) {
          throw forbidden({
            zh: `记录 ${recordId} 由 ${p.sub} ${r.revisionBy ? '更正' : '报送'}；须由 ${p.dept} 的另一名工作人员审核（第三十六条）`,
            en: `record ${recordId} was ${r.revisionBy ? 'corrected' : 'supplied'} by ${p.sub}; a second officer of ${p.dept} must review it (Art 36)`,
          });
        }
        if (r.status !== 'pending_review') {
          const at = r.reviewedAt?.toISOString();
          throw conflict(
            r.status === 'returned'
              ? {
                  zh: `记录 ${recordId} 已由 ${r.reviewedBy} 于 ${at} 退回；请另行报送更正后的记录`,
                  en: `record ${recordId} was returned by ${r.reviewedBy} at ${at}; supply a corrected record instead`,
                }
              : {
                  zh: `记录 ${recordId} 不在待审核状态（${disclosureZh(r.status)}）${r.reviewedBy ? `：已由 ${r.reviewedBy} 于 ${at} 发布` : ''}`,
                  en: `record ${recordId} is not pending review (${r.status})${r.reviewedBy ? `: released by ${r.reviewedBy} at ${at}` : ''}`,
                },
            { recordStatus: r.status, reviewedBy: r.reviewedBy, reviewedAt: r.reviewedAt?.toISOString() ?? null },
          );
        }
        const updated = await tx.creditRecord.update({
          where: { id: recordId },
          data: {
            status: decision === 'release' ? 'active' : 'returned',
            reviewedBy: p.sub,
            reviewedAt: now,
            updatedAt: now,
          },
        });
        const by = { actor: p.sub, role: p.role, department: p.dept };
        await appendRecordEvent(tx, {
          recordId,
          at: now,
          ...by,
          action: decision === 'release' ? 'released' : 'returned',
          detail: {
            suppliedBy: review.author,
            ...(r.revisionBy ? { revision: true } : {}),
            ...(reasons ? { reasons } : {}),
          },
          // A record reviewed again after a correction gets a second entry.
          eventKey: `record:${recordId}#reviewed${r.revisionBy ? `@${r.updatedAt.toISOString()}` : ''}`,
        });
        if (decision === 'release') {
          // Released after review: a first supply, or an objection's correction now disclosed (Art 36).
          await enqueueRecordChange(
            tx,
            r.revisionBy
              ? { recordId, change: 'corrected', at: now, version: r.updatedAt.toISOString() }
              : { recordId, change: 'supplied', at: now },
          );
        }
        await appendAudit(tx, {
          at: now,
          ...by,
          action: `record.${decision}`,
          target: `record:${recordId}`,
          subjectId: r.subjectId,
          detail: {
            suppliedBy: review.author,
            department: p.dept,
            ...(r.revisionBy ? { revision: true } : {}),
            ...(reasons ? { reasons } : {}),
          },
          eventKey: `record:${recordId}#${decision}${r.revisionBy ? `@${r.updatedAt.toISOString()}` : ''}`,
        });
        return updated;
      });
      request.log.info({ recordId, decision }, 'record reviewed');
      return recordRowToView(row, p, today);
    };

  app.get(
    '/v1/records/pending-review',
    {
      preValidation: requireRole('officer'),
      schema: {
        tags: ['records'],
        summary: "My department's records awaiting a second officer's review (Art 36), oldest first",
        security: [{ bearer: [] }],
        querystring: z.object(pageQuery),
        response: {
          200: z.object({ items: z.array(pendingRecordView), nextCursor: z.string().nullable() }),
          ...errors,
        },
      },
    },
    async (request) => {
      const p = principalOf(request);
      if (p.role !== 'officer') throw new Error('unreachable');
      const today = shanghaiDate(clock());
      const after = decodeCursor(request.query.cursor, ['instant', 'id']) as [string, string] | null;
      const rows = await db.creditRecord.findMany({
        where: {
          status: 'pending_review',
          AND: [{ OR: [{ revisionDepartment: p.dept }, { department: p.dept, revisionDepartment: null }] }],
          ...(after
            ? {
                OR: [{ createdAt: { gt: new Date(after[0]) } }, { createdAt: new Date(after[0]), id: { gt: after[1] } }],
              }
            : {}),
        },
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
        take: request.query.limit + 1,
      });
      const { page, nextCursor } = pageOf(rows, request.query.limit, (last) => encodeCursor([last.createdAt.toISOString(), last.id]));
      await audit(db, {
        actor: p.sub,
        role: p.role,
        action: 'records.pending_review.read',
        target: `department:${p.dept}`,
        detail: { records: page.map((r) => r.id) },
      });
      return {
        items: page.map((r) => ({ ...recordRowToView(r, p, today), suppliedBy: reviewOf(r).author })),
        nextCursor,
      };
    },
  );

  app.post(
    '/v1/records/:recordId/release',
    {
      preValidation: requireRole('officer'),
      schema: {
        tags: ['records'],
        summary: 'Release a record pending review: a second officer of the supplying department (Art 36)',
        security: [{ bearer: [] }],
        params: z.object({ recordId: recordIdSchema }),
        response: { 200: recordView, ...errors },
      },
    },
    reviewRoute('release'),
  );

  app.post(
    '/v1/records/:recordId/return',
    {
      preValidation: requireRole('officer'),
      schema: {
        tags: ['records'],
        summary: 'Return a record pending review to its supplier, with reasons; it is never disclosed (Art 36)',
        security: [{ bearer: [] }],
        params: z.object({ recordId: recordIdSchema }),
        body: recordReturnBody,
        response: { 200: recordView, ...errors },
      },
    },
    reviewRoute('return'),
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
      if (p.role === 'subject' && p.subjectId !== subjectId)
        throw notFound({ zh: `没有信用主体 ${subjectId}`, en: `no subject ${subjectId}` });
      const purpose = purposeOf(p, request.query.purpose);
      const today = shanghaiDate(clock());
      const after = decodeCursor(request.query.cursor, ['instant', 'id']) as [string, string] | null;
      const [rows, { listings, entries }] = await Promise.all([
        db.creditRecord.findMany({
          where: {
            subjectId,
            AND: [
              scopeOf(p, today),
              after
                ? {
                    OR: [{ createdAt: { lt: new Date(after[0]) } }, { createdAt: new Date(after[0]), id: { lt: after[1] } }],
                  }
                : {},
            ],
          },
          orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
          take: request.query.limit + 1,
        }),
        listingsAndEntriesOf(db, subjectId),
      ]);
      const { page, nextCursor } = pageOf(rows, request.query.limit, (last) => encodeCursor([last.createdAt.toISOString(), last.id]));
      const self = isSelf(p, subjectId);
      const entry = {
        actor: p.sub,
        role: p.role,
        action: 'records.read',
        target: `subject:${subjectId}`,
        subjectId,
        detail: { purpose, records: page.map((r) => r.id), listings: listings.length, entries: entries.length },
      };
      // Each record's own history shows who queried it and why; a subject reading their own is not a query about them.
      // The events commit with the entry, in its one statement.
      await audit(
        db,
        entry,
        !self && page.length
          ? {
              alongWith: Prisma.sql`
                INSERT INTO record_events (record_id, at, actor, role, department, action, detail)
                SELECT unnest(${page.map((r) => r.id)}::text[]), now(), ${p.sub}, ${p.role},
                       ${p.role === 'subject' ? null : p.dept}, 'queried', ${JSON.stringify({ purpose })}::jsonb`,
            }
          : {},
      );
      return {
        subjectId: self ? subjectId : maskIfResidentId(subjectId),
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
        response: {
          200: z.object({
            record: recordView,
            items: z.array(recordEventView),
            nextCursor: z.string().nullable(),
            /** Where the record went (Art 49): each change as sent to the provincial platform, or waiting, or returned. */
            exchange: z.array(recordExchangeItem),
          }),
          ...errors,
        },
      },
    },
    async (request) => {
      const p = principalOf(request);
      const { subjectId, recordId } = request.params;
      const purpose = purposeOf(p, request.query.purpose);
      const today = shanghaiDate(clock());
      const row = await db.creditRecord.findUnique({ where: { id: recordId } });
      const view = row && row.subjectId === subjectId ? recordRowToView(row, p, today) : null;
      if (!row || !view || !recordVisible(p, row, view.disclosure)) {
        throw notFound({ zh: `信用主体 ${subjectId} 没有记录 ${recordId}`, en: `no record ${recordId} of subject ${subjectId}` });
      }
      const after = decodeCursor(request.query.cursor, ['seq']) as [string] | null;
      const events = await db.recordEvent.findMany({
        where: { recordId, ...(after ? { id: { gt: BigInt(after[0]) } } : {}) },
        orderBy: { id: 'asc' },
        take: request.query.limit + 1,
      });
      const { page, nextCursor } = pageOf(events, request.query.limit, (last) => encodeCursor([last.id.toString()]));
      const exchange = await recordExchangeOf(db, recordId);
      await audit(db, {
        actor: p.sub,
        role: p.role,
        action: 'record.history.read',
        target: `record:${recordId}`,
        subjectId,
        detail: { purpose },
      });
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
      return { record: view, items, nextCursor, exchange };
    },
  );
};

/** A record's changes as the exchange carried them, in the order they were told. */
async function recordExchangeOf(db: Db, recordId: string): Promise<RecordExchangeItem[]> {
  const rows = await db.exchangeEntry.findMany({
    where: { recordId },
    orderBy: { seq: 'asc' },
    select: { id: true, kind: true, occurredAt: true, status: true, deliveredAt: true },
  });
  return rows.map((e) => ({
    entryId: e.id,
    kind: e.kind,
    occurredAt: e.occurredAt.toISOString(),
    state: e.status === 'accepted' || e.status === 'held' ? 'sent' : e.status === 'refused' ? 'returned' : 'waiting',
    sentAt: e.status === 'accepted' || e.status === 'held' ? (e.deliveredAt?.toISOString() ?? null) : null,
  }));
}
