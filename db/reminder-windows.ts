import type { Db } from './client';

/** An open window of a subject's, with the case it belongs to. */
export interface OpenWindow {
  id: string;
  caseId: string;
  kind: string;
  dueDate: string;
  provisional: boolean;
  startsAt: Date;
  subjectId: string;
  subjectName: string;
  procedure: string;
}

/**
 * The subjects' open windows that may need a message now: opened, not yet past, of a subject with a consented address,
 * and either not yet told of its opening or due before `closingHorizon` (domain/reminders/windows.ts). Read every 15
 * minutes, so it starts from the (few) consented addresses rather than from every open window: the windows already
 * told of and not yet closing are left in the database. Nearest due first, at most `limit`.
 */
export async function windowsToTell(
  db: Db,
  { now, today, closingHorizon, limit }: { now: Date; today: string; closingHorizon: string; limit: number },
): Promise<OpenWindow[]> {
  return db.$queryRaw<OpenWindow[]>`
    SELECT id, "caseId", kind, "dueDate", provisional, "startsAt", "subjectId", "subjectName", procedure FROM (
      SELECT DISTINCT ON (d.id) d.id, d.case_id AS "caseId", d.kind, d.due_date AS "dueDate", d.provisional, d.due_at,
             d.starts_at AS "startsAt",
             c.subject_id AS "subjectId", c.subject_name AS "subjectName", c.procedure
        FROM (SELECT DISTINCT subject_id FROM service_addresses WHERE withdrawn_at IS NULL) a
        JOIN cases c ON c.subject_id = a.subject_id
        JOIN deadlines d ON d.case_id = c.id
       WHERE d.party = 'subject' AND d.status = 'open' AND d.starts_at <= ${now} AND d.due_date >= ${today}
         AND (d.due_date < ${closingHorizon}
              OR NOT EXISTS (SELECT 1 FROM outgoing_messages m
                              WHERE m.case_id = d.case_id AND m.purpose = 'window_opened' AND m.status <> 'sending'
                                AND starts_with(m.id, 'window_opened:' || d.id || ':')))
    ) w
    ORDER BY due_at, id
    LIMIT ${limit}`;
}
