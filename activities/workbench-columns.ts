import type { DeadlineState } from '../workflows/common/case-types';

/** What the case row keeps of its deadlines for the workbench (cases.next_* and cases.waiting_*). */
export interface WorkbenchColumns {
  nextDeadlineId: string | null;
  nextDueAt: Date | null;
  waitingDeadlineId: string | null;
  waitingDueAt: Date | null;
}

const byDue = (a: DeadlineState, b: DeadlineState) => Date.parse(a.dueAt) - Date.parse(b.dueAt) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * The authority's nearest running deadline (a breached one only while nothing runs: the late step is still awaited)
 * and, where there is none, the subject's nearest open window: the case waits on the subject. The same choice as the
 * fill in migration 20261205170000_workbench_index, ties broken by id in both.
 */
export function workbenchColumnsOf(deadlines: DeadlineState[]): WorkbenchColumns {
  const authority = deadlines.filter((d) => d.party === 'authority');
  const next =
    authority.filter((d) => d.status === 'open').sort(byDue)[0] ?? authority.filter((d) => d.status === 'breached').sort(byDue)[0];
  const waiting = next ? undefined : deadlines.filter((d) => d.party === 'subject' && d.status === 'open').sort(byDue)[0];
  return {
    nextDeadlineId: next?.id ?? null,
    nextDueAt: next ? new Date(next.dueAt) : null,
    waitingDeadlineId: waiting?.id ?? null,
    waitingDueAt: waiting ? new Date(waiting.dueAt) : null,
  };
}
