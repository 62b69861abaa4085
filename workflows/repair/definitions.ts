import type { CodeOfCase } from '../common/code-of-case';
import type { Actor, Subject } from '../common/case-types';
import type { PolicyTerms } from '../../domain/calendar';
import type { Evidence } from '../objection/definitions';

export { getCaseQuery, actUpdate, openedUpdate } from '../common/definitions';

/** What a repair would end: the publicity of a record, or a listing (early removal). */
export type RepairTarget =
  | {
      kind: 'record';
      recordId: string;
      type: string;
      category: string;
      severity: string | null;
      documentNumber: string;
      decidedOn: string;
      /** The minimum publicity ends on this day; repair may end publicity only after it. */
      publicMinUntil: string | null;
      publicUntil: string | null;
      /** The supplying department. */
      department: string;
      /**
       * An Art 48 entry (a responsible person's record of their organisation's listing): the listing's date, from
       * which the minimum time on the list runs (policy `min_listing_before_repair`), as for the listing itself.
       */
      listedFrom?: string;
    }
  | {
      kind: 'listing';
      listingCaseId: string;
      category: string;
      decisionNumber: string;
      listedFrom: string;
      listedUntil: string;
      /** The recognising department. */
      department: string;
    };

/** The key one open repair per target is enforced on (table case_claims). */
export function repairTargetKey(t: { kind: 'record'; recordId: string } | { kind: 'listing'; listingCaseId: string }): string {
  return t.kind === 'record' ? `repair:record:${t.recordId}` : `repair:listing:${t.listingCaseId}`;
}

export interface RepairInput extends CodeOfCase {
  caseId: string;
  subject: Subject;
  target: RepairTarget;
  statement: string;
  evidence: Evidence[];
  commitment: { text: string; signedOn: string };
  /** The credit agency (the platform's single window, Art 5, 31, 52) that receives and accepts; the case's department. */
  department: string;
  filedBy: Actor;
  openedAt: string;
  /**
   * The agency's policy (acceptance, ending publicity, and the decider's entries where the agency decides): the
   * entries of REPAIR_POLICY_TERMS, or, on a case begun before them, the whole table.
   */
  policy: RepairPolicy;
  /**
   * Who decides (谁认定、谁修复: the department that recognised the listing or supplied the record) and its policy
   * (decision period, minimum time listed, exclusions). Absent on cases filed before repairs were routed: there the
   * agency decides, as it did when they started.
   */
  decider?: { department: string; policy: RepairPolicy };
}

/** The policy entries a repair reads, of the agency and of the deciding department alike. */
export const REPAIR_POLICY_TERMS = [
  'repair_accept',
  'repair_remove_disclosure',
  'repair_decide',
  'min_listing_before_repair',
  'repair_exclusions',
] as const;
export type RepairPolicy = PolicyTerms<(typeof REPAIR_POLICY_TERMS)[number]>;

export type RepairState = 'submitted' | 'under_review' | 'approved' | 'rejected' | 'declined';

export type { RepairAction, RepairActionBodies } from './actions';
