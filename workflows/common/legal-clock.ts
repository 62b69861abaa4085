import { ActivityFailure, ApplicationFailure, condition, setHandler, type ActivityInterfaceFor } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import { calendarChangedSignal } from './definitions';
import { proxyCaseActivities, type CaseActivityOptions } from './activity-proxies';
import type { Actor, DeadlineComputation, DeadlineQuote, DeadlineState, EscalationRecord, Party, PeriodSpec } from './case-types';
import type { CaseJournal } from './case-journal';
import { shanghaiDate } from './dates';
import type { PeriodTerm } from '../../domain/calendar/policy';
import { periodOf } from '../../domain/calendar/period-of';
import { STEP_FAULT_TYPES } from '../../domain/faults';
import { CALENDAR_YEAR_MISSING, CalendarRangeError } from '../../domain/calendar/errors';
import { present } from './present';

/**
 * `CalendarOutOfRange`: the calendar can give no date at all (a year outside every rule), a verdict.
 * `CalendarYearMissing` is what cases computed before provisional years could meet; kept so they replay.
 */
const UNCOMPUTABLE = [CalendarRangeError.type, CALENDAR_YEAR_MISSING];

const CALENDAR_STEPS: CaseActivityOptions = {
  startToCloseTimeout: '20 seconds',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '30 seconds',
    nonRetryableErrorTypes: UNCOMPUTABLE,
  },
};

/**
 * Cases that record this marker recompute on a loaded year with the reliance rules (a subject's window never
 * shortened, an authority's passed date moved to the loading day); earlier ones replay the plain recompute.
 */
export const RELIANCE_RECOMPUTE_PATCH = 'reliance-recompute-v1';
/**
 * Cases that record this marker reopen a subject's window that lapsed on a provisional date when the loaded schedule
 * ends it later, on a day still to come; earlier histories replay without the reopening.
 */
export const REOPEN_LAPSED_WINDOW_PATCH = 'reopen-lapsed-window-v1';
/** Cases whose listing period was counted as an authority period keep it where it was when a notice is loaded. */
export const SANCTION_NOT_RECOMPUTED_PATCH = 'listing-period-not-recomputed-v1';

/** How long a blocked period waits before it tries again when no calendar change wakes it first. */
const BLOCKED_RETRY = '1 day';

function uncomputable(err: unknown): ApplicationFailure | undefined {
  const cause = err instanceof ActivityFailure ? err.cause : err;
  // A step fault in the arithmetic (a period it refuses) can never be computed either: on the own path it blocks, visibly.
  return cause instanceof ApplicationFailure && cause.type && (UNCOMPUTABLE.includes(cause.type) || STEP_FAULT_TYPES.includes(cause.type))
    ? cause
    : undefined;
}

/** Whether two periods are the same, whatever the order of their members. */
function samePeriod(a: PeriodSpec, b: PeriodSpec): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].every((k) => (a as unknown as Record<string, unknown>)[k] === (b as unknown as Record<string, unknown>)[k]);
}

/** 2027-01-05 → 2027年1月5日, as the documents and explanations write a day. */
function cnDay(date: string): string {
  const [y, m, d] = date.split('-').map(Number);
  return `${y}年${m}月${d}日`;
}

/** `list` with each of `changes` in place of the deadline of its id, or added at the end. */
function applied(list: DeadlineState[], changes: DeadlineState[]): DeadlineState[] {
  let out = list;
  for (const c of changes) {
    const i = out.findIndex((d) => d.id === c.id);
    out = i < 0 ? [...out, c] : [...out.slice(0, i), c, ...out.slice(i + 1)];
  }
  return out;
}

export const SYSTEM: Actor = { id: 'system', role: 'system' };

/** A period to open: the policy's entry (its amount, unit, party and source), or one given in full. */
export type OpenSpec = {
  /** The triggering date (Asia/Shanghai), not counted. */
  from: string;
  /** When the triggering event happened. */
  startsAt: string;
  /** Who must act, where it is not the case's department; breaches are escalated against it. */
  department?: string;
} & ({ rule: PeriodTerm; kind?: string; period?: PeriodSpec } | { kind: string; party: Party; basis: string; period: PeriodSpec });

type FullSpec = {
  kind: string;
  party: Party;
  basis: string;
  period: PeriodSpec;
  from: string;
  startsAt: string;
  department?: string;
};

/** The spec with the policy entry read: its key names the deadline unless `kind` does, its source is the basis. */
function full(spec: OpenSpec): FullSpec {
  if (!('rule' in spec)) return spec;
  const { rule, kind, period, ...rest } = spec;
  return { ...rest, kind: kind ?? rule.key, party: rule.party, basis: rule.source, period: period ?? periodOf(rule) };
}

export type Expiry = 'met' | 'lapsed' | 'breached' | 'cancelled';

/**
 * The legal clocks of one case: periods that open from a trigger, stop and resume keeping the working
 * days left (补正, awaiting a hearing), are extended once, and move when a provisional date is
 * recomputed. Date arithmetic runs in activities and its result stays in history, so replays never
 * consult a calendar. Every change goes through the case journal (projected to the deadline registry).
 *
 * An action's changes are staged here (`open`, `met`, `suspend`, …) and the procedure's next `record` takes
 * them all, so no changed deadline can be left out of the change that made it; a refused action's staged
 * changes are discarded. Changes the clocks make on their own (a lapse, a breach, a recompute) are recorded at
 * once, without taking what an action in progress has staged.
 *
 * Expiry is decided by the workflow's own timer: an authority's period that passes unmet is breached and
 * escalated at that moment; a subject's window that closes is lapsed.
 */
export class LegalClocks {
  /** Counts the calendar changes this case has been told of, so a blocked period knows when to try again. */
  calendarChanges = 0;
  /**
   * Year → the version of its schedule this case was told is loaded (undefined: that the year is loaded): the calendar
   * activities compute on it.
   */
  readonly calendarTold = new Map<number, string | undefined>();

  /** What the calendar activities must hold to compute for this case (activities/calendar.ts, cachedCalendar). */
  private told(): { calendar?: { year: number; version?: string }[] } {
    if (this.calendarTold.size === 0) return {};
    return { calendar: [...this.calendarTold].map(([year, version]) => (version === undefined ? { year } : { year, version })) };
  }

  /** The date arithmetic, as the case's steps (its patches say how they run). */
  private readonly calendar: ActivityInterfaceFor<Activities>;

  constructor(
    private readonly journal: CaseJournal,
    private readonly department: string,
  ) {
    this.calendar = proxyCaseActivities(CALENDAR_STEPS, journal.patches);
  }

  /** Whether the case takes a patch (its journal holds its patches). */
  private patched(id: string): boolean {
    return this.journal.patches.isPatched(id);
  }

  /** Changes an action has made and the procedure has not yet recorded, in order. */
  private staged: DeadlineState[] = [];

  /** The case's deadlines as they stand, with what the action in progress has staged. */
  get all(): DeadlineState[] {
    return applied(this.journal.snapshot.deadlines, this.staged);
  }

  /** The deadlines with every staged change applied; the stage is empty afterwards. */
  takeChanges(): DeadlineState[] {
    const list = this.all;
    this.staged = [];
    return list;
  }

  discardChanges(): void {
    this.staged = [];
  }

  /** Stages a new or changed deadline for the next recorded change of the case. */
  private stage(d: DeadlineState): DeadlineState {
    this.staged = applied(this.staged, [d]);
    return d;
  }

  find(kind: string): DeadlineState | undefined {
    const list = this.all.filter((d) => d.kind === kind);
    return list[list.length - 1];
  }

  /** The latest deadline of `kind` as recorded, without what an action has staged. */
  private recorded(kind: string): DeadlineState | undefined {
    return this.journal.snapshot.deadlines.filter((d) => d.kind === kind).pop();
  }

  private must(kind: string): DeadlineState {
    const d = this.find(kind);
    if (!d) throw ApplicationFailure.nonRetryable(`no deadline ${kind} on this case`);
    return d;
  }

  /** Deadlines the action in progress brought computed (ActionRequest.quotes); set and cleared by the procedure. */
  quotes: readonly DeadlineQuote[] = [];

  /**
   * The quoted computation of `period` from `from`, if one was computed on every year's schedule this case was told
   * of (a year told with no version: any loaded schedule of it). Histories without quotes never meet one.
   */
  private quoted(from: string, period: PeriodSpec): DeadlineComputation | undefined {
    const q = this.quotes.find((x) => x.from === from && samePeriod(x.period, period));
    if (!q) return undefined;
    for (const [year, version] of this.calendarTold) {
      const held = q.calendar.find((c) => c.year === year);
      if (!held || (version !== undefined && held.version !== version)) return undefined;
    }
    return q.computed;
  }

  /** Computes a deadline without opening it (a date to check against); `open` also stages it. */
  async compute(open: OpenSpec): Promise<DeadlineState> {
    const spec = full(open);
    const c =
      this.quoted(spec.from, spec.period) ??
      (await this.calendar.computeDeadline({ ...this.told(), from: spec.from, period: spec.period }));
    return this.deadlineOf(spec, c);
  }

  /**
   * `open` without a step, where the action's caller computed exactly this period (`quoted`): not an async function,
   * since every promise a workflow makes costs a stack capture in the SDK's promise hook; undefined otherwise.
   */
  openQuoted(open: OpenSpec): DeadlineState | undefined {
    const spec = full(open);
    const c = this.quoted(spec.from, spec.period);
    return c && this.stage(this.deadlineOf(spec, c));
  }

  /** The deadline `spec` opens with computation `c`, numbered after the case's earlier ones of its kind. */
  private deadlineOf(spec: FullSpec, c: DeadlineComputation): DeadlineState {
    const n = this.all.filter((d) => d.kind === spec.kind).length;
    return {
      ...c,
      id: `${this.journal.snapshot.id}:${spec.kind}${n ? `:${n + 1}` : ''}`,
      caseId: this.journal.snapshot.id,
      kind: spec.kind,
      party: spec.party,
      status: 'open',
      from: spec.from,
      period: spec.period,
      startsAt: spec.startsAt,
      basis: spec.basis,
      ...(spec.department ? { department: spec.department } : {}),
      extended: false,
    };
  }

  /**
   * `compute` for the workflow's own path (opening a case, a timer's consequence), where there is no caller to
   * refuse: a period the calendar cannot give at all leaves the case open and visibly blocked, escalated to
   * supervisors, and is tried again on every calendar change (and daily) until it can be computed. In an
   * action's handler use `compute`, whose failure refuses the action and changes nothing.
   */
  async computeOrWait(open: OpenSpec): Promise<DeadlineState> {
    const spec = full(open);
    let blockedSince: string | undefined;
    for (;;) {
      try {
        const d = await this.compute(spec);
        if (blockedSince) {
          const at = new Date(Date.now()).toISOString();
          this.journal.unblock({ actor: SYSTEM, at, action: 'deadline_unblocked', detail: { kind: spec.kind, blockedSince } });
        }
        return d;
      } catch (err) {
        const failure = uncomputable(err);
        if (!failure) throw err;
        if (!blockedSince) {
          blockedSince = new Date(Date.now()).toISOString();
          const deadlineId = `${this.journal.snapshot.id}:${spec.kind}`;
          const blocked = {
            kind: spec.kind,
            since: blockedSince,
            reason: failure.message,
            period: spec.period,
            from: spec.from,
          };
          const escalation: EscalationRecord = {
            id: `${deadlineId}:blocked`,
            deadlineId,
            caseId: this.journal.snapshot.id,
            department: spec.department ?? this.department,
            kind: 'blocked',
            at: blockedSince,
            detail: { deadlineKind: spec.kind, reason: failure.message, basis: spec.basis },
          };
          this.journal.block(blocked, {
            actor: SYSTEM,
            at: blockedSince,
            action: 'deadline_blocked',
            detail: { ...blocked },
            auditAction: 'deadline.blocked',
            escalations: [escalation],
          });
        }
        const seen = this.calendarChanges;
        await condition(() => this.calendarChanges !== seen, BLOCKED_RETRY);
      }
    }
  }

  /** Computes a new deadline and stages it: it opens with the change the procedure records next. */
  async open(spec: OpenSpec): Promise<DeadlineState> {
    return this.stage(await this.compute(spec));
  }

  /** `open` for the workflow's own path: waits, visibly blocked, while the calendar cannot give the period. */
  async openOrWait(spec: OpenSpec): Promise<DeadlineState> {
    return this.stage(await this.computeOrWait(spec));
  }

  /** Stages a deadline as given (one opened already met, say). */
  put(d: DeadlineState): DeadlineState {
    return this.stage(d);
  }

  /** Whether the latest deadline of `kind` still runs (open, or stopped while it waits). */
  running(kind: string): boolean {
    const d = this.find(kind);
    return d !== undefined && (d.status === 'open' || d.status === 'suspended');
  }

  /** Marks the running deadline of `kind` met; nothing when there is none. */
  met(kind: string, at: string): void {
    const d = this.find(kind);
    if (d && this.running(kind)) this.stage({ ...d, status: 'met', metAt: at, closedAt: at });
  }

  cancel(kind: string, at: string): void {
    const d = this.find(kind);
    if (d && this.running(kind)) this.stage({ ...d, status: 'cancelled', closedAt: at });
  }

  /** Ends every running deadline as `how` says: a case closing closes its periods. */
  closeRunning(at: string, how: (d: DeadlineState) => 'met' | 'cancelled' | 'lapsed'): void {
    for (const d of this.all) {
      if (d.status !== 'open' && d.status !== 'suspended') continue;
      const status = how(d);
      this.stage(status === 'met' ? { ...d, status, metAt: at, closedAt: at } : { ...d, status, closedAt: at });
    }
  }

  /** Stops the clock keeping the working days left after `onDate`. */
  async suspend(kind: string, onDate: string): Promise<DeadlineState> {
    const d = this.must(kind);
    if (d.status !== 'open') throw ApplicationFailure.nonRetryable(`deadline ${kind} is ${d.status}, not running`);
    const remaining = await this.calendar.remainingWorkingDays({ ...this.told(), from: onDate, due: d.dueDate });
    return this.stage({ ...d, status: 'suspended', remainingWorkingDays: remaining });
  }

  /** Restarts a stopped clock with the working days it had left, counted from the day after `onDate`. */
  async resume(kind: string, onDate: string): Promise<DeadlineState> {
    const d = this.must(kind);
    if (d.status !== 'suspended') throw ApplicationFailure.nonRetryable(`deadline ${kind} is ${d.status}, not suspended`);
    const remaining = d.remainingWorkingDays ?? 0;
    const c = await this.calendar.computeDeadline({ ...this.told(), from: onDate, period: { unit: 'working_days', amount: remaining } });
    const { remainingWorkingDays: _r, ...rest } = d;
    return this.stage({
      ...rest,
      ...c,
      // From now on the period is the remainder counted from the resumption, which is what a recompute repeats.
      from: onDate,
      period: { unit: 'working_days', amount: remaining },
      status: 'open',
      explanation: [...d.explanation, `期间于${onDate}恢复计算，剩余${remaining}个工作日。`, ...c.explanation],
    });
  }

  /** Extends a running deadline once by `workingDays` from its current due date. */
  async extend(kind: string, workingDays: number, reason: string): Promise<DeadlineState> {
    const d = this.must(kind);
    if (d.extended) throw ApplicationFailure.nonRetryable(`deadline ${kind} was already extended once`);
    if (d.status !== 'open') throw ApplicationFailure.nonRetryable(`deadline ${kind} is ${d.status}`);
    const c = await this.calendar.computeDeadline({
      ...this.told(),
      from: d.dueDate,
      period: { unit: 'working_days', amount: workingDays },
    });
    return this.stage({
      ...d,
      ...c,
      extended: true,
      extendedBy: workingDays,
      explanation: [...d.explanation, `经批准延长${workingDays}个工作日，理由：${reason}。`, ...c.explanation],
    });
  }

  /**
   * Recomputes every running deadline that is provisional or was computed on an earlier version of
   * `year`'s schedule (a year was loaded or corrected, on `loadedOn`); returns those that moved.
   */
  async recomputed(year: number, loadedOn: string): Promise<DeadlineState[]> {
    const moved: DeadlineState[] = [];
    for (const d of this.journal.snapshot.deadlines) {
      if (d.status !== 'open' && d.status !== 'suspended') continue;
      if (!d.provisional && !d.calendarVersion.includes(`${year}-`)) continue;
      // A listing period is a sanction's duration: no notice moves it (those counted before it ended on its calendar date included).
      if (d.period.endsOn === 'calendar_date' || (d.kind === 'listing_period' && this.patched(SANCTION_NOT_RECOMPUTED_PATCH))) continue;
      // An extension recorded before `extendedBy` existed cannot be repeated: such a deadline keeps its date.
      if (d.extended && d.extendedBy === undefined && this.patched(RELIANCE_RECOMPUTE_PATCH)) continue;
      const c = this.patched(RELIANCE_RECOMPUTE_PATCH)
        ? await this.calendar.recomputeDeadline({
            ...this.told(),
            party: d.party,
            from: d.from,
            period: d.period,
            ...(d.extendedBy ? { extendedBy: d.extendedBy } : {}),
            currentDueDate: d.dueDate,
            loadedOn,
          })
        : await this.calendar.computeDeadline({ ...this.told(), from: d.from, period: d.period });
      if (c.dueAt !== d.dueAt || c.provisional !== d.provisional || c.calendarVersion !== d.calendarVersion) {
        const { rule: _rule, ...computation } = c as typeof c & { rule?: string };
        moved.push({ ...d, ...computation });
      }
    }
    return moved;
  }

  /**
   * A subject keeps every day the official calendar gives: a window that lapsed on a date counted provisionally for
   * `year` reopens when the official count ends it later, on a day still to come (行政处罚法 Art 44, 62: a decision
   * taken without hearing a statement made in time is defective). One whose later day has passed too stays lapsed;
   * the API raises it to the supervisors with the filings it refused in between (db/lapsed-windows.ts).
   */
  async reopenedBy(year: number): Promise<DeadlineState[]> {
    const out: DeadlineState[] = [];
    for (const d of this.journal.snapshot.deadlines) {
      if (d.status !== 'lapsed' || d.party !== 'subject' || !d.provisional || !d.calendarVersion.includes(`${year}-statutory-provisional`))
        continue;
      if (!this.patched(REOPEN_LAPSED_WINDOW_PATCH)) continue;
      const c = await this.calendar.computeDeadline({ ...this.told(), from: d.from, period: d.period });
      if (c.dueDate <= d.dueDate || Date.parse(c.dueAt) <= Date.now()) continue;
      const at = new Date(Date.now()).toISOString();
      const { closedAt: _closed, ...open } = d;
      out.push({
        ...open,
        ...c,
        status: 'open',
        reopened: { previousDueDate: d.dueDate, previousDueAt: d.dueAt, at },
        explanation: [
          ...c.explanation,
          `原按法定节假日暂定于${cnDay(d.dueDate)}届满并已期满；正式放假安排公布后，期间至${cnDay(c.dueDate)}届满，当事人的期间重新开放至该日。`,
        ],
      });
    }
    return out;
  }

  /**
   * Resolves when the deadline stops running: 'met'/'cancelled' by an action, or at its due instant
   * by the workflow's own timer, when it is recorded as lapsed (subject) or breached and escalated
   * (authority). Suspension pauses the timer; a moved due date moves it.
   */
  async expiry(kind: string): Promise<Expiry> {
    const r = await this.untilDue(kind);
    return r === 'due' ? this.expire(present(this.recorded(kind), `deadline ${kind}`)) : r;
  }

  /**
   * Resolves at the deadline's due instant ('due', nothing recorded) or when it stops running first.
   * For terms that simply end (a listing period), where reaching the date is no one's breach.
   */
  async untilDue(kind: string): Promise<Expiry | 'due'> {
    for (;;) {
      const d = this.recorded(kind);
      if (!d) throw ApplicationFailure.nonRetryable(`no deadline ${kind} on this case`);
      if (d.status === 'met' || d.status === 'cancelled' || d.status === 'lapsed' || d.status === 'breached') return d.status;
      // Wake only when this deadline itself changes (status or due instant) as recorded, so neither other
      // changes of the case nor what an action has staged but not yet recorded cancel and restart its timer.
      const seen = `${d.status}|${d.dueAt}`;
      const changed = () => {
        const now = this.recorded(kind);
        return !now || `${now.status}|${now.dueAt}` !== seen;
      };
      if (d.status === 'suspended') {
        await condition(changed);
        continue;
      }
      const ms = Date.parse(d.dueAt) - Date.now();
      if (ms > 0) {
        await condition(changed, ms);
        continue;
      }
      return 'due';
    }
  }

  /**
   * Set by a procedure that must act when a subject's window reopens: given every moved deadline and the reopened
   * ones, it records them itself (true) or leaves them to be recorded as a plain recompute (false).
   */
  onReopened?: (moved: DeadlineState[], reopened: DeadlineState[]) => Promise<boolean>;

  /** The recorded deadlines with `changes` applied: what a change the clocks make on their own records. */
  recordedWith(changes: DeadlineState[]): DeadlineState[] {
    return applied(this.journal.snapshot.deadlines, changes);
  }

  private expire(d: DeadlineState): Expiry {
    const at = new Date(Date.now()).toISOString();
    if (d.party === 'subject') {
      const next: DeadlineState = { ...d, status: 'lapsed', closedAt: at };
      this.journal.record({
        actor: SYSTEM,
        at,
        action: 'deadline_lapsed',
        detail: { deadline: d.id, kind: d.kind, dueAt: d.dueAt },
        patch: { deadlines: this.recordedWith([next]) },
      });
      return 'lapsed';
    }
    const next: DeadlineState = { ...d, status: 'breached', closedAt: at };
    const escalation: EscalationRecord = {
      id: `${d.id}:breach`,
      deadlineId: d.id,
      caseId: d.caseId,
      department: d.department ?? this.department,
      kind: 'breach',
      at,
      detail: { deadlineKind: d.kind, dueAt: d.dueAt, basis: d.basis },
    };
    this.journal.record({
      actor: SYSTEM,
      at,
      action: 'deadline_breached',
      detail: { deadline: d.id, kind: d.kind, dueAt: d.dueAt },
      patch: { deadlines: this.recordedWith([next]) },
      auditAction: 'deadline.breached',
      escalations: [escalation],
    });
    return 'breached';
  }
}

/**
 * Moves the case's provisional deadlines when a new year's schedule arrives. Signals coalesce: any
 * number of loads while a recomputation runs lead to one more pass.
 */
export function followCalendarChanges(journal: CaseJournal, clocks: LegalClocks): void {
  /** Year → the day it was loaded (Asia/Shanghai), which decides where a passed authority date moves. */
  const years = new Map<number, string>();
  const today = () => shanghaiDate(new Date(Date.now()).toISOString());
  setHandler(calendarChangedSignal, ({ year, version, loadedAt }) => {
    years.set(year, loadedAt ? shanghaiDate(loadedAt) : today());
    // A signal is the loader's word after its commit: every computation from now on must see this version.
    if (typeof version === 'string') clocks.calendarTold.set(year, version);
    clocks.calendarChanges += 1;
  });
  journal.onYearsArrived = (arrived) => {
    for (const y of arrived) {
      years.set(y, today());
      // The projection saw the year in Postgres: the recomputation must too, however young the calendar an activity holds.
      if (!clocks.calendarTold.has(y)) clocks.calendarTold.set(y, undefined);
    }
  };
  void (async () => {
    for (;;) {
      await condition(() => years.size > 0);
      const [year, loadedOn] = present([...years][0], 'a loaded year');
      years.delete(year);
      const recomputed = await clocks.recomputed(year, loadedOn);
      const reopened = await clocks.reopenedBy(year);
      const moved = [...recomputed, ...reopened];
      if (moved.length === 0) continue;
      // The procedure says what a reopened window means for the case (a statement window moves the case back), and
      // records it; any other window runs to its new end like any subject's period.
      if (reopened.length && clocks.onReopened && (await clocks.onReopened(moved, reopened))) continue;
      for (const d of reopened) void clocks.expiry(d.kind);
      const deadlines = clocks.recordedWith(moved);
      const at = new Date(Date.now()).toISOString();
      journal.record({
        actor: SYSTEM,
        at,
        action: 'deadlines_recomputed',
        detail: {
          moved: moved.map((d) => ({
            deadline: d.id,
            dueAt: d.dueAt,
            provisional: d.provisional,
            calendarVersion: d.calendarVersion,
          })),
        },
        patch: { deadlines },
      });
    }
  })();
}
