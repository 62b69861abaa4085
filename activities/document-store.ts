import { ApplicationFailure } from '@temporalio/activity';
import type { Db } from '../db/client';
import type { IssuedDocument } from '../domain/documents';
import type { ServiceMethod } from '../domain/calendar/service';
import type { DocumentMeta } from './listing-documents';
import { refusedInputIsFault } from './faults';

/** A document id that was issued with other content: a verdict (two acts raced for one number), never retried. */
export const DOCUMENT_CONFLICT = 'DocumentConflict';

/**
 * Stores a rendered document under the id its workflow chose. Rendering is pure, so a retried activity
 * renders the same bytes and gets the stored document back; a second write of an issued id with other
 * content is refused, so a document once issued is never overwritten nor silently stood in for another.
 */
/** Service recorded with the document, in its INSERT: one step where issuing and serving were two (issue 23). */
export interface ServedWith {
  method: ServiceMethod;
  servedAt: string;
  /** The subject it is served on electronically (their notices); null for any other method. */
  servedTo: string | null;
}

export async function storeDocument(
  db: Db,
  { documentId, caseId, issuedAt, served }: { documentId: string; caseId: string; issuedAt: string; served?: ServedWith },
  render: () => Promise<IssuedDocument>,
): Promise<DocumentMeta> {
  // Rendering is pure once its data is read: a document it refuses to render it refuses on every try.
  const doc = await refusedInputIsFault(`document ${documentId} cannot be rendered`, render);
  // The row as inserted answers the common case; only an id already taken (a retry, a conflict) is read back.
  const [inserted] = await db.$queryRaw<{ id: string; kind: string; title: string; issued_at: Date; sha256: string; case_id: string }[]>`
    INSERT INTO documents (id, case_id, kind, title, issued_at, fields, html, sha256, served_to, served_method, served_at)
    VALUES (${doc.id}, ${caseId}, ${doc.kind}, ${doc.title}, ${new Date(issuedAt)}, ${JSON.stringify(doc.fields)}::jsonb, ${doc.html}, ${doc.sha256},
            ${served?.servedTo ?? null}, ${served?.method ?? null}, ${served ? new Date(served.servedAt) : null})
    ON CONFLICT (id) DO NOTHING
    RETURNING id, kind, title, issued_at, sha256, case_id`;
  const stored = inserted
    ? {
        id: inserted.id,
        kind: inserted.kind,
        title: inserted.title,
        issuedAt: new Date(inserted.issued_at),
        sha256: inserted.sha256,
        caseId: inserted.case_id,
      }
    : await db.document.findUniqueOrThrow({
        where: { id: documentId },
        select: { id: true, kind: true, title: true, issuedAt: true, sha256: true, caseId: true },
      });
  if (stored.sha256 !== doc.sha256 || stored.caseId !== caseId) {
    throw ApplicationFailure.create({
      type: DOCUMENT_CONFLICT,
      message: `document ${documentId} was already issued with other content (sha256 ${stored.sha256}); it is never overwritten`,
      nonRetryable: true,
    });
  }
  // A retry finds its own document: its service is written again, as a separate step would have written it.
  if (!inserted && served) await markServed(db, documentId, served);
  return {
    id: stored.id,
    kind: stored.kind,
    title: stored.title,
    issuedAt: stored.issuedAt.toISOString(),
    sha256: stored.sha256,
  };
}

/** Records service of a stored document; electronic service puts it in the subject's notices. */
export async function markServed(db: Db, documentId: string, served: ServedWith): Promise<void> {
  await db.document.update({
    where: { id: documentId },
    data: { servedTo: served.servedTo, servedMethod: served.method, servedAt: new Date(served.servedAt) },
  });
}
