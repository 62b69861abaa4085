/**
 * What the case page says of an action not available now (console/action-availability.ts): when it will be, or what
 * it waits for, for each procedure's common waits. Pure: cases built here around a day, their allowed actions from the
 * procedures' own rules; the dates in the words are the fixture's, on whatever day the suite runs (and on two more,
 * across a year's and a February's end).
 */
import type { Principal } from '../../contract/principal';
import { unavailableReason } from '../../console/action-availability';
import { addDays } from '../../domain/calendar/dates';
import {
  toDeadlineView,
  type DeadlineState,
  type ListingCaseView,
  type ObjectionCaseView,
  type RepairCaseView,
} from '../../workflows/common/case-types';
import { shanghaiDate } from '../../workflows/common/dates';
import type { ListingDetails, ListingState } from '../../workflows/listing/details';
import { allowedListingActions } from '../../workflows/listing/rules';
import type { ObjectionState } from '../../workflows/objection/definitions';
import type { ObjectionDetails } from '../../workflows/objection/details';
import { allowedObjectionActions } from '../../workflows/objection/rules';
import type { RepairState } from '../../workflows/repair/definitions';
import type { RepairDetails } from '../../workflows/repair/details';
import { allowedRepairActions } from '../../workflows/repair/rules';
import { listingDetailsFixture, objectionDetailsFixture } from '../support/case-details';
import { deadlineState } from '../support/deadline-fixture';

const AGENCY = 'ZY-DRC';
const SUPPLIER = 'ZY-SAMR';
const OFFICER: Principal = { role: 'officer', sub: 'officer-1', dept: SUPPLIER };
const AGENCY_OFFICER: Principal = { role: 'officer', sub: 'officer-drc', dept: AGENCY };
const SUPERVISOR: Principal = { role: 'supervisor', sub: 'supervisor-1', dept: AGENCY };
const SUBJECT: Principal = { role: 'subject', sub: 'subject-1', subjectId: '91620702MA7DE00010' };

/** `2026年12月14日`, written out here rather than through the console's helper. */
function zh(date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return `${y}年${m}月${d}日`;
}

/** The cases of one day: every date in them counts from `day` (Asia/Shanghai). */
function fixture(day: string) {
  const at = (date: string, time = '10:00') => new Date(`${date}T${time}:00+08:00`).toISOString();
  const now = new Date(at(day, '09:00'));
  const deadline = (kind: string, { due, ...more }: { due: string } & Partial<DeadlineState>): DeadlineState =>
    deadlineState('C-1', kind, {
      from: addDays(day, -1),
      startsAt: at(addDays(day, -1)),
      dueDate: due,
      dueAt: new Date(Date.parse(`${addDays(due, 1)}T00:00:00+08:00`) - 1).toISOString(),
      ...more,
    });
  const base = {
    id: 'C-1',
    closed: false,
    subject: { kind: 'legal_person' as const, id: '91620702MA7DE00010', name: '张掖市某食品有限公司' },
    createdAt: at(addDays(day, -10)),
    updatedAt: at(day),
    timeline: [],
    documents: [],
  };

  function listing(state: ListingState, more: Partial<ListingDetails> = {}, deadlines: DeadlineState[] = []): ListingCaseView {
    const details = listingDetailsFixture(more);
    return {
      ...base,
      procedure: 'listing',
      state,
      department: SUPPLIER,
      details,
      deadlines: deadlines.map(toDeadlineView),
      allowedActions: allowedListingActions(state, details, deadlines),
    };
  }

  function objection(state: ObjectionState, more: Partial<ObjectionDetails> = {}, deadlines: DeadlineState[] = []): ObjectionCaseView {
    const details = objectionDetailsFixture(
      { supplier: SUPPLIER, agency: AGENCY, decidedOn: addDays(day, -60), markedAt: at(addDays(day, -3)) },
      more,
    );
    return {
      ...base,
      procedure: 'objection',
      state,
      department: AGENCY,
      details,
      deadlines: deadlines.map(toDeadlineView),
      allowedActions: allowedObjectionActions(state, details, deadlines),
    };
  }

  function repair(state: RepairState, more: Partial<RepairDetails> = {}, deadlines: DeadlineState[] = []): RepairCaseView {
    const details: RepairDetails = {
      target: {
        kind: 'listing',
        listingCaseId: 'L-1',
        category: 'health_safety',
        decisionNumber: 'ZY-SAMR-认定-1',
        listedFrom: addDays(day, -400),
        listedUntil: addDays(day, 700),
        department: SUPPLIER,
      },
      targetKey: 'repair:listing:L-1',
      decidingDepartment: SUPPLIER,
      statement: '已整改。',
      evidence: [],
      commitment: { text: '信用承诺。', signedOn: addDays(day, -2) },
      ...more,
    };
    return {
      ...base,
      procedure: 'repair',
      state,
      department: AGENCY,
      details,
      deadlines: deadlines.map(toDeadlineView),
      allowedActions: allowedRepairActions(state),
    };
  }

  return { now, at, deadline, listing, objection, repair };
}

const today = shanghaiDate(new Date());

describe.each([today, '2026-12-28', '2028-02-25'])('around %s', (day) => {
  const { now, at, deadline, listing, objection, repair } = fixture(day);
  const why = (c: Parameters<typeof unavailableReason>[0], action: string, viewer: Principal = OFFICER) =>
    unavailableReason(c, action, { viewer, now });

  describe('listing', () => {
    const windowDue = addDays(day, 5);
    const window = deadline('statement_window', { due: windowDue, party: 'subject' });
    const proposal: ListingDetails['proposal'] = {
      outcome: 'list',
      reasons: '情节严重。',
      measures: ['N-01'],
      proposedBy: OFFICER.sub,
      proposedAt: at(day, '08:00'),
    };
    const notice: ListingDetails['notice'] = {
      servedAt: at(addDays(day, -1)),
      method: 'in_person',
      servedDate: addDays(day, -1),
      documentId: 'D-1',
      service: [],
    };

    it('a proposal waits for the statement window to close or a statement, with the window’s end', () => {
      const c = listing('notice_served', { notice }, [window]);
      expect(why(c, 'propose_decision')).toBe(`陈述申辩期限于${zh(windowDue)}24时届满后，或当事人提交陈述申辩后可办理`);
      expect(why(c, 'approve_decision', SUPERVISOR)).toBe(
        `等待提出处理意见（陈述申辩期限于${zh(windowDue)}24时届满后，或当事人提交陈述申辩后可提出）`,
      );
      expect(why(c, 'serve_decision')).toBe('提出处理意见并经审核人员批准后可送达');
      expect(why(c, 'serve_notice')).toBe(`拟列入告知书已于${zh(addDays(day, -1))} 10:00送达`);
      expect(why(c, 'schedule_hearing')).toBe(`当事人在陈述申辩期限（${zh(windowDue)}24时届满）内申请听证的可安排`);
      expect(why(c, 'submit_statement', SUBJECT)).toBeNull();
    });

    it('a proposal waits for the hearing the subject asked for, and a hearing is recorded once held', () => {
      const statement = { text: '申请听证。', requestHearing: true, submittedAt: at(day, '08:00'), by: SUBJECT.sub };
      const met = deadline('statement_window', { due: windowDue, party: 'subject', status: 'met' });
      const asked = listing('notice_served', { notice, statement, hearing: { requestedAt: at(day, '08:00') } }, [met]);
      expect(why(asked, 'propose_decision')).toBe('当事人已申请听证，安排并记录听证后可办理');
      expect(why(asked, 'record_hearing')).toBe('安排听证后可记录');
      expect(why(asked, 'schedule_hearing')).toBeNull();
      expect(why(asked, 'submit_statement', SUBJECT)).toBe(`已于${zh(day)} 08:00提交陈述申辩`);

      const heldAt = at(addDays(day, 3), '09:30');
      const hearing = { requestedAt: at(day, '08:00'), announcedOn: day, heldAt, place: '听证室' };
      const scheduled = listing('hearing_scheduled', { notice, statement, hearing }, [met]);
      expect(why(scheduled, 'record_hearing')).toBe(`听证定于${zh(addDays(day, 3))} 09:30举行，举行后可记录`);
      expect(why(scheduled, 'propose_decision')).toBe(`听证（定于${zh(addDays(day, 3))} 09:30举行）记录后可办理`);
      expect(why(scheduled, 'schedule_hearing')).toBe(`已安排听证（${zh(addDays(day, 3))} 09:30，听证室）`);
    });

    it('an approval waits for a proposal, and for another supervisor than the proposer', () => {
      const review = listing('under_review', { notice }, [deadline('statement_window', { due: addDays(day, -1), status: 'lapsed' })]);
      expect(why(review, 'approve_decision', SUPERVISOR)).toBe('等待提出处理意见');
      expect(why(review, 'propose_decision')).toBeNull();
      expect(why(review, 'submit_statement', SUBJECT)).toBe(`陈述申辩期限已于${zh(addDays(day, -1))}24时届满`);

      const awaiting = listing('awaiting_approval', { notice, proposal: { ...proposal, proposedBy: SUPERVISOR.sub } });
      expect(why(awaiting, 'approve_decision', SUPERVISOR)).toBe('等待另一名审核人员批准（提出人不得自行批准）');
      expect(why(awaiting, 'approve_decision', { ...SUPERVISOR, sub: 'supervisor-2' })).toBeNull();
      expect(why(awaiting, 'serve_decision')).toBe('处理意见经审核人员批准后可送达');
      expect(why(awaiting, 'propose_decision')).toBe('处理意见已提出，等待审核人员审批；退回后可重新提出');
    });

    it('a reopened statement window holds the decision until its new end', () => {
      const reopenedDue = addDays(day, 4);
      const reopened = deadline('statement_window', {
        due: reopenedDue,
        party: 'subject',
        reopened: { previousDueDate: addDays(day, -2), previousDueAt: at(addDays(day, -2), '23:59'), at: at(day, '08:00') },
      });
      const awaiting = listing('awaiting_approval', { notice, proposal }, [reopened]);
      expect(why(awaiting, 'approve_decision', SUPERVISOR)).toBe(
        `陈述申辩期限已重新计算，于${zh(reopenedDue)}24时届满后，或当事人提交陈述申辩后可审批`,
      );
      expect(why(awaiting, 'serve_decision')).toBe(`陈述申辩期限已重新计算，于${zh(reopenedDue)}24时届满后，或当事人提交陈述申辩后可送达`);
      const decision: ListingDetails['decision'] = {
        outcome: 'list',
        approvedBy: SUPERVISOR.sub,
        approvedAt: at(day, '08:30'),
        comment: '同意。',
        measures: ['N-01'],
        documentId: 'D-2',
      };
      const decided = listing('decided', { notice, proposal, decision }, [reopened]);
      expect(why(decided, 'serve_decision')).toBe(`陈述申辩期限已重新计算，于${zh(reopenedDue)}24时届满后，或当事人提交陈述申辩后可送达`);
      expect(why(decided, 'approve_decision', SUPERVISOR)).toBe(`处理意见已于${zh(day)} 08:30批准`);
      expect(why(decided, 'submit_statement', SUBJECT)).toBeNull();
    });

    it('remedies wait for the listing; the state speaks where nothing more is known; a closed case is closed', () => {
      const opened = listing('opened');
      expect(why(opened, 'revoke')).toBe('认定决定送达、列入名单后可办理');
      expect(why(opened, 'submit_statement', SUBJECT)).toBe('拟列入告知书送达后可提交');
      expect(why(listing('listed'), 'record_remedy_outcome')).toBe('登记行政复议或诉讼后可办理');
      expect(why(listing('listed'), 'serve_notice')).toBe('案件当前为“已列入”，此时不能办理');
      expect(why({ ...listing('removed'), closed: true }, 'revoke')).toBe('案件已办结');
      const blocked = {
        kind: 'listing_period',
        since: at(day),
        reason: 'no schedule',
        period: { unit: 'years' as const, amount: 3 },
        from: day,
      };
      const held = listing('decided');
      expect(why({ ...held, details: { ...held.details, blocked } }, 'revoke')).toBe(
        '列入期限暂无法计算（已报审核人员），能够计算后可办理',
      );
    });
  });

  describe('objection', () => {
    const forward = { to: SUPPLIER, at: at(day, '08:00'), by: AGENCY_OFFICER.sub };
    const acceptance = { at: at(addDays(day, -1)), by: AGENCY_OFFICER.sub };

    it('while forwarded, the decision is the supplier’s, by its deadline', () => {
      const decideDue = addDays(day, 7);
      const c = objection('forwarded', { decidingDepartment: SUPPLIER, forward, acceptance }, [
        deadline('objection_decide', { due: decideDue, department: SUPPLIER }),
      ]);
      expect(why(c, 'decide', AGENCY_OFFICER)).toBe(
        `已转送张掖市市场监督管理局核查，等待其作出处理决定（核查答复期限于${zh(decideDue)}24时届满）`,
      );
      expect(why(c, 'decide', OFFICER)).toBeNull();
      expect(why(c, 'forward', AGENCY_OFFICER)).toBe(`已于${zh(day)} 08:00转送张掖市市场监督管理局核查`);
      expect(why(objection('submitted'), 'accept', OFFICER)).toBe('由张掖市发展和改革委员会办理');
      expect(why(c, 'extend', SUPERVISOR)).toBeNull();
    });

    it('an extension is once, and only after forwarding', () => {
      const decideDue = addDays(day, 12);
      const c = objection(
        'forwarded',
        { decidingDepartment: SUPPLIER, forward, extension: { at: at(day), by: SUPERVISOR.sub, reason: '复杂。', workingDays: 5 } },
        [deadline('objection_decide', { due: decideDue, department: SUPPLIER, extended: true })],
      );
      expect(why(c, 'extend', SUPERVISOR)).toBe(`核查答复期限已延长一次（5个工作日），于${zh(decideDue)}24时届满`);
      expect(why(objection('verifying', { acceptance }), 'extend', SUPERVISOR)).toBe('转送信息提供单位核查后可办理');
    });

    it('a supplement requested holds the file until it comes or its window ends', () => {
      const supplementDue = addDays(day, 10);
      const supplement = {
        requestedAt: at(day, '08:00'),
        requestedBy: AGENCY_OFFICER.sub,
        items: ['缴款凭证'],
        returnTo: 'submitted' as const,
      };
      const c = objection('awaiting_supplement', { supplement }, [deadline('supplement_window', { due: supplementDue, party: 'subject' })]);
      const waiting = `等待当事人补正材料（补正材料期限于${zh(supplementDue)}24时届满），补正后可办理`;
      expect(why(c, 'accept', AGENCY_OFFICER)).toBe(waiting);
      expect(why(c, 'forward', AGENCY_OFFICER)).toBe(waiting);
      expect(why(c, 'request_supplement', AGENCY_OFFICER)).toBe(`补正材料只能通知一次，已于${zh(day)} 08:00通知`);
      expect(why(c, 'submit_supplement', SUBJECT)).toBeNull();
      expect(why(objection('submitted'), 'submit_supplement', SUBJECT)).toBe('受理机构通知补正材料后可提交');
    });

    it('before acceptance, forwarding and deciding wait for it', () => {
      const c = objection('submitted');
      expect(why(c, 'forward', AGENCY_OFFICER)).toBe('受理异议后可办理');
      expect(why(c, 'decide', AGENCY_OFFICER)).toBe('受理异议后可办理');
      expect(why(c, 'accept', AGENCY_OFFICER)).toBeNull();
      expect(why(objection('verifying', { acceptance }), 'accept', AGENCY_OFFICER)).toBe(`已于${zh(addDays(day, -1))} 10:00受理`);
    });
  });

  describe('repair', () => {
    it('a decision waits for the agency’s acceptance, by its deadline', () => {
      const acceptDue = addDays(day, 3);
      const c = repair('submitted', {}, [deadline('repair_accept', { due: acceptDue })]);
      expect(why(c, 'decide', OFFICER)).toBe(
        `等待张掖市发展和改革委员会受理修复申请（修复受理期限于${zh(acceptDue)}24时届满），受理后可作出修复决定`,
      );
      expect(why(c, 'accept', OFFICER)).toBe(`由张掖市发展和改革委员会受理（修复受理期限于${zh(acceptDue)}24时届满）`);
      expect(why(c, 'accept', AGENCY_OFFICER)).toBeNull();
    });

    it('under review, the deciding department decides by its deadline', () => {
      const decideDue = addDays(day, 20);
      const acceptance = { at: at(day, '08:00'), by: AGENCY_OFFICER.sub };
      const c = repair('under_review', { acceptance }, [deadline('repair_decide', { due: decideDue, department: SUPPLIER })]);
      expect(why(c, 'decide', AGENCY_OFFICER)).toBe(`由张掖市市场监督管理局作出修复决定（修复决定期限于${zh(decideDue)}24时届满）`);
      expect(why(c, 'decide', OFFICER)).toBeNull();
      expect(why(c, 'accept', AGENCY_OFFICER)).toBe(`已于${zh(day)} 08:00受理`);
    });
  });
});
