import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { ActionRequest, Actor, CaseView, Subject } from '../common/case-types';
import type { Policy } from '../../domain/calendar';

export const LISTING_CATEGORIES = [
  'health_safety',
  'market_order',
  'defy_obligation',
  'national_defense',
  'other_statutory',
] as const;
export type ListingCategory = (typeof LISTING_CATEGORIES)[number];

export const RESPONSIBLE_ROLES = ['legal_representative', 'principal', 'actual_controller', 'directly_responsible'] as const;

export interface ResponsiblePerson {
  role: (typeof RESPONSIBLE_ROLES)[number];
  name: string;
  idNumber: string;
}

export interface ListingInput {
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
  /** The policy in force when the case opened: the case keeps these periods whatever changes later. */
  policy: Policy;
}

export const getCaseQuery = defineQuery<CaseView>('getCase');
export const actUpdate = defineUpdate<CaseView, [ActionRequest]>('act');
