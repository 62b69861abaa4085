import { randomUUID } from 'node:crypto';
import { apiAs, expectTouches, requestStatements, startSystem, subjectOf, type System } from '../support/system';
import { listingBody, OFFICER } from '../support/fixtures';
import { ifStarted } from '../support/teardown';

// An action's round trips to Postgres are waits in its answer and work on both sides (issue 23; README "How one action
// travels", step 7): these are the statements the API sends for the actions every listing takes first.
let sys: System;
const heard = requestStatements();
beforeAll(async () => {
  sys = await startSystem(heard.options);
  // The API loads the calendar once, at its first deadline worked out ahead, and again only when the fingerprint
  // read with a case says it changed (`loadCalendar`, db/calendar-store.ts): counted here is what every later action costs.
  const { id } = await openedListing();
  expect((await api().act(id, 'serve_notice', OFFICER, servedInPerson())).statusCode).toBe(200);
});
afterAll(async () => {
  await ifStarted(sys)?.stop();
});

const api = () => apiAs(sys);

async function statementsOf(take: () => ReturnType<ReturnType<typeof apiAs>['post']>) {
  const { result: res, statements } = await heard.of(take);
  expect(res.statusCode).toBe(200);
  return statements;
}

async function openedListing() {
  const body = listingBody();
  const opened = await api().post('/v1/cases', OFFICER, body, randomUUID());
  expect(opened.statusCode).toBe(201);
  return { id: opened.json<{ id: string }>().id, subjectId: body.subject.id };
}

const servedInPerson = () => ({ servedAt: new Date().toISOString(), method: 'in_person' });

it('serves a notice with a key in three statements: the case with its facts, the key with the rendering, the write', async () => {
  const { id } = await openedListing();
  const statements = await statementsOf(() => api().post(`/v1/cases/${id}/actions/serve_notice`, OFFICER, servedInPerson(), randomUUID()));
  expect(statements).toHaveLength(3);
  // The case as the read model holds it, with the opening facts and the rows the notice prints.
  expectTouches(statements[0], 'FROM cases c', 'case_inputs', 'departments');
  // The key, the action's handover and the notice rendered ahead, in one.
  expectTouches(statements[1], 'idempotency_keys', 'action_handovers', 'quoted_documents');
  // The change, the notice moved into the documents, the handover ended and the key answered, in one.
  expectTouches(
    statements[2],
    'INTO cases',
    'timeline_entries',
    'deadlines',
    'audit_entries',
    'documents',
    'action_handovers',
    'idempotency_keys',
  );
  expect(await sys.db.document.count({ where: { caseId: id } })).toBe(1);
  expect(await sys.db.actionHandover.count({ where: { caseId: id } })).toBe(0);
  expect(await sys.db.quotedDocument.count({ where: { caseId: id } })).toBe(0);
}, 60_000);

it('serves a notice without a key in as many: its handover claimed with the rendering alone', async () => {
  const { id } = await openedListing();
  const statements = await statementsOf(() => api().act(id, 'serve_notice', OFFICER, servedInPerson()));
  expect(statements).toHaveLength(3);
  expectTouches(statements[1], 'action_handovers', 'quoted_documents');
  expect(statements.filter((s) => s.includes('idempotency_keys'))).toEqual([]);
  expect(await sys.db.document.count({ where: { caseId: id } })).toBe(1);
}, 60_000);

it("takes a subject's statement with a key in three statements: the case, the key with the handover, the write", async () => {
  const { id, subjectId } = await openedListing();
  expect((await api().act(id, 'serve_notice', OFFICER, servedInPerson())).statusCode).toBe(200);
  const statements = await statementsOf(() =>
    api().post(
      `/v1/cases/${id}/actions/submit_statement`,
      subjectOf(subjectId),
      { text: '我公司已全部整改', requestHearing: false },
      randomUUID(),
    ),
  );
  expect(statements).toHaveLength(3);
  expectTouches(statements[0], 'FROM cases c');
  expectTouches(statements[1], 'idempotency_keys', 'action_handovers');
  expectTouches(statements[2], 'INTO cases', 'timeline_entries', 'audit_entries', 'idempotency_keys');
  expect(await sys.db.actionHandover.count({ where: { caseId: id } })).toBe(0);
}, 60_000);
