import { execFileSync } from 'node:child_process';
import path from 'node:path';
import {
  CalendarRangeError,
  StatutoryCalendar,
  builtInSchedules,
  compute,
  type CalendarPeriod,
  type YearSchedule,
} from '../../domain/calendar';

/*
 * Every expected date below is written out by hand from the notices, not computed:
 * 2025 (国办发明电〔2024〕12号): 元旦 1/1; 春节 1/28–2/4, 1/26 (Sun) and 2/8 (Sat) worked; 清明 4/4–6;
 *   劳动节 5/1–5, 4/27 (Sun) worked; 端午 5/31–6/2; 国庆节、中秋节 10/1–8, 9/28 (Sun) and 10/11 (Sat) worked.
 * 2026 (notice of 2025-11-04): 元旦 1/1–3, 1/4 (Sun) worked; 春节 2/15–23, 2/14 and 2/28 (Sat) worked;
 *   清明 4/4–6; 劳动节 5/1–5, 5/9 (Sat) worked; 端午 6/19–21; 中秋 9/25–27; 国庆 10/1–7, 9/20 (Sun) and 10/10 (Sat) worked.
 * The numbers in the comments count the working days: "(1) 2/5 Wed" is the first.
 */
// The notices of 2025 and 2026 only: 2027 stands for the year without one here, even once a later build ships it.
const calendar = new StatutoryCalendar(builtInSchedules().filter((s) => s.year <= 2026));

describe('addWorkingDays', () => {
  test.each<[string, number, string, string]>([
    // Spring Festival 2025
    ['2025-01-24', 5, '2025-02-07', 'Fri; 1/25 Sat off, (1) 1/26 Sun make-up, (2) 1/27, 1/28–2/4 off, (3) 2/5 (4) 2/6 (5) 2/7'],
    ['2025-01-27', 5, '2025-02-10', 'served the day before the holiday: (1) 2/5 (2) 2/6 (3) 2/7 (4) 2/8 Sat make-up, 2/9 Sun, (5) 2/10'],
    ['2025-02-05', 3, '2025-02-08', 'ends on the make-up Saturday: (1) 2/6 (2) 2/7 (3) 2/8'],
    // Labour Day 2025
    ['2025-04-25', 3, '2025-04-29', 'Fri; 4/26 Sat off, (1) 4/27 Sun make-up, (2) 4/28 (3) 4/29'],
    // National Day and Mid-autumn 2025
    ['2025-09-26', 5, '2025-10-10', 'Fri; 9/27 Sat off, (1) 9/28 Sun make-up, (2) 9/29 (3) 9/30, 10/1–8 off, (4) 10/9 (5) 10/10'],
    ['2025-09-30', 5, '2025-10-14', 'served the day before: (1) 10/9 (2) 10/10 (3) 10/11 Sat make-up, 10/12 Sun, (4) 10/13 (5) 10/14'],
    ['2025-09-30', 7, '2025-10-16', '… (5) 10/14 (6) 10/15 (7) 10/16'],
    // Year end 2025 → 2026
    ['2025-12-30', 5, '2026-01-07', '(1) 12/31, 1/1–3 off, (2) 1/4 Sun make-up, (3) 1/5 (4) 1/6 (5) 1/7'],
    ['2025-12-31', 1, '2026-01-04', 'the first working day of 2026 is the make-up Sunday'],
    [
      '2024-12-31',
      5,
      '2025-01-08',
      'the uncounted trigger day may lie in an unscheduled year: 1/1 off, (1) 1/2 (2) 1/3 (3) 1/6 (4) 1/7 (5) 1/8',
    ],
    // Spring Festival 2026
    ['2026-02-12', 5, '2026-02-26', 'Thu; (1) 2/13 (2) 2/14 Sat make-up, 2/15–23 off, (3) 2/24 (4) 2/25 (5) 2/26'],
    ['2026-02-14', 5, '2026-02-28', 'served on the make-up Saturday: (1) 2/24 … (4) 2/27 (5) 2/28 Sat make-up'],
    ['2026-02-13', 10, '2026-03-05', '(1) 2/14, (2)–(5) 2/24–27, (6) 2/28, 3/1 Sun, (7) 3/2 … (10) 3/5'],
    // Labour Day 2026
    ['2026-04-30', 5, '2026-05-11', '5/1–5 off, (1) 5/6 (2) 5/7 (3) 5/8 (4) 5/9 Sat make-up, 5/10 Sun, (5) 5/11'],
    // Mid-autumn and National Day 2026
    ['2026-09-18', 5, '2026-09-24', 'Fri; 9/19 Sat off, (1) 9/20 Sun make-up, (2) 9/21 … (5) 9/24'],
    ['2026-09-23', 5, '2026-10-08', '(1) 9/24, 9/25–27 中秋 off, (2) 9/28 (3) 9/29 (4) 9/30, 10/1–7 off, (5) 10/8'],
    ['2026-09-30', 5, '2026-10-13', 'served the day before: (1) 10/8 (2) 10/9 (3) 10/10 Sat make-up, 10/11 Sun, (4) 10/12 (5) 10/13'],
    [
      '2026-09-21',
      20,
      '2026-10-26',
      'objection decided within 20 in total: (3) 9/24, (6) 9/30, (9) 10/10, (14) 10/16, (19) 10/23, (20) 10/26',
    ],
  ])('%s + %i working days → %s (%s)', (from, n, due) => {
    const r = calendar.addWorkingDays(from, n);
    expect(r.dueDate).toBe(due);
    expect(r.provisional).toBe(false);
    expect(r.inputs).toEqual({ from, period: { unit: 'working_days', amount: n } });
    // The inverse: a clock stopped on the trigger day has all n days left.
    expect(calendar.remainingWorkingDays(from, due)).toBe(n);
  });

  test('dueAt is 24:00 Shanghai of the due date; dueAtUtc the same instant', () => {
    const r = calendar.addWorkingDays('2026-09-30', 5);
    expect(r.dueAt).toBe('2026-10-14T00:00:00+08:00');
    expect(r.dueAtUtc).toBe('2026-10-13T16:00:00.000Z');
    expect(Date.parse(r.dueAt)).toBe(Date.parse(r.dueAtUtc));
    const yearEnd = calendar.addWorkingDays('2025-12-30', 1);
    expect([yearEnd.dueDate, yearEnd.dueAt]).toEqual(['2025-12-31', '2026-01-01T00:00:00+08:00']);
  });

  test('the calendar version names every schedule consulted', () => {
    expect(calendar.addWorkingDays('2025-12-30', 5).calendarVersion).toBe('2025-official-1+2026-official-1');
    expect(calendar.addWorkingDays('2024-12-31', 5).calendarVersion).toBe('2025-official-1');
    expect(calendar.addWorkingDays('2026-09-30', 5).calendarVersion).toBe('2026-official-1');
  });

  test('a count past every rule (2199) is refused as out of range, not guessed', () => {
    expect(() => calendar.addWorkingDays('2199-12-30', 5)).toThrow(CalendarRangeError);
    expect(() => calendar.addWorkingDays('2199-12-30', 5)).toThrow(expect.objectContaining({ year: 2200, name: 'CalendarOutOfRange' }));
  });

  test('0 working days (a clock resumed with nothing left) ends that day, or the next working day', () => {
    expect(calendar.addWorkingDays('2026-10-09', 0).dueDate).toBe('2026-10-09');
    expect(calendar.addWorkingDays('2026-10-03', 0).dueDate).toBe('2026-10-08');
  });

  test.each([-1, 1.5, Number.NaN])('refuses %p working days', (n) => {
    expect(() => calendar.addWorkingDays('2026-03-02', n)).toThrow(RangeError);
  });

  test('refuses a malformed date', () => {
    expect(() => calendar.addWorkingDays('2026-13-01', 1)).toThrow(RangeError);
  });
});

describe('explanation of a working-day period', () => {
  test('National Day 2026 with its make-up Saturday', () => {
    expect(calendar.addWorkingDays('2026-09-30', 5, { fromLabel: '送达之日' }).explanation).toEqual([
      '起算日2026年9月30日（送达之日）不计入，期间自次日开始计算。',
      '2026年10月1日至10月7日为国庆节法定节假日，不计入工作日。',
      '2026年10月10日（星期六）为国庆节调休上班日，计入工作日。',
      '期间内另有星期六、星期日共1天，不计入工作日。',
      '第5个工作日为2026年10月13日，期间于该日24时届满。',
    ]);
  });

  test('Spring Festival 2025: make-up Sunday first, the holidays grouped in one line', () => {
    expect(calendar.addWorkingDays('2025-01-24', 5).explanation).toEqual([
      '起算日2025年1月24日不计入，期间自次日开始计算。',
      '2025年1月26日（星期日）为春节调休上班日，计入工作日。',
      '2025年1月28日至2月4日为春节法定节假日，不计入工作日。',
      '期间内另有星期六、星期日共1天，不计入工作日。',
      '第5个工作日为2025年2月7日，期间于该日24时届满。',
    ]);
  });

  test('the joint National Day and Mid-autumn holiday of 2025 carries both names', () => {
    expect(calendar.addWorkingDays('2025-09-30', 1).explanation).toContain(
      '2025年10月1日至10月8日为国庆节、中秋节法定节假日，不计入工作日。',
    );
  });

  test('two holidays across a year end', () => {
    const lines = calendar.addWorkingDays('2025-12-30', 5).explanation;
    expect(lines).toContain('2026年1月1日至1月3日为元旦法定节假日，不计入工作日。');
    expect(lines).toContain('2026年1月4日（星期日）为元旦调休上班日，计入工作日。');
  });
});

describe('addCalendarPeriod', () => {
  test.each<[string, CalendarPeriod, string, string]>([
    // 3-year listing periods
    ['2023-03-07', { years: 3 }, '2026-03-09', '2026-03-07 is a Saturday → Monday'],
    ['2023-02-14', { years: 3 }, '2026-02-14', '2026-02-14 is a make-up Saturday: a working day, no move'],
    ['2023-10-01', { years: 3 }, '2026-10-08', '2026-10-01 is National Day → first day after 10/1–7'],
    ['2023-02-20', { years: 3 }, '2026-02-24', '2026-02-20 is inside the Spring Festival 2/15–23'],
    // Month clamping (民法典 第二百零二条)
    ['2024-02-29', { years: 1 }, '2025-02-28', 'no 29 February in 2025; Friday'],
    ['2026-01-31', { months: 1 }, '2026-02-28', 'no 31 February; the 28th is a make-up Saturday'],
    ['2025-01-31', { months: 1 }, '2025-02-28', 'no 31 February; Friday'],
    ['2025-08-31', { months: 6 }, '2026-02-28', 'clamped to the make-up Saturday 2026-02-28'],
    ['2024-12-31', { months: 6 }, '2025-06-30', 'no 31 June; Monday'],
    // 6-month litigation, 60-day reconsideration
    ['2025-04-01', { months: 6 }, '2025-10-09', '2025-10-01 falls in 10/1–8'],
    ['2025-12-19', { months: 6 }, '2026-06-22', '2026-06-19 is 端午 6/19–21'],
    ['2025-08-02', { days: 60 }, '2025-10-09', 'day 60 is 2025-10-01'],
    ['2026-01-06', { days: 60 }, '2026-03-09', 'day 60 is Saturday 2026-03-07'],
    ['2025-12-02', { days: 30 }, '2026-01-04', 'day 30 is 2026-01-01; 1/1–3 off; 1/4 is a make-up Sunday'],
    ['2025-01-31', { months: 1, days: 3 }, '2025-03-03', '2025-02-28 + 3 days'],
  ])('%s + %j → %s (%s)', (from, p, due) => {
    const r = calendar.addCalendarPeriod(from, p);
    expect(r.dueDate).toBe(due);
    expect(r.provisional).toBe(false);
    expect(r.inputs).toEqual({ from, period: p });
  });

  test("a 3-year period from 2025 ending in 2028 is provisional, counted on 2028's statutory holidays", () => {
    const wed = calendar.addCalendarPeriod('2025-03-15', { years: 3 });
    expect([wed.dueDate, wed.provisional, wed.calendarVersion]).toEqual(['2028-03-15', true, '2028-statutory-provisional']);

    // 2028-01-01 元旦 is a Saturday: 1/2 Sunday, 1/3 Monday is its 补假 (第六条), so the period ends on 1/4.
    const sat = calendar.addCalendarPeriod('2025-01-01', { years: 3 }, { fromLabel: '送达之日' });
    expect([sat.dueDate, sat.provisional]).toEqual(['2028-01-04', true]);
    expect(sat.explanation.slice(0, 3)).toEqual([
      '起算日2025年1月1日（送达之日）不计入，期间自次日开始计算。',
      '期间为3年，到期月的对应日2028年1月1日为期间的最后一日。',
      '2028年1月1日为元旦法定节假日，2028年1月2日为星期日，2028年1月3日为元旦法定节假日适逢周末的补假日，不是工作日。期间届满的最后一日是法定休假日的，以法定休假日后的第一日为期间届满的日期，即2028年1月4日（星期二）。',
    ]);
    expect(sat.explanation[3]).toMatch(
      /^2028年的节假日安排尚未公布.*暂按《全国年节及纪念日放假办法》规定的法定节假日计算：元旦1月1日（1月3日补假），春节1月25日、26日、27日、28日.*不计调休上班日。届满日期为暂定日期/,
    );
    expect(sat.explanation[4]).toBe('期间于2028年1月4日24时届满。');
  });

  test('rolling forward into a year without schedule is provisional too', () => {
    const test2030: YearSchedule = {
      year: 2030,
      source: 'test',
      version: '2030-test-1',
      holidays: ['2030-12-31'],
      workdays: [],
    };
    // 2031-01-01 (Wednesday) is 元旦 on the statutory calendar, so the period ends on Thursday 1/2.
    const r = new StatutoryCalendar([test2030]).addCalendarPeriod('2030-12-01', { days: 30 });
    expect([r.dueDate, r.provisional, r.calendarVersion]).toEqual(['2031-01-02', true, '2030-test-1+2031-statutory-provisional']);
  });

  test('a period past every rule is refused as out of range', () => {
    expect(() => calendar.addCalendarPeriod('9999-12-31', { years: 9999 })).toThrow(CalendarRangeError);
    expect(() => calendar.addCalendarPeriod('2026-12-31', { days: 100_000 })).toThrow(CalendarRangeError);
  });

  test('explains a holiday roll-forward', () => {
    expect(calendar.addCalendarPeriod('2025-08-02', { days: 60 }).explanation).toEqual([
      '起算日2025年8月2日不计入，期间自次日开始计算。',
      '期间为60日，自2025年8月3日起算，第60日为2025年10月1日。',
      '2025年10月1日至10月8日为国庆节、中秋节法定节假日，不是工作日。期间届满的最后一日是法定休假日的，以法定休假日后的第一日为期间届满的日期，即2025年10月9日（星期四）。',
      '期间于2025年10月9日24时届满。',
    ]);
  });

  test('explains month clamping and a last day on a make-up Saturday', () => {
    expect(calendar.addCalendarPeriod('2026-01-31', { months: 1 }).explanation).toEqual([
      '起算日2026年1月31日不计入，期间自次日开始计算。',
      '期间为1个月，到期月没有对应日（31日），以该月末日2026年2月28日为期间的最后一日。',
      '2026年2月28日（星期六）为春节调休上班日，是工作日，期间不顺延。',
      '期间于2026年2月28日24时届满。',
    ]);
  });

  test.each<CalendarPeriod>([{}, { days: -1 }, { months: 1.5 }])('refuses %j', (p) => {
    expect(() => calendar.addCalendarPeriod('2026-03-02', p)).toThrow(RangeError);
  });
});

describe('stopping and resuming a clock', () => {
  test('working days left after the day it stopped, resumed after the day it restarts', () => {
    // 5 working days from 2026-09-30 fall due 2026-10-13. Stopped on 10/9 (that day is used): 10/10 make-up, 10/12, 10/13 remain.
    expect(calendar.remainingWorkingDays('2026-10-09', '2026-10-13')).toBe(3);
    const resumed = calendar.resumeWithRemaining('2026-10-20', 3);
    expect(resumed.dueDate).toBe('2026-10-23'); // (1) 10/21 (2) 10/22 (3) 10/23
  });

  test('a clock stopped on or after its due date has nothing left', () => {
    expect(calendar.remainingWorkingDays('2026-10-13', '2026-10-13')).toBe(0);
    expect(calendar.remainingWorkingDays('2026-10-20', '2026-10-13')).toBe(0);
  });

  test('counting into a year without schedule uses its statutory holidays', () => {
    // 12/21–25 (5), 12/28–31 (4), 1/1 元旦, 1/4–8 (5).
    expect(calendar.remainingWorkingDays('2026-12-20', '2027-01-10')).toBe(14);
  });
});

describe('counting the working days left', () => {
  /** The count by its definition: every day after `from` up to `due` that is a working day. */
  const walked = (c: StatutoryCalendar, from: string, due: string) => {
    let n = 0;
    for (let d = new Date(`${from}T00:00:00Z`); ; ) {
      d = new Date(d.getTime() + 86_400_000);
      const iso = d.toISOString().slice(0, 10);
      if (iso > due) return n;
      if (c.isWorkingDay(iso)) n++;
    }
  };
  test('equals the day-by-day count over spans of days to years, across loaded and provisional years', () => {
    const c = new StatutoryCalendar(builtInSchedules());
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    for (let i = 0; i < 400; i++) {
      const from = new Date(Date.UTC(2025, 0, 1) + (next() % (6 * 365)) * 86_400_000).toISOString().slice(0, 10);
      const span = [next() % 10, next() % 60, next() % 400, next() % 1200][i % 4]!;
      const due = new Date(Date.parse(`${from}T00:00:00Z`) + span * 86_400_000).toISOString().slice(0, 10);
      expect([from, due, c.remainingWorkingDays(from, due)]).toEqual([from, due, walked(c, from, due)]);
    }
  });

  test('says a year that no schedule or statutory rule covers, as the day-by-day count did', () => {
    expect(() => calendar.remainingWorkingDays('2026-12-01', '2200-01-01')).toThrow(CalendarRangeError);
  });
});

describe('compute', () => {
  test('dispatches working days and calendar units and records the period as given', () => {
    const wd = compute(calendar, '2026-09-30', { unit: 'working_days', amount: 5 }, { fromLabel: '送达之日' });
    expect(wd.dueDate).toBe('2026-10-13');
    expect(wd.inputs).toEqual({ from: '2026-09-30', period: { unit: 'working_days', amount: 5 } });
    expect(wd.explanation[0]).toBe('起算日2026年9月30日（送达之日）不计入，期间自次日开始计算。');

    expect(compute(calendar, '2025-04-01', { unit: 'months', amount: 6 }).dueDate).toBe('2025-10-09');
    expect(compute(calendar, '2025-08-02', { unit: 'days', amount: 60 }).dueDate).toBe('2025-10-09');
    const years = compute(calendar, '2023-03-07', { unit: 'years', amount: 3 });
    expect(years.dueDate).toBe('2026-03-09');
    expect(years.inputs).toEqual({ from: '2023-03-07', period: { unit: 'years', amount: 3 } });
  });

  test('the results are plain data: identical on recomputation and through JSON', () => {
    const a = compute(calendar, '2025-09-30', { unit: 'working_days', amount: 5 });
    const b = compute(new StatutoryCalendar(builtInSchedules()), '2025-09-30', { unit: 'working_days', amount: 5 });
    expect(b).toEqual(a);
    expect(JSON.parse(JSON.stringify(a))).toEqual(a);
  });
});

describe('no dependence on the host timezone', () => {
  // Node reads TZ at start, so the check runs the module in child processes far west and far east of Shanghai.
  const script = `
    const m = require('./domain/calendar/index.ts');
    const c = new m.StatutoryCalendar(m.builtInSchedules());
    console.log(JSON.stringify([
      c.addWorkingDays('2026-09-30', 5), c.addCalendarPeriod('2026-01-31', { months: 1 }),
      c.addCalendarPeriod('2025-01-01', { years: 3 }), m.servedOn('electronic', '2025-09-30T16:30:00Z'),
    ]));`;
  test.each(['America/Los_Angeles', 'Pacific/Kiritimati'])('same results under TZ=%s', (tz) => {
    const root = path.resolve(__dirname, '../..');
    const out = execFileSync(process.execPath, ['--import', 'tsx', '-e', script], {
      cwd: root,
      env: { ...process.env, TZ: tz },
    });
    const [wd, month, provisional, served] = JSON.parse(out.toString()) as [
      { dueDate: string },
      { dueDate: string },
      { dueDate: string },
      { servedDate: string },
    ];
    expect([wd.dueDate, month.dueDate, provisional.dueDate, served.servedDate]).toEqual([
      '2026-10-13',
      '2026-02-28',
      '2028-01-04',
      '2025-10-01',
    ]);
  });
});

describe('a sanction’s duration (a listing period)', () => {
  test('ends on the date its years give, on a Saturday or a holiday too, consults no schedule and is never provisional', () => {
    // 2025-06-03 + 3 years = 2028-06-03, a Saturday in a year without a notice here; an authority period would move to Monday 06-05.
    const moved = compute(calendar, '2025-06-03', { unit: 'years', amount: 3 });
    expect(moved).toMatchObject({ dueDate: '2028-06-05', provisional: true });
    const sanction = compute(calendar, '2025-06-03', { unit: 'years', amount: 3, endsOn: 'calendar_date' });
    expect(sanction).toMatchObject({
      dueDate: '2028-06-03',
      dueAt: '2028-06-04T00:00:00+08:00',
      provisional: false,
      calendarVersion: 'calendar-date',
    });
    expect(sanction.explanation.join('')).toContain('不因节假日顺延');
    // National Day 2026 is a holiday: the listing still ends on it.
    expect(compute(calendar, '2025-10-01', { unit: 'months', amount: 12, endsOn: 'calendar_date' }).dueDate).toBe('2026-10-01');
    // The month-end clamp applies as to any calendar period.
    expect(compute(calendar, '2024-02-29', { unit: 'years', amount: 1, endsOn: 'calendar_date' }).dueDate).toBe('2025-02-28');
    expect(() => compute(calendar, '2025-06-03', { unit: 'working_days', amount: 3, endsOn: 'calendar_date' })).toThrow(RangeError);
  });
});
