import type { ListingDocumentRequest } from '../../activities/listing-documents';
import type { ServiceMethod } from '../../domain/calendar/service';
import type { ListingInput } from './definitions';

export type ListingState =
  | 'opened'
  | 'notice_served'
  | 'hearing_scheduled'
  | 'under_review'
  | 'awaiting_approval'
  | 'decided'
  | 'listed'
  | 'removed'
  | 'dismissed';

export type RemovalOutcome = 'expired' | 'repaired' | 'revoked';

/** What a document request says beyond the case and its number (one member per kind of document). */
export type DocumentOrder = ListingDocumentRequest extends infer R
  ? R extends ListingDocumentRequest
    ? Omit<R, 'documentId' | 'issuedAt' | 'input'>
    : never
  : never;

/** The procedure's own record of what happened, shown as the case's `details`. */
export interface ListingDetails {
  category: string;
  facts: string;
  basisDocuments: ListingInput['basisDocuments'];
  proposedMeasures: string[];
  responsiblePersons: ListingInput['responsiblePersons'];
  listingPeriod: ListingInput['listingPeriod'];
  notice?: { servedAt: string; method: ServiceMethod; servedDate: string; documentId: string; service: string[] };
  statement?: { text: string; requestHearing: boolean; submittedAt: string; by: string };
  hearing?: {
    requestedAt: string;
    announcedOn?: string;
    heldAt?: string;
    place?: string;
    summary?: string;
    recordedAt?: string;
  };
  proposal?: {
    outcome: 'list' | 'dismiss';
    reasons: string;
    measures: string[];
    proposedBy: string;
    proposedAt: string;
  };
  rejections: { by: string; at: string; comment: string }[];
  decision?: {
    outcome: 'list' | 'dismiss';
    number?: string;
    approvedBy: string;
    approvedAt: string;
    comment: string;
    measures: string[];
    documentId: string;
  };
  listing?: { servedAt: string; method: ServiceMethod; listedFrom: string; listedUntil: string; imported: boolean };
  remedies: {
    kind: 'reconsideration' | 'litigation';
    filedAt: string;
    outcome?: 'upheld' | 'revoked';
    decidedAt?: string;
    reasons?: string;
  }[];
  /** The statement window reopened by a later official schedule (DOMAIN.md "Deadlines"). */
  reopenedWindow?: {
    previousDueDate: string;
    dueDate: string;
    dueAt: string;
    reopenedAt: string;
    documentId: string;
    decisionWaiting: boolean;
  };
  removal?: {
    outcome: RemovalOutcome;
    at: string;
    reason: string;
    basis?: string;
    repairCaseId?: string;
    documentId: string;
  };
}

/** The details of a case just opened (or imported), before anything has happened in it. */
export function openingDetails(input: ListingInput): ListingDetails {
  return {
    category: input.category,
    facts: input.facts,
    basisDocuments: input.basisDocuments,
    proposedMeasures: input.proposedMeasures,
    responsiblePersons: input.responsiblePersons,
    listingPeriod: input.listingPeriod,
    rejections: [],
    remedies: [],
  };
}
