import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppDeps } from '../app';
import { principalOf, requireRole, type Principal } from '../plugins/auth';
import { maySeeRow } from '../case-reads';
import { notFound } from '../problem';
import { appendAudit, audit } from '../../db/audit';
import type { Db } from '../../db/client';
import { decodeCursor, encodeCursor, foreignCursor, pageOf, pageQuery, problemSchema } from '../schemas/common';

const caseIdParam = z.object({ id: z.string().regex(/^[A-Z]{3}-\d{8}-[0-9A-Z]{10}$/, 'is not a case id') });
const documentIdParam = caseIdParam.extend({
  documentId: z.string().regex(/^[\w.:-]{1,200}$/, 'is not a document id'),
});
const noticeIdParam = z.object({ documentId: documentIdParam.shape.documentId });
const errors = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema };

/** A document as issued (API.md): the printed HTML and its SHA-256, exactly as stored; service once recorded. */
const documentView = z.object({
  id: z.string(),
  kind: z.string(),
  title: z.string(),
  issuedAt: z.string(),
  fields: z.record(z.string(), z.unknown()),
  html: z.string(),
  sha256: z.string(),
  servedAt: z.string().optional(),
  servedMethod: z.string().optional(),
  openedAt: z.string().optional().describe('when the subject it was served on first opened it'),
});

/** A notice served on the caller, as opened: the document with its case, and when it was first opened (now, or before). */
const noticeView = documentView.extend({ caseId: z.string(), openedAt: z.string() });

const noticeItem = z.object({
  id: z.string(),
  caseId: z.string(),
  kind: z.string(),
  title: z.string(),
  issuedAt: z.string(),
  servedAt: z.string().nullable(),
  servedMethod: z.string().nullable(),
  sha256: z.string(),
  openedAt: z.string().nullable().describe('when the subject first opened it; null while unread'),
});

type DocumentRow = NonNullable<Awaited<ReturnType<Db['document']['findUnique']>>>;

/**
 * The first opening of a document by the subject it was served on, recorded as a delivery record would be: `openedAt`
 * is set once, with a `notice.opened` audit entry in the same transaction; a later opening changes nothing. Answers
 * when it was first opened.
 */
async function recordOpening(db: Db, doc: DocumentRow, p: Extract<Principal, { role: 'subject' }>, at: Date): Promise<Date> {
  if (doc.openedAt) return doc.openedAt;
  const opened = await db.$transaction(async (tx) => {
    // The conditional update decides which of two simultaneous first openings records it.
    const first = await tx.document.updateMany({ where: { id: doc.id, servedTo: p.subjectId, openedAt: null }, data: { openedAt: at } });
    if (first.count === 0) return null;
    await appendAudit(tx, {
      at,
      actor: p.sub,
      role: p.role,
      action: 'notice.opened',
      target: `document:${doc.id}`,
      caseId: doc.caseId,
      subjectId: p.subjectId,
      detail: { kind: doc.kind, servedAt: doc.servedAt?.toISOString() ?? null },
    });
    return at;
  });
  if (opened) return opened;
  const row = await db.document.findUnique({ where: { id: doc.id }, select: { openedAt: true } });
  return row?.openedAt ?? at;
}

function toDocumentView(doc: DocumentRow, openedAt: Date | null) {
  return {
    id: doc.id,
    kind: doc.kind,
    title: doc.title,
    issuedAt: doc.issuedAt.toISOString(),
    fields: (doc.fields ?? {}) as Record<string, unknown>,
    html: doc.html,
    sha256: doc.sha256,
    ...(doc.servedAt ? { servedAt: doc.servedAt.toISOString() } : {}),
    ...(doc.servedMethod ? { servedMethod: doc.servedMethod } : {}),
    ...(openedAt ? { openedAt: openedAt.toISOString() } : {}),
  };
}

/**
 * Documents issued in cases. A document is visible when its case is (`maySee`) or when it was served on the
 * calling subject, and never to a subject when it was served on another; anything else is answered as if it
 * did not exist. Subjects find the documents served on them electronically under `/v1/me/notices`. Every read
 * is audited; the first opening by the subject a document was served on is recorded (`openedAt`, `notice.opened`).
 */
export const documentRoutes: FastifyPluginAsyncZod<AppDeps> = (app, { db, clock = () => new Date() }) => {
  app.get(
    '/v1/cases/:id/documents/:documentId',
    {
      preValidation: requireRole('officer', 'supervisor', 'subject'),
      schema: {
        tags: ['cases'],
        summary: 'A document issued in a case, as printed, with its SHA-256',
        security: [{ bearer: [] }],
        params: documentIdParam,
        response: { 200: documentView, ...errors },
      },
    },
    async (request) => {
      const p = principalOf(request);
      const { id: caseId, documentId } = request.params;
      request.log = request.log.child({ caseId, documentId });
      const doc = await db.document.findUnique({ where: { id: documentId } });
      const row = doc && doc.caseId === caseId ? await db.case.findUnique({ where: { id: caseId } }) : null;
      // A document served on the caller is theirs to read, whether or not they are the case's subject (an Art 48
      // person's notice in an organisation's listing).
      const servedOnCaller = p.role === 'subject' && doc !== null && doc.servedTo === p.subjectId;
      // A notice to someone else is about their own record: no other subject reads it, the case's included.
      const servedOnAnother = p.role === 'subject' && doc !== null && doc.servedTo !== null && !servedOnCaller;
      const visible = row !== null && !servedOnAnother && (servedOnCaller || maySeeRow(p, row));
      if (!doc || !row || !visible) throw notFound({ zh: `没有文书 ${documentId}`, en: `no document ${documentId}` });
      const openedAt = servedOnCaller ? await recordOpening(db, doc, p, clock()) : doc.openedAt;
      await audit(db, {
        actor: p.sub,
        role: p.role,
        action: 'document.read',
        target: `document:${doc.id}`,
        caseId: row.id,
        // The person a notice was served on is whom the read concerns (Art 49), not the organisation of the case.
        subjectId: servedOnCaller && doc.servedTo ? doc.servedTo : row.subjectId,
        detail: { kind: doc.kind },
      });
      return toDocumentView(doc, openedAt);
    },
  );

  app.get(
    '/v1/me/notices/:documentId',
    {
      preValidation: requireRole('subject'),
      schema: {
        tags: ['records'],
        summary: 'A document served electronically on the calling subject, as printed; its first opening is recorded',
        security: [{ bearer: [] }],
        params: noticeIdParam,
        response: { 200: noticeView, ...errors },
      },
    },
    async (request) => {
      const p = principalOf(request);
      if (p.role !== 'subject') throw new Error('requireRole lets only subjects through');
      const { documentId } = request.params;
      const doc = await db.document.findUnique({ where: { id: documentId } });
      if (!doc || doc.servedTo !== p.subjectId) throw notFound({ zh: `没有文书 ${documentId}`, en: `no notice ${documentId}` });
      const openedAt = await recordOpening(db, doc, p, clock());
      await audit(db, {
        actor: p.sub,
        role: p.role,
        action: 'document.read',
        target: `document:${doc.id}`,
        caseId: doc.caseId,
        subjectId: p.subjectId,
        detail: { kind: doc.kind },
      });
      return { ...toDocumentView(doc, openedAt), caseId: doc.caseId, openedAt: openedAt.toISOString() };
    },
  );

  app.get(
    '/v1/me/notices',
    {
      preValidation: requireRole('subject'),
      schema: {
        tags: ['records'],
        summary: 'Documents served electronically on the calling subject, newest first',
        security: [{ bearer: [] }],
        querystring: z.object({ ...pageQuery }),
        response: { 200: z.object({ items: z.array(noticeItem), nextCursor: z.string().nullable() }), ...errors },
      },
    },
    async (request) => {
      const p = principalOf(request);
      if (p.role !== 'subject') throw new Error('requireRole lets only subjects through');
      const q = request.query;
      const after = decodeCursor(q.cursor, ['instant', 'id']) as [string, string] | null;
      if (after && Number.isNaN(new Date(after[0]).getTime())) throw foreignCursor();
      const rows = await db.document.findMany({
        where: {
          servedTo: p.subjectId,
          ...(after ? { OR: [{ issuedAt: { lt: new Date(after[0]) } }, { issuedAt: new Date(after[0]), id: { lt: after[1] } }] } : {}),
        },
        select: {
          id: true,
          caseId: true,
          kind: true,
          title: true,
          issuedAt: true,
          servedAt: true,
          servedMethod: true,
          sha256: true,
          openedAt: true,
        },
        orderBy: [{ issuedAt: 'desc' }, { id: 'desc' }],
        take: q.limit + 1,
      });
      const { page, nextCursor } = pageOf(rows, q.limit, (last) => encodeCursor([last.issuedAt.toISOString(), last.id]));
      await audit(db, {
        actor: p.sub,
        role: p.role,
        action: 'notices.read',
        target: 'notices',
        subjectId: p.subjectId,
        detail: { count: page.length, documents: page.map((d) => d.id) },
      });
      return {
        items: page.map((d) => ({
          id: d.id,
          caseId: d.caseId,
          kind: d.kind,
          title: d.title,
          issuedAt: d.issuedAt.toISOString(),
          servedAt: d.servedAt ? d.servedAt.toISOString() : null,
          servedMethod: d.servedMethod,
          sha256: d.sha256,
          openedAt: d.openedAt ? d.openedAt.toISOString() : null,
        })),
        nextCursor,
      };
    },
  );
  return Promise.resolve();
};
