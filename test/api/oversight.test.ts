import { randomUUID } from 'node:crypto';
import { apiAs, startSystem, type System } from '../support/system';
import { OFFICER, SECOND_SUPERVISOR, SUPERVISOR } from '../support/fixtures';
import { shanghaiToday } from '../support/test-calendar';
import { countWorkingDays, scheduleOf } from '../support/working-days';
import { ifStarted } from '../support/teardown';
import { deadlineRow } from '../support/deadline-fixture';

/**
 * What the supervisors' oversight pages read and do through the API: the summary's median working days to act, the
 * deadlines behind each of its figures, escalations acknowledged and followed up (audited), the audit log newest first.
 * Rows are written straight into the registry for a department of this test's own, as a workflow's projection would.
 */
let sys: System;
let api: ReturnType<typeof apiAs>;
const DEPT = `T-OV-${randomUUID().slice(0, 6)}`;
const CASE = `${DEPT}-case`;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Working days from start to act of the three met deadlines: their median is 5. */
const WORKING_DAYS = [3, 5, 9];

const at = (date: string, hour: number) => new Date(`${date}T${String(hour).padStart(2, '0')}:00:00+08:00`);

async function deadline(id: string, d: { status: string; startsAt: Date; dueAt: Date; metAt?: Date; closedAt?: Date }) {
  await sys.db.deadline.create({
    data: deadlineRow({
      id: `${DEPT}:${id}`,
      caseId: CASE,
      procedure: 'objection',
      department: DEPT,
      kind: 'objection_decide',
      party: 'authority',
      status: d.status,
      startsAt: d.startsAt,
      dueAt: d.dueAt,
      dueDate: new Date(d.dueAt.getTime() + 8 * HOUR - 1).toISOString().slice(0, 10),
      metAt: d.metAt ?? null,
      closedAt: d.closedAt ?? d.metAt ?? null,
    }),
  });
}

let start: string;
const metDays: string[] = [];

beforeAll(async () => {
  sys = await startSystem();
  api = apiAs(sys);
  start = shanghaiToday(-28);
  const schedules = await Promise.all(
    [...new Set([start.slice(0, 4), shanghaiToday().slice(0, 4)])].map((y) => scheduleOf(sys.db, Number(y))),
  );
  for (const [i, n] of WORKING_DAYS.entries()) {
    const day = countWorkingDays(start, n, schedules);
    metDays.push(day);
    // Met on time when within 5 working days, late otherwise (due at the end of the fifth working day).
    const due = new Date(at(countWorkingDays(start, 5, schedules), 0).getTime() + DAY);
    await deadline(`met-${i}`, { status: 'met', startsAt: at(start, 10), dueAt: due, metAt: at(day, 11) });
  }
  await deadline('breached', {
    status: 'breached',
    startsAt: at(start, 9),
    dueAt: at(shanghaiToday(-20), 0),
    closedAt: at(shanghaiToday(-20), 0),
  });
  await deadline('old-breach', {
    status: 'breached',
    startsAt: at(shanghaiToday(-90), 9),
    dueAt: at(shanghaiToday(-80), 0),
    closedAt: at(shanghaiToday(-80), 0),
  });
  for (const [id, ago, deadlineId] of [
    ['new', 1, `${DEPT}:breached`],
    ['other', 2, `${DEPT}:old-breach`],
  ] as const) {
    await sys.db.escalation.create({
      data: {
        id: `${DEPT}:${id}:breach`,
        deadlineId,
        caseId: CASE,
        department: DEPT,
        kind: 'breach',
        at: new Date(Date.now() - ago * HOUR),
        detail: {},
      },
    });
  }
});
afterAll(async () => {
  await ifStarted(sys)?.stop();
});

const period = () => ({ from: shanghaiToday(-29), to: shanghaiToday() });

it('gives the median working days to act next to the calendar days, counted on the statutory calendar', async () => {
  const { from, to } = period();
  const res = await api.get(`/v1/deadlines/summary?from=${from}&to=${to}&department=${DEPT}`, SUPERVISOR);
  expect(res.statusCode).toBe(200);
  const [item] = res.json().items;
  // Start 10:00, act 11:00: the middle act's calendar days plus an hour.
  const middle = (at(metDays[1]!, 11).getTime() - at(start, 10).getTime()) / DAY;
  expect(item).toEqual({
    department: DEPT,
    open: 0,
    dueSoon: 0,
    overdue: 0,
    breached: 1,
    metOnTime: 2,
    metLate: 1,
    medianDaysToAct: Math.round(middle * 100) / 100,
    medianWorkingDaysToAct: 5,
  });
});

it('lists the deadlines behind each figure of the summary', async () => {
  const { from, to } = period();
  const ids = async (q: string) =>
    (await api.get(`/v1/deadlines?department=${DEPT}&${q}`, SUPERVISOR)).json().items.map((d: { id: string }) => d.id.split(':')[1]);
  expect(await ids(`status=met_on_time&closedFrom=${from}&closedTo=${to}`)).toEqual(['met-0', 'met-1']);
  expect(await ids(`status=met_late&closedFrom=${from}&closedTo=${to}`)).toEqual(['met-2']);
  expect(await ids(`status=breached&closedFrom=${from}&closedTo=${to}`)).toEqual(['breached']);
  expect(await ids('status=breached')).toEqual(['old-breach', 'breached']);
  expect((await api.get(`/v1/deadlines?closedFrom=2026-02-30`, SUPERVISOR)).statusCode).toBe(400);
});

it('has a supervisor acknowledge an escalation once and follow it up, each audited, and filters by state', async () => {
  const id = `${DEPT}:new:breach`;
  const url = `/v1/escalations/${encodeURIComponent(id)}`;
  // Nothing before acknowledgement, and never by an officer.
  expect((await api.post(`${url}/follow-ups`, SUPERVISOR, { note: '请说明原因' })).statusCode).toBe(409);
  expect((await api.post(`${url}/acknowledge`, OFFICER)).statusCode).toBe(403);
  expect((await api.post(`/v1/escalations/${DEPT}-none/acknowledge`, SUPERVISOR)).statusCode).toBe(404);

  const ack = await api.post(`${url}/acknowledge`, SUPERVISOR, undefined, 'ack-1');
  expect(ack.statusCode).toBe(200);
  expect(ack.json()).toMatchObject({ id, state: 'acknowledged', acknowledgedBy: SUPERVISOR.sub, department: DEPT, followUps: [] });
  // The same request again (a double click) is the same answer; another supervisor's is a conflict naming the first.
  expect((await api.post(`${url}/acknowledge`, SUPERVISOR, undefined, 'ack-1')).json()).toEqual(ack.json());
  const again = await api.post(`${url}/acknowledge`, SECOND_SUPERVISOR);
  expect(again.statusCode).toBe(409);
  expect(again.json().acknowledgedBy).toBe(SUPERVISOR.sub);

  expect((await api.post(`${url}/follow-ups`, SUPERVISOR, { note: '  ' })).statusCode).toBe(400);
  const fu = await api.post(`${url}/follow-ups`, SUPERVISOR, { note: '已约谈该部门，限三日内办结。' }, 'fu-1');
  expect(fu.statusCode).toBe(201);
  expect((await api.post(`${url}/follow-ups`, SUPERVISOR, { note: '已约谈该部门，限三日内办结。' }, 'fu-1')).json()).toEqual(fu.json());
  expect(fu.json()).toMatchObject({
    state: 'followed_up',
    followUps: [{ actor: SUPERVISOR.sub, note: '已约谈该部门，限三日内办结。', at: expect.any(String) }],
  });

  const listed = async (state: string) =>
    (await api.get(`/v1/escalations?department=${DEPT}&state=${state}`, SUPERVISOR)).json().items.map((e: { id: string }) => e.id);
  expect(await listed('followed_up')).toEqual([id]);
  expect(await listed('unacknowledged')).toEqual([`${DEPT}:other:breach`]);
  expect(await listed('acknowledged')).toEqual([]);

  const audit = (await api.get(`/v1/audit?caseId=${CASE}`, SUPERVISOR)).json().items;
  expect(audit.map((e: { action: string }) => e.action)).toEqual(['escalation.acknowledge', 'escalation.follow_up']);
  expect(audit[1]).toMatchObject({ actor: SUPERVISOR.sub, target: `escalation:${id}`, detail: { note: '已约谈该部门，限三日内办结。' } });
});

it('reads the audit log newest first on request, paging on in that order', async () => {
  // Paged by insertion id: entries not yet linked into the chain (seq null) are listed too.
  const seqs = async (q: string) => {
    const body = (await api.get(`/v1/audit?${q}`, SUPERVISOR)).json();
    return { seqs: body.items.map((e: { id: number }) => e.id) as number[], next: body.nextCursor as string | null };
  };
  const two = await seqs('order=desc&limit=2');
  expect(two.seqs[0]).toBeGreaterThan(two.seqs[1]!);
  // Nothing is newer than the first, and the second page of one starts where the first page ended.
  expect((await seqs(`order=asc&cursor=${two.seqs[0]}`)).seqs).toEqual([]);
  const one = await seqs('order=desc&limit=1');
  expect([...one.seqs, ...(await seqs(`order=desc&limit=1&cursor=${one.next}`)).seqs]).toEqual(two.seqs);
});
