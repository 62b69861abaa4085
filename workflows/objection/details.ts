import type { Evidence, ObjectionInput, ObjectionOutcome, ObjectionState } from './definitions';

/** How the case ended: a decision on the record, or no decision (declined, or withdrawn for want of a supplement). */
export type ObjectionCaseOutcome = ObjectionOutcome | 'declined' | 'withdrawn';

/** The procedure's own record of what happened, shown as the case's `details`. */
export interface ObjectionDetails {
  record: ObjectionInput['record'];
  grounds: ObjectionInput['grounds'];
  statement: string;
  evidence: Evidence[];
  markedAt: string;
  /** Whose decision it is now: the credit agency, or the supplying department once forwarded. */
  decidingDepartment: string;
  supplement?: {
    requestedAt: string;
    requestedBy: string;
    items: string[];
    receivedAt?: string;
    evidence?: Evidence[];
    returnTo: ObjectionState;
  };
  acceptance?: { at: string; by: string; reasons?: string };
  forward?: { to: string; at: string; by: string };
  extension?: { at: string; by: string; reason: string; workingDays: number };
  decision?: {
    outcome: ObjectionOutcome;
    reasons: string;
    correctedContent?: string;
    by: string;
    department: string;
    at: string;
    listingRevoked?: boolean;
  };
  closure?: { outcome: ObjectionCaseOutcome; at: string; reasons: string; documentId: string };
}
