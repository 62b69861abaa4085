import { sqlOf, type Db } from '../db/client';
import { servedOn, type ServiceMethod } from '../domain/calendar';
import {
  documentTermsFromPolicy,
  renderDismissalNotice,
  renderPreListingNotice,
  renderRecognitionDocument,
  renderRemovalNotice,
  renderWindowReopenedNotice,
  type DocumentMeasure,
  type IssuedDocument,
} from '../domain/documents';
import type { DocumentPolicy } from '../domain/documents/policy-terms';
import type { ListingInput } from '../workflows/listing/definitions';
import { markServed, storeDocument, type ServedWith } from './document-store';

/** How a document was served, as the workflow tells it. */
export interface DocumentService {
  subjectId: string;
  method: ServiceMethod;
  servedAt: string;
}

export function servedWith(s: DocumentService): ServedWith {
  return { method: s.method, servedAt: s.servedAt, servedTo: s.method === 'electronic' ? s.subjectId : null };
}
import { DataFault } from '../domain/faults';

/** What a listing workflow keeps of an issued document: the rest is in the documents table. */
export interface DocumentMeta {
  id: string;
  kind: string;
  title: string;
  issuedAt: string;
  sha256: string;
}

/**
 * The case a listing document is about: the workflow's input with only the policy entries a document prints (the whole
 * table, with its sources, is 11 KB that every document request carried for nothing).
 */
export type ListingDocumentCase = Omit<ListingInput, 'policy'> & { policy: DocumentPolicy };

export type ListingDocumentRequest =
  | {
      kind: 'pre_listing_notice';
      documentId: string;
      issuedAt: string;
      input: ListingDocumentCase;
      statementDueDate: string;
      statementDueProvisional?: boolean;
      method: ServiceMethod;
    }
  | {
      kind: 'recognition_document';
      documentId: string;
      issuedAt: string;
      input: ListingDocumentCase;
      measures: string[];
      decision: { number: string; decidedAt: string; approvedBy: string; reasons: string };
      prior: { noticeServedAt?: string; statementSubmitted: boolean; hearingHeldAt?: string };
    }
  | {
      kind: 'window_reopened_notice';
      documentId: string;
      issuedAt: string;
      input: ListingDocumentCase;
      previousDueDate: string;
      statementDueDate: string;
      decisionWaiting: boolean;
    }
  | {
      kind: 'dismissal_notice';
      documentId: string;
      issuedAt: string;
      input: ListingDocumentCase;
      decision: { decidedAt: string; approvedBy: string; reasons: string };
    }
  | {
      kind: 'removal_notice';
      documentId: string;
      issuedAt: string;
      input: ListingDocumentCase;
      decisionNumber: string;
      listedFrom?: string;
      listedUntil?: string;
      outcome: 'expired' | 'repaired' | 'revoked';
      removedOn: string;
      reason: string;
    };

// The bodies a remedy goes to; a department's own values belong in its configuration when one is set up.
const RECONSIDERATION_BODY = '张掖市人民政府';
const COURT = '张掖市甘州区人民法院';

/** The rows a listing document prints as read: the department's name, and the measures' wording in any order. */
export interface PrintedRowsRead {
  name: string | null;
  measures: DocumentMeasure[] | null;
}

/**
 * The department's name and the measures' wording as a document prints them, from the rows read: the measures in the
 * order of `codes`, and a measure no longer in the catalogue refused.
 */
function printedFrom(
  row: PrintedRowsRead | undefined,
  department: string,
  codes: string[],
): { departmentName: string; measures: DocumentMeasure[] } {
  const byCode = new Map((row?.measures ?? []).map((m) => [m.code, m]));
  const measures = codes.map((c) => {
    const m = byCode.get(c);
    if (!m) throw new DataFault(`measure ${c} is no longer in the catalogue`);
    return { code: m.code, title: m.title, level: m.level, basis: m.basis };
  });
  return { departmentName: row?.name ?? department, measures };
}

/** The department's name and the wording of the measures, as one column of a statement: `dept` and `codes` are SQL expressions. */
export function printedRowsSelect(dept: string, codes: string): string {
  return `json_build_object(
            'name', (SELECT name FROM departments WHERE code = ${dept}),
            'measures', (SELECT json_agg(json_build_object('code', code, 'title', title, 'level', level::text, 'basis', basis))
                           FROM measures WHERE code = ANY(${codes})))`;
}

/** The measures a document of `req` prints. */
function printedCodes(req: ListingDocumentRequest): string[] {
  return req.kind === 'pre_listing_notice' ? req.input.proposedMeasures : req.kind === 'recognition_document' ? req.measures : [];
}

/**
 * Renders a document of the listing procedure from its request: pure once the few rows it prints are read. The
 * activity below renders and stores in one step; the API renders ahead for an action it sends (api/action-quotes.ts),
 * with the rows read with the case (`printed`, for the department and measures of the request's own case input).
 */
export function listingDocumentRenderer(db: Db): (req: ListingDocumentRequest, printed?: PrintedRowsRead) => Promise<IssuedDocument> {
  // The few rows it prints (the department's name, the measures' wording, an earlier notice), read past Prisma and the
  // first two in one statement: the API renders ahead on every served notice (issue 23).
  const sql = sqlOf(db);

  /** The department's name and the wording of the measures `codes`, in the order given. */
  async function printedRows(department: string, codes: string[]): Promise<{ departmentName: string; measures: DocumentMeasure[] }> {
    const [row] = await sql.query<{ printed: PrintedRowsRead }>(`SELECT ${printedRowsSelect('$1', '$2::text[]')} AS printed`, [
      department,
      codes,
    ]);
    return printedFrom(row?.printed, department, codes);
  }

  async function render(req: ListingDocumentRequest, read?: PrintedRowsRead): Promise<IssuedDocument> {
    const printed = read
      ? printedFrom(read, req.input.department, printedCodes(req))
      : await printedRows(req.input.department, printedCodes(req));
    const base = {
      documentId: req.documentId,
      caseId: req.input.caseId,
      issuedAt: req.issuedAt,
      department: { code: req.input.department, name: printed.departmentName },
      subject: req.input.subject,
    };
    // Read only by the documents that print policy terms, so a term the wording cannot print stops those alone.
    const terms = () => documentTermsFromPolicy(req.input.policy);
    switch (req.kind) {
      case 'pre_listing_notice':
        return renderPreListingNotice({
          ...base,
          category: req.input.category,
          facts: req.input.facts,
          basisDocuments: req.input.basisDocuments,
          proposedMeasures: printed.measures,
          listingPeriod: req.input.listingPeriod,
          statementWindow: {
            workingDays: terms().statementWorkingDays,
            dueDate: req.statementDueDate,
            ...(req.statementDueProvisional ? { provisional: true } : {}),
          },
          hearingRight: true,
          hearingNoticeWorkingDays: terms().hearingNoticeWorkingDays,
          serviceMethod: req.method,
          responsiblePersons: req.input.responsiblePersons,
        });
      case 'recognition_document': {
        const t = terms();
        return renderRecognitionDocument({
          ...base,
          category: req.input.category,
          facts: req.input.facts,
          basisDocuments: req.input.basisDocuments,
          decision: req.decision,
          measures: printed.measures,
          listingPeriod: req.input.listingPeriod,
          removal: { earliestRepairAfter: t.earliestRepairAfter, revokeWithinWorkingDays: t.revokeWithinWorkingDays },
          remedies: {
            reconsiderationDays: t.reconsiderationDays,
            reconsiderationBody: RECONSIDERATION_BODY,
            litigationMonths: t.litigationMonths,
            court: COURT,
          },
          responsiblePersons: req.input.responsiblePersons,
          priorProcedure: req.prior,
        });
      }
      case 'window_reopened_notice': {
        const [notice] = await sql.query<{ id: string; servedAt: Date | null }>(
          `SELECT id, served_at AS "servedAt" FROM documents WHERE case_id = $1 AND kind = 'pre_listing_notice'
            ORDER BY issued_at LIMIT 1`,
          [req.input.caseId],
        );
        if (!notice?.servedAt) throw new DataFault(`case ${req.input.caseId} has no served pre-listing notice`);
        return renderWindowReopenedNotice({
          ...base,
          notice: { number: notice.id, servedAt: notice.servedAt.toISOString() },
          previousDueDate: req.previousDueDate,
          statementDueDate: req.statementDueDate,
          decisionWaiting: req.decisionWaiting,
          hearingNoticeWorkingDays: terms().hearingNoticeWorkingDays,
        });
      }
      case 'dismissal_notice':
        return renderDismissalNotice({
          ...base,
          category: req.input.category,
          facts: req.input.facts,
          decision: req.decision,
        });
      case 'removal_notice':
        return renderRemovalNotice({
          ...base,
          listing: {
            decisionNumber: req.decisionNumber,
            category: req.input.category,
            ...(req.listedFrom ? { listedFrom: req.listedFrom } : {}),
            ...(req.listedUntil ? { listedUntil: req.listedUntil } : {}),
          },
          outcome: req.outcome,
          removedOn: req.removedOn,
          reason: req.reason,
          responsiblePersons: req.input.responsiblePersons,
        });
    }
  }

  return render;
}

/**
 * Renders and stores the documents of the listing procedure. Idempotent: the id is chosen by the
 * workflow and a document already stored under it is returned as it was, so a retry never issues a
 * second, different document.
 */
export function listingDocumentActivities(db: Db) {
  const render = listingDocumentRenderer(db);
  return {
    async issueListingDocument(req: ListingDocumentRequest & { served?: DocumentService }): Promise<DocumentMeta> {
      const served = req.served && servedWith(req.served);
      return storeDocument(
        db,
        { documentId: req.documentId, caseId: req.input.caseId, issuedAt: req.issuedAt, ...(served ? { served } : {}) },
        () => render(req),
      );
    },

    /** Records service of a document; electronic service puts it in the subject's notices. */
    async markDocumentServed(req: DocumentService & { documentId: string }): Promise<void> {
      await markServed(db, req.documentId, servedWith(req));
    },

    serviceDate(req: {
      method: ServiceMethod;
      at: string;
      publicAnnouncementDays: number;
    }): Promise<{ servedDate: string; explanation: string[] }> {
      // An activity answers with a promise: a date servedOn refuses is a rejection, as from any other activity.
      return Promise.resolve().then(() => servedOn(req.method, req.at, { publicAnnouncementDays: req.publicAnnouncementDays }));
    },
  };
}
