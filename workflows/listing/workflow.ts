import { ApplicationFailure, setHandler } from '@temporalio/workflow';
import { casePatches } from '../common/patches';
import type { DocumentMeta, DocumentService, ListingDocumentCase } from '../../activities/listing-documents';
import type { DeliveryAddress, DeliveryOutcome } from '../../activities/electronic-service';
import type { PeriodTerm } from '../../domain/calendar/policy';
import type { ActionRequest, Actor, CaseEffect, DeadlineState, PeriodSpec } from '../common/case-types';
import { shanghaiDate } from '../common/dates';
import { SYSTEM, type OpenSpec } from '../common/legal-clock';
import { present } from '../common/present';
import { CaseProcedure } from '../common/procedure';
import { typedAction } from '../common/action-definitions';
import { servedOn, type ServiceMethod, type ServiceResult } from '../../domain/calendar/service';
import { DataFault } from '../../domain/faults';
import { repairRemovalUpdate, type ListingInput } from './definitions';
import type { listingActions, ListingActionBodies } from './actions';
import { listingActionTitles } from './titles';
import { documentCaseOf } from './document-case';
import { openingDetails, type DocumentOrder, type ListingState, type RemovalOutcome } from './details';
import { allowedListingActions, listingRefusal } from './rules';

/**
 * Cases that record this marker work out a service date in the workflow: it is pure arithmetic on the act's own
 * instant, and as a local activity it cost a workflow activation of its own (issue 23). Histories recorded before it
 * replay with the activity, as they ran.
 */
export const SERVICE_DATE_IN_WORKFLOW_PATCH = 'service-date-in-workflow-v1';

/**
 * Cases that record this marker store a served document's service in the same step as the document: a step of its own
 * cost a workflow activation (issue 23). Histories recorded before it replay with the two steps, as they ran.
 */
export const SERVED_WITH_ISSUE_PATCH = 'document-served-with-issue-v1';

/**
 * Cases that record this marker send a document served electronically to the consented address the action names (the
 * API adds it to the body) and count it served only when the mail server or SMS gateway accepted it, at that instant; a
 * refusal leaves the case where it was. Histories recorded before it (no address in any body) replay as they ran.
 */
export const ELECTRONIC_DELIVERY_PATCH = 'electronic-delivery-v1';

/**
 * Serious-dishonesty listing (Art 43-48): pre-listing notice, statement and hearing, four-eyes decision,
 * recognition document, listing period with remedies, and removal by expiry, revocation or repair.
 * Actions arrive as the `act` Update and are accepted or refused (with the reason) synchronously (rules.ts).
 *
 *   opened             serve_notice → notice_served, the statement window opens
 *   notice_served      a statement → under_review; asking for a hearing, schedule_hearing → hearing_scheduled;
 *                      the window ends unused (whenStatementWindowEnds) → under_review
 *   hearing_scheduled  record_hearing → under_review
 *   under_review       propose_decision → awaiting_approval
 *   awaiting_approval  another's approval → decided (list) or dismissed; reject_decision → under_review
 *   decided            serve_decision → listed, the listing period and the remedy windows open
 *   listed             the period ends (whenListingPeriodEnds), revoke, a remedy revoking it, or a repair → removed
 *
 * A decision imported from before the system went live opens the case listed, or removed if its period is over.
 * A statement window the official calendar reopens (whenStatementWindowReopens) holds a decision not yet served
 * until it closes or the subject speaks.
 */
export async function listingWorkflow(input: ListingInput): Promise<void> {
  const patches = casePatches(input);
  const policy = input.policy;
  const details = openingDetails(input);
  let state: ListingState = 'opened';
  const proc = new CaseProcedure({
    patches,
    opening: {
      id: input.caseId,
      procedure: 'listing',
      state,
      subject: input.subject,
      department: input.department,
      createdBy: input.openedBy.id,
      details: { ...details },
      openedAt: input.openedAt,
    },
    state: () => state,
    closed: () => state === 'removed' || state === 'dismissed',
    outcome: () => details.removal?.outcome ?? null,
    details,
    allowedActions: (deadlines) => allowedListingActions(state, details, deadlines),
  });
  const { journal, clocks, documents } = proc;
  const act = journal.steps;
  const record = proc.record.bind(proc);
  const refuse = proc.refuse.bind(proc);
  const exclusive = proc.exclusive.bind(proc);

  let documentCase: ListingDocumentCase | undefined;
  const caseForDocuments = (): ListingDocumentCase => (documentCase ??= documentCaseOf(input));

  /** The request for the next document of the case: its number is the case's count of documents, so acts are numbered in order. */
  function documentRequest(order: DocumentOrder, at: string, served?: DocumentService) {
    return { ...order, documentId: `${input.caseId}-D${documents.length + 1}`, issuedAt: at, ...(served ? { served } : {}) };
  }

  /** Issues the next document of the case. */
  async function issue(order: DocumentOrder, at: string, served?: DocumentService): Promise<DocumentMeta> {
    const request = documentRequest(order, at, served);
    // Rendered ahead by the action's caller for exactly this request: stored with the action's record, no step of its own.
    const meta = proc.quotedDocument(request) ?? (await act.issueListingDocument({ ...request, input: caseForDocuments() }));
    documents.push(meta);
    return meta;
  }

  /**
   * `issueServed` where the action's caller rendered the document for exactly this request: no step, and not an async
   * function (every promise a workflow makes costs a stack capture in the SDK's promise hook); undefined otherwise.
   */
  function issuedServedAhead(order: DocumentOrder, at: string, served: DocumentService): DocumentMeta | undefined {
    if (!patches.isPatched(SERVED_WITH_ISSUE_PATCH)) return undefined;
    const meta = proc.quotedDocument(documentRequest(order, at, served));
    if (meta) documents.push(meta);
    return meta;
  }

  /** Issues a document and records its service: in one step, or in two for a case recorded before the patch. */
  async function issueServed(order: DocumentOrder, at: string, served: DocumentService): Promise<DocumentMeta> {
    if (patches.isPatched(SERVED_WITH_ISSUE_PATCH)) return issue(order, at, served);
    const doc = await issue(order, at);
    await act.markDocumentServed({ documentId: doc.id, ...served });
    return doc;
  }

  /** Issues a document the case serves itself at once, electronically (a dismissal, a reopened window, a removal). */
  async function issueAndServe(order: DocumentOrder, at: string): Promise<DocumentMeta> {
    if (patches.isPatched(SERVED_WITH_ISSUE_PATCH))
      return issue(order, at, { subjectId: input.subject.id, method: 'electronic', servedAt: at });
    const doc = await issue(order, at);
    await proc.serveElectronically(doc, at);
    return doc;
  }

  /** The address an electronic service goes to, for a case that records the delivery marker. */
  function deliveryAddressOf(body: object): DeliveryAddress | undefined {
    const address = (body as { address?: DeliveryAddress }).address;
    // The marker is asked only where an address came with the action: histories without one never meet it.
    return address && patches.isPatched(ELECTRONIC_DELIVERY_PATCH) ? address : undefined;
  }

  /** A document the mail server or SMS gateway refused: kept in the timeline; the case stays where it was. */
  function deliveryRefused({
    actor,
    at,
    action,
    sent,
  }: {
    actor: Actor;
    at: string;
    action: string;
    sent: DeliveryOutcome & { documentId: string };
  }) {
    record({
      actor,
      at,
      action: 'electronic_service_failed',
      detail: {
        for: action,
        documentId: sent.documentId,
        channel: sent.channel,
        to: sent.to,
        addressId: sent.addressId,
        answer: sent.answer,
        attemptedAt: sent.at,
      },
    });
  }

  /** The service's date and its explanation, worked out in the workflow; undefined on a case recorded before it was. */
  function servedHere(method: ServiceMethod, servedAt: string): ServiceResult | undefined {
    if (!patches.isPatched(SERVICE_DATE_IN_WORKFLOW_PATCH)) return undefined;
    try {
      return servedOn(method, servedAt, { publicAnnouncementDays: policy.public_announcement_service.amount });
    } catch (err) {
      if (!(err instanceof RangeError)) throw err;
      // An input the arithmetic refuses is refused on every try: the step's data fault (the action refused, an incident raised).
      throw ApplicationFailure.nonRetryable(err.message, DataFault.type, { step: 'serviceDate', cause: err.message });
    }
  }

  /** The service's date and its explanation: in the workflow, or by the step that worked it out before. */
  async function serve(method: ServiceMethod, servedAt: string): Promise<ServiceResult> {
    return (
      servedHere(method, servedAt) ??
      act.serviceDate({ method, at: servedAt, publicAnnouncementDays: policy.public_announcement_service.amount })
    );
  }

  function listingPeriodSpec(): PeriodSpec {
    const { years = 0, months = 0 } = input.listingPeriod;
    // A sanction's duration: it ends on its calendar date (DOMAIN.md, procedure 1 step 7).
    return months === 0
      ? { unit: 'years', amount: years, endsOn: 'calendar_date' }
      : { unit: 'months', amount: years * 12 + months, endsOn: 'calendar_date' };
  }

  // ---- actions ----

  async function handle(req: ActionRequest): Promise<void> {
    const at = req.receivedAt;
    const r = typedAction<typeof listingActions>(listingActionTitles, req);
    switch (r.action) {
      case 'serve_notice':
        return serveNotice(r.actor, at, r.body);
      case 'submit_statement': {
        const b = r.body;
        details.statement = { text: b.text, requestHearing: b.requestHearing, submittedAt: at, by: req.actor.id };
        clocks.met('statement_window', at);
        // In a reopened window a decision may already be pending: a proposal goes to its approver with the statement;
        // a decision approved but not served was taken without it, and goes back to review (or to the hearing).
        const pending = state === 'awaiting_approval' || state === 'decided' ? state : undefined;
        if (pending === 'decided' || (pending && b.requestHearing)) withdrawPendingDecision(at, b.requestHearing);
        if (b.requestHearing) {
          details.hearing = { requestedAt: at };
          if (pending) state = 'notice_served';
        } else if (pending !== 'awaiting_approval') state = 'under_review';
        record({
          actor: req.actor,
          at,
          action: 'submit_statement',
          detail: { requestHearing: b.requestHearing, ...(pending ? { decisionPending: pending } : {}) },
        });
        return;
      }
      case 'schedule_hearing': {
        const b = r.body;
        const announcedOn = shanghaiDate(at);
        const notice = await clocks.compute({ rule: policy.hearing_notice, from: announcedOn, startsAt: at });
        if (shanghaiDate(b.heldAt) < notice.dueDate) {
          throw refuse(
            {
              zh: `于 ${announcedOn} 通知的听证最早可于 ${notice.dueDate} 举行（须提前${policy.hearing_notice.amount}个工作日通知）`,
              en: `a hearing announced on ${announcedOn} may be held on ${notice.dueDate} at the earliest (${policy.hearing_notice.amount} working days' notice)`,
            },
            {
              earliest: notice.dueDate,
            },
          );
        }
        details.hearing = { ...present(details.hearing, 'the hearing requested'), announcedOn, heldAt: b.heldAt, place: b.place };
        state = 'hearing_scheduled';
        record({
          actor: req.actor,
          at,
          action: 'schedule_hearing',
          detail: { heldAt: b.heldAt, place: b.place, earliest: notice.dueDate },
        });
        return;
      }
      case 'record_hearing': {
        const b = r.body;
        const hearing = present(details.hearing, 'the hearing scheduled');
        const heldAt = present(hearing.heldAt, 'the hearing’s time');
        if (Date.parse(at) < Date.parse(heldAt)) {
          throw refuse(
            { zh: `听证定于 ${heldAt} 举行；举行后方可记录`, en: `the hearing is scheduled for ${heldAt}; it can be recorded once held` },
            { heldAt },
          );
        }
        details.hearing = { ...hearing, summary: b.summary, recordedAt: at };
        state = 'under_review';
        record({ actor: req.actor, at, action: 'record_hearing', detail: {} });
        return;
      }
      case 'propose_decision': {
        const b = r.body;
        const measures = b.outcome === 'list' ? (b.measures ?? input.proposedMeasures) : [];
        details.proposal = {
          outcome: b.outcome,
          reasons: b.reasons,
          measures,
          proposedBy: req.actor.id,
          proposedAt: at,
        };
        state = 'awaiting_approval';
        record({ actor: req.actor, at, action: 'propose_decision', detail: { outcome: b.outcome, measures } });
        return;
      }
      case 'reject_decision': {
        const b = r.body;
        details.rejections.push({ by: req.actor.id, at, comment: b.comment });
        details.proposal = undefined;
        state = 'under_review';
        record({ actor: req.actor, at, action: 'reject_decision', detail: { comment: b.comment } });
        return;
      }
      case 'approve_decision':
        return approve(r.actor, at, r.body);
      case 'serve_decision': {
        const b = r.body;
        const documentId = present(details.decision, 'the decision served').documentId;
        const address = b.method === 'electronic' ? deliveryAddressOf(b) : undefined;
        let servedAt = b.servedAt;
        if (address) {
          const sent = await act.deliverDocument({ documentId, address });
          if (!sent.delivered) {
            deliveryRefused({ actor: req.actor, at, action: 'serve_decision', sent: { ...sent, documentId } });
            return;
          }
          // Served when it reached the address (the server accepted it), not when the officer said.
          servedAt = sent.at;
        }
        const service = await serve(b.method, servedAt);
        await act.markDocumentServed({ documentId, subjectId: input.subject.id, method: b.method, servedAt });
        return startListing({
          actor: req.actor,
          at,
          servedAt,
          method: b.method,
          servedDate: service.servedDate,
          number: present(details.decision?.number, 'the decision’s number'),
          measures: present(details.decision, 'the decision served').measures,
          imported: false,
        });
      }
      case 'record_remedy': {
        const b = r.body;
        details.remedies.push({ kind: b.kind, filedAt: b.filedAt });
        const window = b.kind === 'reconsideration' ? 'reconsideration_window' : 'litigation_window';
        clocks.met(window, b.filedAt);
        record({ actor: req.actor, at, action: 'record_remedy', detail: { kind: b.kind, filedAt: b.filedAt } });
        return;
      }
      case 'record_remedy_outcome': {
        const b = r.body;
        const pending = present(
          details.remedies.find((r) => !r.outcome),
          'the remedy pending',
        );
        Object.assign(pending, { outcome: b.outcome, decidedAt: b.decidedAt, reasons: b.reasons });
        if (b.outcome === 'revoked') {
          return remove({
            actor: req.actor,
            at,
            outcome: 'revoked',
            reason: `${pending.kind === 'reconsideration' ? '行政复议' : '行政诉讼'}撤销认定决定：${b.reasons}`,
          });
        }
        record({ actor: req.actor, at, action: 'record_remedy_outcome', detail: { kind: pending.kind, outcome: b.outcome } });
        return;
      }
      case 'revoke': {
        const b = r.body;
        return remove({ actor: req.actor, at, outcome: 'revoked', reason: b.reason, basis: b.basis });
      }
    }
  }

  /** A decision not yet served yields to a statement made in time (行政处罚法 Art 44, 62). */
  function withdrawPendingDecision(at: string, hearing: boolean) {
    const comment = hearing
      ? '当事人在重新开放的陈述申辩期限内要求听证，尚未送达的处理意见撤回，待听证后重新审查'
      : '当事人在重新开放的陈述申辩期限内提出陈述申辩，尚未送达的认定决定撤回，重新审查';
    details.rejections.push({ by: SYSTEM.id, at, comment });
    details.proposal = undefined;
    details.decision = undefined;
  }

  async function serveNotice(actor: Actor, at: string, b: ListingActionBodies['serve_notice']) {
    const address = b.method === 'electronic' ? deliveryAddressOf(b) : undefined;
    if (address) return serveNoticeToAddress(actor, at, address);
    const ahead = windowWorkedOutAhead(b);
    let service: ServiceResult, window: DeadlineState;
    if (ahead) ({ service, window } = ahead);
    else {
      service = await serve(b.method, b.servedAt);
      window = await clocks.open(statementWindowSpec(service.servedDate, b.servedAt));
    }
    window.explanation = [...service.explanation, ...window.explanation];
    const order: DocumentOrder = {
      kind: 'pre_listing_notice',
      statementDueDate: window.dueDate,
      ...(window.provisional ? { statementDueProvisional: true } : {}),
      method: b.method,
    };
    const served: DocumentService = { subjectId: input.subject.id, method: b.method, servedAt: b.servedAt };
    const doc = (ahead && issuedServedAhead(order, at, served)) || (await issueServed(order, at, served));
    noticeServed({ actor, at, servedAt: b.servedAt, method: b.method, service, doc, window });
  }

  function statementWindowSpec(servedDate: string, servedAt: string): OpenSpec {
    return { rule: policy.statement_window, from: servedDate, startsAt: servedAt };
  }

  /**
   * The notice's service and statement window where the action's caller worked the window out ahead
   * (ActionRequest.quotes), taken without an await: every promise a workflow makes costs a stack capture in the SDK's
   * promise hook (issue 23). Undefined otherwise, and the steps are awaited as they always were: on a case whose
   * projection ran beside its actions (the `act` Update), the order of the steps in its history hangs on those awaits.
   */
  function windowWorkedOutAhead(b: ListingActionBodies['serve_notice']): { service: ServiceResult; window: DeadlineState } | undefined {
    if (clocks.quotes.length === 0) return undefined;
    const service = servedHere(b.method, b.servedAt);
    const window = service && clocks.openQuoted(statementWindowSpec(service.servedDate, b.servedAt));
    return service && window ? { service, window } : undefined;
  }

  /** The notice served: the statement window runs, and the change is recorded (with where it went, if it was sent). */
  function noticeServed(n: {
    actor: Actor;
    at: string;
    servedAt: string;
    method: ServiceMethod;
    service: Awaited<ReturnType<typeof serve>>;
    doc: DocumentMeta;
    window: DeadlineState;
    delivery?: Record<string, unknown>;
  }) {
    details.notice = {
      servedAt: n.servedAt,
      method: n.method,
      servedDate: n.service.servedDate,
      documentId: n.doc.id,
      service: n.service.explanation,
    };
    state = 'notice_served';
    record({
      actor: n.actor,
      at: n.at,
      action: 'serve_notice',
      detail: {
        method: n.method,
        servedDate: n.service.servedDate,
        documentId: n.doc.id,
        sha256: n.doc.sha256,
        statementDue: n.window.dueAt,
        ...(n.delivery ? { delivery: n.delivery } : {}),
      },
    });
    whenStatementWindowEnds();
  }

  /**
   * The notice sent to the consented address. It states the statement deadline, so it is issued before it is sent, with
   * the window as it runs from the action's day; the window itself opens from the day the server accepted it (the same
   * day but for a send across midnight, when the subject gets the later, longer deadline).
   */
  async function serveNoticeToAddress(actor: Actor, at: string, address: DeliveryAddress) {
    const told = await clocks.compute({ rule: policy.statement_window, from: shanghaiDate(at), startsAt: at });
    const doc = await issue(
      {
        kind: 'pre_listing_notice',
        statementDueDate: told.dueDate,
        ...(told.provisional ? { statementDueProvisional: true } : {}),
        method: 'electronic',
      },
      at,
    );
    const sent = await act.deliverDocument({ documentId: doc.id, address });
    if (!sent.delivered) {
      deliveryRefused({ actor, at, action: 'serve_notice', sent: { ...sent, documentId: doc.id } });
      return;
    }
    const service = await serve('electronic', sent.at);
    const window = await clocks.open({ rule: policy.statement_window, from: service.servedDate, startsAt: sent.at });
    window.explanation = [...service.explanation, ...window.explanation];
    await act.markDocumentServed({ documentId: doc.id, subjectId: input.subject.id, method: 'electronic', servedAt: sent.at });
    noticeServed({
      actor,
      at,
      servedAt: sent.at,
      method: 'electronic',
      service,
      doc,
      window,
      delivery: { channel: sent.channel, to: sent.to, addressId: sent.addressId, answer: sent.answer, at: sent.at },
    });
  }

  async function approve(actor: Actor, at: string, b: ListingActionBodies['approve_decision']) {
    const p = present(details.proposal, 'the proposal approved');
    if (p.outcome === 'dismiss') {
      const doc = await issueAndServe(
        { kind: 'dismissal_notice', decision: { decidedAt: at, approvedBy: actor.id, reasons: p.reasons } },
        at,
      );
      details.decision = {
        outcome: 'dismiss',
        approvedBy: actor.id,
        approvedAt: at,
        comment: b.comment,
        measures: [],
        documentId: doc.id,
      };
      state = 'dismissed';
      record({ actor, at, action: 'approve_decision', detail: { outcome: 'dismiss', documentId: doc.id, sha256: doc.sha256 } });
      return;
    }
    const number = `${input.department}-认定-${input.caseId.slice(4)}`;
    const doc = await issue(
      {
        kind: 'recognition_document',
        measures: p.measures,
        decision: { number, decidedAt: at, approvedBy: actor.id, reasons: p.reasons },
        prior: {
          ...(details.notice ? { noticeServedAt: details.notice.servedAt } : {}),
          statementSubmitted: Boolean(details.statement),
          ...(details.hearing?.heldAt ? { hearingHeldAt: details.hearing.heldAt } : {}),
        },
      },
      at,
    );
    details.decision = {
      outcome: 'list',
      number,
      approvedBy: actor.id,
      approvedAt: at,
      comment: b.comment,
      measures: p.measures,
      documentId: doc.id,
    };
    state = 'decided';
    record({ actor, at, action: 'approve_decision', detail: { outcome: 'list', number, documentId: doc.id, sha256: doc.sha256 } });
  }

  /** Serving the decision (or importing an old one) starts the listing period and the remedy windows. */
  async function startListing({ actor, at, servedAt, method, servedDate, number, measures, imported }: ListingStart) {
    // An import runs on the workflow's own path, where nothing can be refused: there a period waits until it can be computed.
    const open = (rule: PeriodTerm, period?: PeriodSpec) => {
      const spec = { rule, from: servedDate, startsAt: servedAt, ...(period ? { period } : {}) };
      return imported ? clocks.openOrWait(spec) : clocks.open(spec);
    };
    const term = await open(policy.listing_period, listingPeriodSpec());
    await open(policy.reconsideration_window);
    await open(policy.litigation_window);
    details.listing = { servedAt, method, listedFrom: servedDate, listedUntil: term.dueDate, imported };

    if (Date.parse(term.dueAt) <= Date.now()) {
      // An imported listing whose period is already over: it is recorded as removed, never published.
      state = 'removed';
      details.removal = { outcome: 'expired', at, reason: '列入期限已届满', documentId: '' };
      const closedAt = new Date(Date.now()).toISOString();
      clocks.closeRunning(closedAt, (d) => (d.id === term.id ? 'met' : Date.parse(d.dueAt) <= Date.now() ? 'lapsed' : 'cancelled'));
      // The term was met when it ran out, not when the import found it over.
      clocks.put({ ...present(clocks.find('listing_period'), 'the listing period'), metAt: term.dueAt });
      record({ actor, at, action: 'import_expired', detail: { number, listedFrom: servedDate, listedUntil: term.dueDate } });
      return;
    }

    state = 'listed';
    const effect: CaseEffect = {
      type: 'publish_listing',
      caseId: input.caseId,
      subject: input.subject,
      department: input.department,
      category: input.category,
      measureCodes: measures,
      decisionNumber: number,
      listedFrom: servedDate,
      listedUntil: term.dueDate,
      responsiblePersons: input.responsiblePersons,
      // Data of the projection's input, not a command: recorded histories replay unchanged.
      ...(imported ? {} : { decisionDocumentId: present(details.decision, 'the decision served').documentId }),
    };
    record({
      actor,
      at,
      action: imported ? 'import_listed' : 'serve_decision',
      detail: { method, servedDate, listedUntil: term.dueDate, number },
      effects: [effect],
    });
    whenRemedyWindowsEnd();
    whenListingPeriodEnds();
  }

  /** Ends the listing: publication and measures stop, open periods close, the subject is told. */
  async function remove({ actor, at, outcome, reason, basis, repairCaseId }: Removal) {
    const removedOn = shanghaiDate(at);
    const doc = await issueAndServe(
      {
        kind: 'removal_notice',
        decisionNumber: details.decision?.number ?? '',
        ...(details.listing ? { listedFrom: details.listing.listedFrom, listedUntil: details.listing.listedUntil } : {}),
        outcome,
        removedOn,
        reason,
      },
      at,
    );
    clocks.closeRunning(at, (d) => (d.kind === 'listing_period' && outcome === 'expired' ? 'met' : 'cancelled'));
    details.removal = {
      outcome,
      at,
      reason,
      ...(basis ? { basis } : {}),
      ...(repairCaseId ? { repairCaseId } : {}),
      documentId: doc.id,
    };
    state = 'removed';
    record({
      actor,
      at,
      action: 'remove',
      detail: { outcome, reason, documentId: doc.id, sha256: doc.sha256 },
      effects: [{ type: 'unpublish_listing', caseId: input.caseId, outcome, removedAt: at }],
    });
  }

  // ---- lifecycle: what happens when a period ends, or the calendar moves one ----

  /** The statement window's end moves an unheard case on to review; it never blocks it. */
  function whenStatementWindowEnds() {
    void clocks.expiry('statement_window').then((r) => {
      if (r !== 'lapsed' || details.statement) return;
      // A reopened window that closes unused releases the decision it held (the actions allowed change with it).
      if (state !== 'notice_served' && !details.reopenedWindow) return;
      if (state === 'notice_served') state = 'under_review';
      record({
        actor: SYSTEM,
        at: new Date(Date.now()).toISOString(),
        action: 'statement_window_lapsed',
        detail: { closedAt: clocks.find('statement_window')?.dueAt },
      });
    });
  }

  /** The remedy windows lapse on their own when they end; the listing runs on whatever the subject did. */
  function whenRemedyWindowsEnd() {
    void clocks.expiry('reconsideration_window');
    void clocks.expiry('litigation_window');
  }

  /** The listing period's end removes the listing, unless it was removed before. */
  function whenListingPeriodEnds() {
    void clocks.untilDue('listing_period').then((r) => {
      if (r !== 'due' || state !== 'listed') return;
      void proc.ownPath(
        'expire',
        () => remove({ actor: SYSTEM, at: new Date(Date.now()).toISOString(), outcome: 'expired', reason: '列入期限届满，自动移出' }),
        () => state === 'listed',
      );
    });
  }

  /**
   * The official schedule ended a lapsed statement window later, on a day still to come: it reopens, the subject is
   * told, and a decision not yet served waits until it closes. After service of the decision the window stays closed
   * (the API raises the case to the supervisors instead).
   */
  async function whenStatementWindowReopens(moved: DeadlineState[], reopened: DeadlineState[]): Promise<boolean> {
    const w = reopened.find((d) => d.kind === 'statement_window');
    if (!w) return false;
    const told = present(w.reopened, 'the reopened window’s earlier end');
    // On the workflow's own path: a step that faults (the notice cannot be rendered) is raised as an incident and tried again.
    const stillLapsed = () => clocks.find('statement_window')?.status === 'lapsed';
    await proc.ownPath(
      'statement_window_reopened',
      async () => {
        const at = new Date(Date.now()).toISOString();
        const served = state === 'listed' || state === 'removed' || state === 'dismissed';
        for (const d of moved) if (!(served && d.id === w.id)) clocks.put(d);
        if (served) {
          record({
            actor: SYSTEM,
            at,
            action: 'deadlines_recomputed',
            detail: { moved: moved.filter((d) => d.id !== w.id).map((d) => ({ deadline: d.id, dueAt: d.dueAt })) },
          });
          return;
        }
        if (state === 'under_review') state = 'notice_served';
        const decisionWaiting = state === 'awaiting_approval' || state === 'decided';
        const doc = await issueAndServe(
          {
            kind: 'window_reopened_notice',
            previousDueDate: told.previousDueDate,
            statementDueDate: w.dueDate,
            decisionWaiting,
          },
          at,
        );
        details.reopenedWindow = {
          previousDueDate: told.previousDueDate,
          dueDate: w.dueDate,
          dueAt: w.dueAt,
          reopenedAt: at,
          documentId: doc.id,
          decisionWaiting,
        };
        record({
          actor: SYSTEM,
          at,
          action: 'statement_window_reopened',
          detail: { previousDueAt: told.previousDueAt, dueAt: w.dueAt, documentId: doc.id, sha256: doc.sha256, decisionWaiting },
        });
        whenStatementWindowEnds();
      },
      stillLapsed,
    );
    return true;
  }
  clocks.onReopened = whenStatementWindowReopens;

  // ---- the case: its actions, the removal a repair asks for, and its opening ----

  setHandler(
    repairRemovalUpdate,
    (req) =>
      exclusive(async () => {
        if (state !== 'listed') throw refuse(onlyWhileListed(state));
        await proc.acting('remove_by_repair', req.actor, () =>
          remove({
            actor: req.actor,
            at: req.approvedAt,
            outcome: 'repaired',
            reason: `信用修复申请（${req.repairCaseId}）已获批准，提前移出`,
            repairCaseId: req.repairCaseId,
          }),
        );
        return journal.view(documents);
      }),
    {
      validator: (_req: { repairCaseId: string; approvedAt: string; actor: Actor }) => {
        if (state !== 'listed') throw refuse(onlyWhileListed(state));
      },
    },
  );

  proc.serve({ refusal: (req) => listingRefusal(state, details, clocks.all, req), handle, asCaseView: (v) => v });

  if (input.imported) {
    const imp = input.imported;
    details.decision = {
      outcome: 'list',
      number: imp.decisionDocument.number,
      approvedBy: input.openedBy.id,
      approvedAt: `${imp.decisionDocument.issuedOn}T00:00:00+08:00`,
      comment: '系统上线前作出的认定，迁移导入',
      measures: imp.measures,
      documentId: '',
    };
    await startListing({
      actor: input.openedBy,
      at: input.openedAt,
      servedAt: imp.decisionServedAt,
      method: 'in_person',
      servedDate: shanghaiDate(imp.decisionServedAt),
      number: imp.decisionDocument.number,
      measures: imp.measures,
      imported: true,
    });
  } else {
    record({
      actor: input.openedBy,
      at: input.openedAt,
      action: 'open',
      detail: { category: input.category, proposedMeasures: input.proposedMeasures },
      // The facts its documents print, for a caller that renders one ahead (ActionQuotes), unless its starter recorded them.
      ...(input.openingFactsRecorded
        ? {}
        : { effects: [{ type: 'case_input', caseId: input.caseId, procedure: 'listing', input: { ...input } }] }),
    });
  }

  await proc.finished();
}

/** A decision served (or imported from before the system went live) that starts the listing. */
interface ListingStart {
  actor: Actor;
  at: string;
  servedAt: string;
  method: ServiceMethod;
  servedDate: string;
  /** The decision's document number. */
  number: string;
  measures: string[];
  /** Imported: on the workflow's own path, where a period waits until it can be computed instead of refusing. */
  imported: boolean;
}

/** How and why a listing ends early or on time. */
interface Removal {
  actor: Actor;
  at: string;
  outcome: RemovalOutcome;
  reason: string;
  /** The document that revoked the decision. */
  basis?: string;
  repairCaseId?: string;
}

/** Why a repair's removal cannot be made: the listing no longer runs. */
function onlyWhileListed(state: string) {
  return {
    zh: `只有处于列入状态的名单才能因信用修复而移出；案件当前状态为 ${state}`,
    en: `a listing can be removed by repair only while listed; the case is ${state}`,
  };
}
