/**
 * The Chinese sentences of a deadline's explanation. They are what a subject reads on a notice and
 * what a supervisor reads in an audit, so they name dates in full and holidays by the notice's names.
 */
import type { CalendarPeriod, DayKind } from './types';
import type { YearSchedule } from './schedule';
import { addDays, parts, toDayNumber, weekday } from './dates';

const WEEKDAYS = ['星期日', '星期一', '星期二', '星期三', '星期四', '星期五', '星期六'] as const;

export function cnDate(date: string): string {
  const { y, m, d } = parts(date);
  return `${y}年${m}月${d}日`;
}

export function cnWeekday(date: string): string {
  return WEEKDAYS[weekday(date)] ?? '';
}

/** `2026年10月1日至10月7日`; the year is repeated only when the range crosses one. */
export function cnRange(a: string, b: string): string {
  if (a === b) return cnDate(a);
  const pa = parts(a);
  const pb = parts(b);
  return `${cnDate(a)}至${pa.y === pb.y ? `${pb.m}月${pb.d}日` : cnDate(b)}`;
}

export function cnCalendarPeriod(p: CalendarPeriod): string {
  const out = [p.years ? `${p.years}年` : '', p.months ? `${p.months}个月` : '', p.days ? `${p.days}日` : ''].join('');
  return out || '0日';
}

export function startLine(from: string, label?: string): string {
  return `起算日${cnDate(from)}${label ? `（${label}）` : ''}不计入，期间自次日开始计算。`;
}

/** Why a listing period is not moved off a holiday. */
export function sanctionLine(): string {
  return '列入期限是惩戒措施的持续期间，不是当事人应当在其内作出行为的期间，按日历日期届满，不因节假日顺延（《中华人民共和国民事诉讼法》第八十五条期间届满日顺延的规定保护应当在期间内作出行为的当事人）。';
}

export function dueLine(due: string): string {
  return `期间于${cnDate(due)}24时届满。`;
}

export interface ClassifiedDay {
  date: string;
  kind: DayKind;
  name?: string;
}

/** Consecutive days of one kind; never empty. */
export type Run = [ClassifiedDay, ...ClassifiedDay[]];

/** Splits consecutive days into runs of the same kind (holidays also split where the festival changes). */
export function runs(days: ClassifiedDay[]): Run[] {
  const out: Run[] = [];
  for (const day of days) {
    const cur = out[out.length - 1];
    const prev = cur?.[cur.length - 1];
    const joins = prev && prev.kind === day.kind && toDayNumber(day.date) === toDayNumber(prev.date) + 1;
    if (cur && joins) cur.push(day);
    else out.push([day]);
  }
  return out;
}

function holidayNames(run: ClassifiedDay[]): string {
  const given = run.map((d) => d.name).filter((n): n is string => !!n);
  const made = given.filter((n) => n.endsWith(MAKEUP_SUFFIX));
  const names = [...new Set(given.map((n) => (n.endsWith(MAKEUP_SUFFIX) ? n.slice(0, -MAKEUP_SUFFIX.length) : n)))];
  const base = names.length ? `${names.join('、')}法定节假日` : '法定节假日';
  if (made.length === 0) return base;
  return made.length === given.length ? `${names.join('、')}法定节假日适逢周末的补假日` : `${base}及其适逢周末的补假日`;
}

function describeRun(run: Run): string {
  const [first] = run;
  const last = run[run.length - 1] ?? first;
  if (first.kind === 'holiday') return `${cnRange(first.date, last.date)}为${holidayNames(run)}`;
  if (run.length === 1) return `${cnDate(first.date)}为${cnWeekday(first.date)}`;
  return `${cnRange(first.date, last.date)}为周末`;
}

function makeupLine(day: ClassifiedDay, tail: string): string {
  return `${cnDate(day.date)}（${cnWeekday(day.date)}）为${day.name ?? ''}调休上班日，${tail}`;
}

/**
 * The lines between "start" and "due" of a working-day count: each holiday run and each make-up day
 * in date order, then one line for the plain weekends (naming each would bury the holidays).
 */
export function workingDayLines(counted: ClassifiedDay[]): string[] {
  const lines: string[] = [];
  let weekendDays = 0;
  for (const run of runs(counted)) {
    const kind = run[0].kind;
    if (kind === 'holiday') lines.push(`${describeRun(run)}，不计入工作日。`);
    else if (kind === 'makeup_workday') for (const d of run) lines.push(makeupLine(d, '计入工作日。'));
    else if (kind === 'weekend') weekendDays += run.length;
  }
  if (weekendDays > 0) lines.push(`期间内${lines.length ? '另有' : '有'}星期六、星期日共${weekendDays}天，不计入工作日。`);
  return lines;
}

/** How the nominal last day of a calendar period was found (民法典 第二百零一条、第二百零二条). */
export function calendarEndLine(
  from: string,
  p: CalendarPeriod,
  { monthsEnd, clamped, end }: { monthsEnd: string; clamped: boolean; end: string },
): string {
  const period = cnCalendarPeriod(p);
  const hasMonths = !!(p.years || p.months);
  if (!hasMonths) return `期间为${period}，自${cnDate(addDays(from, 1))}起算，第${p.days ?? 0}日为${cnDate(end)}。`;
  const monthPart = clamped
    ? `到期月没有对应日（${parts(from).d}日），以该月末日${cnDate(monthsEnd)}`
    : `到期月的对应日${cnDate(monthsEnd)}`;
  if (!p.days) return `期间为${period}，${monthPart}为期间的最后一日。`;
  return `期间为${period}：按年、月计算，${monthPart}为对应日，再加${p.days}日为${cnDate(end)}，为期间的最后一日。`;
}

/** Why the last day moved, or why it did not although it is a weekend day. */
export function rollLines(endDay: ClassifiedDay, skipped: ClassifiedDay[], final: string): string[] {
  if (endDay.kind === 'makeup_workday') return [makeupLine(endDay, '是工作日，期间不顺延。')];
  if (skipped.length === 0) return [];
  const what = runs(skipped).map(describeRun).join('，');
  return [
    `${what}，不是工作日。期间届满的最后一日是法定休假日的，以法定休假日后的第一日为期间届满的日期，即${cnDate(final)}（${cnWeekday(final)}）。`,
  ];
}

/**
 * Why a date is provisional: which year's notice is missing and which days were assumed, so the subject
 * and the supervisor can see what the date rests on (DOMAIN.md: never a silent weekends-only count).
 */
export function provisionalLine(year: number, schedule: Pick<YearSchedule, 'holidays' | 'names'>): string {
  const byName = new Map<string, string[]>();
  for (const d of schedule.holidays) {
    const name = schedule.names?.[d] ?? '法定节假日';
    byName.set(name, [...(byName.get(name) ?? []), d]);
  }
  const festivals = [...byName].filter(([n]) => !n.endsWith(MAKEUP_SUFFIX));
  const parts = festivals.map(([name, days]) => {
    const made = byName.get(`${name}${MAKEUP_SUFFIX}`);
    return `${name}${cnDayList(days)}${made ? `（${cnDayList(made)}补假）` : ''}`;
  });
  return (
    `${year}年的节假日安排尚未公布（本系统未载入国务院办公厅关于${year}年部分节假日安排的通知），` +
    `暂按《全国年节及纪念日放假办法》规定的法定节假日计算：${parts.join('，')}；` +
    `法定节假日适逢星期六、星期日的，在其后的工作日补假；不计调休上班日。届满日期为暂定日期，通知公布后将重新计算。`
  );
}

/** The names statutory.ts gives the working days taken off for a holiday that fell on a weekend. */
export const MAKEUP_SUFFIX = '补假';

/** `2月5日、6日、7日、8日` within one year (the year is in the sentence already). */
function cnDayList(days: string[]): string {
  const out: string[] = [];
  let month = 0;
  for (const d of [...days].sort()) {
    const { m, d: day } = parts(d);
    out.push(m === month ? `${day}日` : `${m}月${day}日`);
    month = m;
  }
  return out.join('、');
}
