/**
 * Credit repair's rules on their own (workflows/repair/rules.ts): what each state allows, and why anything else is
 * refused. No Temporal, no Postgres: the rules are pure functions of the case and the request.
 */
import { repairActions, type RepairAction } from '../../workflows/repair/actions';
import type { RepairState } from '../../workflows/repair/definitions';
import type { RepairDetails } from '../../workflows/repair/details';
import { allowedRepairActions, repairRefusal, type RepairCase } from '../../workflows/repair/rules';
import { ACTION_REFUSED, type ActionRequest, type Actor } from '../../workflows/common/case-types';
import { exampleRequest, why } from '../support/rules';

const AGENCY = 'ZY-XYB';
const DECIDER = 'ZY-SAMR';
const AGENCY_OFFICER: Actor = { id: 'officer-xyb', role: 'officer', department: AGENCY };
const DECIDER_OFFICER: Actor = { id: 'officer-samr', role: 'officer', department: DECIDER };
const SUPERVISOR: Actor = { id: 'supervisor-1', role: 'supervisor', department: 'ZY-DRC' };
const ALL = Object.keys(repairActions) as RepairAction[];
const STATES: RepairState[] = ['submitted', 'under_review', 'approved', 'rejected', 'declined'];
const ALLOWED: Record<RepairState, RepairAction[]> = {
  submitted: ['accept', 'decline'],
  under_review: ['decide'],
  approved: [],
  rejected: [],
  declined: [],
};

const DETAILS: RepairDetails = {
  target: {
    kind: 'listing',
    listingCaseId: 'L-1',
    category: 'health_safety',
    decisionNumber: 'ZY-SAMR-认定-1',
    listedFrom: '2026-01-10',
    listedUntil: '2029-01-10',
    department: DECIDER,
  },
  targetKey: 'repair:listing:L-1',
  decidingDepartment: DECIDER,
  statement: '已整改。',
  evidence: [],
  commitment: { text: '信用承诺。', signedOn: '2026-12-01' },
};

function theCase(state: RepairState, decidingDepartment = DECIDER): RepairCase {
  return { state, details: { ...DETAILS, decidingDepartment }, agency: AGENCY };
}

function request(action: RepairAction, actor: Actor, body?: Record<string, unknown>): ActionRequest {
  // 2026-12-09 in Asia/Shanghai (UTC+8) until 16:00Z.
  return exampleRequest(repairActions, { action, actor, receivedAt: '2026-12-09T15:00:00.000Z', body });
}

/** The agency accepts and declines; the deciding department decides. */
function actorFor(action: RepairAction): Actor {
  return action === 'decide' ? DECIDER_OFFICER : AGENCY_OFFICER;
}

describe('repair rules: what each state allows', () => {
  it.each(STATES)('%s: allows exactly its actions', (state) => {
    expect(allowedRepairActions(state)).toEqual(ALLOWED[state]);
  });

  it.each(STATES)('%s: takes what it allows', (state) => {
    for (const action of ALLOWED[state])
      expect([action, why(repairRefusal(theCase(state), request(action, actorFor(action))))]).toEqual([action, null]);
  });

  it.each(STATES)('%s: refuses anything else, naming the state and what it allows', (state) => {
    for (const action of ALL.filter((a) => !ALLOWED[state].includes(a))) {
      expect(why(repairRefusal(theCase(state), request(action, actorFor(action))))).toEqual({
        type: ACTION_REFUSED,
        message: `action ${action} is not allowed while the case is ${state}`,
        info: { state, action, allowedActions: ALLOWED[state] },
      });
    }
  });
});

describe('repair rules: refusals', () => {
  it.each(['accept', 'decline'] as const)('only the agency’s officers %s', (action) => {
    expect(why(repairRefusal(theCase('submitted'), request(action, DECIDER_OFFICER)))).toEqual({
      type: ACTION_REFUSED,
      message: `only an officer of ${AGENCY} may ${action} in this case`,
      info: { state: 'submitted', department: AGENCY },
    });
  });

  it('only the deciding department’s officers decide; on a case filed before routing that is the agency', () => {
    expect(why(repairRefusal(theCase('under_review'), request('decide', AGENCY_OFFICER)))).toEqual({
      type: ACTION_REFUSED,
      message: `only an officer of ${DECIDER} may decide in this case`,
      info: { state: 'under_review', department: DECIDER },
    });
    expect(repairRefusal(theCase('under_review', AGENCY), request('decide', AGENCY_OFFICER))).toBeNull();
    expect(why(repairRefusal(theCase('under_review', AGENCY), request('decide', DECIDER_OFFICER)))?.message).toBe(
      `only an officer of ${AGENCY} may decide in this case`,
    );
  });

  it('the department rule binds officers only', () => {
    expect(repairRefusal(theCase('submitted'), request('accept', SUPERVISOR))).toBeNull();
    expect(repairRefusal(theCase('under_review'), request('decide', SUPERVISOR))).toBeNull();
  });

  it('a rejection’s reapplyAfter falls after the day of the decision (Asia/Shanghai)', () => {
    const reject = (reapplyAfter: string) => request('decide', DECIDER_OFFICER, { outcome: 'reject', reasons: '未整改。', reapplyAfter });
    for (const day of ['2026-12-08', '2026-12-09']) {
      expect(why(repairRefusal(theCase('under_review'), reject(day)))).toEqual({
        type: ACTION_REFUSED,
        message: `reapplyAfter ${day} must fall after the decision`,
        info: { state: 'under_review', reapplyAfter: day },
      });
    }
    expect(repairRefusal(theCase('under_review'), reject('2026-12-10'))).toBeNull();
    // An approval carries no reapplyAfter to check.
    const approve = request('decide', DECIDER_OFFICER, { outcome: 'approve', reasons: '同意。', reapplyAfter: '2026-12-01' });
    expect(repairRefusal(theCase('under_review'), approve)).toBeNull();
  });
});
