import { quietCases, startSystem, type System } from '../support/system';
import { patchesRecorded } from '../support/patch-markers';
import { policyShape, startInputOf } from '../support/start-input';
import { LISTING_POLICY_TERMS, type ListingInput } from '../../workflows/listing/definitions';
import { policyFor } from '../../db/policy-store';
import { shanghaiDate } from '../../api/case-ids';
import { listingBody, OFFICER, OTHER_OFFICER, SECOND_SUPERVISOR, SUPERVISOR, randomResidentId } from '../support/fixtures';
import { decisionServedDaysAgo, firstUnpublishedYear, shanghaiToday } from '../support/test-calendar';
import { countWorkingDays } from '../support/working-days';
import { statutorySchedule } from '../../domain/calendar';
import { applySetting } from '../support/settings';
import { ifStarted } from '../support/teardown';
import { consentToElectronicService } from '../support/service-consent';

/**
 * The listing procedure through the API against the dev server and Postgres, as far as wall-clock time
 * allows (the windows that take days are covered by test/workflows/listing on the time-skipping server).
 * After every refusal the database is exactly as before.
 */
let sys: System;
/** The API's clock, where a test sets it (the workflows keep the dev server's real time). */
let apiNow: Date | undefined;
beforeAll(async () => {
  sys = await startSystem({ clock: () => apiNow ?? new Date() });
});
afterAll(async () => {
  await ifStarted(sys)?.stop();
});
type Claims = Parameters<System['token']>[0];
const auth = (c: Claims) => ({ authorization: `Bearer ${sys.token(c)}` });
const post = (url: string, c: Claims, payload: unknown) =>
  sys.app.inject({ method: 'POST', url, headers: auth(c), payload: payload as object });
const act = (id: string, action: string, c: Claims, payload: unknown) => post(`/v1/cases/${id}/actions/${action}`, c, payload);

async function recorded(id: string, state: string) {
  const until = Date.now() + 15_000;
  for (;;) {
    const row = await sys.db.case.findUnique({ where: { id } });
    if (row?.state === state) {
      // Wait for the projection queue to drain: the row's version equals the workflow's timeline.
      const view = (await sys.app.inject({ method: 'GET', url: `/v1/cases/${id}`, headers: auth(SUPERVISOR) })).json();
      if (row.version === view.timeline.length) return row;
    }
    if (Date.now() > until) throw new Error(`case ${id} not recorded as ${state}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function snapshot(id: string) {
  const [row, timeline, documents, deadlines, listings] = await Promise.all([
    sys.db.case.findUnique({ where: { id } }),
    sys.db.timelineEntry.count({ where: { caseId: id } }),
    sys.db.document.count({ where: { caseId: id } }),
    sys.db.deadline.findMany({ where: { caseId: id }, orderBy: { id: 'asc' } }),
    sys.db.publicListing.count({ where: { caseId: id } }),
  ]);
  const audit = await sys.db.auditEntry.count({
    where: { caseId: id, NOT: { action: { in: ['case.read', 'document.read'] } } },
  });
  return { state: row?.state, version: row?.version, timeline, documents, deadlines, listings, audit };
}

async function expectRefused(
  id: string,
  res: Promise<{ statusCode: number; json(): any; headers: Record<string, unknown> }>,
  status: number,
  detail: RegExp,
) {
  const before = await snapshot(id);
  const r = await res;
  expect(r.statusCode).toBe(status);
  expect(r.headers['content-type']).toMatch(/problem\+json/);
  expect(r.json().detail).toMatch(detail);
  await quietCases(sys, [id]);
  expect(await snapshot(id)).toEqual(before);
}

it('runs notice, statement, four-eyes decision and service to a published listing, refusing every wrong step without a trace', async () => {
  const body = listingBody();
  const subject = { role: 'subject', sub: 'company-user', subjectId: body.subject.id } as const;
  const created = (await post('/v1/cases', OFFICER, body)).json();
  const id = created.id as string;
  expect(created.allowedActions).toEqual(['serve_notice']);
  await recorded(id, 'opened');

  await expectRefused(
    id,
    act(id, 'serve_notice', subject, { servedAt: new Date().toISOString(), method: 'electronic' }),
    403,
    /role subject may not serve_notice/,
  );
  await expectRefused(
    id,
    act(id, 'serve_notice', OTHER_OFFICER, { servedAt: new Date().toISOString(), method: 'electronic' }),
    404,
    /no case/,
  );
  await expectRefused(id, act(id, 'serve_notice', OFFICER, { servedAt: '2026-13-01T10:00:00+08:00', method: 'electronic' }), 400, /schema/);
  await expectRefused(id, act(id, 'serve_notice', OFFICER, { servedAt: '2026-11-01T10:00:00', method: 'electronic' }), 400, /schema/);
  await expectRefused(
    id,
    act(id, 'propose_decision', OFFICER, { outcome: 'list', reasons: 'x' }),
    409,
    /not allowed while the case is opened/,
  );
  await expectRefused(id, act(id, 'no_such_action', OFFICER, {}), 404, /no action/);

  // Served electronically at the address the subject consented to (issue 24).
  await consentToElectronicService(sys, body.subject.id);
  const served = await act(id, 'serve_notice', OFFICER, { servedAt: new Date().toISOString(), method: 'electronic' });
  expect(served.statusCode).toBe(200);
  expect(served.json()).toMatchObject({ state: 'notice_served', allowedActions: ['submit_statement'] });
  const window = served.json().deadlines.find((d: { kind: string }) => d.kind === 'statement_window');
  expect(window).toMatchObject({ party: 'subject', status: 'open', provisional: false });
  expect(window.explanation.join('')).toContain('电子送达');

  // The notice is in the subject's notices, and readable as a document of the case.
  const notices = (await sys.app.inject({ method: 'GET', url: '/v1/me/notices', headers: auth(subject) })).json().items;
  expect(notices).toEqual([expect.objectContaining({ caseId: id, kind: 'pre_listing_notice' })]);
  const doc = (await sys.app.inject({ method: 'GET', url: `/v1/cases/${id}/documents/${notices[0].id}`, headers: auth(subject) })).json();
  expect(doc.html).toContain(body.subject.name);
  expect(doc.sha256).toMatch(/^[0-9a-f]{64}$/);

  const stated = await act(id, 'submit_statement', subject, { text: '我公司已全部整改', requestHearing: false });
  expect(stated.json()).toMatchObject({ state: 'under_review', allowedActions: ['propose_decision'] });
  await recorded(id, 'under_review');

  await expectRefused(
    id,
    act(id, 'propose_decision', OFFICER, { outcome: 'list', reasons: '情节严重', measures: ['N-01', 'Z-99'] }),
    422,
    /catalogue/,
  );
  const proposed = await act(id, 'propose_decision', OFFICER, {
    outcome: 'list',
    reasons: '情节严重',
    measures: ['N-01'],
  });
  expect(proposed.json().state).toBe('awaiting_approval');
  await recorded(id, 'awaiting_approval');

  await expectRefused(id, act(id, 'approve_decision', OFFICER, { comment: '自批' }), 403, /role officer may not approve_decision/);
  const selfApproving = { role: 'supervisor', sub: OFFICER.sub, dept: 'ZY-SAMR' } as const;
  await expectRefused(id, act(id, 'approve_decision', selfApproving, { comment: '自批' }), 409, /four-eyes/);
  const decided = await act(id, 'approve_decision', SUPERVISOR, { comment: '同意' });
  expect(decided.json()).toMatchObject({ state: 'decided', allowedActions: ['serve_decision'] });

  const listed = await act(id, 'serve_decision', OFFICER, { servedAt: new Date().toISOString(), method: 'in_person' });
  expect(listed.json()).toMatchObject({ state: 'listed' });
  await recorded(id, 'listed');
  const kinds = listed
    .json()
    .deadlines.map((d: { kind: string }) => d.kind)
    .sort();
  expect(kinds).toEqual(['listing_period', 'litigation_window', 'reconsideration_window', 'statement_window']);

  const pub = await sys.app.inject({ method: 'GET', url: `/v1/public/listings?q=${body.subject.id}` });
  expect(pub.json().items).toEqual([expect.objectContaining({ caseId: id, measures: [expect.objectContaining({ code: 'N-01' })] })]);
  const person = body.responsiblePersons[0]!.idNumber;
  const personClaims = { role: 'subject', sub: 'wang', subjectId: person } as const;
  const ownRecord = (await sys.app.inject({ method: 'GET', url: `/v1/subjects/${person}/records`, headers: auth(personClaims) })).json();
  expect(ownRecord.responsiblePersonEntries).toEqual([
    expect.objectContaining({
      caseId: id,
      role: 'legal_representative',
      idNumber: person,
      organisation: { id: body.subject.id, name: body.subject.name },
    }),
  ]);
  // The entry is also a record of the person's own (Arts 48-52; test/api/responsible-persons.test.ts goes further).
  expect(ownRecord.items).toEqual([
    expect.objectContaining({
      type: 'responsible_person_entry',
      listingCaseId: id,
      disclosure: 'published',
      subject: expect.objectContaining({ kind: 'natural_person', id: person }),
    }),
  ]);
  expect((await sys.app.inject({ method: 'GET', url: `/v1/subjects/${person}/records`, headers: auth(OFFICER) })).statusCode).toBe(422);
  const asOfficer = (
    await sys.app.inject({
      method: 'GET',
      url: `/v1/subjects/${person}/records?purpose=${encodeURIComponent('办理行政许可审查')}`,
      headers: auth(OFFICER),
    })
  ).json();
  expect(asOfficer.responsiblePersonEntries[0].idNumber).not.toBe(person);
  expect(await sys.db.auditEntry.count({ where: { subjectId: person, action: 'records.read' } })).toBe(2);
  const companyRecord = (
    await sys.app.inject({ method: 'GET', url: `/v1/subjects/${body.subject.id}/records`, headers: auth(subject) })
  ).json();
  expect(companyRecord.listings).toEqual([expect.objectContaining({ caseId: id })]);

  const revoked = await act(id, 'revoke', OFFICER, { reason: '行政处罚决定已被撤销', basis: '张市监撤〔2026〕1号' });
  expect(revoked.json()).toMatchObject({ state: 'removed', outcome: 'revoked', closed: true });
  await recorded(id, 'removed');
  expect((await sys.app.inject({ method: 'GET', url: `/v1/public/listings?q=${body.subject.id}` })).json().items).toEqual([]);
  expect(await sys.db.subjectEntry.count({ where: { caseId: id, status: 'active' } })).toBe(0);
  const afterRevocation = (
    await sys.app.inject({ method: 'GET', url: `/v1/subjects/${person}/records`, headers: auth(personClaims) })
  ).json();
  expect(afterRevocation.responsiblePersonEntries).toEqual([]);
  expect(afterRevocation.items).toEqual([expect.objectContaining({ type: 'responsible_person_entry', disclosure: 'deleted' })]);
  await expectRefused(id, act(id, 'revoke', OFFICER, { reason: 'again', basis: 'x' }), 409, /not allowed while the case is removed/);
});

it('imports existing listings: listed from the original dates, or removed as expired; supervisors only', async () => {
  const base = listingBody();
  const { procedure: _p, proposedMeasures: _m, ...rest } = base;
  // Served 400 days ago: both remedy windows are over, the three-year period runs on whatever day this runs.
  const decision = decisionServedDaysAgo(400);
  const running = {
    ...rest,
    measures: ['N-01'],
    department: 'ZY-SAMR',
    decisionDocument: { number: '张市监认〔2025〕7号', issuedOn: decision.issuedOn },
    decisionServedAt: decision.decisionServedAt,
  };
  expect((await post('/v1/imports/listings', OFFICER, running)).statusCode).toBe(403);
  const bad = await post('/v1/imports/listings', SUPERVISOR, {
    ...running,
    decisionServedAt: `${shanghaiToday(-460)}T10:00:00+08:00`,
  });
  expect(bad.statusCode).toBe(422);

  const res = await post('/v1/imports/listings', SUPERVISOR, running);
  expect(res.statusCode).toBe(201);
  const listed = res.json();
  expect(listed).toMatchObject({
    state: 'listed',
    department: 'ZY-SAMR',
    details: { listing: { listedFrom: decision.listedFrom, listedUntil: decision.listedUntil, imported: true } },
  });
  const period = listed.deadlines.find((d: { kind: string }) => d.kind === 'listing_period');
  // A sanction's duration ends on its calendar date, whatever day of the week it is, and is never provisional.
  expect(period).toMatchObject({ dueDate: decision.listedUntil, provisional: false, calendarVersion: 'calendar-date' });
  await recorded(listed.id, 'listed');
  // A decision is imported once: sent again, by its importer without their key or by another supervisor, the answer
  // names the case it already is; the importer's retry under its Idempotency-Key is answered with the import itself.
  for (const by of [SUPERVISOR, SECOND_SUPERVISOR]) {
    const again = await post('/v1/imports/listings', by, running);
    expect([again.statusCode, again.json().caseId]).toEqual([409, listed.id]);
  }
  const keyed = { ...running, subject: { ...running.subject, id: listingBody().subject.id } };
  const send = () =>
    sys.app.inject({
      method: 'POST',
      url: '/v1/imports/listings',
      headers: { ...auth(SUPERVISOR), 'idempotency-key': `import-${keyed.subject.id}` },
      payload: keyed,
    });
  const firstTime = await send();
  expect(firstTime.statusCode).toBe(201);
  await recorded(firstTime.json().id, 'listed');
  const retried = await send();
  expect([retried.statusCode, retried.json().id, retried.headers['idempotent-replayed']]).toEqual([201, firstTime.json().id, 'true']);
  // The 60-day reconsideration window from June 2025 is long over: it is recorded as lapsed.
  const until = Date.now() + 10_000;
  let reconsideration = await sys.db.deadline.findFirst({
    where: { caseId: listed.id, kind: 'reconsideration_window' },
  });
  while (reconsideration?.status !== 'lapsed' && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 100));
    reconsideration = await sys.db.deadline.findFirst({ where: { caseId: listed.id, kind: 'reconsideration_window' } });
  }
  expect(reconsideration?.status).toBe('lapsed');

  const old = await post('/v1/imports/listings', SUPERVISOR, {
    ...running,
    subject: { ...running.subject, id: listingBody().subject.id },
    responsiblePersons: [{ role: 'principal', name: '钱某', idNumber: randomResidentId() }],
    decisionDocument: { number: '张市监认〔2021〕2号', issuedOn: '2021-03-01' },
    decisionServedAt: '2021-03-02T10:00:00+08:00',
  });
  expect(old.statusCode).toBe(201);
  expect(old.json()).toMatchObject({ state: 'removed', outcome: 'expired', closed: true });
  await recorded(old.json().id, 'removed');
  expect(await sys.db.publicListing.count({ where: { caseId: old.json().id } })).toBe(0);
});

it('serves a notice whose window runs into a year with no published schedule, with a provisional window that says so', async () => {
  // The last year of the run of loaded years (tests load only far-off years of their own).
  const last = (await firstUnpublishedYear(sys.db)) - 1;
  const id = (await post('/v1/cases', OFFICER, listingBody())).json().id as string;
  await recorded(id, 'opened');
  const served = await act(id, 'serve_notice', OFFICER, {
    servedAt: `${last}-12-29T10:00:00+08:00`,
    method: 'in_person',
  });
  expect(served.statusCode).toBe(200);
  const window = served.json().deadlines.find((d: { kind: string }) => d.kind === 'statement_window');
  expect(window).toMatchObject({
    status: 'open',
    provisional: true,
    calendarVersion: expect.stringContaining(`${last + 1}-statutory-provisional`),
  });
  const doc = served.json().documents.find((d: { kind: string }) => d.kind === 'pre_listing_notice');
  const html = (await sys.app.inject({ method: 'GET', url: `/v1/cases/${id}/documents/${doc.id}`, headers: auth(OFFICER) })).json()
    .html as string;
  expect(html.replace(/<[^>]+>/g, '')).toContain('暂按法定节假日计算');
});

it('refuses with 422, and changes nothing, an action whose period no calendar can give', async () => {
  const id = (await post('/v1/cases', OFFICER, listingBody())).json().id as string;
  await recorded(id, 'opened');
  // Five working days from 29 December 2199 need 2200, past every rule the calendar has.
  await expectRefused(id, act(id, 'serve_notice', OFFICER, { servedAt: '2199-12-29T10:00:00+08:00', method: 'in_person' }), 422, /2200/);
  const view = (await sys.app.inject({ method: 'GET', url: `/v1/cases/${id}`, headers: auth(OFFICER) })).json();
  expect(view).toMatchObject({ state: 'opened', allowedActions: ['serve_notice'] });
});

it('refuses a statement after the window closed, saying when, when the notice was served weeks ago', async () => {
  const body = listingBody();
  const subject = { role: 'subject', sub: 'late-company', subjectId: body.subject.id } as const;
  const id = (await post('/v1/cases', OFFICER, body)).json().id as string;
  const servedAt = new Date(Date.now() - 30 * 86_400_000).toISOString();
  await act(id, 'serve_notice', OFFICER, { servedAt, method: 'in_person' });
  // The window computed from the real service date is already over: the workflow's timer closes it at once.
  await recorded(id, 'under_review');
  const view = (await sys.app.inject({ method: 'GET', url: `/v1/cases/${id}`, headers: auth(OFFICER) })).json();
  const window = view.deadlines.find((d: { kind: string }) => d.kind === 'statement_window');
  expect(window.status).toBe('lapsed');
  await expectRefused(
    id,
    act(id, 'submit_statement', subject, { text: '陈述', requestHearing: true }),
    409,
    new RegExp(`statement window closed at ${window.dueAt.replace(/[+]/g, '\\+')}`),
  );
});

it("checks a request without a period against the department's policy period, and the case takes that period", async () => {
  const agri = { role: 'officer', sub: 'officer-agri', dept: 'ZY-AGRI' } as const;
  const override = {
    procedure: 'listing',
    department: 'ZY-AGRI',
    values: { listing_period: { unit: 'years', amount: 5 } },
  };
  const lastOverride = (await sys.db.policyOverride.aggregate({ _max: { id: true } }))._max.id ?? 0n;
  await applySetting(sys, { method: 'POST', url: '/v1/policy/overrides', payload: override });
  try {
    // N-04 allows at most 3 years: with the department's 5-year period it is heavier than the catalogue allows.
    const refused = await post('/v1/cases', agri, listingBody({ proposedMeasures: ['N-04'] }));
    expect(refused.statusCode).toBe(422);
    expect(refused.json().errors).toEqual([expect.objectContaining({ path: 'body.listingPeriod' })]);
    const ok = await post('/v1/cases', agri, listingBody({ proposedMeasures: ['N-01'] }));
    expect(ok.statusCode).toBe(201);
    expect(ok.json().details.listingPeriod).toEqual({ years: 5 });
  } finally {
    // The override is this test's alone: later files find ZY-AGRI on the defaults.
    await sys.db.policyOverride.deleteMany({ where: { id: { gt: lastOverride }, department: 'ZY-AGRI' } });
  }
  const policy = await sys.app.inject({ method: 'GET', url: '/v1/policy?procedure=listing&department=ZY-AGRI', headers: auth(OFFICER) });
  expect(policy.json().listing_period).toMatchObject({ unit: 'years', amount: 3 });
});

it('keeps a statement refused as late, and raises the case to the supervisors when the official schedule shows it was in time but its day has passed', async () => {
  // A year whose days lie behind us and that the case counts provisionally: its schedule is taken away for the test.
  const today = shanghaiToday();
  const thisYear = Number(today.slice(0, 4));
  const year = Number(today.slice(5, 7)) >= 2 ? thisYear : thisYear - 1;
  const servedOn = year === thisYear ? shanghaiToday(-25) : `${year}-12-01`;
  const original = await sys.db.calendarYear.findUniqueOrThrow({ where: { year } });
  await sys.db.calendarYear.delete({ where: { year } });
  try {
    const body = listingBody();
    const subject = { role: 'subject', sub: 'late-but-in-time', subjectId: body.subject.id } as const;
    const id = (await post('/v1/cases', OFFICER, body)).json().id as string;
    await recorded(id, 'opened');
    const served = await act(id, 'serve_notice', OFFICER, {
      servedAt: `${servedOn}T10:00:00+08:00`,
      method: 'in_person',
    });
    const window = served.json().deadlines.find((d: { kind: string }) => d.kind === 'statement_window');
    expect(window).toMatchObject({
      provisional: true,
      calendarVersion: expect.stringContaining(`${year}-statutory-provisional`),
    });
    await recorded(id, 'under_review');

    // The day after the provisional last day the subject files a statement: refused as late, and kept.
    apiNow = new Date(Date.parse(window.dueAt) + 10 * 3_600_000);
    const refused = await act(id, 'submit_statement', subject, { text: '我公司对拟列入有异议', requestHearing: false });
    apiNow = undefined;
    expect(refused.statusCode).toBe(409);
    expect(await sys.db.lateFiling.findMany({ where: { caseId: id } })).toEqual([
      expect.objectContaining({
        action: 'submit_statement',
        actor: subject.sub,
        role: 'subject',
        closedAt: window.dueAt,
        body: { text: '我公司对拟列入有异议', requestHearing: false },
      }),
    ]);

    // The notice makes the provisional last day and the next working day days off: officially the window ran on to the
    // working day after them, one working day more, and that day has passed too.
    const provisional = statutorySchedule(year);
    const nextDay = countWorkingDays(window.dueDate, 1, [provisional]);
    const official = { ...provisional, holidays: [...provisional.holidays, window.dueDate, nextDay].sort() };
    const officialDue = countWorkingDays(servedOn, 5, [official]);
    expect(officialDue > window.dueDate).toBe(true);
    const loaded = await applySetting(sys, {
      method: 'PUT',
      url: `/v1/calendar/years/${year}`,
      payload: {
        source: `国务院办公厅关于${year}年部分节假日安排的通知（测试用）`,
        holidays: official.holidays,
        workdays: [],
      },
    });
    const cutShort = {
      deadlineId: window.id,
      caseId: id,
      kind: 'statement_window',
      party: 'subject',
      from: window.dueDate,
      to: officialDue,
      rule: 'cut_short',
    };
    // The approver saw it in the proposal's preview, and loading it answered it.
    expect(loaded.proposed.json().preview.moved).toEqual(expect.arrayContaining([cutShort]));
    expect(loaded.result.moved).toEqual(
      expect.arrayContaining([
        {
          deadlineId: window.id,
          caseId: id,
          kind: 'statement_window',
          party: 'subject',
          from: window.dueDate,
          to: officialDue,
          rule: 'cut_short',
        },
      ]),
    );
    const flagged = await sys.db.escalation.findUnique({ where: { id: `${window.id}:cut_short` } });
    expect(flagged).toMatchObject({
      kind: 'window_cut_short',
      caseId: id,
      department: 'ZY-SAMR',
      detail: {
        deadlineKind: 'statement_window',
        toldDueDate: window.dueDate,
        officialDueDate: officialDue,
        daysAtStake: officialDaysAfter(window.dueDate, officialDue),
        workingDaysAtStake: 1,
        why: 'official_date_passed',
        refusedFilings: [expect.objectContaining({ action: 'submit_statement', actor: subject.sub })],
      },
    });
    const view = (await sys.app.inject({ method: 'GET', url: `/v1/cases/${id}`, headers: auth(OFFICER) })).json();
    expect(view.state).toBe('under_review');
    expect((await sys.app.inject({ method: 'GET', url: '/v1/escalations?limit=500', headers: auth(SUPERVISOR) })).json().items).toEqual(
      expect.arrayContaining([expect.objectContaining({ id: `${window.id}:cut_short`, kind: 'window_cut_short' })]),
    );
  } finally {
    apiNow = undefined;
    const { year: y, holidays, ...rest } = original;
    const restored = { ...rest, holidays: holidays as object };
    await sys.db.calendarYear.upsert({ where: { year: y }, create: { year: y, ...restored }, update: restored });
  }
});

/** Calendar days after `from` up to and including `to`. */
function officialDaysAfter(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** The local activities (and patches) a case's history recorded, each marker as its name and payload text. */
async function markersOf(id: string): Promise<string[]> {
  const history = await sys.temporal.workflow.getHandle(id).fetchHistory();
  return (history.events ?? []).flatMap((e) => {
    const m = e.markerRecordedEventAttributes;
    if (!m) return [];
    const payloads = Object.values(m.details ?? {}).flatMap((p) => p.payloads ?? []);
    return [`${m.markerName ?? ''} ${payloads.map((p) => Buffer.from(p.data ?? new Uint8Array()).toString('utf8')).join(' ')}`];
  });
}

async function servedInPerson(id: string): Promise<{ servedAt: string; sha256: unknown }> {
  const servedAt = new Date().toISOString();
  const served = await act(id, 'serve_notice', OFFICER, { servedAt, method: 'in_person' });
  expect(served.statusCode).toBe(200);
  const doc = await sys.db.document.findFirstOrThrow({ where: { caseId: id, kind: 'pre_listing_notice' } });
  expect({ method: doc.servedMethod, at: doc.servedAt?.toISOString(), to: doc.servedTo }).toEqual({
    method: 'in_person',
    at: new Date(servedAt).toISOString(),
    to: null,
  });
  const entry = await sys.db.timelineEntry.findFirstOrThrow({ where: { caseId: id, action: 'serve_notice' } });
  // The act's record names the document as stored.
  expect((entry.detail as { sha256?: string }).sha256).toBe(doc.sha256);
  return { servedAt, sha256: doc.sha256 };
}

it('serves a notice in one workflow activation: the window and the notice worked out by the API, no step of the case’s own', async () => {
  const created = (await post('/v1/cases', OFFICER, listingBody())).json();
  const id = created.id as string;
  await recorded(id, 'opened');
  const opening = (await markersOf(id)).length;
  await servedInPerson(id);
  // Each local activity leaves a marker naming its type: serving the notice left none (the opening's went before).
  const steps = (await markersOf(id)).slice(opening);
  for (const step of ['computeDeadline', 'issueListingDocument', 'markDocumentServed', 'recordCaseEvent'])
    expect(steps.filter((m) => m.includes(step))).toEqual([]);
  // Nor a patch marker or a search attribute anywhere in the case: the API started it on today's code (workflows/common/patches.ts).
  expect(await patchesRecorded(sys.temporal.workflow.getHandle(id))).toEqual({ patches: [], upserts: 0 });
  // What was rendered ahead is issued, and nothing is left waiting.
  expect(await sys.db.quotedDocument.count({ where: { caseId: id } })).toBe(0);
  const w = (await sys.db.deadline.findFirstOrThrow({ where: { caseId: id, kind: 'statement_window' } })) as { explanation: unknown };
  expect(JSON.stringify(w.explanation)).toMatch(/送达/);
});

it('starts a case with the policy entries the listing reads, each with what a deadline needs of it', async () => {
  const created = (await post('/v1/cases', OFFICER, listingBody())).json();
  const id = created.id as string;
  await recorded(id, 'opened');
  const { input: started, bytes } = await startInputOf(sys.temporal.workflow.getHandle(id));
  const input = started as ListingInput;
  // Not the whole table of 21 entries with their labels, notes and confidences (6 KB of the 6.5 KB input before).
  expect(policyShape(input.policy)).toEqual({
    entries: [...LISTING_POLICY_TERMS].sort(),
    fields: ['amount', 'key', 'party', 'source', 'unit'],
  });
  expect(bytes).toBeLessThan(3_500);
  const table = await policyFor(sys.db, { procedure: 'listing', department: OFFICER.dept, on: shanghaiDate(created.createdAt) });
  const { key, unit, amount, party, source } = table.statement_window;
  expect(input.policy.statement_window).toEqual({ key, unit, amount, party, source });
  // The case still reads what it needs: its notice is served with the window the table sets, on the source it cites.
  await servedInPerson(id);
  const w = await sys.db.deadline.findFirstOrThrow({ where: { caseId: id, kind: 'statement_window' } });
  expect(w.basis).toBe(table.statement_window.source);
});

it('serves a notice in the step that issues it where the API could not work it out: the service is stored with the document', async () => {
  const created = (await post('/v1/cases', OFFICER, listingBody())).json();
  const id = created.id as string;
  await recorded(id, 'opened');
  // Without the case's opening facts the API renders nothing ahead, and the case takes its own steps.
  await sys.db.caseInput.delete({ where: { caseId: id } });
  await servedInPerson(id);
  const markers = await markersOf(id);
  // The case began on today's code (the API said so in its input): the patch of the step is taken without a marker.
  expect(markers.some((m) => m.includes('core_patch'))).toBe(false);
  expect(markers.some((m) => m.includes('computeDeadline'))).toBe(true);
  expect(markers.some((m) => m.includes('issueListingDocument'))).toBe(true);
  expect(markers.some((m) => m.includes('markDocumentServed'))).toBe(false);
});
