import type { Db } from '../db/client';
import type { IssuedDocument } from '../domain/documents';
import type { DocumentMeta } from './listing-documents';

/**
 * Stores a rendered document under the id its workflow chose. A document already stored under that id is
 * returned as it was, so a retried activity never issues a second, different document.
 */
export async function storeDocument(db: Db, documentId: string, caseId: string, issuedAt: string, render: () => Promise<IssuedDocument>): Promise<DocumentMeta> {
  const existing = await db.document.findUnique({ where: { id: documentId } });
  if (existing) return { id: existing.id, kind: existing.kind, title: existing.title, issuedAt: existing.issuedAt.toISOString(), sha256: existing.sha256 };
  const doc = await render();
  await db.document.create({
    data: { id: doc.id, caseId, kind: doc.kind, title: doc.title, issuedAt: new Date(issuedAt), fields: doc.fields as object, html: doc.html, sha256: doc.sha256 },
  });
  return { id: doc.id, kind: doc.kind, title: doc.title, issuedAt: new Date(issuedAt).toISOString(), sha256: doc.sha256 };
}
