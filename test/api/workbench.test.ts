/**
 * `GET /v1/workbench`, the officer's open cases whose next step is their department's, against the dev server and
 * Postgres: nearest authority deadline first, a forwarded objection on the desk of the department that must decide
 * it, the filters, the search, the pages and their total, who may read it, and the audit entry every read leaves.
 * The department here (ZY-EMERGENCY) is used by no other test, so the counts are this file's own.
 */
import { apiAs, settledCase, startSystem, subjectOf, type System } from '../support/system';
import { AGENCY_OFFICER, OFFICER, SUPERVISOR, listingBody, randomUscc, recordBody } from '../support/fixtures';
import { decisionServedDaysAgo } from '../support/test-calendar';
import { ifStarted } from '../support/teardown';

const EMERGENCY = { role: 'officer', sub: 'officer-emergency-1', dept: 'ZY-EMERGENCY' } as const;

let sys: System;
let listings: string[];
let objection: string;

beforeAll(async () => {
  sys = await startSystem();
  const api = apiAs(sys);
  // Five listing cases of the department, one of them for a subject found by name below.
  listings = [];
  for (let i = 0; i < 5; i++) {
    const name = i === 0 ? '张掖市应急示例化工有限公司' : `张掖市某某矿业有限公司${i}`;
    const r = await api.post('/v1/cases', EMERGENCY, listingBody({ subject: { kind: 'legal_person', id: randomUscc(), name } }));
    expect(r.statusCode).toBe(201);
    listings.push(r.json().id);
  }
  // An objection to the department's record, forwarded to it by the agency: its turn, with the decide deadline.
  const rec = await api.post('/v1/records', EMERGENCY, recordBody({ documentNumber: '张应急罚〔2026〕5号' }));
  expect(rec.statusCode).toBe(201);
  const filed = await api.post('/v1/cases', subjectOf(rec.json().subject.id), {
    procedure: 'objection',
    recordId: rec.json().id,
    grounds: 'error_or_omission',
    statement: '处罚金额记载有误。',
    evidence: [{ title: '缴款凭证', description: '实际罚款五千元' }],
  });
  expect(filed.statusCode).toBe(201);
  objection = filed.json().id;
  await settledCase(sys, objection, 'submitted');
  expect((await api.act(objection, 'accept', AGENCY_OFFICER, {})).statusCode).toBe(200);
  expect((await api.act(objection, 'forward', AGENCY_OFFICER, { department: 'ZY-EMERGENCY' })).statusCode).toBe(200);
  await settledCase(sys, objection, 'forwarded');
  for (const id of listings) await settledCase(sys, id, 'opened');
}, 120_000);
afterAll(async () => {
  await ifStarted(sys)?.stop();
});

const read = (query: string, who: object = EMERGENCY) => apiAs(sys).get(`/v1/workbench${query}`, who as typeof EMERGENCY);
type Item = {
  id: string;
  procedure: string;
  state: string;
  actingDepartment: string;
  department: string;
  nextDeadline: null | { kind: string; dueAt: string; workingDaysLeft?: number; overdue: boolean };
};

it("lists the department's open cases, the forwarded objection first with its decide deadline, and counts them all", async () => {
  const r = await read('');
  expect(r.statusCode).toBe(200);
  const { items, total } = r.json<{ items: Item[]; total: number }>();
  expect(total).toBe(6);
  expect(items.map((i) => i.id).sort()).toEqual([...listings, objection].sort());
  expect(items[0]).toMatchObject({
    id: objection,
    state: 'forwarded',
    department: 'ZY-DRC',
    actingDepartment: 'ZY-EMERGENCY',
    nextDeadline: { kind: 'objection_decide', overdue: false },
  });
  expect(items[0]!.nextDeadline!.workingDaysLeft).toBeGreaterThan(0);
  // Listing cases before their notice have no deadline of the department's yet; they follow, most recently changed first.
  expect(items.slice(1).every((i) => i.nextDeadline === null)).toBe(true);
  // The agency that forwarded it no longer has the objection on its desk; the other department never had these.
  const agency = (await read('?procedure=objection', AGENCY_OFFICER)).json<{ items: Item[] }>();
  expect(agency.items.map((i) => i.id)).not.toContain(objection);
  const samr = (await read('', OFFICER)).json<{ items: Item[] }>();
  expect(samr.items.some((i) => [...listings, objection].includes(i.id))).toBe(false);
});

it('pages through the list with one total, the pages together holding every case once', async () => {
  const pages = await Promise.all([0, 2, 4].map((offset) => read(`?limit=2&offset=${offset}`)));
  const bodies = pages.map((p) => p.json<{ items: Item[]; total: number }>());
  expect(bodies.map((b) => b.total)).toEqual([6, 6, 6]);
  const ids = bodies.flatMap((b) => b.items.map((i) => i.id));
  expect(ids).toHaveLength(6);
  expect(new Set(ids).size).toBe(6);
  expect((await read('?limit=2&offset=6')).json()).toEqual({ items: [], total: 6 });
});

it('filters by procedure, state and due window, and finds a case by id, subject code or part of a name', async () => {
  const ids = async (q: string) =>
    (await read(q))
      .json<{ items: Item[] }>()
      .items.map((i) => i.id)
      .sort();
  expect(await ids('?procedure=objection')).toEqual([objection]);
  expect(await ids('?procedure=listing&state=opened')).toEqual([...listings].sort());
  expect(await ids('?due=none')).toEqual([...listings].sort());
  expect(await ids('?due=overdue')).toEqual([]);
  expect((await read('?due=none')).json().total).toBe(5);
  expect(await ids(`?q=${listings[2]}`)).toEqual([listings[2]]);
  expect(await ids(`?q=${encodeURIComponent('应急示例化工')}`)).toEqual([listings[0]]);
  const code = (await read(`?q=${listings[3]}`)).json<{ items: (Item & { subject: { id: string } })[] }>().items[0]!.subject.id;
  expect(await ids(`?q=${code.toLowerCase()}`)).toEqual([listings[3]]);
  // Wildcards typed into the search are taken literally.
  expect(await ids('?q=%25')).toEqual([]);
});

it('is for officers only, refuses a due window it does not know, and leaves an audit entry for every read', async () => {
  expect((await read('', SUPERVISOR)).statusCode).toBe(403);
  expect((await read('', subjectOf(randomUscc()))).statusCode).toBe(403);
  expect((await sys.app.inject({ method: 'GET', url: '/v1/workbench' })).statusCode).toBe(401);
  const bad = await read('?due=tomorrow');
  expect(bad.statusCode).toBe(400);
  expect(bad.headers['content-type']).toMatch(/application\/problem\+json/);
  const before = await sys.db.auditEntry.count({
    where: { action: 'workbench.read', target: 'department:ZY-EMERGENCY' },
  });
  await read('?procedure=listing');
  const entries = await sys.db.auditEntry.findMany({
    where: { action: 'workbench.read', target: 'department:ZY-EMERGENCY' },
    orderBy: { id: 'desc' },
    take: 1,
  });
  expect(await sys.db.auditEntry.count({ where: { action: 'workbench.read', target: 'department:ZY-EMERGENCY' } })).toBe(before + 1);
  expect(entries[0]).toMatchObject({
    actor: EMERGENCY.sub,
    detail: { filter: { procedure: 'listing', due: 'all' }, count: 5 },
  });
});

it('puts the nearest authority deadline first: the objection to decide this week before a listing whose period ends in years, then the cases with none', async () => {
  // A listing imported into the department after the others: the most recently changed case, with its listing period running.
  const { procedure: _p, proposedMeasures: _m, ...rest } = listingBody();
  const decision = decisionServedDaysAgo(400);
  const imported = await apiAs(sys).post('/v1/imports/listings', SUPERVISOR, {
    ...rest,
    measures: ['N-01'],
    department: 'ZY-EMERGENCY',
    decisionDocument: { number: '张应急认〔2025〕3号', issuedOn: decision.issuedOn },
    decisionServedAt: decision.decisionServedAt,
  });
  expect(imported.statusCode).toBe(201);
  const listed = imported.json().id as string;
  await settledCase(sys, listed, 'listed');
  const { items } = (await read('')).json<{ items: Item[] }>();
  expect(items.map((i) => i.id)).toEqual([objection, listed, ...items.slice(2).map((i) => i.id)]);
  expect(items[1]!.nextDeadline).toMatchObject({ kind: 'listing_period', overdue: false });
  expect(Date.parse(items[0]!.nextDeadline!.dueAt)).toBeLessThan(Date.parse(items[1]!.nextDeadline!.dueAt));
  expect(
    items
      .slice(2)
      .map((i) => i.id)
      .sort(),
  ).toEqual([...listings].sort());
  expect(items.slice(2).every((i) => i.nextDeadline === null)).toBe(true);
});

it('shows a listing whose notice was served as waiting on the subject until its statement window ends, after the cases with an authority deadline', async () => {
  const id = listings[4]!;
  const served = await apiAs(sys).act(id, 'serve_notice', EMERGENCY, { servedAt: new Date().toISOString(), method: 'in_person' });
  expect(served.statusCode).toBe(200);
  const window = (served.json().deadlines as { kind: string; party: string; dueAt: string; dueDate: string; provisional: boolean }[]).find(
    (d) => d.kind === 'statement_window',
  )!;
  expect(window.party).toBe('subject');
  await settledCase(sys, id, 'notice_served');
  // A case opened after it, with no deadline: the most recently changed, still after the one waiting on the subject.
  const later = await apiAs(sys).post('/v1/cases', EMERGENCY, listingBody());
  expect(later.statusCode).toBe(201);
  await settledCase(sys, later.json().id, 'opened');
  const { items, total } = (await read('')).json<{ items: (Item & { waitingOnSubject?: Record<string, unknown> })[]; total: number }>();
  expect(total).toBe(8);
  const at = items.findIndex((i) => i.id === id);
  expect(items[at]).toMatchObject({
    state: 'notice_served',
    nextDeadline: null,
    waitingOnSubject: {
      kind: 'statement_window',
      dueDate: window.dueDate,
      provisional: window.provisional,
      overdue: false,
    },
  });
  // The same instant as the case's own deadline (the case view writes it in Shanghai time, the workbench in UTC).
  expect(Date.parse(items[at]!.waitingOnSubject!.dueAt as string)).toBe(Date.parse(window.dueAt));
  expect(items[at]!.waitingOnSubject!.workingDaysLeft).toBeGreaterThan(0);
  // The cases with an authority deadline (the objection, the imported listing) come first; then this one; then those with neither.
  const withAuthority = items.filter((i) => i.nextDeadline !== null);
  expect(withAuthority.map((i) => i.id)).toContain(objection);
  expect(at).toBe(withAuthority.length);
  expect(items.filter((i) => i.waitingOnSubject).map((i) => i.id)).toEqual([id]);
  expect(items.slice(at + 1).every((i) => i.nextDeadline === null && !('waitingOnSubject' in i))).toBe(true);
  expect(
    items
      .slice(at + 1)
      .map((i) => i.id)
      .sort(),
  ).toEqual([...listings.slice(0, 4), later.json().id].sort());
  // The due windows look at the authority's deadlines only.
  expect((await read('?due=none')).json<{ items: Item[] }>().items.map((i) => i.id)).toContain(id);
  // The OpenAPI document says what the field is.
  const doc = (await sys.app.inject({ method: 'GET', url: '/docs/json' })).json();
  expect(JSON.stringify(doc.paths['/v1/workbench'].get.responses['200'])).toMatch(
    /"waitingOnSubject":\{[^]*"description":"Present when the case waits on the subject/,
  );
});

it('keeps the columns the page reads in agreement with the deadline registry, for every case the workflows recorded here', async () => {
  // What the workbench computed per case before the columns: whose turn, the authority's nearest deadline (a
  // breached one while none runs), the subject's nearest open window where there is none.
  const rows = await sys.db.$queryRaw<{ id: string; columns: unknown; registry: unknown }[]>`
    SELECT c.id, json_build_array(c.acting_department, c.next_deadline_id, c.next_due_at, c.waiting_deadline_id, c.waiting_due_at) AS columns,
           json_build_array(
             CASE WHEN (c.procedure = 'objection' AND c.state = 'forwarded') OR (c.procedure = 'repair' AND c.state = 'under_review')
                  THEN COALESCE(c.details->>'decidingDepartment', c.department) ELSE c.department END,
             d.id, d.due_at, s.id, s.due_at) AS registry
      FROM cases c
      LEFT JOIN LATERAL (SELECT id, due_at FROM deadlines WHERE case_id = c.id AND status IN ('open', 'breached') AND party = 'authority'
                          ORDER BY (status = 'open') DESC, due_at, id LIMIT 1) d ON true
      LEFT JOIN LATERAL (SELECT id, due_at FROM deadlines WHERE d.id IS NULL AND case_id = c.id AND status = 'open' AND party = 'subject'
                          ORDER BY due_at, id LIMIT 1) s ON true
     WHERE c.department = 'ZY-EMERGENCY' OR c.id = ${objection}`;
  expect(rows.length).toBeGreaterThanOrEqual(8);
  expect(rows.filter((r) => JSON.stringify(r.columns) !== JSON.stringify(r.registry))).toEqual([]);
  // The forwarded objection's column names its decide deadline, on the deciding department's desk.
  const forwarded = rows.find((r) => r.id === objection)!.columns as (string | null)[];
  expect(forwarded[0]).toBe('ZY-EMERGENCY');
  expect(forwarded[1]).toMatch(/objection_decide/);
});
