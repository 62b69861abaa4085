import { condition } from '@temporalio/workflow';
import { casePatches } from '../common/patches';
import type { DocumentMeta } from '../../activities/listing-documents';
import { type ActionRequest, type Actor, type CaseEffect, type PeriodSpec } from '../common/case-types';
import { proxyLinkedActivities } from '../common/activity-proxies';
import { shanghaiDate } from '../common/dates';
import { SYSTEM } from '../common/legal-clock';
import { CaseProcedure, filedCaseOpening } from '../common/procedure';
import { addDays } from '../../domain/calendar/dates';
import { repairEligibility } from '../../domain/repair-eligibility';
import { periodOf } from '../../domain/calendar/period-of';
import { typedAction } from '../common/action-definitions';
import type { repairActions } from './actions';
import { repairActionTitles } from './titles';
import { repairTargetKey, type RepairInput, type RepairState } from './definitions';
import type { RepairDetails } from './details';
import { allowedRepairActions, repairRefusal } from './rules';

// Acts on the listing's workflow.
const linked = proxyLinkedActivities();

/**
 * Cases that record this marker are decided by the department that recognised the listing or supplied the
 * record (input.decider); cases started before keep the agency deciding, as they began.
 */
export const REPAIR_ROUTING_PATCH = 'repair-decided-by-recognising-department-v1';

/**
 * Credit repair (Art 52): a subject who has corrected the conduct applies to end the publicity of a record
 * or to have a listing removed early. Eligibility follows the policy (minimum publicity or time on the
 * list, exclusions) and an ineligible application is declined at once with reasons and the date from
 * which one may apply. The credit agency accepts and decides within its working days; an approval's
 * effects are carried out by the workflows and the projection that own them, retried until complete, and
 * must be complete within the policy's period. What each state allows and refuses: rules.ts.
 *
 *   (opening)     eligibility checked: an ineligible application → declined at once
 *   submitted     accept → under_review; decline → declined
 *   under_review  decide: approve → approved, its effects applied until complete; reject → rejected
 *
 * The agency's period to accept, the deciding department's to decide and the period for the effects are breached
 * and escalated when they end (whenAcceptPeriodEnds, whenDecidePeriodEnds, whenEffectsPeriodEnds); the case goes on.
 */
export async function repairWorkflow(input: RepairInput): Promise<void> {
  const patches = casePatches(input);
  const policy = input.policy;
  const agency = input.department;
  // Decided once, at the start, so a running case keeps the routing it began with.
  const routedTo = input.decider !== undefined && patches.isPatched(REPAIR_ROUTING_PATCH) ? input.decider : undefined;
  const routed = routedTo !== undefined;
  const decider = routedTo ?? { department: agency, policy };
  const details: RepairDetails = {
    target: input.target,
    targetKey: repairTargetKey(input.target),
    decidingDepartment: decider.department,
    statement: input.statement,
    evidence: input.evidence,
    commitment: input.commitment,
  };
  let state: RepairState = 'submitted';
  let finished = false;
  const proc = new CaseProcedure({
    patches,
    opening: filedCaseOpening(input, 'repair', state, details),
    state: () => state,
    closed: () => finished,
    outcome: () => details.decision?.outcome ?? null,
    details,
    allowedActions: () => allowedRepairActions(state),
    recomputeAllowedOnDeadlines: true,
  });
  const { clocks, documents } = proc;
  // Effects of an approval are retried until they are complete, however long a dependency is away.
  const act = proc.journal.steps;
  const record = proc.record.bind(proc);

  /**
   * Why the application is not eligible under the policy (empty when it is), and from when it would be: the rule of
   * domain/repair-eligibility.ts, which the API's eligibility read (GET /v1/subjects/{id}/repair-eligibility) applies too.
   */
  async function eligibility(on: string): Promise<{ reasons: string[]; earliest?: string }> {
    const t = input.target;
    // What may be repaired and from when is the deciding department's rule.
    const minimum = decider.policy.min_listing_before_repair;
    // An Art 48 entry lasts as its listing does, so it is eligible as the listing would be. Only applications filed
    // since entries became records carry `listedFrom`, so no recorded or running case takes this new step.
    const listedFrom = t.listedFrom;
    const listingMinimum =
      listedFrom !== undefined
        ? {
            until: (await act.computeDeadline({ from: listedFrom, period: periodOf(minimum) })).dueDate,
            words: `${minimum.amount}${unitLabel(minimum.unit)}`,
          }
        : undefined;
    const r = repairEligibility({
      target: t,
      exclusions: decider.policy.repair_exclusions.items,
      on,
      ...(listingMinimum ? { listingMinimum } : {}),
    });
    return { reasons: r.reasons.map((x) => x.text), ...(r.earliest ? { earliest: r.earliest } : {}) };
  }

  async function issueDecision(
    outcome: 'approve' | 'reject' | 'decline',
    at: string,
    reasons: string,
    reapplyAfter?: string,
  ): Promise<DocumentMeta> {
    const doc = await act.issueRepairDecision({
      documentId: `${input.caseId}-D${documents.length + 1}`,
      issuedAt: at,
      input,
      // The agency issues a refusal to accept; a decision on the merits is the deciding department's document.
      ...(routed ? { issuedBy: outcome === 'decline' ? agency : decider.department } : {}),
      outcome,
      reasons,
      ...(reapplyAfter ? { reapplyAfter } : {}),
      effectsWithinWorkingDays: policy.repair_remove_disclosure.amount,
    });
    documents.push(doc);
    await proc.serveElectronically(doc, at);
    return doc;
  }

  const release: CaseEffect = { type: 'release_claim', target: details.targetKey, caseId: input.caseId };

  /** Ends the case without approval: every open period closes, the claim on the target is released. */
  async function refuseApplication({ actor, at, outcome, reasons, reapplyAfter }: Refusal) {
    const doc = await issueDecision(outcome === 'rejected' ? 'reject' : 'decline', at, reasons, reapplyAfter);
    const department = outcome === 'declined' ? agency : decider.department;
    details.decision = {
      outcome,
      reasons,
      by: actor.id,
      department,
      at,
      ...(reapplyAfter ? { reapplyAfter } : {}),
      documentId: doc.id,
    };
    state = outcome;
    finished = true;
    clocks.closeRunning(at, () => 'met');
    record({
      actor,
      at,
      action: outcome === 'rejected' ? 'decide' : 'decline',
      detail: { outcome, reasons, ...(reapplyAfter ? { reapplyAfter } : {}), documentId: doc.id, sha256: doc.sha256 },
      effects: [release],
    });
  }

  async function handle(req: ActionRequest): Promise<void> {
    const at = req.receivedAt;
    const on = shanghaiDate(at);
    const r = typedAction<typeof repairActions>(repairActionTitles, req);
    switch (r.action) {
      case 'accept': {
        const b = r.body;
        // The decision is the deciding department's, on its own period; a breach is escalated against it.
        await clocks.open({
          rule: decider.policy.repair_decide,
          from: on,
          startsAt: at,
          ...(routed ? { department: decider.department } : {}),
        });
        clocks.met('repair_accept', at);
        details.acceptance = { at, by: req.actor.id, ...(b.reasons ? { reasons: b.reasons } : {}) };
        state = 'under_review';
        record({ actor: req.actor, at, action: 'accept', detail: b.reasons ? { reasons: b.reasons } : {} });
        whenDecidePeriodEnds();
        return;
      }
      case 'decline': {
        const b = r.body;
        return refuseApplication({ actor: req.actor, at, outcome: 'declined', reasons: b.reasons ?? '申请材料不符合受理条件' });
      }
      case 'decide': {
        const b = r.body;
        if (b.outcome === 'reject')
          return refuseApplication({
            actor: req.actor,
            at,
            outcome: 'rejected',
            reasons: b.reasons,
            reapplyAfter: b.reapplyAfter ?? addDays(on, 1),
          });
        return approve(req.actor, at, b.reasons);
      }
    }
  }

  /** Approval: the decision is recorded and served, then its effects run until complete (below). */
  async function approve(actor: Actor, at: string, reasons: string) {
    const on = shanghaiDate(at);
    const doc = await issueDecision('approve', at, reasons);
    const effectsDue = await clocks.open({ rule: policy.repair_remove_disclosure, from: on, startsAt: at });
    clocks.met('repair_decide', at);
    details.decision = {
      outcome: 'approved',
      reasons,
      by: actor.id,
      department: decider.department,
      at,
      documentId: doc.id,
    };
    state = 'approved';
    record({
      actor,
      at,
      action: 'decide',
      detail: { outcome: 'approved', reasons, documentId: doc.id, sha256: doc.sha256, effectsDue: effectsDue.dueAt },
    });
    whenEffectsPeriodEnds();
    effectsPending = { actor, at };
  }

  // Set by an approval, inside an action; read by the case's own path below.
  let effectsPending = null as { actor: Actor; at: string } | null;

  /**
   * The effects of an approval, outside any action so a slow dependency never holds an Update: the
   * listing's own workflow removes it (retried until it answers); the record's publicity end, the sharing
   * platform's notice and the period's being met are one projection, so nothing is ever half applied.
   */
  async function applyEffects({ actor, at }: { actor: Actor; at: string }) {
    const t = input.target;
    let listingRemoved: boolean | undefined;
    if (t.kind === 'listing') {
      const r = await linked.removeListingByRepair({
        listingCaseId: t.listingCaseId,
        repairCaseId: input.caseId,
        actor,
        approvedAt: at,
      });
      // A listing that ended meanwhile (expired or revoked) has nothing left to remove; that is recorded, not retried.
      listingRemoved = r.ok;
    }
    const done = new Date(Date.now()).toISOString();
    const notificationId = `${input.caseId}:repaired`;
    details.effects = {
      completedAt: done,
      notificationId,
      ...(listingRemoved !== undefined ? { listingRemoved } : {}),
    };
    finished = true;
    const effects: CaseEffect[] = [
      ...(t.kind === 'record'
        ? [
            {
              type: 'end_record_publicity' as const,
              caseId: input.caseId,
              recordId: t.recordId,
              reason: `信用修复（${input.caseId}）`,
            },
          ]
        : []),
      {
        type: 'notify_platform',
        id: notificationId,
        topic: 'credit_repair.approved',
        caseId: input.caseId,
        subjectId: input.subject.id,
        payload: { target: t, approvedAt: at, ...(listingRemoved !== undefined ? { listingRemoved } : {}) },
      },
      release,
    ];
    if (clocks.find('repair_remove_disclosure')?.status === 'open') clocks.met('repair_remove_disclosure', done);
    record({
      actor: SYSTEM,
      at: done,
      action: 'effects_applied',
      detail: { target: details.targetKey, ...(listingRemoved !== undefined ? { listingRemoved } : {}) },
      effects,
    });
  }

  // ---- lifecycle: what happens when a period ends ----

  /** Missing the agency's working days to accept is its breach, escalated; the application stays before it. */
  function whenAcceptPeriodEnds() {
    void clocks.expiry('repair_accept');
  }

  /** Missing the deciding department's period is its breach, escalated against it; the case waits for the decision. */
  function whenDecidePeriodEnds() {
    void clocks.expiry('repair_decide');
  }

  /** An approval's effects not complete in the policy's period are a breach, escalated; they keep being retried. */
  function whenEffectsPeriodEnds() {
    void clocks.expiry('repair_remove_disclosure');
  }

  // ---- the case: opened, eligible or declined at once, accepted, decided, and its effects applied ----

  // An action that arrives while the opening still checks eligibility waits for it.
  let open = false;
  proc.serve({ refusal: (req) => repairRefusal({ state, details, agency }, req), handle, ready: () => open, asCaseView: (v) => v });

  const receivedOn = shanghaiDate(input.openedAt);
  // Opening has no caller to refuse: a period the calendar cannot give holds the case, escalated, until it can.
  await clocks.openOrWait({ rule: policy.repair_accept, from: receivedOn, startsAt: input.openedAt });
  const check = await eligibility(receivedOn);
  details.eligibility = {
    eligible: check.reasons.length === 0,
    reasons: check.reasons,
    ...(check.earliest ? { earliest: check.earliest } : {}),
    checkedOn: receivedOn,
  };
  record({
    actor: input.filedBy,
    at: input.openedAt,
    action: 'open',
    detail: { target: details.targetKey, eligible: check.reasons.length === 0 },
  });
  if (check.reasons.length > 0) {
    await proc.ownPath(
      'decline',
      () =>
        refuseApplication({
          actor: SYSTEM,
          at: input.openedAt,
          outcome: 'declined',
          reasons: check.reasons.join(''),
          ...(check.earliest ? { reapplyAfter: check.earliest } : {}),
        }),
      () => !finished,
    );
  } else {
    whenAcceptPeriodEnds();
  }
  open = true;

  // Decided: an approval's effects run outside any action, until complete; a refusal has already closed the case.
  await condition(() => effectsPending !== null || finished);
  const approved = effectsPending;
  if (approved)
    await proc.ownPath(
      'apply_effects',
      () => applyEffects(approved),
      () => !finished,
    );
  await proc.finished();
}

/** An application ended without approval: declined by the agency (or at once, ineligible), or rejected on the merits. */
interface Refusal {
  actor: Actor;
  at: string;
  outcome: 'rejected' | 'declined';
  reasons: string;
  reapplyAfter?: string;
}

function unitLabel(unit: PeriodSpec['unit']): string {
  return unit === 'years' ? '年' : unit === 'months' ? '个月' : unit === 'days' ? '日' : '个工作日';
}
