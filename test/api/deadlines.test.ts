import { randomUUID } from 'node:crypto';
import { startSystem, type System } from '../support/system';
import { SUPERVISOR } from '../support/fixtures';
import { ifStarted } from '../support/teardown';

/**
 * The supervisors' audit over the registry. Rows are written straight into the registry table, as a
 * workflow's projection would write them, for a department of this test's own so that nothing else in the
 * run shows up; how workflows keep those rows current is tested in test/workflows/legal-clock.
 */
let sys: System;
const DEPT = `T-DL-${randomUUID().slice(0, 6)}`;
const OFFICER_HERE = { role: 'officer', sub: 'officer-t', dept: DEPT } as const;
const OFFICER_ELSEWHERE = { role: 'officer', sub: 'officer-x', dept: 'ZY-HOUSING' } as const;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

beforeAll(async () => {
  sys = await startSystem();
  const now = Date.now();
  const rows = [
    { kind: 'overdue', status: 'open', due: now - DAY },
    { kind: 'due_soon', status: 'open', due: now + HOUR },
    { kind: 'later', status: 'open', due: now + 30 * DAY },
    { kind: 'met_on_time', status: 'met', due: now - 2 * DAY, start: now - 6 * DAY, met: now - 4 * DAY },
    { kind: 'met_late', status: 'met', due: now - 10 * DAY, start: now - 12 * DAY, met: now - 3 * DAY },
    { kind: 'breached', status: 'breached', due: now - 5 * DAY, closed: now - 5 * DAY },
    { kind: 'lapsed', status: 'lapsed', due: now - 7 * DAY, closed: now - 7 * DAY },
  ];
  for (const r of rows) {
    const closed = r.met ?? r.closed ?? null;
    await sys.db.deadline.create({
      data: {
        id: `${DEPT}:${r.kind}`,
        caseId: `${DEPT}-case`,
        procedure: 'objection',
        department: DEPT,
        kind: r.kind,
        party: r.kind === 'lapsed' ? 'subject' : 'authority',
        status: r.status,
        startsAt: new Date(r.start ?? r.due - 5 * DAY),
        dueAt: new Date(r.due),
        dueDate: new Date(r.due - DAY).toISOString().slice(0, 10),
        metAt: r.met ? new Date(r.met) : null,
        closedAt: closed ? new Date(closed) : null,
        calendarVersion: '2026-official-1',
        provisional: false,
        basis: 'test',
        explanation: [],
        inputs: {},
        version: 1,
        updatedAt: new Date(),
      },
    });
  }
  await sys.db.escalation.create({
    data: {
      id: `${DEPT}:breached:breach`,
      deadlineId: `${DEPT}:breached`,
      caseId: `${DEPT}-case`,
      department: DEPT,
      kind: 'breach',
      at: new Date(now - 5 * DAY),
      detail: {},
    },
  });
});
afterAll(async () => {
  await ifStarted(sys)?.stop();
});

const get = async (url: string, claims: Parameters<System['token']>[0] = SUPERVISOR) => {
  const res = await sys.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${sys.token(claims)}` } });
  return res;
};
const kinds = (res: { json(): { items: { kind: string }[] } }) => res.json().items.map((i) => i.kind);

it('lists overdue and due-soon deadlines of a department, and by status', async () => {
  expect(kinds(await get(`/v1/deadlines?status=overdue&department=${DEPT}`))).toEqual(['overdue']);
  const soon = await get(`/v1/deadlines?status=due_soon&department=${DEPT}`);
  expect(kinds(soon)).toEqual(['due_soon']);
  expect(soon.json().dueSoonCutoff).toMatchObject({ dueAt: expect.any(String) });
  expect(kinds(await get(`/v1/deadlines?status=breached&department=${DEPT}`))).toEqual(['breached']);
  expect(kinds(await get(`/v1/deadlines?status=open&department=${DEPT}`))).toEqual(['overdue', 'due_soon', 'later']);
  const item = (await get(`/v1/deadlines?status=breached&department=${DEPT}`)).json().items[0];
  expect(item).toMatchObject({
    id: `${DEPT}:breached`,
    caseId: `${DEPT}-case`,
    party: 'authority',
    status: 'breached',
    calendarVersion: '2026-official-1',
    provisional: false,
    basis: 'test',
    explanation: [],
  });
});

it('pages in due order with a cursor', async () => {
  const seen: string[] = [];
  let cursor: string | null = null;
  do {
    const page = await get(`/v1/deadlines?department=${DEPT}&limit=3${cursor ? `&cursor=${cursor}` : ''}`);
    seen.push(...kinds(page));
    cursor = page.json().nextCursor;
  } while (cursor);
  expect(seen).toEqual(['met_late', 'lapsed', 'breached', 'met_on_time', 'overdue', 'due_soon', 'later']);
});

it('shows officers their own department only, and subjects nothing', async () => {
  expect(kinds(await get('/v1/deadlines?status=overdue', OFFICER_HERE))).toEqual(['overdue']);
  expect(kinds(await get(`/v1/deadlines?status=overdue&department=${DEPT}`, OFFICER_ELSEWHERE))).toEqual([]);
  expect((await get('/v1/deadlines', { role: 'subject', sub: 's', subjectId: '91350100M000100Y43' })).statusCode).toBe(403);
  expect(
    (await get('/v1/escalations', OFFICER_ELSEWHERE)).json().items.filter((e: { department: string }) => e.department === DEPT),
  ).toEqual([]);
  expect((await get(`/v1/escalations?department=${DEPT}`)).json().items).toEqual([
    expect.objectContaining({ deadlineId: `${DEPT}:breached`, kind: 'breach' }),
  ]);
});

it('summarises a department: open, due soon, overdue, breached, met on time and late, median days to act', async () => {
  const to = new Date(Date.now() + 8 * HOUR).toISOString().slice(0, 10);
  const from = new Date(Date.now() + 8 * HOUR - 30 * DAY).toISOString().slice(0, 10);
  const res = await get(`/v1/deadlines/summary?from=${from}&to=${to}&department=${DEPT}`);
  expect(res.statusCode).toBe(200);
  expect(res.json().items).toEqual([
    {
      department: DEPT,
      open: 3,
      dueSoon: 1,
      overdue: 1,
      breached: 1,
      metOnTime: 1,
      metLate: 1,
      medianDaysToAct: 5.5,
      medianWorkingDaysToAct: expect.any(Number),
    },
  ]);
  expect((await get(`/v1/deadlines/summary?from=${from}&to=2026-02-30`)).statusCode).toBe(400);
});
