import type { CodeOfCase } from '../common/code-of-case';
import type { Actor, Subject } from '../common/case-types';
import type { PolicyTerms } from '../../domain/calendar';
import type { RecordCategory } from '../../domain/records';

export { getCaseQuery, actUpdate, openedUpdate } from '../common/definitions';

export { OBJECTION_GROUNDS, OBJECTION_OUTCOMES, type ObjectionGrounds, type ObjectionOutcome } from './vocabulary';
import type { ObjectionGrounds } from './vocabulary';

export interface Evidence {
  title: string;
  description: string;
}

/** The contested record as it stood when the objection was filed. */
export interface ContestedRecord {
  id: string;
  category: RecordCategory;
  type: string;
  content: string;
  documentNumber: string;
  decidedOn: string;
  /** The supplying department (信息提供单位). */
  department: string;
  listingCaseId: string | null;
}

export interface ObjectionInput extends CodeOfCase {
  caseId: string;
  subject: Subject;
  record: ContestedRecord;
  grounds: ObjectionGrounds;
  statement: string;
  evidence: Evidence[];
  /** The credit agency that handles objections first (Art 5, 31); the case's department. */
  department: string;
  filedBy: Actor;
  openedAt: string;
  /** When the record was marked 异议标注 (by the API, atomically with the one-objection-per-record check). */
  markedAt: string;
  /** The agency's policy in force when the objection was filed: the entries of OBJECTION_POLICY_TERMS (or, begun earlier, the whole table). */
  policy: ObjectionPolicy;
}

/** The policy entries an objection reads. */
export const OBJECTION_POLICY_TERMS = ['objection_mark', 'objection_forward', 'objection_decide', 'objection_supplement'] as const;
export type ObjectionPolicy = PolicyTerms<(typeof OBJECTION_POLICY_TERMS)[number]>;

export type ObjectionState = 'submitted' | 'awaiting_supplement' | 'verifying' | 'forwarded' | 'decided' | 'declined';

export type { ObjectionAction, ObjectionActionBodies } from './actions';
