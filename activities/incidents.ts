import type { Db } from '../db/client';

/** A step of a case that can never succeed as things are, raised to the supervisors (escalation kind `incident`). */
export interface IncidentRequest {
  /** Chosen by the workflow: the same action failing the same way on the same version of the case is one incident. */
  id: string;
  caseId: string;
  department: string;
  at: string;
  detail: { action: string; step: string; fault: string; cause: string; state: string; actor: string };
}

export function incidentActivities(db: Db) {
  return {
    /** Idempotent: a retry, or the same refusal again, leaves the one row. */
    async raiseIncident(req: IncidentRequest): Promise<void> {
      await db.$executeRaw`
        INSERT INTO escalations (id, deadline_id, case_id, department, kind, at, detail)
        VALUES (${req.id}, NULL, ${req.caseId}, ${req.department}, 'incident', ${new Date(req.at)}, ${JSON.stringify(req.detail)}::jsonb)
        ON CONFLICT (id) DO NOTHING`;
    },
  };
}
