import { allHandlersFinished, condition, type ApplicationFailure } from '@temporalio/workflow';
import type { CasePatches } from './patches';
import type { Words } from '../../contract/problem';
import type { DocumentMeta } from '../../activities/listing-documents';
import { refused, serveCaseActions } from './actions';
import { STEP_FAULT_PATCH, stepFaultOf, stepFaultRefusal, type StepFaultInfo } from './step-faults';
import { CaseJournal, type JournalEntry } from './case-journal';
import type {
  ActionChanges,
  ActionRequest,
  Actor,
  CaseEffect,
  CaseView,
  CaseViewOf,
  DeadlineState,
  DocumentQuote,
  Procedure,
  Subject,
} from './case-types';
import { canonicalJson } from '../../domain/canonical-json';
import { followCalendarChanges, LegalClocks, SYSTEM } from './legal-clock';
import { mutex } from './mutex';

/** How long work on the workflow's own path waits after a step fault before it tries again, unless the calendar changes first. */
const FAULT_RETRY = '1 day';

/** What a procedure tells the skeleton about itself; read at every change, so it always shows the procedure as it is now. */
export interface ProcedureSpec<P extends Procedure, D extends object> {
  opening: Parameters<typeof CaseJournal.opening<P, D>>[0];
  /** The case's patches (workflows/common/patches.ts `casePatches`), asked before anything else. */
  patches: CasePatches;
  state: () => string;
  closed: () => boolean;
  outcome: () => string | null;
  details: D;
  allowedActions: (deadlines: DeadlineState[]) => string[];
  /** Whether a change that brings only deadlines (a clock lapsing on its own) recomputes the allowed actions. */
  recomputeAllowedOnDeadlines?: boolean;
}

/** The opening of a case a subject filed (an objection, a repair application) with the agency, `input.department`. */
export function filedCaseOpening<P extends Procedure, D extends object>(
  input: { caseId: string; subject: Subject; department: string; filedBy: Actor; openedAt: string },
  procedure: P,
  state: string,
  details: D,
): ProcedureSpec<P, D>['opening'] {
  return {
    id: input.caseId,
    procedure,
    state,
    subject: input.subject,
    department: input.department,
    createdBy: input.filedBy.id,
    details: { ...details },
    openedAt: input.openedAt,
  };
}

/** What a procedure records of a change; its state, details, deadlines and allowed actions go with it. */
export type ProcedureEntry = Pick<JournalEntry, 'actor' | 'at' | 'action' | 'detail' | 'effects'>;

/**
 * The skeleton every procedure shares: its case journal (projected to Postgres), its legal clocks (following
 * calendar changes), the case lock that takes one action at a time, the documents it has issued, the `act`
 * Update and the `getCase` query, and the end of the run once everything is recorded and answered. A procedure
 * keeps its states and what each action does; this keeps the rest.
 */
export class CaseProcedure<P extends Procedure, D extends object> {
  readonly journal: CaseJournal<P, D>;
  readonly clocks: LegalClocks;
  readonly documents: DocumentMeta[] = [];
  private readonly lock = mutex();
  /** Documents the action in progress brought rendered (ActionRequest.quotes). */
  private documentQuotes: readonly DocumentQuote[] = [];
  /** Effects the action in progress staged for its next record (a quoted document to store), dropped if it is refused. */
  private stagedEffects: CaseEffect[] = [];

  constructor(private readonly spec: ProcedureSpec<P, D>) {
    this.journal = CaseJournal.opening(spec.opening, spec.patches);
    this.clocks = new LegalClocks(this.journal, spec.opening.department);
    if (spec.recomputeAllowedOnDeadlines) this.journal.allowedActionsFor = (deadlines) => spec.allowedActions(deadlines);
    followCalendarChanges(this.journal, this.clocks);
  }

  /** Serves a document of the case on its subject at once, electronically (one the case sends itself). */
  async serveElectronically(doc: DocumentMeta, at: string): Promise<void> {
    await this.journal.steps.markDocumentServed({
      documentId: doc.id,
      subjectId: this.spec.opening.subject.id,
      method: 'electronic',
      servedAt: at,
    });
  }

  /**
   * Records a change of the procedure with its state, details, the actions it now allows and every deadline
   * change the clocks have staged since the last one.
   */
  record(entry: ProcedureEntry): void {
    if (this.stagedEffects.length > 0) {
      entry = { ...entry, effects: [...this.stagedEffects, ...(entry.effects ?? [])] };
      this.stagedEffects = [];
    }
    const s = this.spec;
    const view = {
      state: s.state(),
      closed: s.closed(),
      outcome: s.outcome(),
      details: s.details,
      allowedActions: s.allowedActions,
    };
    this.journal.change({ ...entry, view, deadlines: this.clocks.takeChanges() });
  }

  /**
   * The document the action's caller rendered for exactly `request` (the case's facts aside, read by the renderer from
   * the case's opening record), staged to be stored with the action's next record; undefined if none was.
   */
  quotedDocument(request: Record<string, unknown>): DocumentQuote['meta'] | undefined {
    if (this.documentQuotes.length === 0) return undefined;
    const wanted = canonicalJson(request);
    const q = this.documentQuotes.find((d) => canonicalJson(d.request) === wanted);
    if (!q) return undefined;
    this.stagedEffects.push({ type: 'document_quoted', procedure: this.spec.opening.procedure, request: q.request, sha256: q.meta.sha256 });
    return q.meta;
  }

  /** A refusal the API answers with 409 and the reason. */
  refuse(message: Words, info: Record<string, unknown> = {}): ApplicationFailure {
    return refused(this.spec.state(), message, info);
  }

  /** Runs `fn` holding the case lock, after every action and timer path that asked before it. */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    return this.lock.run(fn);
  }

  /** Serves the case's actions and starts projecting its changes. `ready`: false while the opening still computes. */
  serve(actions: {
    refusal: (req: ActionRequest) => ApplicationFailure | null;
    handle: (req: ActionRequest) => Promise<void>;
    ready?: () => boolean;
    /**
     * The case view as the API's union: the identity, written where the procedure and its details type are known, so
     * the compiler checks that they make a `CaseView`.
     */
    asCaseView: (view: CaseViewOf<P, D>) => CaseView;
  }): void {
    const handle = (req: ActionRequest): Promise<void> => this.acting(req.action, req.actor, () => actions.handle(req), req.quotes);
    serveCaseActions({
      run: (fn) => this.lock.run(fn),
      ...actions,
      handle,
      handingOver: (req, take) => this.handingOver(req, take),
      handingOverWhile: (until) => this.handingOverWhile(until),
      view: () => actions.asCaseView(this.journal.view(this.documents)),
    });
    void this.journal.drain();
  }

  /**
   * Runs an action's work (under the case lock) for a caller that writes its changes (`takeAction`): the projection
   * waits meanwhile, and the changes recorded are the answer. A refused action hands nothing over (what the workflow's
   * own path recorded meanwhile is projected as usual). An action that closed the case is projected here before the
   * answer, since the run completes right after it and could no longer write what a dead caller left unwritten.
   */
  handingOver(req: ActionRequest, take: () => Promise<void>): Promise<ActionChanges> {
    if (req.confirmedVersion !== undefined) this.journal.confirm(req.confirmedVersion);
    return this.handingOverWhile(take);
  }

  /** `handingOver` for any work: what is recorded while `work` runs is the caller's to write (the case's opening, say). */
  async handingOverWhile(work: () => Promise<void>): Promise<ActionChanges> {
    this.journal.hold();
    try {
      await work();
    } catch (err) {
      this.journal.release(false);
      throw err;
    }
    if (!this.spec.closed()) return { changes: this.journal.release(true) };
    this.journal.release(false);
    await condition(() => this.journal.flushed);
    return { changes: [] };
  }

  /**
   * Runs an action's work (under the case lock). A refused action records nothing: what it staged before the
   * refusal goes with it, and so do the changes it made to the details. A step that can never succeed (a
   * configuration or data fault, domain/faults.ts) refuses the action, raised to the supervisors as an
   * incident, instead of being retried while the caller waits; the workflow itself never fails on it. `quotes`: the
   * steps the action's caller worked out ahead (ActionRequest.quotes), offered to the clocks and the documents while
   * `fn` runs.
   */
  async acting<T>(action: string, actor: Actor, fn: () => Promise<T>, quotes?: ActionRequest['quotes']): Promise<T> {
    const before = JSON.stringify(this.spec.details);
    try {
      this.clocks.quotes = quotes?.deadlines ?? [];
      this.documentQuotes = quotes?.documents ?? [];
      try {
        return await fn();
      } finally {
        this.clocks.quotes = [];
        this.documentQuotes = [];
      }
    } catch (err) {
      const { fault, incidentId } = await this.undone(err, before, action, actor);
      throw stepFaultRefusal(action, this.spec.state(), fault, incidentId);
    }
  }

  /**
   * Work on the workflow's own path (a timer's consequence), where no caller can be refused: after a step fault it
   * is raised as an incident and tried again on the next calendar change or the next day, while `stillDue` holds
   * (an action may have made it moot meanwhile). Anything else is thrown, as before.
   */
  async ownPath(action: string, fn: () => Promise<void>, stillDue: () => boolean): Promise<void> {
    for (let first = true; first || stillDue(); first = false) {
      const done = await this.exclusive(async () => {
        // Taken under the lock: an action that went first keeps what it changed.
        const before = JSON.stringify(this.spec.details);
        try {
          await fn();
          return true;
        } catch (err) {
          await this.undone(err, before, action, SYSTEM);
          return false;
        }
      });
      if (done) return;
      const seen = this.clocks.calendarChanges;
      await condition(() => this.clocks.calendarChanges !== seen, FAULT_RETRY);
    }
  }

  /**
   * Undoes what failed work left (staged deadlines, and with the marker its changes to the details) and, for a
   * step fault, raises the incident; anything that is not a step fault is thrown again.
   */
  private async undone(err: unknown, before: string, action: string, actor: Actor): Promise<{ fault: StepFaultInfo; incidentId: string }> {
    this.clocks.discardChanges();
    this.stagedEffects = [];
    // Histories from before the marker replay without the restore (their later steps saw the details as left).
    if (!this.journal.patches.isPatched(STEP_FAULT_PATCH)) throw err;
    restoreInPlace(this.spec.details, JSON.parse(before));
    const fault = stepFaultOf(err);
    if (!fault) throw err;
    const s = this.journal.snapshot;
    // One incident per action, step and version of the case: the same refusal again adds none.
    const incidentId = `${s.id}:incident:${action}:${fault.step}:v${s.version}`;
    // Written before the refusal is answered, however long the database is away.
    await this.journal.steps.raiseIncident({
      id: incidentId,
      caseId: s.id,
      department: s.department,
      at: new Date(Date.now()).toISOString(),
      detail: {
        action,
        step: fault.step,
        fault: fault.fault,
        cause: fault.cause,
        state: this.spec.state(),
        actor: actor.id,
      },
    });
    return { fault, incidentId };
  }

  /** Resolves once the case is closed, every change is in Postgres and every accepted Update has its answer. */
  finished(): Promise<void> {
    // Every accepted Update is answered before the run ends (a completed workflow answers none).
    return condition(() => this.spec.closed() && this.journal.flushed && !this.lock.busy && allHandlersFinished());
  }
}

/** Puts `saved` back into `target` (the procedure's details object, which its code holds by reference). */
function restoreInPlace(target: object, saved: unknown): void {
  for (const k of Object.keys(target)) Reflect.deleteProperty(target, k);
  Object.assign(target, saved);
}
