import type { ActionRequest, Actor } from '../common/case-types';
import { casePatches } from '../common/patches';
import { proxyLinkedActivities } from '../common/activity-proxies';
import { shanghaiDate } from '../common/dates';
import { SYSTEM } from '../common/legal-clock';
import { present } from '../common/present';
import { CaseProcedure, filedCaseOpening } from '../common/procedure';
import { typedAction } from '../common/action-definitions';
import type { ObjectionInput, ObjectionState } from './definitions';
import type { objectionActions } from './actions';
import { objectionActionTitles } from './titles';
import type { ObjectionCaseOutcome, ObjectionDetails } from './details';
import { allowedObjectionActions, objectionRefusal } from './rules';

// Acts on the listing's workflow.
const linked = proxyLinkedActivities();

/**
 * Objection to a credit record (Art 49, 51): the record carries an objection mark while the case is open;
 * the credit agency may ask once for a supplement (its clock stops until it arrives), accepts or declines,
 * decides itself or forwards to the supplying department, whose period a supervisor may extend once. The
 * outcome changes the record in the same transaction that closes the case, and the subject is told the
 * result and who decided it. What each state allows and refuses: rules.ts.
 *
 *   submitted            accept → verifying; decline → declined; request_supplement → awaiting_supplement
 *   awaiting_supplement  submit_supplement → back where it was asked; the window ends unused
 *                        (whenSupplementWindowEnds) → declined, withdrawn
 *   verifying            decide → decided; forward → forwarded; request_supplement (once) → awaiting_supplement
 *   forwarded            decide (by the supplying department) → decided; extend (once) moves its period
 *
 * The agency's period to forward and the supplier's to decide are breached and escalated when they end
 * (whenForwardPeriodEnds, whenDecidePeriodEnds); the case goes on.
 */
export async function objectionWorkflow(input: ObjectionInput): Promise<void> {
  const patches = casePatches(input);
  const policy = input.policy;
  const agency = input.department;
  const details: ObjectionDetails = {
    record: input.record,
    grounds: input.grounds,
    statement: input.statement,
    evidence: input.evidence,
    markedAt: input.markedAt,
    decidingDepartment: agency,
  };
  let state: ObjectionState = 'submitted';
  const closed = () => state === 'decided' || state === 'declined';
  const proc = new CaseProcedure({
    patches,
    opening: filedCaseOpening(input, 'objection', state, details),
    state: () => state,
    closed,
    outcome: () => details.closure?.outcome ?? null,
    details,
    allowedActions: (deadlines) => allowedObjectionActions(state, details, deadlines),
    recomputeAllowedOnDeadlines: true,
  });
  const { clocks, documents } = proc;
  const act = proc.journal.steps;
  const record = proc.record.bind(proc);
  const refuse = proc.refuse.bind(proc);

  async function handle(req: ActionRequest): Promise<void> {
    const at = req.receivedAt;
    const actor = req.actor;
    const on = shanghaiDate(at);
    const r = typedAction<typeof objectionActions>(objectionActionTitles, req);
    switch (r.action) {
      case 'request_supplement': {
        const b = r.body;
        // The agency's clock stops while the subject completes the file (补正); the subject's window opens.
        const running = clocks.find('objection_forward')?.status === 'open';
        const stopped = running ? await clocks.suspend('objection_forward', on) : undefined;
        const window = await clocks.open({
          rule: policy.objection_supplement,
          kind: 'supplement_window',
          from: on,
          startsAt: at,
        });
        details.supplement = { requestedAt: at, requestedBy: actor.id, items: b.items, returnTo: state };
        state = 'awaiting_supplement';
        record({
          actor,
          at,
          action: 'request_supplement',
          detail: { items: b.items, supplementDue: window.dueAt, remainingWorkingDays: stopped?.remainingWorkingDays ?? null },
        });
        whenSupplementWindowEnds();
        return;
      }
      case 'submit_supplement': {
        const b = r.body;
        // The body's default (`evidence: []`) is the API's parse; a body sent to the workflow without it has none.
        const evidence = (b.evidence as typeof b.evidence | undefined) ?? [];
        clocks.met('supplement_window', at);
        const resumed = clocks.find('objection_forward')?.status === 'suspended' ? await clocks.resume('objection_forward', on) : undefined;
        details.supplement = { ...present(details.supplement, 'the supplement requested'), receivedAt: at, evidence };
        state = details.supplement.returnTo;
        record({ actor, at, action: 'submit_supplement', detail: { evidence: evidence.length, forwardDue: resumed?.dueAt ?? null } });
        return;
      }
      case 'accept': {
        const b = r.body;
        details.acceptance = { at, by: actor.id, ...(b.reasons ? { reasons: b.reasons } : {}) };
        state = 'verifying';
        record({ actor, at, action: 'accept', detail: b.reasons ? { reasons: b.reasons } : {} });
        return;
      }
      case 'decline': {
        const b = r.body;
        return close(actor, at, 'declined', b.reasons ?? '不符合异议受理条件');
      }
      case 'forward': {
        const b = r.body;
        const decide = await clocks.open({
          rule: policy.objection_decide,
          from: on,
          startsAt: at,
          department: b.department,
        });
        clocks.met('objection_forward', at);
        details.forward = { to: b.department, at, by: actor.id };
        details.decidingDepartment = b.department;
        state = 'forwarded';
        record({ actor, at, action: 'forward', detail: { department: b.department, decideDue: decide.dueAt } });
        whenDecidePeriodEnds();
        return;
      }
      case 'extend': {
        const b = r.body;
        const extended = await clocks.extend('objection_decide', b.workingDays, b.reason);
        details.extension = { at, by: actor.id, reason: b.reason, workingDays: b.workingDays };
        record({ actor, at, action: 'extend', detail: { workingDays: b.workingDays, reason: b.reason, decideDue: extended.dueAt } });
        return;
      }
      case 'decide': {
        const b = r.body;
        let listingRevoked: boolean | undefined;
        if (b.outcome === 'remove_from_list') {
          // The listing ends through its own workflow, which publishes the removal and notifies the subject.
          const r = await linked.revokeListingForObjection({
            listingCaseId: present(details.record.listingCaseId, 'the listing the record reports'),
            objectionCaseId: input.caseId,
            actor,
            reasons: b.reasons,
          });
          if (!r.ok)
            throw refuse(
              {
                zh: `列入 ${details.record.listingCaseId} 无法移出（${r.reason}）`,
                en: `the listing ${details.record.listingCaseId} cannot be removed: ${r.reason}`,
              },
              {
                listingCaseId: details.record.listingCaseId,
              },
            );
          listingRevoked = true;
        }
        details.decision = {
          outcome: b.outcome,
          reasons: b.reasons,
          ...('correctedContent' in b ? { correctedContent: b.correctedContent } : {}),
          by: actor.id,
          department: details.decidingDepartment,
          at,
          ...(listingRevoked ? { listingRevoked } : {}),
        };
        return close(actor, at, b.outcome, b.reasons);
      }
    }
  }

  /** Ends the case: the record settles in the same transaction, open periods close, the subject gets the result notice. */
  async function close(actor: Actor, at: string, outcome: ObjectionCaseOutcome, reasons: string) {
    const decidedBy = details.decision?.department ?? agency;
    const documentId = `${input.caseId}-D${documents.length + 1}`;
    const doc = await act.issueObjectionResultNotice({
      documentId,
      issuedAt: at,
      input,
      outcome,
      reasons,
      ...(details.decision?.correctedContent ? { correctedContent: details.decision.correctedContent } : {}),
      decidingDepartment: decidedBy,
    });
    documents.push(doc);
    await proc.serveElectronically(doc, at);
    // Deciding, declining or forwarding in time meets the period that asked for it; a subject's window just closes.
    clocks.closeRunning(at, (d) => (d.party === 'authority' && outcome !== 'withdrawn' ? 'met' : 'cancelled'));
    details.closure = { outcome, at, reasons, documentId: doc.id };
    state = outcome === 'declined' || outcome === 'withdrawn' ? 'declined' : 'decided';
    record({
      actor,
      at,
      action: outcome === 'declined' || outcome === 'withdrawn' ? 'decline' : 'decide',
      detail: { outcome, reasons, decidedBy, documentId: doc.id, sha256: doc.sha256 },
      effects: [
        {
          type: 'settle_objection',
          caseId: input.caseId,
          recordId: input.record.id,
          outcome,
          reasons,
          ...(details.decision?.correctedContent ? { correctedContent: details.decision.correctedContent } : {}),
          decidedBy,
        },
      ],
    });
  }

  // ---- lifecycle: what happens when a period ends ----

  /** Missing the agency's 2 working days to forward is its breach, escalated; the case goes on and the mark stays. */
  function whenForwardPeriodEnds() {
    void clocks.expiry('objection_forward');
  }

  /** A subject who lets the supplement window close without supplying the file has withdrawn the objection. */
  function whenSupplementWindowEnds() {
    void clocks.expiry('supplement_window').then((r) => {
      if (r !== 'lapsed' || state !== 'awaiting_supplement') return;
      void proc.ownPath(
        'withdraw',
        () => close(SYSTEM, new Date(Date.now()).toISOString(), 'withdrawn', '申请人逾期未补正材料，视为撤回异议申请'),
        () => state === 'awaiting_supplement',
      );
    });
  }

  /** A breach is escalated against the supplying department by the clock; the case and the mark stay open. */
  function whenDecidePeriodEnds() {
    void clocks.expiry('objection_decide');
  }

  // ---- the case: received and marked, then accepted, forwarded and decided (or declined, or withdrawn) ----

  // An action that arrives while the opening still computes its periods waits for it.
  let open = false;
  const refusal = (req: ActionRequest) =>
    objectionRefusal({ state, details, deadlines: clocks.all, agency, decidePeriod: policy.objection_decide }, req);
  proc.serve({ refusal, handle, ready: () => open, asCaseView: (v) => v });

  // Receipt: the record was marked when the objection was filed; the agency's period to forward starts now.
  const receivedOn = shanghaiDate(input.openedAt);
  // Opening has no caller to refuse: a period the calendar cannot give holds the case, escalated, until it can.
  const mark = await clocks.computeOrWait({ rule: policy.objection_mark, from: receivedOn, startsAt: input.openedAt });
  // The mark was set when the objection was filed, so its period is met on opening.
  clocks.put({ ...mark, status: 'met', metAt: input.markedAt, closedAt: input.markedAt });
  const forward = await clocks.openOrWait({
    rule: policy.objection_forward,
    from: receivedOn,
    startsAt: input.openedAt,
  });
  const opened = {
    recordId: input.record.id,
    grounds: input.grounds,
    evidence: input.evidence.length,
    markedAt: input.markedAt,
    forwardDue: forward.dueAt,
  };
  record({ actor: input.filedBy, at: input.openedAt, action: 'open', detail: opened });
  open = true;
  whenForwardPeriodEnds();

  await proc.finished();
}
