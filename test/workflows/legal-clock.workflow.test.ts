import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { createActivities } from '../../activities';
import { createDb, type Db } from '../../db/client';
import { StatutoryCalendar, type YearSchedule } from '../../domain/calendar';
import { calendarChangedSignal } from '../../workflows/common/definitions';
import { getCaseQuery } from '../../workflows/listing/definitions';
import { testEnv } from '../support/test-env';
import { bundleTestWorkflows, nudged, startTimeSkippingServer } from '../support/time-skipping';
import { clockProbeWorkflow, probeUpdate } from './fixtures/clock-probe.workflow';
import { ifStarted } from '../support/teardown';

/**
 * The legal clock on Temporal's time-skipping server. The server's clock starts at the real "now", so
 * the calendar is a synthetic one around today (weekends only, plus holidays a test chooses), given to
 * the activities as their calendar source: the expectations below hold on any day the suite runs.
 */
let env: TestWorkflowEnvironment;
let db: Db;
let workflowBundle: { code: string };
let schedules: YearSchedule[] = [];
const DEPT = `T-CLOCK-${randomUUID().slice(0, 6)}`;

const DAY = 86_400_000;
const shanghai = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10);
const plusDays = (date: string, n: number) => new Date(Date.parse(`${date}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10);
const isWeekend = (date: string) => [0, 6].includes(new Date(`${date}T00:00:00Z`).getUTCDay());
/** Working days on a weekends-only calendar, counted by hand: the trigger day is not counted. */
function plusWorkingDays(from: string, n: number): string {
  let d = from;
  for (let i = 0; i < n; ) {
    d = plusDays(d, 1);
    if (!isWeekend(d)) i++;
  }
  return d;
}
const weekendsOnly = (year: number, holidays: string[] = []): YearSchedule => ({
  year,
  source: 'test',
  version: `${year}-test`,
  holidays,
  workdays: [],
});

beforeAll(async () => {
  env = await startTimeSkippingServer();
  db = createDb(testEnv().databaseUrl, { poolSize: 3 });
  workflowBundle = await bundleTestWorkflows(require.resolve('./fixtures/clock-probe.workflow'));
}, 120_000);
afterAll(async () => {
  await ifStarted(env)?.teardown();
  await ifStarted(db)?.$disconnect();
});

async function run(fn: (start: () => Promise<ReturnType<typeof env.client.workflow.getHandle>>) => Promise<void>): Promise<void> {
  const year = Number(shanghai(await env.currentTimeMs()).slice(0, 4));
  schedules = [weekendsOnly(year), weekendsOnly(year + 1)];
  const taskQueue = `clock-${randomUUID()}`;
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle,
    activities: createActivities({ db, calendar: () => Promise.resolve(new StatutoryCalendar(schedules)) }),
  });
  await worker.runUntil(
    fn(async () => {
      const caseId = `OBJ-20260101-${randomUUID().replace(/-/g, '').slice(0, 10).toUpperCase()}`;
      return env.client.workflow.start(clockProbeWorkflow, { taskQueue, workflowId: caseId, args: [caseId, DEPT] });
    }),
  );
}

/** The registry row once the workflow's projection has caught up with `status` (and `dueDate`, if given). */
async function recorded(id: string, status: string, dueDate?: string) {
  const until = Date.now() + 15_000;
  for (;;) {
    const row = await db.deadline.findUnique({ where: { id } });
    if (row?.status === status && (!dueDate || row.dueDate === dueDate)) return row;
    if (Date.now() > until)
      throw new Error(`deadline ${id} not recorded as ${status} ${dueDate ?? ''}; last seen ${row?.status} ${row?.dueDate}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The test server's clock, which earlier tests in this file have moved on: every date below counts from it. */
const serverNow = () => env.currentTimeMs();

const openOp = async (kind: string, party: 'authority' | 'subject', workingDays: number) => {
  const now = await serverNow();
  return {
    op: 'open' as const,
    kind,
    party,
    from: shanghai(now),
    startsAt: new Date(now).toISOString(),
    period: { unit: 'working_days' as const, amount: workingDays },
  };
};

it('breaches an authority deadline at its due instant by its own timer, escalates it, and keeps the breach on record', async () => {
  await run(async (start) => {
    const h = await start();
    const view = await h.executeUpdate(probeUpdate, { args: [await openOp('forward', 'authority', 2)] });
    const d = view.deadlines[0]!;
    expect(d.dueDate).toBe(plusWorkingDays(shanghai(await serverNow()), 2));
    expect(d.dueAt).toBe(`${plusDays(d.dueDate, 1)}T00:00:00+08:00`);
    await nudged(h, env.sleep(Date.parse(d.dueAt) - (await serverNow()) - 3_600_000));
    expect((await h.query(getCaseQuery)).deadlines[0]!.status).toBe('open');
    expect(await h.result()).toEqual({ forward: 'breached' });
    const row = await recorded(d.id, 'breached');
    expect(row.closedAt!.getTime()).toBeGreaterThanOrEqual(Date.parse(d.dueAt));
    expect(await db.escalation.findMany({ where: { deadlineId: d.id } })).toEqual([
      expect.objectContaining({ caseId: h.workflowId, department: DEPT, kind: 'breach' }),
    ]);
    expect(await db.auditEntry.count({ where: { caseId: h.workflowId, action: 'deadline.breached' } })).toBe(1);
  });
});

it("lapses a subject's window without escalation, and marks a met deadline met", async () => {
  await run(async (start) => {
    const h = await start();
    await h.executeUpdate(probeUpdate, { args: [await openOp('statement', 'subject', 5)] });
    const v = await h.executeUpdate(probeUpdate, { args: [await openOp('accept', 'authority', 3)] });
    const metAt = new Date(await serverNow()).toISOString();
    await h.executeUpdate(probeUpdate, { args: [{ op: 'meet', kind: 'accept', at: metAt }] });
    expect(await h.result()).toEqual({ statement: 'lapsed', accept: 'met' });
    const statement = v.deadlines.find((x) => x.kind === 'statement')!;
    await recorded(statement.id, 'lapsed');
    expect(await db.escalation.count({ where: { deadlineId: statement.id } })).toBe(0);
    const accept = await recorded(v.deadlines.find((x) => x.kind === 'accept')!.id, 'met');
    expect(accept.metAt!.toISOString()).toBe(metAt);
  });
});

it('suspends keeping the working days left, does not run while suspended, and resumes with them', async () => {
  await run(async (start) => {
    const h = await start();
    const today = shanghai(await serverNow());
    const opened = (await h.executeUpdate(probeUpdate, { args: [await openOp('decide', 'authority', 5)] })).deadlines[0]!;
    const suspendOn = plusWorkingDays(today, 1);
    const suspended = (await h.executeUpdate(probeUpdate, { args: [{ op: 'suspend', kind: 'decide', onDate: suspendOn }] })).deadlines[0]!;
    expect(suspended).toMatchObject({ status: 'suspended', remainingWorkingDays: 4, dueDate: opened.dueDate });

    await nudged(h, env.sleep(20 * DAY)); // far past the original due date: a stopped clock does not expire
    expect((await h.query(getCaseQuery)).deadlines[0]!.status).toBe('suspended');

    const resumeOn = shanghai(await serverNow());
    const resumed = (await h.executeUpdate(probeUpdate, { args: [{ op: 'resume', kind: 'decide', onDate: resumeOn }] })).deadlines[0]!;
    expect(resumed.status).toBe('open');
    expect(resumed.dueDate).toBe(plusWorkingDays(resumeOn, 4));
    expect(resumed.explanation.join('\n')).toContain('剩余4个工作日');
    expect(await h.result()).toEqual({ decide: 'breached' });
    const row = await recorded(resumed.id, 'breached');
    expect(row.dueDate).toBe(resumed.dueDate);
  });
});

it('extends once from the current due date, and refuses a second extension', async () => {
  await run(async (start) => {
    const h = await start();
    const opened = (await h.executeUpdate(probeUpdate, { args: [await openOp('decide', 'authority', 5)] })).deadlines[0]!;
    const extended = (
      await h.executeUpdate(probeUpdate, {
        args: [{ op: 'extend', kind: 'decide', workingDays: 15, reason: '案情复杂' }],
      })
    ).deadlines[0]!;
    expect(extended).toMatchObject({ extended: true, dueDate: plusWorkingDays(opened.dueDate, 15) });
    await expect(
      h.executeUpdate(probeUpdate, { args: [{ op: 'extend', kind: 'decide', workingDays: 1, reason: 'again' }] }),
    ).rejects.toBeInstanceOf(WorkflowUpdateFailedError);
    await h.executeUpdate(probeUpdate, {
      args: [{ op: 'meet', kind: 'decide', at: new Date(await serverNow()).toISOString() }],
    });
    expect(await h.result()).toEqual({ decide: 'met' });
    const row = await recorded(extended.id, 'met');
    expect(row).toMatchObject({ extended: true, dueDate: extended.dueDate });
  });
});

it('computes a long period ending in a year without schedule as provisional, and moves it and its timer when the year arrives', async () => {
  await run(async (start) => {
    const h = await start();
    const today = shanghai(await serverNow());
    const years = 7;
    const open = {
      op: 'open' as const,
      kind: 'long_period',
      party: 'subject' as const,
      from: today,
      startsAt: new Date(await serverNow()).toISOString(),
      period: { unit: 'years' as const, amount: years },
    };
    const first = (await h.executeUpdate(probeUpdate, { args: [open] })).deadlines[0]!;
    expect(first.provisional).toBe(true);
    expect(first.calendarVersion).toContain('statutory-provisional');

    // The year arrives, with its due date and the next day declared holidays: the period moves past them.
    const endYear = Number(first.dueDate.slice(0, 4));
    let moved = first.dueDate;
    do moved = plusDays(moved, 1);
    while (isWeekend(moved) || moved === plusDays(first.dueDate, 1));
    schedules = [
      ...schedules,
      ...Array.from({ length: endYear - Number(today.slice(0, 4)) - 1 }, (_, i) => weekendsOnly(Number(today.slice(0, 4)) + 2 + i)).filter(
        (s) => s.year !== endYear,
      ),
      weekendsOnly(endYear, [first.dueDate, plusDays(first.dueDate, 1)]),
    ];
    await h.signal(calendarChangedSignal, { year: endYear, version: `${endYear}-test` });

    const until = Date.now() + 15_000;
    let now = first;
    while (now.dueDate === first.dueDate && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 100));
      now = (await h.query(getCaseQuery)).deadlines[0]!;
    }
    expect(now).toMatchObject({ provisional: false, dueDate: moved, dueAt: `${plusDays(moved, 1)}T00:00:00+08:00` });
    expect(now.calendarVersion).toContain(`${endYear}-test`);
    const row = await recorded(now.id, 'open', moved);
    expect(row.provisional).toBe(false);

    // The timer moved with it: the old due instant passes and the window is still open.
    await nudged(h, env.sleep(Date.parse(first.dueAt) - (await serverNow()) + 3_600_000));
    expect((await h.query(getCaseQuery)).deadlines[0]!.status).toBe('open');
    expect(await h.result()).toEqual({ long_period: 'lapsed' });
    const lapsed = await recorded(now.id, 'lapsed');
    expect(lapsed.closedAt!.getTime()).toBeGreaterThanOrEqual(Date.parse(now.dueAt));
  });
});
