/**
 * History size of whole case lifecycles (`npm run bench:history`), figure 5 of issue 7.
 *
 * Brings up the servers `npm start` runs (bench/lib/system.ts: database credit_bench_history and
 * .data/bench-temporal-history.sqlite, both emptied first), the worker in a process of its own (with
 * the baseline worker) and the API in-process. Drives each lifecycle below through the API, as its
 * users would, to its end, waits until the workflow has completed (every change written to Postgres),
 * fetches the history from the Temporal server and reports its events and bytes (the protobuf encoding
 * the server stores and sends: temporal.api.history.v1.History), by event type, with the largest event.
 *
 * Lifecycles (a list: each entry names its procedure and drives one case; add one by adding an entry):
 *   listing, revoked    open → serve_notice → submit_statement → propose_decision → approve_decision
 *                       → serve_decision → revoke (the end reachable without waiting out a period)
 *   listing, dismissed  open → serve_notice → submit_statement → propose_decision (dismiss) → approve_decision
 *   objection           a wrong penalty record: file (marked) → accept → forward → decide correct (bench/lib/procedures.ts)
 *   repair              a listing imported as served 400 days ago: apply → accept → approve; the listing's own
 *                       workflow removes it (its history is not counted here)
 *
 * Baseline, same run and server: the empty workflow (bench/workflows) started, sent as many Updates as
 * the lifecycle has actions, and finished, i.e. what Temporal records for the same number of
 * interactions when the workflow does nothing.
 *
 * Options:
 *   --repeat 1      cases per lifecycle (sizes vary a little with ids and timestamps; the table shows the first)
 *
 * Writes bench/results/history-size-<Shanghai date>.json and history-size-latest.json; exit code 0.
 */
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { log } from '../scripts/lib/paths';
import { intArg, machineInfo, parseArgs, table } from './lib/measure';
import { runBenchmark, startBenchSystem, EMPTY_TASK_QUEUE } from './lib/system';
import { ApiClient } from './lib/http';
import { ListingDriver, actionBodies } from './lib/listing';
import { objectionLifecycle, repairLifecycle } from './lib/procedures';
import { fmtBytes, rejectUnknown, writeResults, watchLoad, loadWarning } from './lib/report';
import { EMPTY_WORKFLOW_TYPE, finishSignal, pingUpdate, type EmptyWorkflowInput } from './workflows/definitions';

const SCOPE = 'bench:history';
const args = parseArgs(process.argv.slice(2));
rejectUnknown(args, ['repeat']);
const REPEAT = intArg(args, 'repeat', 1);

interface DriveContext {
  driver: ListingDriver;
  client: Client;
}

interface Lifecycle {
  name: string;
  procedure: 'listing' | 'objection' | 'repair';
  /** The actions taken, in order (opening included): also what the baseline repeats as Updates. */
  steps: string[];
  /** Drives one case to its end through the API; resolves with its case id (= workflow id). Absent: not yet available. */
  drive?: (ctx: DriveContext) => Promise<string>;
}

const LIFECYCLES: Lifecycle[] = [
  {
    name: 'listing, revoked',
    procedure: 'listing',
    steps: ['open', 'serve_notice', 'submit_statement', 'propose_decision', 'approve_decision', 'serve_decision', 'revoke'],
    drive: async ({ driver }) => {
      const listed = await driver.toListed((await driver.open()).view);
      const removed = (await driver.act(listed, 'revoke', actionBodies.revoke())).view;
      if (removed.state !== 'removed') throw new Error(`case ${removed.id} is ${removed.state} after revoke`);
      return removed.id;
    },
  },
  {
    name: 'listing, dismissed',
    procedure: 'listing',
    steps: ['open', 'serve_notice', 'submit_statement', 'propose_decision', 'approve_decision'],
    drive: async ({ driver }) => {
      let v = (await driver.open()).view;
      v = (await driver.act(v, 'serve_notice', actionBodies.serve_notice())).view;
      v = (await driver.act(v, 'submit_statement', actionBodies.submit_statement())).view;
      v = (await driver.act(v, 'propose_decision', actionBodies.propose_dismissal())).view;
      v = (await driver.act(v, 'approve_decision', actionBodies.approve_decision())).view;
      if (v.state !== 'dismissed') throw new Error(`case ${v.id} is ${v.state} after a dismissal was approved`);
      return v.id;
    },
  },
  {
    name: 'objection, corrected',
    procedure: 'objection',
    steps: ['open', 'accept', 'forward', 'decide'],
    drive: ({ driver, client }) => objectionLifecycle(driver.api, driver.token, client),
  },
  {
    name: 'repair of a listing, approved',
    procedure: 'repair',
    steps: ['open', 'accept', 'decide'],
    drive: ({ driver, client }) => repairLifecycle(driver.api, driver.token, client),
  },
];

interface HistorySize {
  workflowId: string;
  events: number;
  bytes: number;
  byType: { type: string; events: number; bytes: number }[];
  largest: { eventId: number; type: string; bytes: number };
  /** Every event with its time after the first and its size: where a lifecycle's time and bytes go (JSON only). */
  events_: { id: number; type: string; activity?: string; update?: string; atMs: number; bytes: number }[];
}

const H = temporal.api.history.v1;
const EventType = temporal.api.enums.v1.EventType;

async function historySize(client: Client, workflowId: string): Promise<HistorySize> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  const events = history.events ?? [];
  const byType = new Map<string, { events: number; bytes: number }>();
  let largest = { eventId: 0, type: '', bytes: 0 };
  const list: HistorySize['events_'] = [];
  const ms = (t: { seconds?: unknown; nanos?: number | null } | null | undefined) =>
    t ? Number(t.seconds ?? 0) * 1000 + (t.nanos ?? 0) / 1e6 : 0;
  const t0 = ms(events[0]?.eventTime);
  for (const e of events) {
    const type = (EventType[e.eventType ?? 0] ?? String(e.eventType)).replace(/^EVENT_TYPE_/, '');
    const bytes = H.HistoryEvent.encode(e).finish().length;
    const t = byType.get(type) ?? { events: 0, bytes: 0 };
    t.events += 1;
    t.bytes += bytes;
    byType.set(type, t);
    if (bytes > largest.bytes) largest = { eventId: Number(e.eventId ?? 0), type, bytes };
    const activity = e.activityTaskScheduledEventAttributes?.activityType?.name ?? undefined;
    const update = e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name ?? undefined;
    list.push({
      id: Number(e.eventId ?? 0),
      type,
      ...(activity ? { activity } : {}),
      ...(update ? { update } : {}),
      atMs: Math.round((ms(e.eventTime) - t0) * 10) / 10,
      bytes,
    });
  }
  return {
    workflowId,
    events: events.length,
    bytes: H.History.encode(history).finish().length,
    byType: [...byType.entries()].map(([type, v]) => ({ type, ...v })).sort((a, b) => b.bytes - a.bytes),
    largest,
    events_: list,
  };
}

/** The empty workflow with as many Updates as the lifecycle has actions after opening, then finished. */
async function baseline(client: Client, updates: number): Promise<string> {
  const id = `empty-history-${randomUUID()}`;
  const input: EmptyWorkflowInput = { stayOpen: true };
  const handle = await client.workflow.start(EMPTY_WORKFLOW_TYPE, {
    taskQueue: EMPTY_TASK_QUEUE,
    workflowId: id,
    args: [input],
  });
  for (let i = 0; i < updates; i++) await handle.executeUpdate(pingUpdate, { args: [i] });
  await handle.signal(finishSignal);
  await handle.result();
  return id;
}

runBenchmark(SCOPE, async (cleanups) => {
  const load = watchLoad();
  const sys = await startBenchSystem({ scope: SCOPE, name: 'history', fresh: true, emptyWorker: true, api: true }, cleanups);
  const ctx: DriveContext = { driver: new ListingDriver(new ApiClient(sys.apiBase), sys.token), client: sys.client };

  const results: {
    name: string;
    procedure: string;
    steps: string[];
    available: boolean;
    runs: HistorySize[];
    baseline: HistorySize | null;
  }[] = [];
  for (const lc of LIFECYCLES) {
    if (!lc.drive) {
      log(SCOPE, `${lc.name}: not yet available (skipped)`);
      results.push({
        name: lc.name,
        procedure: lc.procedure,
        steps: lc.steps,
        available: false,
        runs: [],
        baseline: null,
      });
      continue;
    }
    const runs: HistorySize[] = [];
    for (let i = 0; i < REPEAT; i++) {
      const id = await lc.drive(ctx);
      // A closed case's workflow completes once every change is written to Postgres.
      await sys.client.workflow.getHandle(id).result();
      runs.push(await historySize(sys.client, id));
      log(SCOPE, `${lc.name}: ${id}: ${runs.at(-1)!.events} events, ${fmtBytes(runs.at(-1)!.bytes)}`);
    }
    const base = await historySize(sys.client, await baseline(sys.client, lc.steps.length - 1));
    results.push({ name: lc.name, procedure: lc.procedure, steps: lc.steps, available: true, runs, baseline: base });
  }

  const machine = { ...machineInfo(), load: load.summary() };
  const out: string[] = [];
  out.push('');
  out.push(`history size benchmark — ${new Date().toISOString()}`);
  out.push(loadWarning(machine.load));
  out.push(`${sys.temporal.description}; sizes are the protobuf encoding of the history as fetched; ${REPEAT} case(s) per lifecycle`);
  out.push('');
  const rows: (string | number)[][] = [
    [
      'lifecycle',
      'actions',
      'events',
      'bytes',
      'KiB',
      'bytes/event',
      'largest event',
      'baseline events',
      'baseline bytes',
      'bytes/baseline',
    ],
  ];
  for (const r of results) {
    if (!r.available) {
      rows.push([r.name, '', 'not yet available', '', '', '', '', '', '', '']);
      continue;
    }
    const x = r.runs[0]!;
    const b = r.baseline!;
    rows.push([
      r.name,
      r.steps.length,
      x.events,
      x.bytes,
      (x.bytes / 1024).toFixed(1),
      Math.round(x.bytes / x.events),
      `${x.largest.type} ${fmtBytes(x.largest.bytes)}`,
      b.events,
      b.bytes,
      Math.round((x.bytes / b.bytes) * 10) / 10,
    ]);
  }
  out.push(table(rows));
  for (const r of results.filter((x) => x.available)) {
    const x = r.runs[0]!;
    out.push('');
    out.push(`${r.name} (${r.steps.join(' → ')}), ${x.workflowId}, by event type:`);
    const t: (string | number)[][] = [['event type', 'events', 'bytes', 'share']];
    for (const e of x.byType) t.push([e.type, e.events, e.bytes, `${Math.round((e.bytes / x.bytes) * 100)} %`]);
    out.push(
      table(t)
        .split('\n')
        .map((l) => `  ${l}`)
        .join('\n'),
    );
  }
  out.push('');
  out.push(`baseline: ${EMPTY_WORKFLOW_TYPE} with as many Updates (ping) as the lifecycle has actions after opening, then a finish signal`);
  process.stdout.write(out.join('\n') + '\n');

  writeResults(SCOPE, 'history-size', {
    benchmark: 'history-size',
    at: new Date().toISOString(),
    options: { repeat: REPEAT },
    aim: null,
    machine,
    method:
      'Each lifecycle driven through the API (in-process, over HTTP) to its end; the workflow awaited to completion; history fetched with ' +
      'WorkflowHandle.fetchHistory() and measured as temporal.api.history.v1.History.encode(...).finish().length (events: HistoryEvent.encode per event).',
    lifecycles: results,
  });
});
