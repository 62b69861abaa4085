/** Shapes shared by the calendar, the policy table and their callers. */

/** Same shape as `PeriodSpec` in workflows/common/case-types.ts, which the legal clocks pass to the calendar. */
export type PeriodUnit = 'working_days' | 'days' | 'months' | 'years';
export interface PeriodSpec {
  unit: PeriodUnit;
  amount: number;
  /**
   * `calendar_date`: the period is the duration of a sanction (a listing period), not a time within which a party
   * must act, so it ends on the date its years and months give, never moved off a non-working day (the rule of
   * 民事诉讼法 Art 85 protects whoever must act) and never provisional or recomputed.
   */
  endsOn?: 'calendar_date';
}

/** A calendar period; the parts add up (years and months first, then days). */
export interface CalendarPeriod {
  days?: number;
  months?: number;
  years?: number;
}

export type DayKind = 'workday' | 'weekend' | 'holiday' | 'makeup_workday';

export interface DeadlineOptions {
  /** What the triggering day is, for the explanation: `送达之日`, `受理之日`. */
  fromLabel?: string;
}

/** A computed deadline: when it falls, on which calendar, and why (DOMAIN.md "Deadlines"). */
export interface DeadlineResult {
  /** The last day of the period, Asia/Shanghai. */
  dueDate: string;
  /** 24:00 of `dueDate` in Asia/Shanghai: `${dueDate + 1}T00:00:00+08:00`. */
  dueAt: string;
  /** The same instant in UTC (`${dueDate}T16:00:00.000Z`). */
  dueAtUtc: string;
  /** True when a year without a loaded notice was counted on its statutory holidays; recomputed when it arrives. */
  provisional: boolean;
  /** The schedules consulted, `2025-official-1+2026-official-1`; `2027-statutory-provisional` for a year counted on its statutory holidays. */
  calendarVersion: string;
  /** Why the deadline falls where it does, in Chinese, for the subject and the officer. */
  explanation: string[];
  inputs: { from: string; period: PeriodSpec | CalendarPeriod };
}
