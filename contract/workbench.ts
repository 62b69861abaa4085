/** A row of the workbench (API.md "GET /v1/workbench"), as the API answers it and the console's workbench and queues show it. */
export interface WorkbenchItem {
  id: string;
  procedure: string;
  state: string;
  subject: { kind: string; id: string; name: string };
  department: string;
  /** Whose turn it is (the deciding department after forwarding). */
  actingDepartment: string;
  allowedActions: string[];
  updatedAt: string;
  nextDeadline: null | {
    kind: string;
    dueAt: string;
    dueDate: string;
    provisional: boolean;
    /** Working days left after today until the due date (0 on the due day); absent once passed or uncountable. */
    workingDaysLeft?: number;
    overdue: boolean;
  };
  /**
   * Present when the case waits on the subject: no authority deadline runs or is late (`nextDeadline` is null) and a
   * subject's window is open (a listing's statement window after the notice was served, an objection's supplement).
   * The nearest such window, with the same fields as `nextDeadline`.
   */
  waitingOnSubject?: {
    kind: string;
    dueAt: string;
    dueDate: string;
    provisional: boolean;
    workingDaysLeft?: number;
    overdue: boolean;
  };
}
