/**
 * How fast the exchange delivers (`npm run bench:exchange`), a figure of issue 24 ("entries delivered per second to the
 * reference platform, next to the raw HTTP rate of the same requests").
 *
 * Brings up Postgres and Temporal as `npm start` runs them (bench/lib/system.ts, database credit_bench_exchange, emptied
 * first) and the reference platform in a process of its own (scripts/platform.ts, its file emptied first). Then:
 *   1. raw: --entries signed deliveries of fresh entries, sent from this process through the same adapter
 *      (exchange/http-adapter.ts: canonical JSON, HMAC, fetch) with the delivery's concurrency (8 subjects at a time,
 *      each subject's entries one after another): what HTTP and the platform allow;
 *   2. delivered: --entries other entries written to the outbox (enqueueExchange) over --subjects subjects, then the
 *      delivery workflow (workflows/exchange/delivery.ts) started on a worker in this process, timed until every entry
 *      is accepted: what the outbox, its per-entry writes and the workflow add.
 * Prints both rates and their ratio. Options: --entries 2000, --subjects 100. Writes bench/results/exchange-<Shanghai
 * date>.json and exchange-latest.json.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { dataDir, log, projectRoot } from '../scripts/lib/paths';
import { freePort } from '../scripts/lib/proc';
import { buildWorker } from '../worker';
import { enqueueExchange } from '../db/exchange-outbox';
import { httpExchangeAdapter } from '../exchange/http-adapter';
import type { ExchangeMessage } from '../exchange/adapter';
import { EXCHANGE_DELIVERY_ID } from '../workflows/exchange/ids';
import { intArg, machineInfo, parseArgs, ratio, table } from './lib/measure';
import { NAMESPACE, runBenchmark, startBenchSystem } from './lib/system';
import { loadWarning, rejectUnknown, watchLoad, writeResults } from './lib/report';

const SCOPE = 'bench:exchange';
const TASK_QUEUE = 'bench-exchange';
/** The delivery's own concurrency (activities/exchange-delivery.ts, deliverExchangeBatch's default). */
const LANES = 8;

const args = parseArgs(process.argv.slice(2));
rejectUnknown(args, ['entries', 'subjects']);
const ENTRIES = intArg(args, 'entries', 2000);
const SUBJECTS = Math.min(intArg(args, 'subjects', 100), ENTRIES);

function entriesOf(prefix: string): ExchangeMessage[] {
  const at = new Date().toISOString();
  return Array.from({ length: ENTRIES }, (_, i) => {
    const subjectId = `${prefix}-s${i % SUBJECTS}`;
    return {
      entryId: `${prefix}-${i}`,
      seq: i + 1,
      kind: 'record_supplied',
      occurredAt: at,
      subjectId,
      payload: { subjectId, recordId: `${prefix}-r${i}`, category: '行政处罚', decisionNo: `张市监罚〔2026〕${i}号`, amount: 5000 + i },
    };
  });
}

runBenchmark(SCOPE, async (cleanups) => {
  const load = watchLoad();
  const sys = await startBenchSystem({ scope: SCOPE, name: 'exchange', fresh: true, emptyWorker: false, api: false }, cleanups);
  const secret = randomBytes(24).toString('hex');
  const dataFile = join(dataDir(), 'bench-platform', 'entries.jsonl');
  rmSync(dataFile, { force: true });
  const port = await freePort();
  const platform = spawn(
    process.execPath,
    ['--import', 'tsx', join(projectRoot(), 'scripts', 'platform.ts'), '--port', String(port), '--data', dataFile],
    {
      cwd: projectRoot(),
      env: { ...process.env, EXCHANGE_SECRET: secret },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  cleanups.add(async () => {
    platform.kill('SIGTERM');
    await new Promise((r) => platform.once('exit', r));
  });
  const url = await new Promise<string>((resolve, reject) => {
    platform.stdout.on('data', (b: Buffer) => {
      const m = /platform listening on (\S+)/.exec(b.toString());
      if (m?.[1]) resolve(m[1]);
    });
    platform.once('exit', (code) => {
      reject(new Error(`the platform exited (${code})`));
    });
  });
  log(SCOPE, `reference platform on ${url} (process ${platform.pid})`);
  const adapter = httpExchangeAdapter({ baseUrl: url, secret });

  // 1. The raw rate: the same signed requests, straight from here.
  const raw = entriesOf('raw');
  const bySubject = new Map<string, ExchangeMessage[]>();
  for (const e of raw) bySubject.set(e.subjectId, [...(bySubject.get(e.subjectId) ?? []), e]);
  const queue = [...bySubject.values()];
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: LANES }, async () => {
      for (let s = queue.shift(); s; s = queue.shift()) {
        for (const e of s) {
          const r = await adapter.deliver(e);
          if (r.outcome !== 'accepted') throw new Error(`raw: ${e.entryId} ${r.outcome} ${r.reason ?? ''}`);
        }
      }
    }),
  );
  const rawMs = performance.now() - t0;
  const rawRate = ENTRIES / (rawMs / 1000);
  log(SCOPE, `raw HTTP: ${ENTRIES} entries in ${(rawMs / 1000).toFixed(2)} s, ${rawRate.toFixed(0)}/s`);

  // 2. Through the outbox and the delivery workflow.
  const outbox = entriesOf('outbox');
  for (let i = 0; i < outbox.length; i += 500) {
    await sys.db.$transaction(async (tx) => {
      for (const e of outbox.slice(i, i + 500)) {
        await enqueueExchange(tx, {
          id: e.entryId,
          subjectId: e.subjectId,
          kind: 'record_supplied',
          payload: e.payload,
          occurredAt: new Date(e.occurredAt),
        });
      }
    });
  }
  log(SCOPE, `outbox: ${ENTRIES} entries written`);
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const nativeConnection = await NativeConnection.connect({ address: sys.temporal.address });
  cleanups.add(() => nativeConnection.close());
  const worker = await buildWorker({
    connection: nativeConnection,
    namespace: NAMESPACE,
    taskQueue: TASK_QUEUE,
    db: sys.db,
    exchange: adapter,
  });
  const running = worker.run();
  cleanups.add(async () => {
    worker.shutdown();
    await running;
  });
  const t1 = performance.now();
  const started = new Date();
  await sys.client.workflow.start('exchangeDeliveryWorkflow', { workflowId: EXCHANGE_DELIVERY_ID, taskQueue: TASK_QUEUE, args: [{}] });
  const ids = outbox.map((e) => e.entryId);
  for (;;) {
    const done = await sys.db.exchangeEntry.count({ where: { id: { in: ids }, status: { in: ['accepted', 'held'] } } });
    if (done === ENTRIES) break;
    if (performance.now() - t1 > 30 * 60_000) throw new Error(`only ${done} of ${ENTRIES} delivered after 30 min`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const deliveredMs = performance.now() - t1;
  const span = await sys.db.exchangeEntry.aggregate({
    where: { id: { in: ids } },
    _min: { deliveredAt: true },
    _max: { deliveredAt: true },
  });
  const firstToLastMs = (span._max.deliveredAt?.getTime() ?? 0) - (span._min.deliveredAt?.getTime() ?? 0);
  const firstAfterMs = (span._min.deliveredAt?.getTime() ?? 0) - started.getTime();
  const deliveredRate = ENTRIES / (deliveredMs / 1000);
  const steadyRate = firstToLastMs > 0 ? (ENTRIES - 1) / (firstToLastMs / 1000) : deliveredRate;
  await sys.client.workflow.getHandle(EXCHANGE_DELIVERY_ID).terminate('bench done');
  const doubled = await sys.db.exchangeEntry.count({ where: { id: { in: ids }, status: 'held' } });

  const loadSummary = load.summary();
  console.log(
    [
      '',
      `Exchange delivery to the reference platform: ${ENTRIES} entries over ${SUBJECTS} subjects, ${LANES} subjects at a time`,
      table([
        ['', 'entries/s', 'seconds'],
        ['raw signed HTTP from the bench process', rawRate.toFixed(0), (rawMs / 1000).toFixed(2)],
        ['delivered (outbox → workflow → platform)', deliveredRate.toFixed(0), (deliveredMs / 1000).toFixed(2)],
        ['  first to last delivery', steadyRate.toFixed(0), (firstToLastMs / 1000).toFixed(2)],
      ]),
      `delivered / raw: ${ratio(deliveredRate, rawRate)}; first delivery ${firstAfterMs} ms after the workflow's start; held (sent twice): ${doubled}`,
      loadWarning(loadSummary),
      '',
    ].join('\n'),
  );
  writeResults(SCOPE, 'exchange', {
    benchmark: 'exchange',
    at: new Date().toISOString(),
    machine: machineInfo(),
    load: loadSummary,
    options: { entries: ENTRIES, subjects: SUBJECTS, lanes: LANES },
    raw: { ms: Math.round(rawMs), perSecond: Math.round(rawRate) },
    delivered: {
      ms: Math.round(deliveredMs),
      perSecond: Math.round(deliveredRate),
      firstToLastMs,
      firstToLastPerSecond: Math.round(steadyRate),
      firstDeliveryAfterStartMs: firstAfterMs,
      held: doubled,
    },
    deliveredOverRaw: ratio(deliveredRate, rawRate),
  });
});
