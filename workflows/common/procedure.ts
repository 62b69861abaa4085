import { allHandlersFinished, condition, type ApplicationFailure } from '@temporalio/workflow';
import type { DocumentMeta } from '../../activities/listing-documents';
import { refused, serveCaseActions } from './actions';
import { CaseJournal } from './case-journal';
import type { ActionRequest, Actor, CaseEffect, DeadlineState } from './case-types';
import { followCalendarChanges, LegalClocks } from './legal-clock';
import { mutex } from './mutex';

/** What a procedure tells the skeleton about itself; read at every change, so it always shows the procedure as it is now. */
export interface ProcedureSpec {
  opening: Parameters<typeof CaseJournal.opening>[0];
  state: () => string;
  closed: () => boolean;
  outcome: () => string | null;
  details: object;
  allowedActions: (deadlines: DeadlineState[]) => string[];
  /** Whether a change that brings only deadlines (a clock lapsing on its own) recomputes the allowed actions. */
  recomputeAllowedOnDeadlines?: boolean;
}

/**
 * The skeleton every procedure shares: its case journal (projected to Postgres), its legal clocks (following
 * calendar changes), the case lock that takes one action at a time, the documents it has issued, the `act`
 * Update and the `getCase` query, and the end of the run once everything is recorded and answered. A procedure
 * keeps its states and what each action does; this keeps the rest.
 */
export class CaseProcedure {
  readonly journal: CaseJournal;
  readonly clocks: LegalClocks;
  readonly documents: DocumentMeta[] = [];
  private readonly lock = mutex();

  constructor(private readonly spec: ProcedureSpec) {
    this.journal = CaseJournal.opening(spec.opening);
    this.clocks = new LegalClocks(this.journal, spec.opening.department);
    if (spec.recomputeAllowedOnDeadlines) this.journal.allowedActionsFor = (deadlines) => spec.allowedActions(deadlines);
    followCalendarChanges(this.journal, this.clocks);
  }

  /**
   * Records a change of the procedure with its state, details, the actions it now allows and every deadline
   * change the clocks have staged since the last one.
   */
  record(actor: Actor, at: string, action: string, detail: Record<string, unknown>, effects: CaseEffect[] = []): void {
    const s = this.spec;
    const view = { state: s.state(), closed: s.closed(), outcome: s.outcome(), details: s.details, allowedActions: s.allowedActions };
    this.journal.change(actor, at, action, detail, view, this.clocks.takeChanges(), effects);
  }

  /** A refusal the API answers with 409 and the reason. */
  refuse(message: string, info: Record<string, unknown> = {}): ApplicationFailure {
    return refused(this.spec.state(), message, info);
  }

  /** Runs `fn` holding the case lock, after every action and timer path that asked before it. */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    return this.lock.run(fn);
  }

  /** Serves the case's actions and starts projecting its changes. `ready`: false while the opening still computes. */
  serve(actions: { refusal: (req: ActionRequest) => ApplicationFailure | null; handle: (req: ActionRequest) => Promise<void>; ready?: () => boolean }): void {
    const handle = async (req: ActionRequest): Promise<void> => {
      try {
        await actions.handle(req);
      } catch (err) {
        // A refused action records nothing: what it staged before the refusal goes with it.
        this.clocks.discardChanges();
        throw err;
      }
    };
    serveCaseActions({ run: (fn) => this.lock.run(fn), ...actions, handle, view: () => this.journal.view(this.documents) });
    void this.journal.drain();
  }

  /** Resolves once the case is closed, every change is in Postgres and every accepted Update has its answer. */
  finished(): Promise<void> {
    // Every accepted Update is answered before the run ends (a completed workflow answers none).
    return condition(() => this.spec.closed() && this.journal.flushed && !this.lock.busy && allHandlersFinished());
  }
}
