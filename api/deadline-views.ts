import type { Db } from '../db/client';
import type { DeadlineView } from '../workflows/common/case-types';
import { addDays } from '../domain/calendar/dates';

type DeadlineRow = NonNullable<Awaited<ReturnType<Db['deadline']['findUnique']>>>;

export function deadlineRowToView(r: DeadlineRow): DeadlineView & { procedure: string; department: string } {
  const inputs = r.inputs as { remainingWorkingDays?: number } | null;
  return {
    id: r.id,
    caseId: r.caseId,
    procedure: r.procedure,
    department: r.department,
    kind: r.kind,
    party: r.party as DeadlineView['party'],
    startsAt: r.startsAt.toISOString(),
    // Every deadline ends at 24:00 Asia/Shanghai of its due date: shown as the workflow shows it.
    dueAt: `${addDays(r.dueDate, 1)}T00:00:00+08:00`,
    dueDate: r.dueDate,
    status: r.status as DeadlineView['status'],
    ...(r.metAt ? { metAt: r.metAt.toISOString() } : {}),
    ...(r.closedAt ? { closedAt: r.closedAt.toISOString() } : {}),
    calendarVersion: r.calendarVersion,
    provisional: r.provisional,
    basis: r.basis,
    explanation: r.explanation as string[],
    extended: r.extended,
    ...(inputs?.remainingWorkingDays !== undefined ? { remainingWorkingDays: inputs.remainingWorkingDays } : {}),
  };
}
