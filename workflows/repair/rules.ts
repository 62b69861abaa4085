import type { ApplicationFailure } from '@temporalio/workflow';
import { notNow, otherDepartmentActs, refused } from '../common/actions';
import type { ActionRequest } from '../common/case-types';
import { typedAction } from '../common/action-definitions';
import { shanghaiDate } from '../common/dates';
import type { repairActions, RepairAction } from './actions';
import { repairActionTitles } from './titles';
import type { RepairState } from './definitions';
import type { RepairDetails } from './details';

/** A repair case as its rules see it. */
export interface RepairCase {
  state: RepairState;
  details: RepairDetails;
  /** The credit agency that received the application (the case's department); it accepts or declines. */
  agency: string;
}

/** What the case offers in `state` (Art 52): the agency accepts or declines, then the deciding department decides. */
export function allowedRepairActions(state: RepairState): RepairAction[] {
  switch (state) {
    case 'submitted':
      return ['accept', 'decline'];
    case 'under_review':
      return ['decide'];
    default:
      return [];
  }
}

/** Why `req` cannot be taken now, or null. Pure, so the Update validator and the handler agree. */
export function repairRefusal(c: RepairCase, req: ActionRequest): ApplicationFailure | null {
  const { state, details, agency } = c;
  const r = typedAction<typeof repairActions>(repairActionTitles, req);
  const action = r.action;
  const allowed = allowedRepairActions(state);
  if (!allowed.includes(action)) {
    return refused(state, notNow(req.action, state, repairActionTitles[action]), {
      action: req.action,
      allowedActions: allowed,
    });
  }
  const must = action === 'decide' ? details.decidingDepartment : agency;
  if (req.actor.role === 'officer' && req.actor.department !== must)
    return refused(state, otherDepartmentActs(must, action, repairActionTitles[action]), { department: must });
  if (r.action === 'decide') {
    const b = r.body;
    if (b.outcome === 'reject' && b.reapplyAfter && b.reapplyAfter <= shanghaiDate(req.receivedAt)) {
      return refused(
        state,
        { zh: `可重新申请日期 ${b.reapplyAfter} 须晚于决定日期`, en: `reapplyAfter ${b.reapplyAfter} must fall after the decision` },
        { reapplyAfter: b.reapplyAfter },
      );
    }
  }
  return null;
}
