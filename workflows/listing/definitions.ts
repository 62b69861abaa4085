import type { CodeOfCase } from '../common/code-of-case';
import { defineUpdate } from '@temporalio/workflow';
import type { Actor, CaseView, Subject } from '../common/case-types';
import type { PolicyTerms } from '../../domain/calendar';

export const LISTING_CATEGORIES = ['health_safety', 'market_order', 'defy_obligation', 'national_defense', 'other_statutory'] as const;
export type ListingCategory = (typeof LISTING_CATEGORIES)[number];

export const RESPONSIBLE_ROLES = ['legal_representative', 'principal', 'actual_controller', 'directly_responsible'] as const;

export interface ResponsiblePerson {
  role: (typeof RESPONSIBLE_ROLES)[number];
  name: string;
  idNumber: string;
}

/** The policy entries a listing reads: its periods, and the terms its documents print (documentCaseOf). */
export const LISTING_POLICY_TERMS = [
  'statement_window',
  'hearing_notice',
  'public_announcement_service',
  'listing_period',
  'reconsideration_window',
  'litigation_window',
  'min_listing_before_repair',
  'revoke_after_penalty_revoked',
] as const;
export type ListingPolicy = PolicyTerms<(typeof LISTING_POLICY_TERMS)[number]>;

export interface ListingInput extends CodeOfCase {
  caseId: string;
  subject: Subject;
  category: ListingCategory;
  facts: string;
  basisDocuments: { title: string; number: string; issuedOn: string }[];
  proposedMeasures: string[];
  responsiblePersons: ResponsiblePerson[];
  listingPeriod: { years?: number; months?: number };
  department: string;
  openedBy: Actor;
  openedAt: string;
  /**
   * The policy in force when the case opened: the case keeps these periods whatever changes later. The API gives
   * the entries of LISTING_POLICY_TERMS; a case begun before it carries the whole table, read the same way.
   */
  policy: ListingPolicy;
  /** A listing decided before the system went live: it starts listed (or removed) from the original dates. */
  imported?: ImportedDecision;
  /**
   * Set by a starter that recorded this input as the case's opening facts (`case_inputs`) before it started the case
   * (the API, api/action-changes.ts `claimOpening`): the opening's change does not carry them again (issue 23).
   */
  openingFactsRecorded?: boolean;
}

export interface ImportedDecision {
  decisionDocument: { number: string; issuedOn: string };
  decisionServedAt: string;
  measures: string[];
}

export { getCaseQuery, actUpdate, openedUpdate } from '../common/definitions';
/** The entry point for credit repair (procedure 3): an approved repair removes the listing early. */
export const repairRemovalUpdate = defineUpdate<CaseView, [{ repairCaseId: string; approvedAt: string; actor: Actor }]>('removeByRepair');

export type { ListingAction, ListingActionBodies } from './actions';
