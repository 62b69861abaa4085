/**
 * The statutory holidays of any year, from 《全国年节及纪念日放假办法》 in the revision in force that year
 * (2024-11-10 for 2025 on, quoted here; 2013 and 2007 before), for years whose yearly notice (国务院办公厅关于X年部分节假日安排的通知) is
 * not loaded. DOMAIN.md "Deadlines": such a year is counted on these days and marked provisional; it is
 * never counted on weekends alone.
 *
 * 第二条 (全体公民放假的节日): 元旦 1 day (1 January); 春节 4 days (农历除夕、正月初一至初三); 清明节 1 day
 * (农历清明当日); 劳动节 2 days (5月1日、2日); 端午节 1 day (农历端午当日); 中秋节 1 day (农历中秋当日);
 * 国庆节 3 days (10月1日至3日).
 * 第六条: 全体公民放假的假日，如果适逢星期六、星期日，应当在工作日补假。 Each such day is made up on the next
 * working day after the festival that is not already a holiday or a made-up day.
 *
 * What is deliberately not assumed: the make-up workdays (调休上班) and the bridging days a notice adds,
 * which only the notice can set. So the provisional year has the fewest days off the law allows, and a
 * provisional working-day count ends no later than the official one will (except where a notice moves a
 * weekend into work, which is why loading the year recomputes every provisional deadline).
 *
 * docs/domain.md ("In this system: deadlines") says how this fits the rest.
 *
 * Lunar dates and the 清明 solar term come from `tyme4ts`, checked against the 2025 and 2026 notices in
 * test/unit/calendar-statutory.test.ts.
 */
import type { Words } from '../../contract/problem';
import { LunarDay, SolarTerm, type SolarDay } from 'tyme4ts';
import { addDays, isWeekend } from './dates';
import type { YearSchedule } from './schedule';

/**
 * The years this module answers for; beyond them no deadline can be given at all (a 422, not a guess).
 * 2008 is the first year of the seven-festival list (2007 revision); 2199 is far past any legal period.
 */
export const STATUTORY_FIRST_YEAR = 2008;
export const STATUTORY_LAST_YEAR = 2199;

/** The text in force for a year: the 2007, 2013 and 2024 revisions changed 春节 and 劳动节. */
interface Revision {
  from: number;
  source: string;
  /** The Spring Festival's days as offsets from 正月初一 (除夕 = -1). */
  springFestival: number[];
  labourDays: number;
}

const REVISIONS: readonly Revision[] = [
  {
    from: 2025,
    source: '《全国年节及纪念日放假办法》（2024年11月10日国务院令第795号修订）第二条、第六条',
    springFestival: [-1, 0, 1, 2],
    labourDays: 2,
  },
  {
    from: 2014,
    source: '《全国年节及纪念日放假办法》（2013年12月11日国务院令第644号修订）第二条、第六条',
    springFestival: [0, 1, 2],
    labourDays: 1,
  },
  {
    from: 2008,
    source: '《全国年节及纪念日放假办法》（2007年12月14日国务院令第513号修订）第二条、第六条',
    springFestival: [-1, 0, 1],
    labourDays: 1,
  },
];

function revisionFor(year: number): Revision {
  const rev = REVISIONS.find((r) => year >= r.from);
  if (!rev) throw new RangeError(`no revision of the statutory holidays is in force in ${year}`);
  return rev;
}

export function statutorySource(year: number): string {
  return revisionFor(year).source;
}

export interface StatutoryFestival {
  name: string;
  /** The statutory days off, in date order. */
  days: string[];
}

function iso(d: SolarDay): string {
  return `${String(d.getYear()).padStart(4, '0')}-${String(d.getMonth()).padStart(2, '0')}-${String(d.getDay()).padStart(2, '0')}`;
}

function lunar(year: number, month: number, day: number): string {
  return iso(LunarDay.fromYmd(year, month, day).getSolarDay());
}

export function inStatutoryRange(year: number): boolean {
  return Number.isInteger(year) && year >= STATUTORY_FIRST_YEAR && year <= STATUTORY_LAST_YEAR;
}

/** The seven festivals of 第二条 in `year` with their statutory days (no weekend make-up yet). */
export function statutoryFestivals(year: number): StatutoryFestival[] {
  if (!inStatutoryRange(year))
    throw new RangeError(`statutory holidays are computed for ${STATUTORY_FIRST_YEAR}–${STATUTORY_LAST_YEAR}, not ${year}`);
  const y = String(year).padStart(4, '0');
  const rev = revisionFor(year);
  // 除夕 is the last day of the old lunar year (腊月廿九 or 三十), so it is taken as the day before 正月初一.
  const newYear = lunar(year, 1, 1);
  return [
    { name: '元旦', days: [`${y}-01-01`] },
    { name: '春节', days: rev.springFestival.map((k) => addDays(newYear, k)) },
    { name: '清明节', days: [iso(SolarTerm.fromName(year, '清明').getJulianDay().getSolarDay())] },
    { name: '劳动节', days: [`${y}-05-01`, `${y}-05-02`].slice(0, rev.labourDays) },
    { name: '端午节', days: [lunar(year, 5, 5)] },
    { name: '中秋节', days: [lunar(year, 8, 15)] },
    { name: '国庆节', days: [`${y}-10-01`, `${y}-10-02`, `${y}-10-03`] },
  ];
}

/**
 * The provisional schedule of a year: the statutory days off and, for each that falls on a Saturday or
 * Sunday, a day off on the next working day (第六条). No make-up workdays. A statutory day that falls on
 * another festival's day (中秋 on 10月1日–3日, as in 2028 and 2031) adds nothing: the law gives no extra day
 * for it; only a notice does.
 */
export function statutorySchedule(year: number): YearSchedule {
  const festivals = statutoryFestivals(year);
  const names: Record<string, string> = {};
  const off = new Set<string>();
  for (const f of festivals) {
    for (const d of f.days) {
      if (off.has(d)) continue;
      off.add(d);
      names[d] = f.name;
    }
  }
  for (const f of festivals) {
    const weekendDays = f.days.filter((d) => isWeekend(d) && names[d] === f.name);
    let cursor = f.days[f.days.length - 1];
    if (cursor === undefined) continue; // a festival without days has nothing to make up
    for (let i = 0; i < weekendDays.length; i++) {
      do cursor = addDays(cursor, 1);
      while (isWeekend(cursor) || off.has(cursor));
      off.add(cursor);
      names[cursor] = `${f.name}补假`;
    }
  }
  const holidays = [...off].sort();
  return {
    year,
    source: `${statutorySource(year)}（${year}年放假安排尚未公布，暂按法定节假日计算）`,
    version: provisionalVersion(year),
    holidays,
    workdays: [],
    names,
  };
}

export function provisionalVersion(year: number): string {
  return `${year}-statutory-provisional`;
}

/** The years a calendar version string names as provisional (`2027-statutory-provisional`, or the old `2027-weekends-only`). */
export function provisionalYearsOf(calendarVersion: string): number[] {
  return [...calendarVersion.matchAll(/(\d{4})-(?:statutory-provisional|weekends-only)/g)].map((m) => Number(m[1]));
}

/**
 * What a schedule offered as the State Council's notice lacks: every statutory day off of that year must be
 * a holiday in it (every notice so far has held them), and its source must name the notice. The make-up
 * workdays are checked by validateSchedule (weekends only). Empty when it can be the notice.
 */
export function officialScheduleProblems(s: Pick<YearSchedule, 'year' | 'source' | 'holidays'>): Words[] {
  const problems: Words[] = [];
  if (!inStatutoryRange(s.year)) {
    return [
      {
        zh: `节假日安排只导入${STATUTORY_FIRST_YEAR}至${STATUTORY_LAST_YEAR}年的，不导入${s.year}年的`,
        en: `schedules are loaded for ${STATUTORY_FIRST_YEAR}–${STATUTORY_LAST_YEAR}, not ${s.year}`,
      },
    ];
  }
  const holidays = new Set(s.holidays);
  for (const f of statutoryFestivals(s.year)) {
    const missing = f.days.filter((d) => !holidays.has(d));
    if (missing.length)
      problems.push({
        zh: `holidays：${f.name}（${missing.join('、')}）是${s.year}年的法定节假日，必须放假`,
        en: `holidays: ${f.name} (${missing.join(', ')}) is a statutory holiday of ${s.year} and must be a day off`,
      });
  }
  const notice = new RegExp(`国务院办公厅关于${s.year}年部分节假日安排的通知`);
  if (!notice.test(s.source)) {
    problems.push({
      zh: `source：须写明通知名称“国务院办公厅关于${s.year}年部分节假日安排的通知”（已知时附文号或日期）`,
      en: `source: must name the notice, 国务院办公厅关于${s.year}年部分节假日安排的通知 (with its number or date where known)`,
    });
  }
  return problems;
}
