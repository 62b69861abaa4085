/**
 * The objection's rules on their own (workflows/objection/rules.ts): what each state allows, and why anything else
 * is refused. No Temporal, no Postgres: the rules are pure functions of the case and the request.
 */
import { objectionActions, type ObjectionAction } from '../../workflows/objection/actions';
import type { ObjectionState } from '../../workflows/objection/definitions';
import type { ObjectionDetails } from '../../workflows/objection/details';
import { allowedObjectionActions, objectionRefusal, type ObjectionCase } from '../../workflows/objection/rules';
import { ACTION_REFUSED, type ActionRequest, type Actor, type DeadlineState } from '../../workflows/common/case-types';
import { RESPONSIBLE_PERSON_ENTRY_TYPE } from '../../domain/record-types';
import { objectionDetailsFixture } from '../support/case-details';
import { deadlineState } from '../support/deadline-fixture';
import { exampleRequest, why } from '../support/rules';

const AGENCY = 'ZY-XYB';
const SUPPLIER = 'ZY-SAMR';
const AGENCY_OFFICER: Actor = { id: 'officer-xyb', role: 'officer', department: AGENCY };
const SUPPLIER_OFFICER: Actor = { id: 'officer-samr', role: 'officer', department: SUPPLIER };
const SUPERVISOR: Actor = { id: 'supervisor-1', role: 'supervisor', department: AGENCY };
const SUBJECT: Actor = { id: 'subject-1', role: 'subject' };
const ALL = Object.keys(objectionActions) as ObjectionAction[];
const DECIDE_PERIOD = { amount: 5, maxTotal: 20 };

function details(more: Partial<ObjectionDetails> = {}): ObjectionDetails {
  return objectionDetailsFixture(
    { supplier: SUPPLIER, agency: AGENCY, decidedOn: '2026-03-02', markedAt: '2026-12-01T02:00:00.000Z' },
    more,
  );
}

const SUPPLEMENT = {
  requestedAt: '2026-12-02T02:00:00.000Z',
  requestedBy: AGENCY_OFFICER.id,
  items: ['缴款凭证'],
  receivedAt: '2026-12-03T02:00:00.000Z',
  returnTo: 'submitted' as const,
};
const FORWARDED = { decidingDepartment: SUPPLIER, forward: { to: SUPPLIER, at: '2026-12-04T02:00:00.000Z', by: AGENCY_OFFICER.id } };

function decidePeriod(status: DeadlineState['status'], more: Partial<DeadlineState> = {}): DeadlineState {
  return deadlineState('O-1', 'objection_decide', {
    status,
    from: '2026-12-04',
    startsAt: '2026-12-04T02:00:00.000Z',
    department: SUPPLIER,
    dueDate: '2026-12-11',
    dueAt: '2026-12-11T15:59:59.999Z',
    ...(status === 'open' ? {} : { closedAt: '2026-12-11T16:00:00.000Z' }),
    ...more,
  });
}
const EXTENDED = decidePeriod('open', { extended: true, extendedBy: 5, period: { unit: 'working_days', amount: 10 } });
const EXTENSION = { at: '2026-12-08T02:00:00.000Z', by: SUPERVISOR.id, reason: '案情复杂。', workingDays: 5 };

function theCase(state: ObjectionState, d: ObjectionDetails = details(), deadlines: DeadlineState[] = []): ObjectionCase {
  return { state, details: d, deadlines, agency: AGENCY, decidePeriod: DECIDE_PERIOD };
}

/** Who takes each action: the deciding department decides, the agency does the rest, a supervisor extends. */
function actorFor(action: ObjectionAction, c: ObjectionCase): Actor {
  if (action === 'submit_supplement') return SUBJECT;
  if (action === 'extend') return SUPERVISOR;
  if (action === 'decide') return c.details.decidingDepartment === SUPPLIER ? SUPPLIER_OFFICER : AGENCY_OFFICER;
  return AGENCY_OFFICER;
}

function request(action: ObjectionAction, actor: Actor, body?: Record<string, unknown>): ActionRequest {
  return exampleRequest(objectionActions, { action, actor, receivedAt: '2026-12-09T04:00:00.000Z', body });
}

interface Row {
  name: string;
  c: ObjectionCase;
  allowed: ObjectionAction[];
}

const ROWS: Row[] = [
  { name: 'submitted', c: theCase('submitted'), allowed: ['accept', 'decline', 'request_supplement'] },
  {
    name: 'submitted, the supplement already had',
    c: theCase('submitted', details({ supplement: SUPPLEMENT })),
    allowed: ['accept', 'decline'],
  },
  {
    name: 'awaiting the supplement',
    c: theCase(
      'awaiting_supplement',
      details({
        supplement: {
          requestedAt: SUPPLEMENT.requestedAt,
          requestedBy: SUPPLEMENT.requestedBy,
          items: SUPPLEMENT.items,
          returnTo: 'submitted',
        },
      }),
    ),
    allowed: ['submit_supplement'],
  },
  { name: 'verifying', c: theCase('verifying'), allowed: ['forward', 'decide', 'request_supplement'] },
  {
    name: 'verifying, the supplement already had',
    c: theCase('verifying', details({ supplement: SUPPLEMENT })),
    allowed: ['forward', 'decide'],
  },
  { name: 'forwarded, period open', c: theCase('forwarded', details(FORWARDED), [decidePeriod('open')]), allowed: ['decide', 'extend'] },
  {
    name: 'forwarded, period extended',
    c: theCase('forwarded', details({ ...FORWARDED, extension: EXTENSION }), [EXTENDED]),
    allowed: ['decide'],
  },
  { name: 'forwarded, period breached', c: theCase('forwarded', details(FORWARDED), [decidePeriod('breached')]), allowed: ['decide'] },
  { name: 'decided', c: theCase('decided', details(FORWARDED), [decidePeriod('met')]), allowed: [] },
  { name: 'declined', c: theCase('declined'), allowed: [] },
];

describe('objection rules: what each state allows', () => {
  it('covers every state of the objection', () => {
    const states: ObjectionState[] = ['submitted', 'awaiting_supplement', 'verifying', 'forwarded', 'decided', 'declined'];
    expect([...new Set(ROWS.map((r) => r.c.state))].sort()).toEqual([...states].sort());
  });

  it.each(ROWS)('$name: allows exactly its actions', ({ c, allowed }) => {
    expect(allowedObjectionActions(c.state, c.details, c.deadlines)).toEqual(allowed);
  });

  it.each(ROWS)('$name: takes what it allows', ({ c, allowed }) => {
    for (const action of allowed) expect([action, why(objectionRefusal(c, request(action, actorFor(action, c))))]).toEqual([action, null]);
  });

  it.each(ROWS)('$name: refuses anything else, naming the state and what it allows', ({ c, allowed }) => {
    const special = (a: ObjectionAction) =>
      (a === 'request_supplement' && c.details.supplement) || (a === 'extend' && c.deadlines.length > 0);
    for (const action of ALL.filter((a) => !allowed.includes(a) && !special(a))) {
      expect(why(objectionRefusal(c, request(action, actorFor(action, c))))).toEqual({
        type: ACTION_REFUSED,
        message: `action ${action} is not allowed while the case is ${c.state}`,
        info: { state: c.state, action, allowedActions: allowed },
      });
    }
  });
});

describe('objection rules: refusals', () => {
  const row = (name: string) => ROWS.find((r) => r.name === name)!.c;

  it.each(['submitted, the supplement already had', 'verifying, the supplement already had', 'awaiting the supplement'])(
    'a supplement is requested once (%s)',
    (name) => {
      const c = row(name);
      expect(why(objectionRefusal(c, request('request_supplement', AGENCY_OFFICER)))).toEqual({
        type: ACTION_REFUSED,
        message: 'a supplement may be requested once; it was requested at 2026-12-02T02:00:00.000Z',
        info: { state: c.state, requestedAt: '2026-12-02T02:00:00.000Z' },
      });
    },
  );

  it.each(['forwarded, period extended', 'decided'])('the supplier’s period is extended once (%s)', (name) => {
    const c = row(name);
    const extended = { ...c, details: { ...c.details, extension: EXTENSION }, deadlines: [EXTENDED] };
    expect(why(objectionRefusal(extended, request('extend', SUPERVISOR)))).toEqual({
      type: ACTION_REFUSED,
      message: 'the supplying department’s period was already extended once',
      info: { state: c.state, extension: EXTENSION },
    });
  });

  it.each([
    ['forwarded, period breached', 'breached'],
    ['decided', 'met'],
  ])('a period no longer open is not extended (%s)', (name, status) => {
    const c = row(name);
    expect(why(objectionRefusal(c, request('extend', SUPERVISOR)))).toEqual({
      type: ACTION_REFUSED,
      message: `the supplying department’s period is ${status} since 2026-12-11T16:00:00.000Z; it can no longer be extended`,
      info: { state: c.state, since: '2026-12-11T16:00:00.000Z' },
    });
  });

  it('an extension adds at most what brings the period to its maximum', () => {
    const c = row('forwarded, period open');
    expect(why(objectionRefusal(c, request('extend', SUPERVISOR, { reason: '复杂。', workingDays: 16 })))).toEqual({
      type: ACTION_REFUSED,
      message: 'an extension may add at most 15 working days (20 in total)',
      info: { state: 'forwarded', maxWorkingDays: 15 },
    });
    expect(objectionRefusal(c, request('extend', SUPERVISOR, { reason: '复杂。', workingDays: 15 }))).toBeNull();
  });

  it('only the agency’s officers accept, decline, ask for a supplement and forward', () => {
    for (const action of ['accept', 'decline', 'request_supplement'] as const) {
      expect(why(objectionRefusal(row('submitted'), request(action, SUPPLIER_OFFICER)))).toEqual({
        type: ACTION_REFUSED,
        message: `only an officer of ${AGENCY} may ${action} in this case`,
        info: { state: 'submitted', department: AGENCY },
      });
    }
    expect(why(objectionRefusal(row('verifying'), request('forward', SUPPLIER_OFFICER)))?.message).toBe(
      `only an officer of ${AGENCY} may forward in this case`,
    );
  });

  it('only the deciding department’s officers decide: the agency before forwarding, the supplier after', () => {
    expect(why(objectionRefusal(row('verifying'), request('decide', SUPPLIER_OFFICER)))).toEqual({
      type: ACTION_REFUSED,
      message: `only an officer of ${AGENCY} may decide in this case`,
      info: { state: 'verifying', department: AGENCY },
    });
    expect(why(objectionRefusal(row('forwarded, period open'), request('decide', AGENCY_OFFICER)))).toEqual({
      type: ACTION_REFUSED,
      message: `only an officer of ${SUPPLIER} may decide in this case`,
      info: { state: 'forwarded', department: SUPPLIER },
    });
  });

  it('an objection is not forwarded to the agency itself', () => {
    expect(why(objectionRefusal(row('verifying'), request('forward', AGENCY_OFFICER, { department: AGENCY })))).toEqual({
      type: ACTION_REFUSED,
      message: 'an objection is forwarded to the supplying department, not to the credit agency itself',
      info: { state: 'verifying' },
    });
  });

  it('remove_from_list applies only to a record that reports a listing, and not to an Art 48 entry', () => {
    const body = { outcome: 'remove_from_list', reasons: '认定已撤销。' };
    expect(why(objectionRefusal(row('verifying'), request('decide', AGENCY_OFFICER, body)))).toEqual({
      type: ACTION_REFUSED,
      message: 'record R-1 reports no listing; remove_from_list does not apply',
      info: { state: 'verifying' },
    });
    const listed = details({ record: { ...details().record, listingCaseId: 'L-1' } });
    expect(objectionRefusal(theCase('verifying', listed), request('decide', AGENCY_OFFICER, body))).toBeNull();
    const entry = details({ record: { ...details().record, listingCaseId: 'L-1', type: RESPONSIBLE_PERSON_ENTRY_TYPE } });
    expect(why(objectionRefusal(theCase('verifying', entry), request('decide', AGENCY_OFFICER, body)))).toEqual({
      type: ACTION_REFUSED,
      message: 'record R-1 is an Art 48 entry, not the listing; decide delete or correct to end or change the entry',
      info: { state: 'verifying' },
    });
  });

  it.each(['correct', 'supplement'])('%s must change the content', (outcome) => {
    const same = { outcome, reasons: '更正。', correctedContent: ' 因销售过期食品被处罚款一万元。 ' };
    expect(why(objectionRefusal(row('verifying'), request('decide', AGENCY_OFFICER, same)))).toEqual({
      type: ACTION_REFUSED,
      message: "the corrected content is the record's content as it stands; decide keep instead",
      info: { state: 'verifying' },
    });
    const changed = { ...same, correctedContent: '因销售过期食品被处罚款五千元。' };
    expect(objectionRefusal(row('verifying'), request('decide', AGENCY_OFFICER, changed))).toBeNull();
  });
});
