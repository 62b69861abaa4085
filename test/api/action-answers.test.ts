import { writeActionChanges } from '../../api/action-changes';
import { caseAsChanged } from '../../api/case-answers';
import { readCase, readCaseWritten } from '../../api/case-reads';
import { takeActionUpdate } from '../../workflows/common/definitions';
import type { CaseView } from '../../workflows/common/case-types';
import { apiAs, settledCase, startSystem, subjectOf, type System } from '../support/system';
import { listingBody, OFFICER, SUPERVISOR } from '../support/fixtures';
import { ifStarted } from '../support/teardown';
import { consentToElectronicService } from '../support/service-consent';

/**
 * An action is answered with the case as its change leaves it, worked out from the change and the view the action was
 * judged on rather than read back (api/case-answers.ts, issue 23), and its Idempotency-Key answered as the change is
 * written. Whichever way an answer is made, it is what a read of the case shows right after.
 */
let sys: System;
beforeAll(async () => {
  sys = await startSystem();
});
afterAll(async () => {
  await ifStarted(sys)?.stop();
});

const api = () => apiAs(sys);

async function openedListing(): Promise<{ id: string; subjectId: string }> {
  const body = listingBody();
  const opened = await api().post('/v1/cases', OFFICER, body, `open-${body.subject.id}`);
  expect(opened.statusCode).toBe(201);
  const id = opened.json<{ id: string }>().id;
  await settledCase(sys, id, 'opened');
  return { id, subjectId: body.subject.id };
}

/** Takes an action with a key and expects its answer to be the case as a read shows it then, and a retry to get the same. */
async function answeredAsRead(id: string, action: string, claims: Parameters<ReturnType<typeof apiAs>['post']>[1], body: unknown) {
  const key = `${action}-${id}`;
  const url = `/v1/cases/${id}/actions/${action}`;
  const taken = await api().post(url, claims, body, key);
  expect(taken.statusCode).toBe(200);
  // The read adds the files filed with the case, which an action's answer has never carried.
  const { evidenceFiles: _files, ...read } = (await api().get(`/v1/cases/${id}`, OFFICER)).json<CaseView & { evidenceFiles: unknown }>();
  expect(taken.json()).toEqual(read);
  const again = await api().post(url, claims, body, key);
  expect(again.headers['idempotent-replayed']).toBe('true');
  expect(again.json()).toEqual(taken.json());
  return taken.json<CaseView>();
}

it('answers each step of a listing with the case as a read shows it right after, and a retry the same', async () => {
  const { id, subjectId } = await openedListing();
  const served = await answeredAsRead(id, 'serve_notice', OFFICER, { servedAt: new Date().toISOString(), method: 'in_person' });
  expect(served.documents.map((d) => d.id)).toEqual([`${id}-D1`]);
  const stated = await answeredAsRead(id, 'submit_statement', subjectOf(subjectId), { text: '我公司已全部整改', requestHearing: false });
  expect(stated.state).toBe('under_review');
  await answeredAsRead(id, 'propose_decision', OFFICER, { outcome: 'list', reasons: '情节严重', measures: ['N-01'] });
  const decided = await answeredAsRead(id, 'approve_decision', SUPERVISOR, { comment: '同意' });
  expect(decided.state).toBe('decided');
}, 60_000);

it('answers an opening with the case as a read shows it right after, and a retry with the same key the same', async () => {
  const body = listingBody();
  const key = `open-answer-${body.subject.id}`;
  const opened = await api().post('/v1/cases', OFFICER, body, key);
  expect(opened.statusCode).toBe(201);
  const id = opened.json<CaseView>().id;
  const { evidenceFiles: _files, ...read } = (await api().get(`/v1/cases/${id}`, OFFICER)).json<CaseView & { evidenceFiles: unknown }>();
  expect(opened.json()).toEqual(read);
  const stored = await sys.db.idempotencyKey.findUniqueOrThrow({ where: { actor_key: { actor: OFFICER.sub, key } } });
  expect(stored).toMatchObject({ status: 201, response: opened.json() });
  const again = await api().post('/v1/cases', OFFICER, body, key);
  expect(again.statusCode).toBe(201);
  expect(again.headers['idempotent-replayed']).toBe('true');
  expect(again.json()).toEqual(opened.json());
}, 60_000);

it('answers a notice served electronically, which the worker issues itself, with the notice', async () => {
  const { id, subjectId } = await openedListing();
  await consentToElectronicService(sys, subjectId);
  const served = await answeredAsRead(id, 'serve_notice', OFFICER, { servedAt: new Date().toISOString(), method: 'electronic' });
  expect(served.documents.map((d) => d.kind)).toEqual(['pre_listing_notice']);
}, 60_000);

describe('the answer worked out from the change', () => {
  /** A statement taken by the case the way the route takes it, up to the answer: the judged read and the Update's changes. */
  async function statementTaken(id: string, subjectId: string, updateId: string) {
    const judged = await readCaseWritten(sys.db, id);
    if (!judged) throw new Error(`no case ${id}`);
    const { changes } = await sys.temporal.workflow.getHandle(id).executeUpdate(takeActionUpdate, {
      args: [
        {
          action: 'submit_statement',
          actor: { id: `user-${subjectId}`, role: 'subject' },
          body: { text: '情况属实，已整改。', requestHearing: false },
          receivedAt: new Date().toISOString(),
          confirmedVersion: judged.writtenThrough,
        },
      ],
      updateId,
    });
    return { judged, changes };
  }

  async function servedCase() {
    const c = await openedListing();
    const served = await api().act(c.id, 'serve_notice', OFFICER, { servedAt: new Date().toISOString(), method: 'in_person' });
    expect(served.statusCode).toBe(200);
    await settledCase(sys, c.id, 'notice_served');
    return c;
  }

  it('is the case as it is written, when the change is written onto the case it was judged on', async () => {
    const { id, subjectId } = await servedCase();
    const { judged, changes } = await statementTaken(id, subjectId, `act-answer-${id}`);
    const answer = caseAsChanged(judged, changes, []);
    if (!answer) throw new Error('no answer worked out');
    expect(answer.judged).toEqual({ version: 2, documents: 1 });
    const written = await writeActionChanges(
      sys.db,
      sys.temporal,
      { updateId: `act-answer-${id}`, caseId: id, changes },
      { judged: answer.judged },
    );
    expect(written.answered).toBe(true);
    expect(answer.view).toEqual(await readCase(sys.db, id));
  }, 60_000);

  it('is not worked out from a view behind the case, nor taken where the case was not as judged', async () => {
    const { id, subjectId } = await servedCase();
    const { judged, changes } = await statementTaken(id, subjectId, `act-behind-${id}`);
    expect(caseAsChanged({ ...judged, writtenThrough: 1 }, changes, [])).toBeNull();
    expect(caseAsChanged({ view: { ...judged.view, timeline: judged.view.timeline.slice(1) }, writtenThrough: 2 }, changes, [])).toBeNull();
    expect(caseAsChanged({ view: judged.view }, changes, [])).toBeNull();
    // A document the judged view did not list (one a step issued meanwhile): the change is written, the answer is not taken.
    const answer = caseAsChanged(judged, changes, []);
    if (!answer) throw new Error('no answer worked out');
    const written = await writeActionChanges(
      sys.db,
      sys.temporal,
      { updateId: `act-behind-${id}`, caseId: id, changes },
      { judged: { ...answer.judged, documents: 0 } },
    );
    expect(written.answered).toBe(false);
    expect((await readCase(sys.db, id))?.state).toBe('under_review');
  }, 60_000);

  it('answers the key as the change is written onto the case as judged, and only then', async () => {
    const keyed = async (tag: string, judgedAt: (v: number) => number) => {
      const { id, subjectId } = await servedCase();
      const { judged, changes } = await statementTaken(id, subjectId, `act-${tag}-${id}`);
      const answer = caseAsChanged(judged, changes, []);
      if (!answer) throw new Error('no answer worked out');
      const actor = `user-${subjectId}`;
      await sys.db.idempotencyKey.create({ data: { actor, key: tag, route: 'POST /x', bodyHash: 'h' } });
      const written = await writeActionChanges(
        sys.db,
        sys.temporal,
        { updateId: `act-${tag}-${id}`, caseId: id, changes },
        {
          judged: { ...answer.judged, version: judgedAt(answer.judged.version) },
          key: { actor, key: tag, status: 200, response: answer.view },
        },
      );
      const row = await sys.db.idempotencyKey.findUniqueOrThrow({ where: { actor_key: { actor, key: tag } } });
      // Written either way.
      expect((await readCase(sys.db, id))?.state).toBe('under_review');
      return { answered: written.answered, status: row.status, response: row.response, answer: answer.view };
    };
    const asJudged = await keyed('as-judged', (v) => v);
    expect(asJudged).toMatchObject({ answered: true, status: 200 });
    expect(asJudged.response).toEqual(JSON.parse(JSON.stringify(asJudged.answer)));
    // Judged on another version: the key is left for the route to answer once it has read the case.
    expect(await keyed('not-as-judged', (v) => v - 1)).toMatchObject({ answered: false, status: null, response: null });
  }, 60_000);
});
