/**
 * Why an action of a case cannot be taken now, and when it can: the date a window closes, the step or the approval it
 * waits for, the department whose act it is (issue 22). From the case as the API shows it (its state, details and
 * deadlines), who is looking and the instant; pure and deterministic, so the case page says the same for the same case.
 * It says in Chinese what workflows/<procedure>/rules.ts and the API's department and four-eyes checks decide; where
 * it knows nothing more particular, the case's state is the reason, as before.
 */
import type { Principal } from '../contract/principal';
import { departmentByCode } from '../domain/reference-data';
import type { CaseView, DeadlineView, ListingCaseView, ObjectionCaseView, RepairCaseView } from '../workflows/common/case-types';
import { DEADLINE_KIND, STATE, label } from './labels';
import { dateText, dateTimeText } from './time';

/** Who looks at the case, and when. */
export interface Viewing {
  viewer: Principal;
  now: Date;
}

/**
 * Why `action` cannot be taken now by the viewer, saying when it can be where the case tells; null when it can. An
 * action the case allows may still not be the viewer's: another department's, the proposer's own proposal, a hearing
 * not yet held.
 */
export function unavailableReason(c: CaseView, action: string, viewing: Viewing): string | null {
  if (c.closed) return '案件已办结';
  if (c.allowedActions.includes(action)) return notYet(c, action, viewing) ?? null;
  const blocked = c.details.blocked;
  // A period the calendar cannot give holds the case up, escalated, until a calendar change lets it be computed.
  if (blocked) return `${label(DEADLINE_KIND, blocked.kind)}暂无法计算（已报审核人员），能够计算后可办理`;
  return whenAvailable(c, action) ?? `案件当前为“${label(STATE, c.state)}”，此时不能办理`;
}

/** An action the case allows, which the viewer still cannot take now; undefined when they can. */
function notYet(c: CaseView, action: string, { viewer, now }: Viewing): string | undefined {
  switch (c.procedure) {
    case 'listing': {
      const { proposal, hearing } = c.details;
      if ((action === 'approve_decision' || action === 'reject_decision') && proposal?.proposedBy === viewer.sub)
        return action === 'approve_decision'
          ? '等待另一名审核人员批准（提出人不得自行批准）'
          : '等待另一名审核人员审批（提出人不得自行退回）';
      if (action === 'record_hearing' && hearing?.heldAt && now.getTime() < Date.parse(hearing.heldAt))
        return `听证定于${dateTimeText(hearing.heldAt)}举行，举行后可记录`;
      return undefined;
    }
    case 'objection':
      return viewer.role === 'officer' ? objectionNotOurs(c, action, viewer.dept) : undefined;
    case 'repair':
      return viewer.role === 'officer' ? repairNotOurs(c, action, viewer.dept) : undefined;
  }
}

/** An action the case does not allow now: when it will, or what it waits for; undefined when the state says it all. */
function whenAvailable(c: CaseView, action: string): string | undefined {
  switch (c.procedure) {
    case 'listing':
      return listingWait(c, action);
    case 'objection':
      return objectionWait(c, action);
    case 'repair':
      return repairWait(c, action);
  }
}

// ---- listing ----

function listingWait(c: ListingCaseView, action: string): string | undefined {
  const d = c.details;
  const w = latest(c.deadlines, 'statement_window');
  // A window reopened by the official holiday schedule holds a decision not yet served (workflows/listing/rules.ts).
  const reopened = w?.status === 'open' && w.reopened !== undefined && !d.statement ? w : undefined;
  const pending = c.state === 'awaiting_approval' || c.state === 'decided';
  const before = proposeAfter(c);
  switch (action) {
    case 'serve_notice':
      return d.notice ? `拟列入告知书已于${dateTimeText(d.notice.servedAt)}送达` : undefined;
    case 'submit_statement':
      if (c.state === 'opened') return '拟列入告知书送达后可提交';
      if (d.statement) return `已于${dateTimeText(d.statement.submittedAt)}提交陈述申辩`;
      return w?.status === 'lapsed' ? `陈述申辩期限已于${due(w)}届满` : undefined;
    case 'schedule_hearing':
      if (d.hearing?.announcedOn && d.hearing.heldAt) return `已安排听证（${dateTimeText(d.hearing.heldAt)}，${d.hearing.place ?? ''}）`;
      if (c.state === 'opened') return '拟列入告知书送达后，当事人申请听证的可安排';
      if (c.state === 'notice_served' && w?.status === 'open' && !d.statement)
        return `当事人在陈述申辩期限（${due(w)}届满）内申请听证的可安排`;
      return !d.hearing && (c.state === 'notice_served' || c.state === 'under_review') ? '当事人未申请听证' : undefined;
    case 'record_hearing':
      if (d.hearing?.recordedAt) return `听证已于${dateTimeText(d.hearing.recordedAt)}记录`;
      if (d.hearing && !d.hearing.announcedOn) return '安排听证后可记录';
      return c.state === 'opened' || c.state === 'notice_served' ? '当事人申请听证并安排听证后可记录' : undefined;
    case 'propose_decision':
      if (c.state === 'awaiting_approval') return '处理意见已提出，等待审核人员审批；退回后可重新提出';
      return before && `${before}可办理`;
    case 'approve_decision':
    case 'reject_decision':
      if (c.state === 'awaiting_approval' && reopened)
        return `陈述申辩期限已重新计算，于${due(reopened)}届满后，或当事人提交陈述申辩后可审批`;
      if (c.state === 'under_review') return '等待提出处理意见';
      if (before) return `等待提出处理意见（${before}可提出）`;
      return d.decision ? `处理意见已于${dateTimeText(d.decision.approvedAt)}批准` : undefined;
    case 'serve_decision':
      if (pending && reopened) return `陈述申辩期限已重新计算，于${due(reopened)}届满后，或当事人提交陈述申辩后可送达`;
      if (c.state === 'awaiting_approval') return '处理意见经审核人员批准后可送达';
      if (c.state === 'under_review' || before) return '提出处理意见并经审核人员批准后可送达';
      return d.listing ? `认定决定已于${dateTimeText(d.listing.servedAt)}送达` : undefined;
    case 'record_remedy':
    case 'revoke':
      return before || c.state === 'under_review' || pending ? '认定决定送达、列入名单后可办理' : undefined;
    case 'record_remedy_outcome':
      if (c.state === 'listed') return '登记行政复议或诉讼后可办理';
      return before || c.state === 'under_review' || pending ? '列入名单并登记行政复议或诉讼后可办理' : undefined;
    default:
      return undefined;
  }
}

/**
 * What a proposal waits for before review, as the words before `可办理`: the notice, the statement window or a
 * statement, the hearing. Undefined once the case is under review or beyond.
 */
function proposeAfter(c: ListingCaseView): string | undefined {
  const d = c.details;
  const w = latest(c.deadlines, 'statement_window');
  switch (c.state) {
    case 'opened':
      return '送达拟列入告知书，且陈述申辩期限届满或当事人提交陈述申辩后';
    case 'notice_served':
      if (d.hearing && !d.hearing.announcedOn) return '当事人已申请听证，安排并记录听证后';
      if (w?.status === 'open' && !d.statement) return `陈述申辩期限于${due(w)}届满后，或当事人提交陈述申辩后`;
      return undefined;
    case 'hearing_scheduled':
      return d.hearing?.heldAt ? `听证（定于${dateTimeText(d.hearing.heldAt)}举行）记录后` : '听证记录后';
    default:
      return undefined;
  }
}

// ---- objection ----

function objectionWait(c: ObjectionCaseView, action: string): string | undefined {
  const d = c.details;
  const decide = latest(c.deadlines, 'objection_decide');
  switch (action) {
    case 'submit_supplement':
      if (d.supplement?.receivedAt) return `已于${dateTimeText(d.supplement.receivedAt)}提交补正材料`;
      return d.supplement ? undefined : '受理机构通知补正材料后可提交';
    case 'extend':
      if (c.state === 'submitted' || c.state === 'awaiting_supplement' || c.state === 'verifying') return '转送信息提供单位核查后可办理';
      if (decide?.extended && d.extension) return `核查答复期限已延长一次（${d.extension.workingDays}个工作日），于${due(decide)}届满`;
      return decide && decide.status !== 'open' ? `核查答复期限已于${due(decide)}届满，不能再延长` : undefined;
  }
  if (c.state === 'awaiting_supplement' && action !== 'request_supplement') {
    const w = latest(c.deadlines, 'supplement_window');
    return `等待当事人补正材料${w ? `（补正材料期限于${due(w)}届满）` : ''}，补正后可办理`;
  }
  if (action === 'request_supplement' && d.supplement) return `补正材料只能通知一次，已于${dateTimeText(d.supplement.requestedAt)}通知`;
  if (c.state === 'submitted' && (action === 'forward' || action === 'decide')) return '受理异议后可办理';
  if (d.forward && action !== 'decide') return `已于${dateTimeText(d.forward.at)}转送${deptName(d.forward.to)}核查`;
  if (d.acceptance && (action === 'accept' || action === 'decline')) return `已于${dateTimeText(d.acceptance.at)}受理`;
  return undefined;
}

/** The agency handles the file; the deciding department (the supplier once forwarded) decides (api/procedures/objection.ts). */
function objectionNotOurs(c: ObjectionCaseView, action: string, dept: string): string | undefined {
  const must = action === 'decide' ? c.details.decidingDepartment : c.department;
  if (dept === must) return undefined;
  const decide = latest(c.deadlines, 'objection_decide');
  if (action === 'decide' && c.state === 'forwarded' && decide)
    return `已转送${deptName(must)}核查，等待其作出处理决定（核查答复期限于${due(decide)}届满）`;
  return `由${deptName(must)}办理`;
}

// ---- repair ----

function repairWait(c: RepairCaseView, action: string): string | undefined {
  const d = c.details;
  if (d.decision) return `已于${dateTimeText(d.decision.at)}作出修复决定`;
  if (c.state === 'submitted' && action === 'decide') {
    const accept = latest(c.deadlines, 'repair_accept');
    return `等待${deptName(c.department)}受理修复申请${accept ? `（修复受理期限于${due(accept)}届满）` : ''}，受理后可作出修复决定`;
  }
  if (d.acceptance && (action === 'accept' || action === 'decline')) return `已于${dateTimeText(d.acceptance.at)}受理`;
  return undefined;
}

/** The agency accepts or declines; the deciding department decides (api/procedures/repair.ts). */
function repairNotOurs(c: RepairCaseView, action: string, dept: string): string | undefined {
  const decide = action === 'decide';
  const must = decide ? c.details.decidingDepartment : c.department;
  if (dept === must) return undefined;
  const period = latest(c.deadlines, decide ? 'repair_decide' : 'repair_accept');
  const when = period ? `（${label(DEADLINE_KIND, period.kind)}于${due(period)}届满）` : '';
  return decide ? `由${deptName(must)}作出修复决定${when}` : `由${deptName(must)}受理${when}`;
}

// ---- words ----

function latest(deadlines: DeadlineView[], kind: string): DeadlineView | undefined {
  return deadlines.filter((d) => d.kind === kind).pop();
}

/** A period's end as the case page shows it: `2026年12月14日24时` (Asia/Shanghai). */
function due(d: DeadlineView): string {
  return `${dateText(d.dueDate)}24时`;
}

const deptName = (code: string) => departmentByCode(code)?.name ?? code;
