import type { ApplicationFailure } from '@temporalio/workflow';
import type { Words } from '../../contract/problem';
import { notNow, otherDepartmentActs, refused } from '../common/actions';
import type { ActionRequest, DeadlineState } from '../common/case-types';
import { typedAction } from '../common/action-definitions';
import type { PeriodPolicy } from '../../domain/calendar/policy';
import { RESPONSIBLE_PERSON_ENTRY_TYPE } from '../../domain/record-types';
import type { objectionActions, ObjectionAction } from './actions';
import { objectionActionTitles } from './titles';
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
  const refuse = (message: Words, info: Record<string, unknown> = {}) => refused(state, message, info);
  const r = typedAction<typeof objectionActions>(objectionActionTitles, req);
  const action = r.action;
  const allowed = allowedObjectionActions(state, details, deadlines);
  if (!allowed.includes(action)) {
    if (action === 'request_supplement' && details.supplement) {
      const at = details.supplement.requestedAt;
      return refuse(
        { zh: `补正材料只能要求一次；已于 ${at} 要求过`, en: `a supplement may be requested once; it was requested at ${at}` },
        {
          requestedAt: details.supplement.requestedAt,
        },
      );
    }
    if (action === 'extend') {
      const d = latest(deadlines, 'objection_decide');
      if (d?.extended)
        return refuse(
          { zh: '信息报送部门的处理期限已延长过一次', en: 'the supplying department’s period was already extended once' },
          {
            extension: details.extension,
          },
        );
      if (d && d.status !== 'open')
        return refuse(
          {
            zh: `信息报送部门的处理期限自 ${d.closedAt ?? d.dueAt} 起已为 ${d.status} 状态，不能再延长`,
            en: `the supplying department’s period is ${d.status} since ${d.closedAt ?? d.dueAt}; it can no longer be extended`,
          },
          {
            since: d.closedAt ?? d.dueAt,
          },
        );
    }
    return refuse(notNow(req.action, state, objectionActionTitles[action]), {
      action: req.action,
      allowedActions: allowed,
    });
  }
  const dept = req.actor.department;
  if (req.actor.role === 'officer') {
    const must = action === 'decide' ? details.decidingDepartment : agency;
    if (dept !== must) return refuse(otherDepartmentActs(must, action, objectionActionTitles[action]), { department: must });
  }
  if (r.action === 'forward') {
    const to = r.body.department;
    if (to === agency) {
      return refuse({
        zh: '异议应转送信息报送部门，而不是信用信息工作机构本身',
        en: 'an objection is forwarded to the supplying department, not to the credit agency itself',
      });
    }
  }
  // Extending is offered only while the period is open, so it is there.
  const decide = latest(deadlines, 'objection_decide');
  if (r.action === 'extend' && decide) {
    const b = r.body;
    const most = (c.decidePeriod.maxTotal ?? c.decidePeriod.amount) - decide.period.amount;
    if (b.workingDays > most) {
      const total = String(c.decidePeriod.maxTotal);
      return refuse(
        {
          zh: `延长最多${most}个工作日（合计不超过${total}个工作日）`,
          en: `an extension may add at most ${most} working days (${total} in total)`,
        },
        {
          maxWorkingDays: most,
        },
      );
    }
  }
  if (r.action === 'decide') {
    const b = r.body;
    if (b.outcome === 'remove_from_list' && !details.record.listingCaseId) {
      const id = details.record.id;
      return refuse({
        zh: `记录 ${id} 不涉及列入名单；“移出名单”不适用`,
        en: `record ${id} reports no listing; remove_from_list does not apply`,
      });
    }
    if (b.outcome === 'remove_from_list' && details.record.type === RESPONSIBLE_PERSON_ENTRY_TYPE) {
      const id = details.record.id;
      return refuse({
        zh: `记录 ${id} 是第四十八条责任人的记录，不是列入名单本身；请决定删除或更正以结束或变更该记录`,
        en: `record ${id} is an Art 48 entry, not the listing; decide delete or correct to end or change the entry`,
      });
    }
    if ((b.outcome === 'correct' || b.outcome === 'supplement') && b.correctedContent.trim() === details.record.content.trim()) {
      return refuse({
        zh: '更正后的内容与记录现有内容相同；请改为决定维持',
        en: "the corrected content is the record's content as it stands; decide keep instead",
      });
    }
  }
  return null;
}

function latest(deadlines: DeadlineState[], kind: string): DeadlineState | undefined {
  return deadlines.filter((d) => d.kind === kind).pop();
}
