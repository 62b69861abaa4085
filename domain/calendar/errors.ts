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

/** A CalendarRangeError's message (also as it crosses the activity boundary) in Chinese. */
export function calendarRangeZh(message: string): string {
  const m = /for (\d+): the calendar answers for (\d+)–(\d+)/.exec(message);
  return m ? `无法给出${m[1]}年的节假日安排：日历只涵盖${m[2]}至${m[3]}年（已导入的通知或法定节假日）` : '所需日期超出日历涵盖的年份';
}
