import type { Db } from '../db/client';
import { renderObjectionResultNotice } from '../domain/documents';
import type { ObjectionInput } from '../workflows/objection/definitions';
import type { DocumentMeta } from './listing-documents';
import { storeDocument } from './document-store';
import { recordTypeTitle } from '../domain/record-type-titles';

export interface ObjectionResultRequest {
  documentId: string;
  issuedAt: string;
  input: ObjectionInput;
  outcome: 'delete' | 'correct' | 'supplement' | 'stop_disclosure' | 'remove_from_list' | 'keep' | 'declined' | 'withdrawn';
  reasons: string;
  correctedContent?: string;
  decidingDepartment: string;
}

/** The objection result notice (Art 49: the result and its source), issued by the credit agency. Idempotent. */
export function objectionDocumentActivities(db: Db) {
  async function department(code: string) {
    const d = await db.department.findUnique({ where: { code } });
    return { code, name: d?.name ?? code };
  }

  return {
    async issueObjectionResultNotice(req: ObjectionResultRequest): Promise<DocumentMeta> {
      const { input } = req;
      return storeDocument(db, { documentId: req.documentId, caseId: input.caseId, issuedAt: req.issuedAt }, async () =>
        renderObjectionResultNotice({
          documentId: req.documentId,
          caseId: input.caseId,
          issuedAt: req.issuedAt,
          department: await department(input.department),
          subject: input.subject,
          objection: {
            caseId: input.caseId,
            filedAt: input.openedAt,
            grounds: input.grounds,
            statement: input.statement,
          },
          record: {
            id: input.record.id,
            category: input.record.category,
            type: recordTypeTitle(input.record.type),
            content: input.record.content,
            documentNumber: input.record.documentNumber,
            decidedOn: input.record.decidedOn,
            supplyingDepartment: await department(input.record.department),
          },
          outcome: req.outcome,
          reasons: req.reasons,
          ...(req.correctedContent ? { correctedContent: req.correctedContent } : {}),
          decidedOn: req.issuedAt,
          decidingDepartment: await department(req.decidingDepartment),
        }),
      );
    },
  };
}
