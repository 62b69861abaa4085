/**
 * The listing's rules on their own (workflows/listing/rules.ts): what each state allows, and why anything else is
 * refused. No Temporal, no Postgres: the rules are pure functions of the case and the request.
 */
import { listingActions, type ListingAction } from '../../workflows/listing/actions';
import type { ListingDetails, ListingState } from '../../workflows/listing/details';
import { allowedListingActions, listingRefusal } from '../../workflows/listing/rules';
import type { ActionRequest, Actor, DeadlineState } from '../../workflows/common/case-types';
import { ACTION_REFUSED } from '../../workflows/common/case-types';
import { listingDetailsFixture } from '../support/case-details';
import { deadlineState } from '../support/deadline-fixture';
import { exampleRequest, why } from '../support/rules';

const OFFICER: Actor = { id: 'officer-1', role: 'officer', department: 'ZY-SAMR' };
const OTHER_OFFICER: Actor = { id: 'officer-2', role: 'officer', department: 'ZY-SAMR' };
const SUPERVISOR: Actor = { id: 'supervisor-1', role: 'supervisor', department: 'ZY-SAMR' };
const SUBJECT: Actor = { id: 'subject-1', role: 'subject' };
const ALL = Object.keys(listingActions) as ListingAction[];

const details = listingDetailsFixture;

function window(status: DeadlineState['status'], more: Partial<DeadlineState> = {}): DeadlineState {
  return deadlineState('L-1', 'statement_window', {
    party: 'subject',
    status,
    ...(status === 'open' ? {} : { closedAt: '2026-12-08T16:00:00.000Z' }),
    ...more,
  });
}

const REOPENED = window('open', {
  id: 'L-1:statement_window',
  dueDate: '2026-12-10',
  dueAt: '2026-12-10T15:59:59.999Z',
  reopened: { previousDueDate: '2026-12-08', previousDueAt: '2026-12-08T15:59:59.999Z', at: '2026-12-09T01:00:00.000Z' },
});

const PROPOSAL: ListingDetails['proposal'] = {
  outcome: 'list',
  reasons: '情节严重。',
  measures: ['N-01'],
  proposedBy: OFFICER.id,
  proposedAt: '2026-12-09T02:00:00.000Z',
};
const DECISION: ListingDetails['decision'] = {
  outcome: 'list',
  number: 'ZY-SAMR-认定-1',
  approvedBy: SUPERVISOR.id,
  approvedAt: '2026-12-09T03:00:00.000Z',
  comment: '同意。',
  measures: ['N-01'],
  documentId: 'L-1-D2',
};
const STATEMENT: ListingDetails['statement'] = {
  text: '有异议。',
  requestHearing: true,
  submittedAt: '2026-12-03T02:00:00.000Z',
  by: SUBJECT.id,
};

/** Who takes each action, as the API lets them: the officer who did not propose approves nothing (that is the supervisor). */
function actorFor(action: ListingAction): Actor {
  if (action === 'submit_statement') return SUBJECT;
  if (action === 'approve_decision' || action === 'reject_decision') return SUPERVISOR;
  return OFFICER;
}

function request(action: ListingAction, actor: Actor = actorFor(action)): ActionRequest {
  return exampleRequest(listingActions, { action, actor, receivedAt: '2026-12-09T04:00:00.000Z' });
}

interface Case {
  name: string;
  state: ListingState;
  details: ListingDetails;
  deadlines: DeadlineState[];
  allowed: ListingAction[];
}

const CASES: Case[] = [
  { name: 'opened', state: 'opened', details: details(), deadlines: [], allowed: ['serve_notice'] },
  {
    name: 'notice served, window open',
    state: 'notice_served',
    details: details(),
    deadlines: [window('open')],
    allowed: ['submit_statement'],
  },
  {
    name: 'notice served, hearing requested',
    state: 'notice_served',
    details: details({ statement: STATEMENT, hearing: { requestedAt: STATEMENT.submittedAt } }),
    deadlines: [window('met')],
    allowed: ['schedule_hearing'],
  },
  {
    name: 'notice served, window lapsed without a statement (review follows)',
    state: 'notice_served',
    details: details(),
    deadlines: [window('lapsed')],
    allowed: [],
  },
  {
    name: 'hearing scheduled',
    state: 'hearing_scheduled',
    details: details({
      statement: STATEMENT,
      hearing: { requestedAt: STATEMENT.submittedAt, announcedOn: '2026-12-04', heldAt: '2026-12-20T01:30:00.000Z', place: '听证室' },
    }),
    deadlines: [window('met')],
    allowed: ['record_hearing'],
  },
  { name: 'under review', state: 'under_review', details: details(), deadlines: [window('lapsed')], allowed: ['propose_decision'] },
  {
    name: 'awaiting approval',
    state: 'awaiting_approval',
    details: details({ proposal: PROPOSAL }),
    deadlines: [window('lapsed')],
    allowed: ['approve_decision', 'reject_decision'],
  },
  {
    name: 'awaiting approval, window reopened',
    state: 'awaiting_approval',
    details: details({ proposal: PROPOSAL }),
    deadlines: [REOPENED],
    allowed: ['submit_statement'],
  },
  {
    name: 'decided',
    state: 'decided',
    details: details({ proposal: PROPOSAL, decision: DECISION }),
    deadlines: [window('lapsed')],
    allowed: ['serve_decision'],
  },
  {
    name: 'decided, window reopened',
    state: 'decided',
    details: details({ proposal: PROPOSAL, decision: DECISION }),
    deadlines: [REOPENED],
    allowed: ['submit_statement'],
  },
  {
    name: 'listed',
    state: 'listed',
    details: details({ decision: DECISION }),
    deadlines: [window('lapsed')],
    allowed: ['record_remedy', 'revoke'],
  },
  {
    name: 'listed, a remedy pending',
    state: 'listed',
    details: details({ decision: DECISION, remedies: [{ kind: 'reconsideration', filedAt: '2027-01-10T02:00:00.000Z' }] }),
    deadlines: [window('lapsed')],
    allowed: ['record_remedy', 'record_remedy_outcome', 'revoke'],
  },
  {
    name: 'listed, the remedy decided',
    state: 'listed',
    details: details({
      decision: DECISION,
      remedies: [
        { kind: 'reconsideration', filedAt: '2027-01-10T02:00:00.000Z', outcome: 'upheld', decidedAt: '2027-03-01T02:00:00.000Z' },
      ],
    }),
    deadlines: [window('lapsed')],
    allowed: ['record_remedy', 'revoke'],
  },
  {
    name: 'removed',
    state: 'removed',
    details: details({
      decision: DECISION,
      removal: { outcome: 'expired', at: '2029-12-20T00:00:00.000Z', reason: '届满', documentId: 'L-1-D3' },
    }),
    deadlines: [window('lapsed')],
    allowed: [],
  },
  {
    name: 'dismissed',
    state: 'dismissed',
    details: details({ proposal: { ...PROPOSAL, outcome: 'dismiss' } }),
    deadlines: [],
    allowed: [],
  },
];

describe('listing rules: what each state allows', () => {
  it('covers every state of the listing', () => {
    const states: ListingState[] = [
      'opened',
      'notice_served',
      'hearing_scheduled',
      'under_review',
      'awaiting_approval',
      'decided',
      'listed',
      'removed',
      'dismissed',
    ];
    expect([...new Set(CASES.map((c) => c.state))].sort()).toEqual([...states].sort());
  });

  it.each(CASES)('$name: allows exactly its actions', (c) => {
    expect(allowedListingActions(c.state, c.details, c.deadlines)).toEqual(c.allowed);
  });

  it.each(CASES)('$name: takes what it allows', (c) => {
    for (const action of c.allowed)
      expect([action, why(listingRefusal(c.state, c.details, c.deadlines, request(action)))]).toEqual([action, null]);
  });
});

describe('listing rules: refusals', () => {
  const plain = CASES.filter((c) => !c.deadlines.some((d) => d.reopened));

  it.each(plain)('$name: refuses anything else, naming the state and what it allows', (c) => {
    for (const action of ALL.filter((a) => !c.allowed.includes(a) && a !== 'submit_statement')) {
      expect(why(listingRefusal(c.state, c.details, c.deadlines, request(action)))).toEqual({
        type: ACTION_REFUSED,
        message: `action ${action} is not allowed while the case is ${c.state}`,
        info: { state: c.state, action, allowedActions: c.allowed },
      });
    }
  });

  it('four-eyes: the proposer may not approve or send back their own proposal', () => {
    const c = CASES.find((x) => x.name === 'awaiting approval')!;
    for (const action of ['approve_decision', 'reject_decision'] as const) {
      expect(why(listingRefusal(c.state, c.details, c.deadlines, request(action, OFFICER)))).toEqual({
        type: ACTION_REFUSED,
        message: 'the proposer may not approve or send back their own decision (four-eyes)',
        info: { state: 'awaiting_approval', proposedBy: OFFICER.id },
      });
      // Anyone else may.
      expect(listingRefusal(c.state, c.details, c.deadlines, request(action, OTHER_OFFICER))).toBeNull();
    }
  });

  it.each(['awaiting_approval', 'decided'] as const)(
    'a reopened window holds the decision (%s): approving, sending back and serving wait for it, naming until when',
    (state) => {
      const c = CASES.find((x) => x.state === state && x.deadlines.includes(REOPENED))!;
      const held = ['approve_decision', 'reject_decision', 'serve_decision'] as const;
      for (const action of held) {
        expect(why(listingRefusal(c.state, c.details, c.deadlines, request(action)))).toEqual({
          type: ACTION_REFUSED,
          message:
            'the statement window reopened until 2026-12-10T15:59:59.999Z (2026-12-10 24:00 Asia/Shanghai) under the official holiday schedule; the decision waits until it closes or the subject has made a statement',
          info: { state, reopenedUntil: '2026-12-10T15:59:59.999Z' },
        });
      }
      for (const action of ALL.filter((a) => a !== 'submit_statement' && !(held as readonly string[]).includes(a))) {
        expect(why(listingRefusal(c.state, c.details, c.deadlines, request(action)))).toEqual({
          type: ACTION_REFUSED,
          message: `action ${action} is not allowed while the case is ${state}`,
          info: { state, action, allowedActions: ['submit_statement'] },
        });
      }
    },
  );

  it('a statement is submitted once', () => {
    const c = CASES.find((x) => x.name === 'notice served, hearing requested')!;
    expect(why(listingRefusal(c.state, c.details, c.deadlines, request('submit_statement')))).toEqual({
      type: ACTION_REFUSED,
      message: 'a statement was already submitted',
      info: { state: 'notice_served', submittedAt: STATEMENT.submittedAt },
    });
  });

  it.each(['lapsed', 'cancelled'] as const)('a statement after the window is %s is refused with when it closed', (status) => {
    for (const state of ['notice_served', 'under_review', 'listed'] as const) {
      expect(why(listingRefusal(state, details(), [window(status)], request('submit_statement')))).toEqual({
        type: ACTION_REFUSED,
        message: 'the statement window closed at 2026-12-08T15:59:59.999Z (2026-12-08 24:00 Asia/Shanghai)',
        info: { state, closedAt: '2026-12-08T15:59:59.999Z', since: '2026-12-08T16:00:00.000Z' },
      });
    }
  });

  it('a statement before any notice is simply not allowed yet', () => {
    expect(why(listingRefusal('opened', details(), [], request('submit_statement')))).toEqual({
      type: ACTION_REFUSED,
      message: 'action submit_statement is not allowed while the case is opened',
      info: { state: 'opened', action: 'submit_statement', allowedActions: ['serve_notice'] },
    });
  });

  it('reads the latest statement window: an earlier closed one does not close a reopened one', () => {
    const c = CASES.find((x) => x.name === 'decided, window reopened')!;
    const deadlines = [window('lapsed', { id: 'L-1:statement_window:old' }), REOPENED];
    expect(allowedListingActions(c.state, c.details, deadlines)).toEqual(['submit_statement']);
    expect(listingRefusal(c.state, c.details, deadlines, request('submit_statement'))).toBeNull();
  });
});
