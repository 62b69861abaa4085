import type { PeriodSpec, PeriodUnit } from './types';

/**
 * The period of a policy entry, in the shape the calendar and the legal clocks take. A module of its own because the
 * workflows need it: importing policy.ts would put its tables and zod schemas into the workflow bundle, and work at
 * a module's top level there is paid by every workflow that starts, not once.
 */
export function periodOf(p: { unit: PeriodUnit; amount: number }): PeriodSpec {
  return { unit: p.unit, amount: p.amount };
}
