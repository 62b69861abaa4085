import { ApplicationFailure } from '@temporalio/activity';
import type { Db } from '../db/client';
import type { IssuedDocument } from '../domain/documents';
import type { DocumentMeta } from './listing-documents';
import { refusedInputIsFault } from './faults';

/** A document id that was issued with other content: a verdict (two acts raced for one number), never retried. */
export const DOCUMENT_CONFLICT = 'DocumentConflict';

/**
 * Stores a rendered document under the id its workflow chose. Rendering is pure, so a retried activity
 * renders the same bytes and gets the stored document back; a second write of an issued id with other
 * content is refused, so a document once issued is never overwritten nor silently stood in for another.
 */
export async function storeDocument(
  db: Db,
  { documentId, caseId, issuedAt }: { documentId: string; caseId: string; issuedAt: string },
  render: () => Promise<IssuedDocument>,
): Promise<DocumentMeta> {
  // Rendering is pure once its data is read: a document it refuses to render it refuses on every try.
  const doc = await refusedInputIsFault(`document ${documentId} cannot be rendered`, render);
  // The row as inserted answers the common case; only an id already taken (a retry, a conflict) is read back.
  const [inserted] = await db.$queryRaw<{ id: string; kind: string; title: string; issued_at: Date; sha256: string; case_id: string }[]>`
    INSERT INTO documents (id, case_id, kind, title, issued_at, fields, html, sha256)
    VALUES (${doc.id}, ${caseId}, ${doc.kind}, ${doc.title}, ${new Date(issuedAt)}, ${JSON.stringify(doc.fields)}::jsonb, ${doc.html}, ${doc.sha256})
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
  return {
    id: stored.id,
    kind: stored.kind,
    title: stored.title,
    issuedAt: stored.issuedAt.toISOString(),
    sha256: stored.sha256,
  };
}
