/**
 * The State Council's yearly holiday notice (国务院办公厅关于X年部分节假日安排的通知) as data. Working days
 * follow it, including the weekend make-up workdays (调休上班), so every deadline counted in working days
 * depends on which notice was loaded: `version` goes into every computed deadline.
 */
import type { Words } from '../../contract/problem';
import { isIsoDate, weekday, yearOf } from './dates';
import { notice2025 } from './data/2025';
import { notice2026 } from './data/2026';

export interface YearSchedule {
  year: number;
  /** The notice the dates come from: title, document number, where published. */
  source: string;
  /** Changes whenever the dates change (a corrected notice): `2025-official-1`, `2025-official-2`. */
  version: string;
  /**
   * Every day off the notice lists (放假), whether it would otherwise be a working day or falls on a
   * weekend: 2025-02-01 (Saturday, inside the Spring Festival) is listed.
   */
  holidays: string[];
  /** Weekend days the notice makes working days (调休上班). */
  workdays: string[];
  /** Festival per date of `holidays` and `workdays` (`春节`), for explanations. Optional. */
  names?: Readonly<Record<string, string>>;
}

/** One item of a notice (一、元旦：…), with its wording kept so a reviewer can compare the dates. */
export interface NoticeItem {
  name: string;
  text: string;
  daysOff: string[];
  makeupWorkdays: string[];
}

/** A notice as committed under data/: every date is written out as a literal. */
export interface YearNotice {
  year: number;
  source: string;
  version: string;
  items: NoticeItem[];
}

export function scheduleFromNotice(n: YearNotice): YearSchedule {
  const names: Record<string, string> = {};
  for (const item of n.items) for (const d of [...item.daysOff, ...item.makeupWorkdays]) names[d] = item.name;
  return {
    year: n.year,
    source: n.source,
    version: n.version,
    holidays: n.items.flatMap((i) => i.daysOff),
    workdays: n.items.flatMap((i) => i.makeupWorkdays),
    names,
  };
}

/** The schedules this build ships with: 2025 and 2026. A new year arrives each November. */
export function builtInSchedules(): YearSchedule[] {
  return [notice2025, notice2026].map(scheduleFromNotice);
}

/** Problems that make a schedule unusable, in both languages; empty when it is sound. */
export function validateSchedule(s: YearSchedule): Words[] {
  const problems: Words[] = [];
  const add = (zh: string, en: string) => problems.push({ zh, en });
  if (!Number.isInteger(s.year) || s.year < 1949 || s.year > 9999)
    add(`${s.year} 不是合理的年份`, `year ${s.year} is not a plausible year`);
  if (!s.version.trim()) add('version 为空', 'version is empty');
  if (!s.source.trim()) add('source 为空', 'source is empty');

  const check = (list: string[], label: string): Set<string> => {
    const seen = new Set<string>();
    for (const d of list) {
      if (!isIsoDate(d))
        add(`${label}：${JSON.stringify(d)} 不是 YYYY-MM-DD 格式的日期`, `${label}: ${JSON.stringify(d)} is not a date YYYY-MM-DD`);
      else if (yearOf(d) !== s.year) add(`${label}：${d} 不在${s.year}年内`, `${label}: ${d} is not in ${s.year}`);
      if (seen.has(d)) add(`${label}：${d} 重复列出`, `${label}: ${d} is listed twice`);
      seen.add(d);
    }
    return seen;
  };
  const holidays = check(s.holidays, 'holidays');
  const workdays = check(s.workdays, 'workdays');

  for (const d of workdays) {
    // A make-up workday only means something on a weekend; a weekday is a working day anyway.
    if (isIsoDate(d) && weekday(d) !== 0 && weekday(d) !== 6)
      add(`workdays：${d} 不是星期六或星期日`, `workdays: ${d} is not a Saturday or Sunday`);
    if (holidays.has(d)) add(`${d} 既是假日又是调休上班日`, `${d} is both a holiday and a workday`);
  }
  for (const d of Object.keys(s.names ?? {})) {
    if (!holidays.has(d) && !workdays.has(d))
      add(`names：${d} 既不是假日也不是调休上班日`, `names: ${d} is neither a holiday nor a workday`);
  }
  return problems;
}
