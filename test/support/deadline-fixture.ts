import type { Prisma } from '../../generated/prisma/client';
import type { DeadlineState } from '../../workflows/common/case-types';

/**
 * A deadline as the legal clocks keep it, for the pure tests of the rules and the clocks: five working days from
 * 2026-12-01 (an ordinary week, due 2026-12-08 24:00 Asia/Shanghai), open, owed by the authority. `more` sets what a
 * test is about: the party, the status, other dates.
 */
export function deadlineState(caseId: string, kind: string, more: Partial<DeadlineState> = {}): DeadlineState {
  return {
    id: `${caseId}:${kind}`,
    caseId,
    kind,
    party: 'authority',
    status: 'open',
    from: '2026-12-01',
    period: { unit: 'working_days', amount: 5 },
    startsAt: '2026-12-01T02:00:00.000Z',
    basis: 'test',
    extended: false,
    dueDate: '2026-12-08',
    dueAt: '2026-12-08T15:59:59.999Z',
    provisional: false,
    calendarVersion: '2026-v1',
    explanation: [],
    inputs: {},
    ...more,
  };
}

/** A deadline row as the projection writes it, for tests that read the deadlines table (the reminders, oversight): what is not given is a test's. */
export function deadlineRow(
  row: Pick<
    Prisma.DeadlineCreateInput,
    'id' | 'caseId' | 'procedure' | 'department' | 'kind' | 'party' | 'status' | 'startsAt' | 'dueAt' | 'dueDate'
  > &
    Pick<Prisma.DeadlineCreateInput, 'metAt' | 'closedAt'>,
): Prisma.DeadlineCreateInput {
  return {
    ...row,
    calendarVersion: 'test',
    provisional: false,
    basis: 'test',
    explanation: [],
    inputs: {},
    version: 1,
    updatedAt: new Date(),
  };
}
