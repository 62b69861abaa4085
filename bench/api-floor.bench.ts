/**
 * What an API of our shape costs around Temporal's cheapest Update before any of an action's own work, beside the
 * API's served notice in the same run (`npm run bench:api-floor`): the floor under issue 23's aim that an action's
 * p50 be within 2× of a raw Update's, so a reader can tell the part of the gap that any exactly-once API over HTTP
 * would pay from the part that is the action's own.
 *
 * Brings up the servers (bench/lib/system.ts: database credit_bench_api_floor, emptied first; the dev server, or the
 * full server with `--temporal full`), the worker with the baseline's empty workflow, and the API in this process.
 * Four kinds of operation at --clients clients, taking turns for --rounds rounds (the order rotated each round, so
 * drift meets every kind); the three floor kinds on the same empty workflows, the served notice each on a case of its own:
 *   raw      a `ping` Update of an empty workflow from the SDK client (bench:throughput's baseline);
 *   http     the same Update behind a route of a Fastify app in this process, answering a document as long as a
 *            served notice's answer, called over keep-alive HTTP as the benchmarks call the API;
 *   claimed  that route with an action's three Postgres round trips around its Update, each one statement committed on
 *            its own, sent as the API sends its own (db/client.ts `sqlOf`, prepared): the case's row read, a claim
 *            inserted, then the changed row written and the claim ended in one statement;
 *   served   `serve_notice` through the API: what bench:throughput measures, with the action's own work.
 * Each kind's CPU is metered per part (this process, the worker, Temporal, Postgres) over its windows, each until the
 * work it left behind is done (its audit entries linked, the worker idle); its latencies over the operations alone.
 *
 * Options: --clients 16, --n 600 (operations of each kind, over all rounds; with the warm-up, at most what a worker
 * holds), --rounds 2.
 * Writes bench/results/api-floor[-full]-<Shanghai date>.json and …-latest.json.
 */
import Fastify from 'fastify';
import { log } from '../scripts/lib/paths';
import { sqlOf } from '../db/client';
import { intArg, machineInfo, parseArgs, ratio, stats, table } from './lib/measure';
import { runOverItems, waitUntil, type LoadResult } from './lib/load';
import { cpuMeter, runBenchmark, startBenchSystem, startEmptyWorkflow, workerIdle } from './lib/system';
import { ApiClient } from './lib/http';
import { ListingDriver, actionBodies } from './lib/listing';
import { loadWarning, rejectUnknown, watchLoad, writeResults } from './lib/report';
import { combinedCpu, slice, type PartCpu } from './lib/rounds';
import type { Part } from './lib/cpu';
import { pingUpdate } from './workflows/definitions';

const SCOPE = 'bench:api-floor';
const KINDS = ['raw', 'http', 'claimed', 'served'] as const;
type Kind = (typeof KINDS)[number];

const args = parseArgs(process.argv.slice(2));
rejectUnknown(args, ['clients', 'n', 'rounds']);
const CLIENTS = intArg(args, 'clients', 16);
const N = intArg(args, 'n', 600);
const ROUNDS = intArg(args, 'rounds', 2);
if (ROUNDS > N) throw new Error(`--rounds ${ROUNDS} would leave a round without operations: at most --n (${N})`);
const WARMUP = 20;

/** The kinds in round `round`'s order: rotated by one each round. */
const kindsOfRound = (round: number): Kind[] => KINDS.map((_, i) => KINDS[(i + round) % KINDS.length]!);

/** One window of a kind: what its clients did, and every part's CPU over it. */
interface Window {
  run: LoadResult;
  cpu: PartCpu;
  meteredSeconds: number;
  /** Another workload (a test run) was seen on the machine during it. */
  disturbed: boolean;
}

interface KindResult {
  latency: ReturnType<typeof stats>;
  errors: number;
  errorSamples: string[];
  cpu: PartCpu;
  /** CPU ms per operation, per part and in all. */
  msPerOp: Record<Part, number> & { all: number };
  disturbed: boolean;
}

function combined(windows: Window[]): KindResult {
  const latencies = windows.flatMap((w) => w.run.latencies);
  const cpu = combinedCpu(windows);
  const ops = latencies.length;
  const per = (s: number) => (ops > 0 ? Math.round(((s * 1000) / ops) * 10) / 10 : NaN);
  const parts = Object.fromEntries((Object.keys(cpu) as Part[]).map((p) => [p, per(cpu[p].cpuSeconds)])) as Record<Part, number>;
  const all = Math.round(Object.values(parts).reduce((a, b) => a + b, 0) * 10) / 10;
  return {
    latency: stats(latencies),
    errors: windows.reduce((s, w) => s + w.run.errors, 0),
    errorSamples: windows.flatMap((w) => w.run.errorSamples).slice(0, 5),
    cpu,
    msPerOp: { ...parts, all },
    disturbed: windows.some((w) => w.disturbed),
  };
}

runBenchmark(SCOPE, async (cleanups) => {
  const load = watchLoad();
  const sys = await startBenchSystem({ scope: SCOPE, name: 'api-floor', fresh: true, emptyWorker: true, api: true }, cleanups);
  const driver = new ListingDriver(new ApiClient(sys.apiBase), sys.token);
  const sql = sqlOf(sys.db);
  const count = N + WARMUP;
  // Every kind's workflows stay in the worker's cache, as the raw Update's do in bench:throughput: an Update on one it
  // had dropped would replay it first, a cost no kind should pay by chance.
  const held = Math.min(...sys.worker.settings.map((s) => s.maxCachedWorkflows));
  if (count + 1 > held) throw new Error(`--n ${N} needs ${count + 1} workflows of each worker held at once; its workers hold ${held}`);

  log(SCOPE, `opening ${count + 1} cases through the API and ${count} empty workflows (not timed)`);
  const [sizing, ...cases] = await driver.openMany(count + 1, 8);
  const empties: string[] = [];
  await runOverItems(
    8,
    Array.from({ length: count }, (_, i) => i),
    async () => {
      empties.push(await startEmptyWorkflow(sys, { stayOpen: true }));
    },
  );

  // The floor's answer is as long as a served notice's, as the API sends it.
  const sized = await driver.act(sizing!, 'serve_notice', actionBodies.serve_notice());
  const answerBytes = Buffer.byteLength(JSON.stringify(sized.view));
  const floorAnswer = { pad: 'x'.repeat(Math.max(0, answerBytes - 10)) };

  await sql.query('CREATE TABLE bench_floor_cases (id text PRIMARY KEY, version int NOT NULL, doc jsonb NOT NULL)', []);
  await sql.query('CREATE TABLE bench_floor_claims (key text PRIMARY KEY, case_id text NOT NULL)', []);
  await sql.query('INSERT INTO bench_floor_cases (id, version, doc) SELECT unnest($1::text[]), 1, $2::jsonb', [
    empties,
    JSON.stringify(floorAnswer),
  ]);

  const ping = (id: string) => sys.client.workflow.getHandle(id).executeUpdate(pingUpdate, { args: [1] });
  const floor = Fastify({ logger: false });
  floor.post<{ Params: { id: string } }>('/http/:id', async (request) => {
    await ping(request.params.id);
    return floorAnswer;
  });
  let claims = 0;
  floor.post<{ Params: { id: string } }>('/claimed/:id', async (request) => {
    const id = request.params.id;
    const key = `${id}:${++claims}`;
    const [row] = await sql.query<{ version: number; doc: unknown }>('SELECT version, doc FROM bench_floor_cases WHERE id = $1', [id]);
    if (!row) throw new Error(`no floor case ${id}`);
    await sql.query('INSERT INTO bench_floor_claims (key, case_id) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING', [key, id]);
    await ping(id);
    await sql.query(
      `WITH ended AS (DELETE FROM bench_floor_claims WHERE key = $1)
       UPDATE bench_floor_cases SET version = version + 1, doc = $2::jsonb WHERE id = $3`,
      [key, JSON.stringify(row.doc), id],
    );
    return row.doc;
  });
  await floor.listen({ port: 0, host: '127.0.0.1' });
  cleanups.add(async () => {
    await floor.close();
  });
  const address = floor.server.address();
  if (!address || typeof address === 'string') throw new Error('the floor app did not listen on a port');
  const floorApi = new ApiClient(`http://127.0.0.1:${address.port}`);
  const token = 'not-checked';
  const viaHttp = async (path: string) => {
    const r = await floorApi.request('POST', path, { token, body: {} });
    if (r.status !== 200) throw new Error(`${path} answered ${r.status}`);
  };

  // The three floor kinds ping the same empty workflows (a ping changes nothing), so that all of them stay in the
  // worker's cache (WORKER_CACHED_CASES): an Update on a workflow it had dropped would replay it first.
  const itemsOf: Record<Kind, string[]> = { raw: empties, http: empties, claimed: empties, served: cases.map((c) => c.id) };
  const byId = new Map(cases.map((c) => [c.id, c]));
  const op: Record<Kind, (id: string) => Promise<void>> = {
    raw: async (id) => {
      await ping(id);
    },
    http: (id) => viaHttp(`/http/${id}`),
    claimed: (id) => viaHttp(`/claimed/${id}`),
    served: async (id) => {
      await driver.act(byId.get(id)!, 'serve_notice', actionBodies.serve_notice());
    },
  };

  log(SCOPE, `warming up: ${WARMUP} of each kind`);
  for (const kind of KINDS) await runOverItems(CLIENTS, itemsOf[kind].slice(0, WARMUP), op[kind]);

  /**
   * Waits until the work a window left behind is done: its audit entries linked into the chain (the API's sequencer, a
   * few hundred milliseconds behind) and the worker idle. Metered with the window, so that each kind pays for its own
   * and not for the kind before it.
   */
  const settled = async () => {
    await waitUntil(async () => (await sys.db.auditEntry.count({ where: { seq: null } })) === 0, 60_000, 50);
    await workerIdle(sys.worker, 60_000);
  };

  await settled();
  const meter = cpuMeter(sys);
  const windows: Record<Kind, Window[]> = { raw: [], http: [], claimed: [], served: [] };
  log(SCOPE, `measuring ${N} of each kind at ${CLIENTS} clients in ${ROUNDS} rounds, taking turns`);
  for (let round = 0; round < ROUNDS; round++) {
    for (const kind of kindsOfRound(round)) {
      const items = slice(itemsOf[kind].slice(WARMUP), round, ROUNDS);
      meter.start();
      const from = Date.now();
      const run = await runOverItems(CLIENTS, items, op[kind]);
      await settled();
      const to = Date.now();
      windows[kind].push({
        run,
        cpu: meter.read(),
        meteredSeconds: (to - from) / 1000,
        disturbed: load.disturbedBetween(from, to),
      });
    }
  }

  const results = Object.fromEntries(KINDS.map((k) => [k, combined(windows[k])])) as Record<Kind, KindResult>;
  const raw = results.raw;
  const machine = { ...machineInfo(), load: load.summary() };
  const server = sys.temporal.description;
  const out: string[] = [''];
  out.push(`API floor benchmark — ${new Date().toISOString()}`);
  out.push(loadWarning(machine.load));
  out.push(`${server}; ${CLIENTS} clients; ${N} operations of each kind in ${ROUNDS} rounds; answers of ${answerBytes} bytes`);
  out.push('');
  const parts = Object.keys(raw.msPerOp).filter((p) => p !== 'all') as Part[];
  const rows: (string | number)[][] = [['kind', 'p50 ms', 'p50 / raw', ...parts.map((p) => `${p} ms`), 'CPU ms', 'CPU / raw', 'errors']];
  const label: Record<Kind, string> = {
    raw: 'raw Update (SDK client)',
    http: 'its Update behind an HTTP route',
    claimed: '… and 3 Postgres round trips',
    served: 'serve_notice (the API)',
  };
  for (const k of KINDS) {
    const r = results[k];
    rows.push([
      `${r.disturbed ? '! ' : ''}${label[k]}`,
      r.latency.p50,
      ratio(r.latency.p50, raw.latency.p50),
      ...parts.map((p) => r.msPerOp[p]),
      r.msPerOp.all,
      ratio(r.msPerOp.all, raw.msPerOp.all),
      r.errors,
    ]);
  }
  out.push(table(rows));
  const shape = Math.round((results.claimed.msPerOp.all - raw.msPerOp.all) * 10) / 10;
  const own = Math.round((results.served.msPerOp.all - results.claimed.msPerOp.all) * 10) / 10;
  const room = Math.round((2 * raw.msPerOp.all - results.claimed.msPerOp.all) * 10) / 10;
  out.push('');
  out.push(
    `CPU per action over a raw Update's: the shape (HTTP, three round trips) ${shape} ms, the served notice's own work ${own} ms; ` +
      `within 2× of a raw Update, an action's own work may cost ${room} ms.`,
  );
  process.stdout.write(out.join('\n') + '\n');
  const failed = KINDS.filter((k) => results[k].errors > 0);
  if (failed.length) throw new Error(`operations failed: ${failed.map((k) => `${k} ${results[k].errorSamples[0]}`).join('; ')}`);

  writeResults(SCOPE, 'api-floor', {
    benchmark: 'api-floor',
    at: new Date().toISOString(),
    options: { clients: CLIENTS, n: N, rounds: ROUNDS },
    machine,
    temporal: server,
    answerBytes,
    kinds: results,
    summary: { shapeMsPerAction: shape, ownWorkMsPerServedNotice: own, roomForOwnWorkWithin2x: room },
  });
});
