import type { Actor, Role, Subject } from '../common/case-types';
import type { Policy } from '../../domain/calendar';
import type { RecordCategory } from '../../domain/records';

export { getCaseQuery, actUpdate, openedUpdate } from '../common/definitions';

export const OBJECTION_GROUNDS = ['error_or_omission', 'trade_secret', 'privacy_or_rights'] as const;
export type ObjectionGrounds = (typeof OBJECTION_GROUNDS)[number];

export const OBJECTION_OUTCOMES = ['delete', 'correct', 'supplement', 'stop_disclosure', 'remove_from_list', 'keep'] as const;
export type ObjectionOutcome = (typeof OBJECTION_OUTCOMES)[number];

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

export interface ObjectionInput {
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
  policy: Policy;
}

/** Who may take each action (API.md); the API answers 403 before the workflow is asked. */
export const OBJECTION_ACTION_ROLES = {
  request_supplement: ['officer'],
  submit_supplement: ['subject'],
  accept: ['officer'],
  decline: ['officer'],
  forward: ['officer'],
  extend: ['supervisor'],
  decide: ['officer'],
} as const satisfies Record<string, readonly Role[]>;
export type ObjectionAction = keyof typeof OBJECTION_ACTION_ROLES;

export type ObjectionState = 'submitted' | 'awaiting_supplement' | 'verifying' | 'forwarded' | 'decided' | 'declined';

/** Action bodies as the API has validated them. */
export interface ObjectionActionBodies {
  request_supplement: { items: string[] };
  submit_supplement: { evidence: Evidence[] };
  accept: { reasons?: string };
  decline: { reasons?: string };
  forward: { department: string };
  extend: { reason: string; workingDays: number };
  decide: { outcome: ObjectionOutcome; reasons: string; correctedContent?: string };
}
