import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, Worker, Runtime, DefaultLogger } from '@temporalio/worker';
import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { createActivities } from '../../activities';
import type { ElectronicServiceDeps } from '../../activities/electronic-service';
import type { CalendarSource } from '../../activities/calendar';
import { createDb, type Db } from '../../db/client';
import { StatutoryCalendar, type YearSchedule } from '../../domain/calendar';
import { actUpdate, getCaseQuery } from '../../workflows/common/definitions';
import type { Actor, CaseView } from '../../workflows/common/case-types';
import { testEnv } from './test-env';

export const DAY = 86_400_000;
export type Start = (workflowType: string, caseId: string, input: unknown) => Promise<WorkflowHandle>;

/** Temporal's time-skipping test server, with the SDK's own log cut down to warnings. */
export function startTimeSkippingServer(): Promise<TestWorkflowEnvironment> {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  return TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: testEnv().timeSkippingServerPath } },
  });
}

/** A test's own workflows bundled for its worker; the bundler speaks only of errors. */
export function bundleTestWorkflows(workflowsPath: string): Promise<{ code: string }> {
  return bundleWorkflowCode({
    workflowsPath,
    logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error: console.error },
  });
}

/**
 * Workflows on Temporal's time-skipping server with the real activities on the real database, for one
 * test file (registers its own beforeAll/afterAll). The server's clock starts at the real "now" and moves
 * on as tests skip time, so every date counts from the server's clock, on a synthetic weekends-only
 * calendar for the years around it.
 *
 * The Java test server has quirks these helpers work around: awaiting `result()` lets it run far ahead, so
 * completion is polled (`completed`); it now and then stops skipping with a workflow idle on timers until
 * it is asked something, so long sleeps query the workflow every two seconds (`nudged`); and an activity cut
 * off by a worker's shutdown stops its clock for the rest of the file, so `withWorker` lets activities
 * finish before it ends the workflows it started.
 */
export function useTimeSkipping(opts: { historyName: string; maxHistoryEvents: number }) {
  let env: TestWorkflowEnvironment;
  let db: Db;
  const histories: Record<string, { events: number; bytes: number }> = {};
  // What beforeAll got as far as starting, for afterAll to stop in that order.
  const stops: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    env = await startTimeSkippingServer();
    stops.push(() => env.teardown());
    db = createDb(testEnv().databaseUrl, { poolSize: 3 });
    stops.push(() => db.$disconnect());
  }, 120_000);
  afterAll(async () => {
    for (const stop of stops) await stop();
    if (Object.keys(histories).length) console.log(`${opts.historyName} history sizes: ${JSON.stringify(histories)}`);
  });

  const now = () => env.currentTimeMs();
  const iso = async (offsetMs = 0) => new Date((await now()) + offsetMs).toISOString();

  /** Every change of the case is in Postgres and no activity is scheduled or running. */
  async function quiet(h: WorkflowHandle): Promise<boolean> {
    const d = await h.describe();
    if (d.status.name !== 'RUNNING') return true;
    if ((d.raw.pendingActivities ?? []).length > 0) return false;
    const view = await h.query(getCaseQuery);
    const row = await db.case.findUnique({ where: { id: h.workflowId }, select: { version: true } });
    return row?.version === view.timeline.length && ((await h.describe()).raw.pendingActivities ?? []).length === 0;
  }

  // Arrow functions, not methods: the test files take them out of the harness (`const { iso, doAction } = ts`).
  const harness = {
    get env() {
      return env;
    },
    get db() {
      return db;
    },
    now,
    iso,
    quiet,

    /**
     * Runs `fn` with a worker of the procedures. Its calendar is synthetic (weekends only, 14 years around the server's
     * clock) unless `opts.calendar` gives one, as the year-change tests do with the real notices.
     */
    withWorker: async (
      fn: (start: Start, taskQueue: string) => Promise<void>,
      opts: { calendar?: CalendarSource; delivery?: ElectronicServiceDeps } = {},
    ): Promise<void> => {
      const year = Number(new Date((await now()) + 8 * 3_600_000).toISOString().slice(0, 4));
      const schedules: YearSchedule[] = Array.from({ length: 14 }, (_, i) => ({
        year: year - 4 + i,
        source: 'test',
        version: `${year - 4 + i}-test`,
        holidays: [],
        workdays: [],
      }));
      const taskQueue = `ts-${randomUUID()}`;
      const worker = await Worker.create({
        connection: env.nativeConnection,
        taskQueue,
        workflowBundle: { codePath: testEnv().workflowBundlePath },
        activities: createActivities({
          db,
          temporal: env.client,
          calendar: opts.calendar ?? (() => Promise.resolve(new StatutoryCalendar(schedules))),
          ...(opts.delivery ? { delivery: opts.delivery } : {}),
        }),
      });
      const started: WorkflowHandle[] = [];
      await worker.runUntil(async () => {
        try {
          await fn(async (workflowType, caseId, input) => {
            const h = await env.client.workflow.start(workflowType, { taskQueue, workflowId: caseId, args: [input] });
            started.push(h);
            return h;
          }, taskQueue);
        } finally {
          for (const h of started) {
            const until = Date.now() + 15_000;
            while (Date.now() < until && !(await quiet(h))) await new Promise((r) => setTimeout(r, 50));
            await h.terminate('test over').catch(() => undefined);
          }
        }
      });
    },

    /** Awaits `p` (a result or a sleep on the time-skipping server) while asking the workflow for its state every two seconds. */
    nudged,

    /** The case once its workflow has recorded the opening (a query right after start may come first). */
    opened: async (h: WorkflowHandle): Promise<CaseView> => {
      const until = Date.now() + 10_000;
      for (;;) {
        const v = await h.query(getCaseQuery);
        if (v.timeline.length > 0) return v;
        if (Date.now() > until) throw new Error(`workflow ${h.workflowId} did not open`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },

    /** Waits, in real time and without letting the test server skip any, until the workflow has completed. */
    completed: async (h: WorkflowHandle): Promise<void> => {
      const until = Date.now() + 20_000;
      for (;;) {
        const status = (await h.describe()).status.name;
        if (status === 'COMPLETED') return;
        if (status !== 'RUNNING' || Date.now() > until) throw new Error(`workflow ${h.workflowId} is ${status}, not completed`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },

    /** Skips the test server's clock to just past `dueAt`, then waits until the workflow has acted on it. */
    passDue: async (h: WorkflowHandle, dueAt: string, done: (v: CaseView) => boolean): Promise<CaseView> => {
      const ms = Date.parse(dueAt) - (await now()) + 60_000;
      if (ms > 0) await harness.nudged(h, env.sleep(ms));
      const until = Date.now() + 15_000;
      for (;;) {
        const v = await h.query(getCaseQuery);
        if (done(v)) return v;
        if (Date.now() > until) throw new Error(`workflow ${h.workflowId} did not act on ${dueAt}: ${v.state}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },

    doAction: async (h: WorkflowHandle, actor: Actor, action: string, body: Record<string, unknown>): Promise<CaseView> => {
      return h.executeUpdate(actUpdate, { args: [{ action, actor, body, receivedAt: await iso() }] });
    },

    refused: async (p: Promise<unknown>, message: RegExp): Promise<void> => {
      const err = await p.then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
      expect((err as WorkflowUpdateFailedError).cause?.message).toMatch(message);
    },

    /** Waits until Postgres has the case in `state`. */
    settled: async (id: string, state: string) => {
      const until = Date.now() + 15_000;
      for (;;) {
        const row = await db.case.findUnique({ where: { id } });
        if (row?.state === state) return row;
        if (Date.now() > until) throw new Error(`case ${id} not recorded as ${state}; last ${row?.state}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },

    /** Measures the history, bounds it, and records it for the replay test when RECORD_HISTORIES=1. */
    keepHistory: async (h: WorkflowHandle, name: string) => {
      const history = await h.fetchHistory();
      const encoded = temporal.api.history.v1.History.encode(history).finish();
      histories[name] = { events: history.events?.length ?? 0, bytes: encoded.length };
      expect(histories[name].events).toBeLessThan(opts.maxHistoryEvents);
      if (process.env.RECORD_HISTORIES === '1') {
        const dir = join(__dirname, '..', 'workflows', 'histories');
        mkdirSync(dir, { recursive: true });
        writeFileSync(join(dir, `${name}.binpb`), encoded);
      }
    },
  };
  return harness;
}

/**
 * Awaits `p` (a result or a sleep on the time-skipping server) while asking the workflow for its state every two
 * seconds, so the test server does not stall with the workflow idle on its timers (see `useTimeSkipping`).
 */
export async function nudged<T>(h: WorkflowHandle, p: Promise<T>): Promise<T> {
  const t = setInterval(() => void h.query(getCaseQuery).catch(() => undefined), 2000);
  try {
    return await p;
  } finally {
    clearInterval(t);
  }
}

export function caseIdFor(prefix: 'LST' | 'OBJ' | 'REP'): string {
  return `${prefix}-20261102-${randomUUID().replace(/-/g, '').slice(0, 10).toUpperCase()}`;
}
