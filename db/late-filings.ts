import { randomUUID } from 'node:crypto';
import type { Db } from './client';

/**
 * Filings refused as late: a subject's action that the API answered with 409 because its window or its case had
 * closed. A window that lapsed on a provisional date can turn out to have run longer once the year's official
 * schedule is loaded; what the subject sent in those days is then at hand for the department to admit
 * (db/lapsed-windows.ts raises it to the supervisors with the case).
 */
export interface LateFiling {
  caseId: string;
  action: string;
  actor: string;
  role: string;
  at: Date;
  /** When the window or the case closed, as the refusal said. */
  closedAt: string | null;
  reason: string;
  body: unknown;
}

export async function keepLateFiling(db: Db, f: LateFiling): Promise<void> {
  await db.lateFiling.create({
    data: {
      id: randomUUID(),
      caseId: f.caseId,
      action: f.action,
      actor: f.actor,
      role: f.role,
      at: f.at,
      closedAt: f.closedAt,
      reason: f.reason,
      body: f.body ?? {},
    },
  });
}

/** The filings refused on a case between two instants (inclusive), oldest first. */
export async function lateFilingsBetween(db: Db, caseId: string, from: Date, to: Date) {
  return db.lateFiling.findMany({ where: { caseId, at: { gte: from, lte: to } }, orderBy: { at: 'asc' } });
}
