import type { RepairInput } from './definitions';

/** How a repair case ended. */
export type RepairOutcome = 'approved' | 'rejected' | 'declined';

/** The procedure's own record of what happened, shown as the case's `details`. */
export interface RepairDetails {
  target: RepairInput['target'];
  targetKey: string;
  /** Who decides: the recognising or supplying department (the agency on cases filed before routing). */
  decidingDepartment: string;
  statement: string;
  evidence: RepairInput['evidence'];
  commitment: RepairInput['commitment'];
  eligibility?: { eligible: boolean; reasons: string[]; earliest?: string; checkedOn: string };
  acceptance?: { at: string; by: string; reasons?: string };
  decision?: {
    outcome: RepairOutcome;
    reasons: string;
    by: string;
    department: string;
    at: string;
    reapplyAfter?: string;
    documentId: string;
  };
  effects?: { completedAt: string; listingRemoved?: boolean; notificationId: string };
}
