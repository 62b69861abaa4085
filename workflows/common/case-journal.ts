import { condition, type ActivityInterfaceFor } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import { proxyCaseActivities, UNTIL_DONE } from './activity-proxies';
import type { CasePatches } from './patches';
import { present } from './present';
import {
  toDeadlineView,
  type Actor,
  type CaseEvent,
  type CaseSnapshot,
  type BlockedPeriod,
  type CaseView,
  type CaseViewOf,
  type Procedure,
  type DeadlineState,
  type EscalationRecord,
  type TimelineItem,
  type CaseEffect,
} from './case-types';

/** What a procedure shows of itself with each change it records. */
export interface ProcedureView<D extends object = object> {
  state: string;
  closed: boolean;
  outcome: string | null;
  details: D;
  allowedActions: (deadlines: DeadlineState[]) => string[];
}

/** One change on a case's timeline, with what it changes in the snapshot and what it raises and asks done. */
export interface JournalEntry {
  actor: Actor;
  at: string;
  /** Names the change on the timeline. */
  action: string;
  detail: Record<string, unknown>;
  /** Applies to the snapshot (the details change through `change`, and through `block`/`unblock` for the clocks). */
  patch?: Partial<Omit<CaseSnapshot, 'version' | 'id' | 'procedure' | 'details'>>;
  /** The audit log's name for it; `case.<action>` unless the clocks name their own. */
  auditAction?: string;
  escalations?: EscalationRecord[];
  effects?: CaseEffect[];
}

/** A change of a procedure: the procedure as it now is, with the deadlines it now has (the recorded ones if none). */
export type ProcedureChange<D extends object = object> = Pick<JournalEntry, 'actor' | 'at' | 'action' | 'detail' | 'effects'> & {
  view: ProcedureView<D>;
  deadlines?: DeadlineState[];
};

/**
 * Keeps a case's state and timeline in the workflow and projects every change to Postgres, in
 * order, through one activity per change (local first, so an action's projection is usually written
 * in the workflow task that took it). A change is accepted in the workflow at once; its projection
 * follows and survives a database outage by retrying.
 */
export class CaseJournal<P extends Procedure = Procedure, D extends object = object> {
  private readonly pending: CaseEvent[] = [];
  /** Changes the projection is writing now (they count as not yet flushed). */
  private writing = 0;
  /** While an action whose caller writes its changes runs, the projection waits (see `hold`). */
  private holds = 0;
  /** Changes handed over to a caller to write, kept until a later action says they are written. */
  private readonly handedOver: CaseEvent[] = [];
  /** Told which calendar years arrived while a provisional deadline was on its way to the registry. */
  onYearsArrived: (years: number[]) => void = () => undefined;
  /**
   * Recomputes the allowed actions when a change brings only deadlines (a clock lapsing or breaching on
   * its own), so a closed period never leaves an action it ended on offer.
   */
  allowedActionsFor?: (deadlines: CaseSnapshot['deadlines']) => string[];
  readonly timeline: TimelineItem[] = [];
  snapshot: CaseSnapshot;
  private readonly procedure: P;
  /** The details as last recorded, typed as the procedure keeps them. */
  private recorded: D;
  /** A period the clocks cannot compute, shown with the details until the procedure's next change or the unblock. */
  private blocked: BlockedPeriod | undefined;
  /**
   * The case's steps, retried until done however long a dependency is away (a case started is a case recorded), run
   * as its patches say: the projection's here, and the procedure's own (CaseProcedure, each workflow's `act`).
   */
  readonly steps: ActivityInterfaceFor<Activities>;

  /** `patches`: the case's (workflows/common/patches.ts), which its clocks and steps ask too. */
  constructor(
    initial: Omit<CaseSnapshot, 'version' | 'deadlines' | 'procedure' | 'details'> & { procedure: P; details: D },
    readonly patches: CasePatches,
  ) {
    this.snapshot = { ...initial, deadlines: [], version: 0 };
    this.procedure = initial.procedure;
    this.recorded = initial.details;
    this.steps = proxyCaseActivities(UNTIL_DONE, patches);
  }

  /** The journal of a case just opened: nothing recorded yet, no actions offered. */
  static opening<P extends Procedure, D extends object>(
    c: Pick<CaseSnapshot, 'id' | 'state' | 'subject' | 'department' | 'createdBy'> & {
      procedure: P;
      details: D;
      openedAt: string;
    },
    patches: CasePatches,
  ): CaseJournal<P, D> {
    const { openedAt, ...rest } = c;
    return new CaseJournal<P, D>(
      {
        ...rest,
        closed: false,
        outcome: null,
        allowedActions: [],
        createdAt: openedAt,
        updatedAt: openedAt,
      },
      patches,
    );
  }

  /**
   * Records a change of a procedure: its state, a copy of its details, its deadlines and the actions it then
   * allows, together, so the read model never shows one without the others.
   */
  change({ view, deadlines = this.snapshot.deadlines, effects = [], ...entry }: ProcedureChange<D>): void {
    this.recorded = jsonCopy(view.details);
    this.blocked = undefined;
    this.record({
      ...entry,
      patch: {
        state: view.state,
        closed: view.closed,
        outcome: view.outcome,
        deadlines,
        allowedActions: view.allowedActions(deadlines),
      },
      effects,
    });
  }

  /** Records a state change: `patch` applies to the snapshot, `action` names it on the timeline. */
  record({ actor, at, action, detail, patch = {}, auditAction = `case.${action}`, escalations = [], effects = [] }: JournalEntry): void {
    const version = this.snapshot.version + 1;
    if (patch.deadlines && !patch.allowedActions && this.allowedActionsFor)
      patch = { ...patch, allowedActions: this.allowedActionsFor(patch.deadlines) };
    this.snapshot = { ...this.snapshot, ...patch, details: this.details, version, updatedAt: at };
    const item: TimelineItem = { seq: version, at, actor: actor.id, role: actor.role, action, detail };
    this.timeline.push(item);
    this.pending.push({
      snapshot: this.snapshot,
      timeline: item,
      audit: { action: auditAction, detail },
      ...(escalations.length ? { escalations } : {}),
      ...(effects.length ? { effects } : {}),
    });
  }

  /** The details as the read model shows them. */
  private get details(): D & { blocked?: BlockedPeriod } {
    return this.blocked ? { ...this.recorded, blocked: this.blocked } : this.recorded;
  }

  /** Records that a period the calendar cannot give holds the case up: it shows in the details until unblocked. */
  block(blocked: BlockedPeriod, entry: Omit<JournalEntry, 'patch'>): void {
    this.blocked = blocked;
    this.record(entry);
  }

  /** Records that the blocked period could be computed after all. */
  unblock(entry: Omit<JournalEntry, 'patch'>): void {
    this.blocked = undefined;
    this.record(entry);
  }

  /**
   * Holds the projection while an action whose caller writes its changes (`takeAction`) runs, so what the action
   * records stays for `release` to hand over. Changes recorded meanwhile on the workflow's own path go with them.
   */
  hold(): void {
    this.holds += 1;
  }

  /**
   * Ends the hold. With `handOver`, the changes waiting now are the caller's to write, in order; they are kept (and
   * written by the projection before its next change) until `confirm` says they are in Postgres. Without it (the
   * action was refused, or closed the case) the projection writes them.
   */
  release(handOver: boolean): CaseEvent[] {
    this.holds -= 1;
    if (!handOver || this.holds > 0) return [];
    const taken = this.pending.splice(0);
    this.handedOver.push(...taken);
    return taken;
  }

  /** The read model a caller judged on stood at `version`: what was handed over up to it is written. */
  confirm(version: number): void {
    while (this.handedOver.length > 0 && present(this.handedOver[0], 'a change handed over').snapshot.version <= version)
      this.handedOver.shift();
  }

  /** Runs for the life of the workflow; callers start it without awaiting. */
  async drain(): Promise<never> {
    for (;;) {
      await condition(() => this.pending.length > 0 && this.holds === 0);
      // A handler that ran between the condition and here may have taken what was waiting (an action handing it over).
      if (this.pending.length === 0 || this.holds > 0) continue;
      // A change handed over and not known written goes first (a caller that died before writing it): written twice, it
      // changes nothing. Histories from before `takeAction` never hand any over.
      const next = present(this.handedOver.shift() ?? this.pending.shift(), 'a pending change');
      this.writing += 1;
      try {
        // Histories recorded before the activity returned anything replay with `undefined` here.
        const result = (await this.steps.recordCaseEvent(next)) as { recomputeYears?: number[] } | undefined;
        if (result?.recomputeYears?.length) this.onYearsArrived(result.recomputeYears);
      } finally {
        this.writing -= 1;
      }
    }
  }

  /** True once every change so far is in Postgres; a workflow waits for this before it completes. */
  get flushed(): boolean {
    return this.pending.length === 0 && this.writing === 0;
  }

  view(documents: CaseView['documents'] = []): CaseViewOf<P, D> {
    const s = this.snapshot;
    return {
      id: s.id,
      procedure: this.procedure,
      state: s.state,
      closed: s.closed,
      ...(s.outcome ? { outcome: s.outcome } : {}),
      subject: s.subject,
      department: s.department,
      createdAt: s.createdAt,
      updatedAt: s.updatedAt,
      details: this.details,
      deadlines: s.deadlines.map(toDeadlineView),
      timeline: this.timeline.map(({ at, actor, role, action, detail }) => ({ at, actor, role, action, detail })),
      documents,
      allowedActions: s.allowedActions,
    };
  }
}

/** A deep copy of plain data, as the projection will store it (undefined members dropped). */
function jsonCopy<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
