import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isWeekend } from '../../domain/calendar/dates';
import {
  StatutoryCalendar,
  builtInSchedules,
  officialScheduleProblems,
  provisionalYearsOf,
  recomputeOnLoad,
  statutoryFestivals,
  statutorySchedule,
  type RecomputeRequest,
  type YearSchedule,
} from '../../domain/calendar';

/*
 * Provisional years (DOMAIN.md "Deadlines"): a year whose State Council notice is not loaded is counted on
 * the statutory holidays of 《全国年节及纪念日放假办法》 and the 补假 of its 第六条, never on weekends only.
 * Every expected date below is written out by hand. 2027: 元旦 1/1 (Fri); 除夕 2/5 (Fri), 初一 2/6 (Sat), so
 * 春节 2/5–8 with 2/6 and 2/7 made up on 2/9 and 2/10; 清明 4/5 (Mon); 劳动节 5/1–2 (Sat, Sun) made up on
 * 5/3 and 5/4; 端午 6/9 (Wed); 中秋 9/15 (Wed); 国庆 10/1–3 (Fri–Sun) with 10/2 and 10/3 made up on 10/4 and 10/5.
 */
// The notices of 2025 and 2026 only: 2027 stands for the year without one here, even once a later build ships it.
const builtIn = builtInSchedules().filter((s) => s.year <= 2026);
const calendar = new StatutoryCalendar(builtIn);

describe('the statutory holidays of a year', () => {
  test('2027, by hand', () => {
    const s = statutorySchedule(2027);
    expect(s.version).toBe('2027-statutory-provisional');
    expect(s.workdays).toEqual([]);
    expect(s.holidays).toEqual([
      '2027-01-01',
      '2027-02-05',
      '2027-02-06',
      '2027-02-07',
      '2027-02-08',
      '2027-02-09',
      '2027-02-10',
      '2027-04-05',
      '2027-05-01',
      '2027-05-02',
      '2027-05-03',
      '2027-05-04',
      '2027-06-09',
      '2027-09-15',
      '2027-10-01',
      '2027-10-02',
      '2027-10-03',
      '2027-10-04',
      '2027-10-05',
    ]);
    expect(s.names).toMatchObject({
      '2027-02-05': '春节',
      '2027-02-09': '春节补假',
      '2027-05-03': '劳动节补假',
      '2027-10-05': '国庆节补假',
    });
    expect(s.source).toContain('国务院令第795号');
  });

  test('a festival on another festival’s day adds no day (2028: 中秋 on 10月3日)', () => {
    const f = Object.fromEntries(statutoryFestivals(2028).map((x) => [x.name, x.days]));
    expect(f['中秋节']).toEqual(['2028-10-03']);
    // 10/1 Sun → made up 10/4; 10/3 belongs to 国庆 once; nothing more.
    expect(statutorySchedule(2028).holidays.filter((d) => d >= '2028-10-01' && d <= '2028-10-31')).toEqual([
      '2028-10-01',
      '2028-10-02',
      '2028-10-03',
      '2028-10-04',
    ]);
  });

  test('the revision in force: 2008–2013 春节 除夕 to 初二 and 劳动节 1 day; 2014–2024 初一 to 初三', () => {
    const spring = (y: number) => statutoryFestivals(y).find((x) => x.name === '春节')!.days;
    const labour = (y: number) => statutoryFestivals(y).find((x) => x.name === '劳动节')!.days;
    expect(spring(2013)).toEqual(['2013-02-09', '2013-02-10', '2013-02-11']);
    expect(spring(2024)).toEqual(['2024-02-10', '2024-02-11', '2024-02-12']);
    expect(spring(2025)).toEqual(['2025-01-28', '2025-01-29', '2025-01-30', '2025-01-31']);
    expect([labour(2024), labour(2025)]).toEqual([['2024-05-01'], ['2025-05-01', '2025-05-02']]);
  });

  // The lunar dates and the rules are checked against every published notice: each statutory day was a day off.
  const pkgDir = join(require.resolve('chinese-days'), '..', 'years');
  test.each(Array.from({ length: 2026 - 2008 + 1 }, (_, i) => 2008 + i))('every statutory day of %i is a day off in its notice', (year) => {
    const data = JSON.parse(readFileSync(join(pkgDir, `${year}.json`), 'utf8')) as {
      holidays: Record<string, string>;
      workdays: Record<string, string>;
    };
    // The package leaves out some weekend days inside a holiday (2012-06-23 of 端午 6/22–24): a weekend not worked is a day off.
    const off = (d: string) => d in data.holidays || (isWeekend(d) && !(d in data.workdays));
    const missing = statutoryFestivals(year).flatMap((f) => f.days.filter((d) => !off(d)).map((d) => `${f.name} ${d}`));
    expect(missing).toEqual([]);
  });

  test('the built-in 2025 and 2026 notices pass as official', () => {
    for (const s of builtIn) expect(officialScheduleProblems(s)).toEqual([]);
  });

  test('a schedule that cannot be the notice is named for what it lacks', () => {
    // What a dry-run probe once loaded as official: eight holidays, no National Day, no Labour Day, no notice named.
    const probe = {
      year: 2027,
      source: 'dry-run probe (not an official notice)',
      holidays: ['2027-01-01', '2027-02-05', '2027-02-06', '2027-02-07', '2027-02-08', '2027-04-05', '2027-06-09', '2027-09-15'],
    };
    const problems = officialScheduleProblems(probe)
      .map((p) => p.en)
      .join('\n');
    expect(problems).toMatch(/劳动节 \(2027-05-01, 2027-05-02\)/);
    expect(problems).toMatch(/国庆节 \(2027-10-01, 2027-10-02, 2027-10-03\)/);
    expect(problems).toMatch(/source: must name the notice, 国务院办公厅关于2027年部分节假日安排的通知/);
    expect(officialScheduleProblems({ ...probe, year: 2300 })).toEqual([
      { zh: expect.stringMatching(/2008至2199/), en: expect.stringMatching(/2008–2199/) },
    ]);
  });

  test('calendar versions name their provisional years', () => {
    expect(provisionalYearsOf('2026-official-1+2027-statutory-provisional')).toEqual([2027]);
    expect(provisionalYearsOf('2028-weekends-only')).toEqual([2028]);
    expect(provisionalYearsOf('2026-official-1')).toEqual([]);
  });
});

describe('working days into a year without a notice', () => {
  test.each<[string, number, string, string]>([
    ['2026-12-28', 5, '2027-01-05', '(1) 12/29 (2) 12/30 (3) 12/31, 1/1 元旦, 1/2–3 weekend, (4) 1/4 (5) 1/5'],
    ['2026-12-31', 2, '2027-01-05', 'objection forward filed on New Year’s Eve: (1) 1/4 (2) 1/5'],
    ['2026-12-31', 3, '2027-01-06', 'repair acceptance filed on New Year’s Eve'],
    ['2026-12-25', 10, '2027-01-11', '(4) by 12/31, (5–9) 1/4–8, (10) 1/11'],
    ['2027-02-03', 3, '2027-02-12', '(1) 2/4, 2/5–8 春节 and 2/9–10 补假, (2) 2/11 (3) 2/12'],
    ['2027-02-13', 1, '2027-02-15', 'no make-up Saturday assumed: 2/13 Sat, 2/14 Sun, (1) 2/15'],
    ['2027-04-29', 3, '2027-05-06', '(1) 4/30, 5/1–2 劳动节, 5/3–4 补假, (2) 5/5 (3) 5/6'],
    ['2027-04-02', 1, '2027-04-06', '4/5 清明'],
    ['2027-09-30', 2, '2027-10-07', '10/1–3 国庆, 10/4–5 补假, (1) 10/6 (2) 10/7'],
  ])('%s + %i working days → %s (%s)', (from, n, due) => {
    const r = calendar.addWorkingDays(from, n);
    expect(r.dueDate).toBe(due);
    expect(r.provisional).toBe(true);
    expect(r.calendarVersion).toMatch(/2027-statutory-provisional$/);
  });

  test('says which year is missing and what was assumed', () => {
    const r = calendar.addWorkingDays('2026-12-28', 5);
    expect(r.calendarVersion).toBe('2026-official-1+2027-statutory-provisional');
    const last = r.explanation[r.explanation.length - 1]!;
    expect(last).toContain('2027年的节假日安排尚未公布');
    expect(last).toContain('国务院办公厅关于2027年部分节假日安排的通知');
    expect(last).toContain('春节2月5日、6日、7日、8日（2月9日、10日补假）');
    expect(last).toContain('不计调休上班日');
    expect(r.explanation).toContain('2027年1月1日为元旦法定节假日，不计入工作日。');
  });

  test('a period within loaded years is not provisional', () => {
    expect(calendar.addWorkingDays('2026-12-01', 5)).toMatchObject({
      dueDate: '2026-12-08',
      provisional: false,
      calendarVersion: '2026-official-1',
    });
  });
});

describe('recomputing when the notice is loaded (reliance)', () => {
  const official = (holidays: string[], workdays: string[] = []): StatutoryCalendar =>
    calendar.withSchedule({
      year: 2027,
      source: '国务院办公厅关于2027年部分节假日安排的通知（测试）',
      version: '2027-test',
      holidays,
      workdays,
    } satisfies YearSchedule);
  // A notice with a bridging Monday 1/4 off: later than the provisional 1/5.
  const bridging = official(['2027-01-01', '2027-01-02', '2027-01-03', '2027-01-04']);
  // A notice that works Sunday 1/3: earlier than the provisional 1/5.
  const worksSunday = official(['2027-01-01'], ['2027-01-03']);
  // Works Sunday 1/3 and gives 1/5 off: the told date is then itself a day off.
  const worksSundayOffTuesday = official(['2027-01-01', '2027-01-05'], ['2027-01-03']);
  const window = (party: RecomputeRequest['party'], loadedOn = '2026-12-30'): RecomputeRequest => ({
    party,
    from: '2026-12-28',
    period: { unit: 'working_days', amount: 5 },
    currentDueDate: '2027-01-05',
    loadedOn,
  });

  test.each<{ what: string; cal: StatutoryCalendar; req: RecomputeRequest; due: string; rule: string }>([
    {
      what: 'a subject’s window moved later takes the official date',
      cal: bridging,
      req: window('subject'),
      due: '2027-01-06',
      rule: 'official',
    },
    {
      what: 'a subject’s window is never shortened below the date it was told',
      cal: worksSunday,
      req: window('subject'),
      due: '2027-01-05',
      rule: 'reliance',
    },
    {
      what: 'a told date that the notice makes a day off moves to the next working day',
      cal: worksSundayOffTuesday,
      req: window('subject'),
      due: '2027-01-06',
      rule: 'reliance',
    },
    {
      what: 'an authority’s period takes the official date, earlier or later',
      cal: worksSunday,
      req: window('authority'),
      due: '2027-01-04',
      rule: 'official',
    },
    { what: 'an authority’s period later too', cal: bridging, req: window('authority'), due: '2027-01-06', rule: 'official' },
    {
      what: 'an authority’s official date passed on the loading day: due at its end',
      cal: worksSunday,
      req: window('authority', '2027-01-05'),
      due: '2027-01-05',
      rule: 'loading_day',
    },
    {
      what: 'an authority’s official date on the loading day itself stands',
      cal: worksSunday,
      req: window('authority', '2027-01-04'),
      due: '2027-01-04',
      rule: 'official',
    },
  ])('$what', ({ cal, req, due, rule }) => {
    const r = recomputeOnLoad(cal, req);
    expect([r.dueDate, r.rule, r.provisional]).toEqual([due, rule, false]);
    expect(r.dueAt).toBe(`${due.slice(0, 8)}${String(Number(due.slice(8)) + 1).padStart(2, '0')}T00:00:00+08:00`);
    expect(r.calendarVersion).toBe('2026-official-1+2027-test');
  });

  test('the reliance and the loading-day rules say why', () => {
    expect(recomputeOnLoad(worksSunday, window('subject')).explanation.join('')).toMatch(
      /信赖保护：已告知当事人的届满日期为2027年1月5日，晚于按正式放假安排计算的2027年1月4日/,
    );
    expect(recomputeOnLoad(worksSunday, window('authority', '2027-01-05')).explanation.join('')).toMatch(
      /期间应于2027年1月4日届满，早于放假安排载入之日2027年1月5日；不溯及认定逾期，期间改为于载入之日2027年1月5日24时届满/,
    );
  });

  test('an extension is repeated after the recomputed period', () => {
    // 1/4 official, then 3 working days: (1) 1/5 (2) 1/6 (3) 1/7.
    const r = recomputeOnLoad(worksSunday, { ...window('authority'), extendedBy: 3, currentDueDate: '2027-01-08' });
    expect([r.dueDate, r.rule]).toEqual(['2027-01-07', 'official']);
  });
});
