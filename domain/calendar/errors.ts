/**
 * Temporal turns an Error thrown by an activity into an ApplicationFailure whose `type` is the error's
 * `name`; workflows/common/legal-clock.ts lists this type as non-retryable, because retrying cannot make
 * the State Council publish a schedule.
 */
export const CALENDAR_YEAR_MISSING = 'CalendarYearMissing';

/**
 * A working-day count needs a year whose holiday notice the system does not hold. DOMAIN.md: a deadline
 * that needs such a year must say so, never silently count weekends only.
 */
export class MissingScheduleError extends Error {
  override readonly name = CALENDAR_YEAR_MISSING;
  readonly year: number;

  constructor(year: number) {
    super(`no holiday schedule for ${year}: the State Council notice for ${year} has not been loaded`);
    this.year = year;
  }
}
