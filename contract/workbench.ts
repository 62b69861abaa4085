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
}
