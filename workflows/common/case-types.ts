/**
 * Plain data shared by workflows, activities and the API. Type imports only: this file is bundled into the
 * workflow sandbox as well as loaded by Node.
 */
import type { ListingDetails } from '../listing/details';
import type { ObjectionDetails } from '../objection/details';
import type { RepairDetails } from '../repair/details';

export type Role = 'officer' | 'supervisor' | 'subject' | 'system';
export type Procedure = 'listing' | 'objection' | 'repair';
export type SubjectKind = 'natural_person' | 'legal_person' | 'other_org';

export interface Actor {
  /** The `sub` claim of the caller's token, or `system` for the workflow's own timers. */
  id: string;
  role: Role;
  department?: string;
}

export interface Subject {
  kind: SubjectKind;
  id: string;
  name: string;
}

export interface TimelineItem {
  seq: number;
  at: string;
  actor: string;
  role: Role;
  action: string;
  detail: Record<string, unknown>;
}

export type PeriodUnit = 'working_days' | 'days' | 'months' | 'years';
export interface PeriodSpec {
  unit: PeriodUnit;
  amount: number;
  /**
   * `calendar_date`: the period is the duration of a sanction (a listing period), not a time within which a party
   * must act, so it ends on the date its years and months give, never moved off a non-working day (the rule of
   * 民事诉讼法 Art 85 protects whoever must act) and never provisional or recomputed.
   */
  endsOn?: 'calendar_date';
}

export type DeadlineStatus = 'open' | 'suspended' | 'met' | 'lapsed' | 'breached' | 'cancelled';
export type Party = 'authority' | 'subject';

/** What the calendar activity returns for one period; kept in history so replays never recompute it. */
export interface DeadlineComputation {
  dueDate: string;
  dueAt: string;
  calendarVersion: string;
  provisional: boolean;
  explanation: string[];
  inputs: Record<string, unknown>;
}

/** One legal period of a case (API.md "Deadline"), as the workflow keeps it. */
export interface DeadlineState extends DeadlineComputation {
  id: string;
  caseId: string;
  kind: string;
  party: Party;
  status: DeadlineStatus;
  /** The trigger date (not counted) and the period, so the deadline can be recomputed or resumed. */
  from: string;
  period: PeriodSpec;
  startsAt: string;
  basis: string;
  /** The department that must act, where it is not the case's own (an objection forwarded to its supplier). */
  department?: string;
  metAt?: string;
  closedAt?: string;
  extended: boolean;
  /** The working days an approved extension added after the period, so a recompute can repeat it. */
  extendedBy?: number;
  /** While suspended: working days left when the clock stopped. */
  remainingWorkingDays?: number;
  /**
   * A subject's window that lapsed on a provisional date and reopened when the official schedule made it end later
   * (DOMAIN.md "Deadlines"): the date the subject had been told and when the window reopened.
   */
  reopened?: { previousDueDate: string; previousDueAt: string; at: string };
}

export interface EscalationRecord {
  id: string;
  deadlineId: string;
  caseId: string;
  department: string;
  /** `breach`: an authority's period passed unmet; `blocked`: a period the calendar cannot give holds the case up. */
  kind: 'breach' | 'blocked';
  at: string;
  detail: Record<string, unknown>;
}

/** What the read model stores of a case; `version` orders the projection writes. */
export interface CaseSnapshot {
  id: string;
  procedure: Procedure;
  state: string;
  closed: boolean;
  outcome: string | null;
  subject: Subject;
  department: string;
  createdBy: string;
  details: object;
  allowedActions: string[];
  deadlines: DeadlineState[];
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** Changes outside the case row that a state change brings, applied in the same transaction. */
export type CaseEffect =
  | {
      type: 'publish_listing';
      caseId: string;
      subject: Subject;
      department: string;
      category: string;
      measureCodes: string[];
      decisionNumber: string;
      listedFrom: string;
      listedUntil: string;
      responsiblePersons: { role: string; name: string; idNumber: string }[];
      /**
       * The recognition document served with this publication: each responsible person is served a notice of their
       * entry resting on it. Absent for an imported listing (served before go-live) and on effects recorded before.
       */
      decisionDocumentId?: string;
    }
  | { type: 'unpublish_listing'; caseId: string; outcome: string; removedAt: string }
  | {
      /** The end of an objection: the record changes as decided (or not at all) and its objection mark is lifted. */
      type: 'settle_objection';
      caseId: string;
      recordId: string;
      /** An objection outcome, or `declined` / `withdrawn` (supplement never received): the record stays as it was. */
      outcome: string;
      reasons: string;
      correctedContent?: string;
      /** The department whose decision it is (Art 49: the subject is told the source). */
      decidedBy: string;
    }
  /** An approved repair of a record: its publicity ends (it stays in the subject's own history). */
  | { type: 'end_record_publicity'; caseId: string; recordId: string; reason: string }
  /** A message for the credit sharing platform, kept in an outbox in the same transaction as what it reports. */
  | {
      type: 'notify_platform';
      id: string;
      topic: string;
      caseId: string;
      subjectId: string;
      payload: Record<string, unknown>;
    }
  /** The case's hold on its target (one open repair per record or listing) ends with the case. */
  | { type: 'release_claim'; target: string; caseId: string }
  /**
   * The facts a case opened with (its workflow input), kept for the renderers of its documents: the API renders a
   * document ahead from them (ActionQuotes), and whoever stores a quoted document renders it again from them.
   */
  | { type: 'case_input'; caseId: string; procedure: Procedure; input: Record<string, unknown> }
  /**
   * A document the action's caller rendered ahead (a DocumentQuote the workflow took): stored by whoever writes the
   * change, rendered again from the case's facts if that writer does not hold it, and only if it hashes to `sha256`.
   */
  | { type: 'document_quoted'; procedure: Procedure; request: Record<string, unknown>; sha256: string };

/** One state change of a case, projected to Postgres with its timeline entry and audit entry in one transaction. */
export interface CaseEvent {
  snapshot: CaseSnapshot;
  timeline: TimelineItem;
  audit: { action: string; detail: Record<string, unknown> };
  escalations?: EscalationRecord[];
  effects?: CaseEffect[];
}

/** A period the calendar cannot give at all, holding the case up until a calendar change (README "Deadlines"). */
export interface BlockedPeriod {
  kind: string;
  since: string;
  reason: string;
  period: PeriodSpec;
  from: string;
}

/**
 * The case as the API shows it (API.md "Case"), for procedure `P` whose own record is `D`; a blocked period is shown
 * in the details of any procedure (the legal clocks put it there).
 */
export interface CaseViewOf<P extends Procedure, D> {
  id: string;
  procedure: P;
  state: string;
  closed: boolean;
  outcome?: string;
  subject: Subject;
  department: string;
  createdAt: string;
  updatedAt: string;
  details: D & { blocked?: BlockedPeriod };
  deadlines: DeadlineView[];
  timeline: { at: string; actor: string; role: Role; action: string; detail: Record<string, unknown> }[];
  documents: { id: string; kind: string; title: string; issuedAt: string }[];
  allowedActions: string[];
}

export type ListingCaseView = CaseViewOf<'listing', ListingDetails>;
export type ObjectionCaseView = CaseViewOf<'objection', ObjectionDetails>;
export type RepairCaseView = CaseViewOf<'repair', RepairDetails>;
/** A case of any procedure: narrow on `procedure` to read its details. */
export type CaseView = ListingCaseView | ObjectionCaseView | RepairCaseView;

/** The API's Deadline: the workflow's state without the inputs it keeps for recomputation. */
export type DeadlineView = Omit<DeadlineState, 'from' | 'period' | 'inputs'>;

export function toDeadlineView(d: DeadlineState): DeadlineView {
  const { from: _f, period: _p, inputs: _i, ...view } = d;
  return view;
}

/** An action sent to a case workflow through its `act` Update. */
export interface ActionRequest {
  action: string;
  actor: Actor;
  body: Record<string, unknown>;
  /** When the API received the action: the legal time of the act (a workflow's own clock may lag). */
  receivedAt: string;
  /**
   * The case's version in the read model the caller judged the action on: changes handed over to callers up to it are
   * written, and the workflow stops keeping them (`takeAction`).
   */
  confirmedVersion?: number;
  /** What the caller worked out ahead for the steps the action will take (`ActionQuotes`). */
  quotes?: ActionQuotes;
}

/**
 * Steps of an action its caller (the API) worked out before sending it, with the same arithmetic and renderers the
 * workflow's activities use, so the action takes no activity for them (issue 23). The workflow takes a quote only
 * where it is exactly the step it would take (the same period from the same day on a calendar the case knows; the same
 * document request); anything else, or no quote, runs the activity as before.
 */
export interface ActionQuotes {
  deadlines?: DeadlineQuote[];
  documents?: DocumentQuote[];
}

/** A deadline computed ahead: `period` counted from `from` on the loaded years' schedules in `calendar`. */
export interface DeadlineQuote {
  from: string;
  period: PeriodSpec;
  calendar: { year: number; version: string }[];
  computed: DeadlineComputation;
}

/**
 * A document rendered ahead: the request the case would make (without the case's own facts, which the renderer read
 * from the case's opening record) and what the issued document is. Its change carries `document_quoted`, and whoever
 * writes the change stores the document (activities/case-effects.ts).
 */
export interface DocumentQuote {
  request: Record<string, unknown>;
  meta: { id: string; kind: string; title: string; issuedAt: string; sha256: string };
}

/** What the `takeAction` Update answers: the action's changes, in order, for the caller to write to Postgres. */
export interface ActionChanges {
  changes: CaseEvent[];
}

/** What the `openedHandingOver` Update answers: the case once opened, and its opening's changes for the caller to write. */
export interface OpenedChanges extends ActionChanges {
  view: CaseView;
}

/** Update validators throw this shape (as an ApplicationFailure type) so the API can answer 409 with why. */
export const ACTION_REFUSED = 'ActionRefused';
