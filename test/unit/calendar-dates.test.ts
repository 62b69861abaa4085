import { addDays, addMonthsClamped, daysInMonth, fromDayNumber, isIsoDate, parts, toDayNumber, weekday } from '../../domain/calendar/dates';

/*
 * domain/calendar/dates.ts works dates out on numbers. These hold it to what Date says of the same days, for every day
 * of the years deadlines are counted in and for days spread over 1000–9999.
 */
const MS_PER_DAY = 86_400_000;
const byDate = {
  fromDayNumber: (n: number) => new Date(n * MS_PER_DAY).toISOString().slice(0, 10),
  toDayNumber: (s: string) => Date.UTC(Number(s.slice(0, 4)), Number(s.slice(5, 7)) - 1, Number(s.slice(8, 10))) / MS_PER_DAY,
};

describe('day numbers', () => {
  test('every day from 1900 to 2199 has the date and day number Date gives it', () => {
    const first = byDate.toDayNumber('1900-01-01');
    const last = byDate.toDayNumber('2199-12-31');
    const wrong: string[] = [];
    for (let n = first; n <= last; n++) {
      const date = byDate.fromDayNumber(n);
      if (fromDayNumber(n) !== date || toDayNumber(date) !== n || !isIsoDate(date)) wrong.push(`${n} ${date}`);
    }
    expect(wrong).toEqual([]);
    expect(last - first + 1).toBe(109_573);
  });

  test('days spread over 1000–9999 agree with Date too', () => {
    const first = byDate.toDayNumber('1000-01-01');
    const last = byDate.toDayNumber('9999-12-31');
    const wrong: string[] = [];
    // A prime step, so the days fall on every month, weekday and place in the 400-year cycle.
    for (let n = first; n <= last; n += 97) {
      const date = byDate.fromDayNumber(n);
      if (fromDayNumber(n) !== date || toDayNumber(date) !== n) wrong.push(`${n} ${date}`);
    }
    expect(wrong).toEqual([]);
  });

  test('1970-01-01 is day 0 and a Thursday', () => {
    expect(toDayNumber('1970-01-01')).toBe(0);
    expect(fromDayNumber(0)).toBe('1970-01-01');
    expect(fromDayNumber(-1)).toBe('1969-12-31');
    expect(weekday('1970-01-01')).toBe(4);
    expect(weekday('2026-12-05')).toBe(6);
  });

  test('outside 1000–9999 the date is written as Date writes it', () => {
    expect(fromDayNumber(byDate.toDayNumber('0999-12-31'))).toBe('0999-12-31');
    expect(fromDayNumber(byDate.toDayNumber('9999-12-31') + 1)).toBe(byDate.fromDayNumber(byDate.toDayNumber('9999-12-31') + 1));
  });
});

describe('which strings are dates', () => {
  test.each(['2026-12-05', '2024-02-29', '2000-02-29', '1999-12-31', '2026-01-31', '2026-04-30'])('%s is a date', (s) => {
    expect(isIsoDate(s)).toBe(true);
    expect(parts(s)).toEqual({ y: Number(s.slice(0, 4)), m: Number(s.slice(5, 7)), d: Number(s.slice(8, 10)) });
  });

  test.each([
    '2026-02-29',
    '2100-02-29',
    '2026-04-31',
    '2026-13-01',
    '2026-00-10',
    '2026-01-00',
    '2026-1-01',
    '2026-01-1',
    '2026/01/01',
    '2026-01-01 ',
    ' 2026-01-01',
    '2026-01-01T00:00',
    '２０２６-01-01',
    '202a-01-01',
    '+2026-01-1',
    '',
  ])('%j is not', (s) => {
    expect(isIsoDate(s)).toBe(false);
    expect(() => parts(s)).toThrow(RangeError);
    expect(() => toDayNumber(s)).toThrow(/must be a calendar date YYYY-MM-DD/);
  });

  test('a value that is not a string is not a date', () => {
    expect(isIsoDate(20261205 as unknown as string)).toBe(false);
    expect(isIsoDate(null as unknown as string)).toBe(false);
  });
});

describe('month arithmetic', () => {
  test('days in a month, February by the leap-year rule', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12].map((m) => daysInMonth(2026, m))).toEqual([
      31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31,
    ]);
    expect([daysInMonth(2024, 2), daysInMonth(2000, 2), daysInMonth(2100, 2)]).toEqual([29, 29, 28]);
  });

  test('adding days and months across a year end and a leap day', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(addMonthsClamped('2026-01-31', 1)).toEqual({ date: '2026-02-28', clamped: true });
    expect(addMonthsClamped('2028-02-29', 12)).toEqual({ date: '2029-02-28', clamped: true });
  });
});
