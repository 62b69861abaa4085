import type { ApplicationFailure } from '@temporalio/workflow';
import { refused } from '../common/actions';
import type { ActionRequest, DeadlineState } from '../common/case-types';
import { typedAction } from '../common/action-definitions';
import type { PeriodPolicy } from '../../domain/calendar/policy';
import { RESPONSIBLE_PERSON_ENTRY_TYPE } from '../../domain/record-types';
import { objectionActions, type ObjectionAction } from './actions';
import type { ObjectionState } from './definitions';
import type { ObjectionDetails } from './details';

/** An objection case as its rules see it. */
export interface ObjectionCase {
  state: ObjectionState;
  details: ObjectionDetails;
  deadlines: DeadlineState[];
  /** The credit agency that received the objection (the case's department). */
  agency: string;
  /** The supplying department's period to decide, whose maximum bounds an extension. */
  decidePeriod: Pick<PeriodPolicy, 'amount' | 'maxTotal'>;
}

/** What the case offers in `state` (Art 49, 51): one supplement request, and one extension of the supplier's period. */
export function allowedObjectionActions(state: ObjectionState, details: ObjectionDetails, deadlines: DeadlineState[]): ObjectionAction[] {
  const supplementAllowed = !details.supplement;
  switch (state) {
    case 'submitted':
      return supplementAllowed ? ['accept', 'decline', 'request_supplement'] : ['accept', 'decline'];
    case 'awaiting_supplement':
      return ['submit_supplement'];
    case 'verifying':
      return supplementAllowed ? ['forward', 'decide', 'request_supplement'] : ['forward', 'decide'];
    case 'forwarded': {
      const d = latest(deadlines, 'objection_decide');
      return d && d.status === 'open' && !d.extended ? ['decide', 'extend'] : ['decide'];
    }
    default:
      return [];
  }
}

/** Why `req` cannot be taken now, or null. Pure, so the Update validator and the handler agree. */
export function objectionRefusal(c: ObjectionCase, req: ActionRequest): ApplicationFailure | null {
  const { state, details, deadlines, agency } = c;
  const refuse = (message: string, info: Record<string, unknown> = {}) => refused(state, message, info);
  const r = typedAction(objectionActions, req);
  const action = r.action;
  const allowed = allowedObjectionActions(state, details, deadlines);
  if (!allowed.includes(action)) {
    if (action === 'request_supplement' && details.supplement) {
      return refuse(`a supplement may be requested once; it was requested at ${details.supplement.requestedAt}`, {
        requestedAt: details.supplement.requestedAt,
      });
    }
    if (action === 'extend') {
      const d = latest(deadlines, 'objection_decide');
      if (d?.extended)
        return refuse('the supplying department’s period was already extended once', {
          extension: details.extension,
        });
      if (d && d.status !== 'open')
        return refuse(`the supplying department’s period is ${d.status} since ${d.closedAt ?? d.dueAt}; it can no longer be extended`, {
          since: d.closedAt ?? d.dueAt,
        });
    }
    return refuse(`action ${req.action} is not allowed while the case is ${state}`, {
      action: req.action,
      allowedActions: allowed,
    });
  }
  const dept = req.actor.department;
  if (req.actor.role === 'officer') {
    const must = action === 'decide' ? details.decidingDepartment : agency;
    if (dept !== must) return refuse(`only an officer of ${must} may ${action} in this case`, { department: must });
  }
  if (r.action === 'forward') {
    const to = r.body.department;
    if (to === agency) return refuse('an objection is forwarded to the supplying department, not to the credit agency itself');
  }
  // Extending is offered only while the period is open, so it is there.
  const decide = latest(deadlines, 'objection_decide');
  if (r.action === 'extend' && decide) {
    const b = r.body;
    const most = (c.decidePeriod.maxTotal ?? c.decidePeriod.amount) - decide.period.amount;
    if (b.workingDays > most) {
      return refuse(`an extension may add at most ${most} working days (${String(c.decidePeriod.maxTotal)} in total)`, {
        maxWorkingDays: most,
      });
    }
  }
  if (r.action === 'decide') {
    const b = r.body;
    if (b.outcome === 'remove_from_list' && !details.record.listingCaseId) {
      return refuse(`record ${details.record.id} reports no listing; remove_from_list does not apply`);
    }
    if (b.outcome === 'remove_from_list' && details.record.type === RESPONSIBLE_PERSON_ENTRY_TYPE) {
      return refuse(`record ${details.record.id} is an Art 48 entry, not the listing; decide delete or correct to end or change the entry`);
    }
    if ((b.outcome === 'correct' || b.outcome === 'supplement') && b.correctedContent.trim() === details.record.content.trim()) {
      return refuse(`the corrected content is the record's content as it stands; decide keep instead`);
    }
  }
  return null;
}

function latest(deadlines: DeadlineState[], kind: string): DeadlineState | undefined {
  return deadlines.filter((d) => d.kind === kind).pop();
}
