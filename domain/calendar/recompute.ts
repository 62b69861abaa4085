/**
 * What a running deadline becomes when a year's notice is loaded (DOMAIN.md "Deadlines", API.md
 * `PUT /v1/calendar/years/{year}`). One function, so the workflows' recomputation and the API's dry run
 * can never disagree:
 *
 * - a **subject's** window is never shortened below the date the subject was told (信赖保护): the later of
 *   the notified and the official date, moved off a day that the notice makes a holiday;
 * - an **authority's** period takes the official date; where that date has already passed on the loading
 *   day, it falls due at the end of the loading day instead of being breached after the fact.
 */
import type { StatutoryCalendar } from './calendar';
import type { DeadlineResult, PeriodSpec } from './types';
import { addDays } from './dates';
import { cnDate } from './explain';
import { compute } from './compute';

export type RecomputeRule = 'official' | 'reliance' | 'loading_day';

export interface RecomputeRequest {
  party: 'subject' | 'authority';
  /** The triggering date and period the deadline was computed from (after a resumption: the resumption). */
  from: string;
  period: PeriodSpec;
  /** Working days an approved extension added after the period's end. */
  extendedBy?: number;
  /** The due date in force now: for a subject, the date it was told. */
  currentDueDate: string;
  /** The day the schedule was loaded, Asia/Shanghai. */
  loadedOn: string;
}

export interface Recomputed extends DeadlineResult {
  rule: RecomputeRule;
}

function dueAtOf(dueDate: string): { dueAt: string; dueAtUtc: string } {
  const dueAt = `${addDays(dueDate, 1)}T00:00:00+08:00`;
  return { dueAt, dueAtUtc: new Date(Date.parse(dueAt)).toISOString() };
}

/** The period on the calendar as it now stands, extension included. */
function official(calendar: StatutoryCalendar, req: RecomputeRequest): DeadlineResult {
  const base = compute(calendar, req.from, req.period);
  if (!req.extendedBy) return base;
  const ext = calendar.addWorkingDays(base.dueDate, req.extendedBy);
  return {
    ...ext,
    provisional: base.provisional || ext.provisional,
    calendarVersion: [...new Set([...base.calendarVersion.split('+'), ...ext.calendarVersion.split('+')])].sort().join('+'),
    explanation: [...base.explanation, `经批准延长${req.extendedBy}个工作日。`, ...ext.explanation],
    inputs: base.inputs,
  };
}

/** The official result moved to end on `dueDate`, saying why after what the official count says. */
function movedTo(r: DeadlineResult, dueDate: string, why: string[], rule: RecomputeRule): Recomputed {
  return { ...r, ...dueAtOf(dueDate), dueDate, explanation: [...r.explanation, ...why], rule };
}

export function recomputeOnLoad(calendar: StatutoryCalendar, req: RecomputeRequest): Recomputed {
  const r = official(calendar, req);
  const changed = r.dueDate !== req.currentDueDate ? [`节假日安排载入后重新计算：原届满日期为${cnDate(req.currentDueDate)}。`] : [];

  if (req.party === 'subject' && r.dueDate < req.currentDueDate) {
    // The told date stands; should the notice make it a day off, the period ends on the next working day.
    const kept = calendar.addWorkingDays(req.currentDueDate, 0);
    return movedTo(
      r,
      kept.dueDate,
      [
        `信赖保护：已告知当事人的届满日期为${cnDate(req.currentDueDate)}，晚于按正式放假安排计算的${cnDate(r.dueDate)}；` +
          `当事人的期间不因放假安排的公布而缩短${kept.dueDate === req.currentDueDate ? '' : `，该日为休息日，顺延至${cnDate(kept.dueDate)}`}，于${cnDate(kept.dueDate)}24时届满。`,
      ],
      'reliance',
    );
  }

  if (req.party === 'authority' && r.dueDate < req.loadedOn) {
    return movedTo(
      r,
      req.loadedOn,
      [
        ...changed,
        `按正式放假安排计算，期间应于${cnDate(r.dueDate)}届满，早于放假安排载入之日${cnDate(req.loadedOn)}；` +
          `不溯及认定逾期，期间改为于载入之日${cnDate(req.loadedOn)}24时届满。`,
      ],
      'loading_day',
    );
  }

  return { ...r, explanation: [...r.explanation, ...changed], rule: 'official' };
}
