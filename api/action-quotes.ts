import { sqlOf, type Db } from '../db/client';
import { CALENDAR_FINGERPRINT, loadCalendar } from '../db/calendar-store';
import { computeDeadlineOn } from '../activities/calendar';
import type { QuotedRendering } from '../activities/case-effects';
import { listingDocumentRenderer, servedWith, type ListingDocumentRequest, type PrintedRowsRead } from '../activities/listing-documents';
import { servedOn } from '../domain/calendar/service';
import { periodOf } from '../domain/calendar/period-of';
import type { ActionQuotes, CaseView, DeadlineQuote, DocumentQuote } from '../workflows/common/case-types';
import type { ListingActionBodies, ListingInput } from '../workflows/listing/definitions';
import { documentCaseOf } from '../workflows/listing/document-case';
import type { CaseOpeningRead } from './case-reads';

/**
 * Works out ahead, in the API, the steps an action will take in its case's workflow, so the workflow takes them without
 * a local activity each (issue 23): the deadline it opens, computed with the calendar activity's own arithmetic on the
 * calendar as loaded now, and the document it issues, rendered by the activity's own renderer from the case's opening
 * facts (`case_inputs`) and kept in `quoted_documents` until the change that takes it is written. The workflow takes
 * a quote only where it is exactly its own step (workflows/common/legal-clock.ts `quoted`, procedure.ts
 * `quotedDocument`), so a quote that guessed wrong (a read model behind, a calendar the case was told is newer) costs
 * only the activity it would have run anyway. Anything this cannot work out is simply not quoted.
 *
 * Quoted now: a listing's `serve_notice` served other than electronically (the service date, the statement window and
 * the pre-listing notice with its service). Electronic service is sent by the workflow, and other actions take no
 * calendar or document step on their common path, or have not been measured to need it.
 */
/** Whether an action may be worked out ahead: the route reads the case's opening facts with the case for it. */
export function mayQuote(action: string): boolean {
  return action === 'serve_notice';
}

/** An action's steps worked out ahead, and the documents rendered for them, to be kept with the action's claim. */
export interface QuotedAhead {
  quotes: ActionQuotes;
  renderings: QuotedRendering[];
}

interface QuoteRequest {
  view: CaseView;
  action: string;
  body: Record<string, unknown>;
  receivedAt: string;
  opening?: CaseOpeningRead;
}

/**
 * Works out an action's steps ahead and renders their documents, writing nothing: the renderings are kept by the
 * statement that claims the action (`Handover.renderings`, api/action-changes.ts), before its Update is sent.
 */
export async function quoteAhead(db: Db, a: QuoteRequest): Promise<QuotedAhead | undefined> {
  if (a.view.procedure !== 'listing' || !mayQuote(a.action)) return undefined;
  const b = a.body as ListingActionBodies['serve_notice'];
  if (b.method === 'electronic') return undefined;
  // The case's opening facts, and the calendar's years as loaded now (the calendar built from them is kept while they
  // stand): read with the case by the route, or here.
  const row = a.opening ?? (await openingOf(db, a.view.id));
  if (!row) return undefined;
  const input = row.input as ListingInput;
  try {
    const service = servedOn(b.method, b.servedAt, { publicAnnouncementDays: input.policy.public_announcement_service.amount });
    const calendar = await loadCalendar(db, row.calendarFingerprint);
    const period = periodOf(input.policy.statement_window);
    const window = computeDeadlineOn(calendar, service.servedDate, period);
    const deadline: DeadlineQuote = {
      from: service.servedDate,
      period,
      calendar: calendar.years().map((year) => ({ year, version: calendar.versionFor([year]) })),
      computed: window,
    };
    const served = { subjectId: input.subject.id, method: b.method, servedAt: b.servedAt };
    const request = {
      kind: 'pre_listing_notice' as const,
      statementDueDate: window.dueDate,
      ...(window.provisional ? { statementDueProvisional: true } : {}),
      method: b.method,
      // The case's next document, as the read model counts them: a count behind makes a request the case will not take.
      documentId: `${a.view.id}-D${a.view.documents.length + 1}`,
      issuedAt: a.receivedAt,
      served,
    };
    const rendering = await rendered(db, { ...request, input: documentCaseOf(input) }, { served, printed: row.printed });
    const meta: DocumentQuote['meta'] = {
      id: rendering.documentId,
      kind: rendering.kind,
      title: rendering.title,
      issuedAt: rendering.issuedAt,
      sha256: rendering.sha256,
    };
    return { quotes: { deadlines: [deadline], documents: [{ request, meta }] }, renderings: [rendering] };
  } catch {
    // What the arithmetic or a renderer refuses here, the workflow's own step refuses with its reason.
    return undefined;
  }
}

async function openingOf(db: Db, caseId: string): Promise<CaseOpeningRead | undefined> {
  const [row] = await sqlOf(db).query<CaseOpeningRead>(
    `SELECT input, ${CALENDAR_FINGERPRINT} AS "calendarFingerprint" FROM case_inputs WHERE case_id = $1`,
    [caseId],
  );
  return row;
}

/** A document rendered ahead, as `quoted_documents` keeps it. */
async function rendered(
  db: Db,
  req: ListingDocumentRequest,
  { served, printed }: { served: Parameters<typeof servedWith>[0]; printed?: PrintedRowsRead },
): Promise<QuotedRendering> {
  const doc = await listingDocumentRenderer(db)(req, printed);
  const s = servedWith(served);
  return {
    documentId: doc.id,
    caseId: req.input.caseId,
    kind: doc.kind,
    title: doc.title,
    issuedAt: new Date(req.issuedAt).toISOString(),
    fields: doc.fields,
    html: doc.html,
    sha256: doc.sha256,
    servedTo: s.servedTo,
    servedMethod: s.method,
    servedAt: new Date(s.servedAt).toISOString(),
  };
}
