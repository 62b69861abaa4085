/**
 * Temporal turns an Error thrown by an activity into an ApplicationFailure whose `type` is the error's
 * `name`. Cases computed before provisional years existed could fail with `CalendarYearMissing`; that
 * type is still named in the workflows' retry policy so their histories replay, but nothing throws it now.
 */
export const CALENDAR_YEAR_MISSING = 'CalendarYearMissing';

/**
 * A date outside the years the calendar answers for (no loaded notice and no statutory rule: before
 * 2008 or after 2199). DOMAIN.md: a year that is merely unpublished is provisional, never this.
 */
export class CalendarRangeError extends Error {
  /** A period that needs a day the statutory calendar cannot classify at all: a verdict, never retried. */
  static readonly type = 'CalendarOutOfRange';
  override readonly name = CalendarRangeError.type;
  readonly year: number;

  constructor(year: number, first: number, last: number) {
    super(
      `no holiday schedule can be given for ${year}: the calendar answers for ${first}–${last} (a loaded notice, or the statutory holidays)`,
    );
    this.year = year;
  }
}
