/**
 * Audited writes without a global lock (`npm run bench:audit`), issue 23 figure "audited writes per second at 32
 * clients with the old lock and with the new log, and with 2 API processes".
 *
 * Brings up the servers `npm start` runs (bench/lib/system.ts: database credit_bench_audit and
 * .data/bench-temporal-audit.sqlite, both emptied first; the worker in a process of its own, idle here), then:
 *
 *   1. Appends in SQL, --clients (32) concurrent clients in a closed loop for --seconds each, one append per
 *      transaction on a Prisma pool of 10 (the API's):
 *        old lock    the append as it was (bench/lib/locked-audit.ts): advisory lock, last entry, insert with seq
 *                    and hash; no sequencer
 *        new log     db/audit.ts's append: one INSERT; the sequencer (db/audit-sequencer.ts) runs in this process,
 *                    linking and signing checkpoints; how far it fell behind (most entries waiting) and how long it
 *                    took to link the rest after the window are reported
 *      Both write the same rows (same actor, action, target, detail), into the same chain, verified at the end.
 *   2. Audited requests over HTTP through 1 and through 2 API processes (separate OS processes, `api/main.ts`,
 *      each running the sequencer as in production), --api-clients (32) clients spread over the processes:
 *        write   POST /v1/records (a credit record with its event and the audit entry, one transaction)
 *        read    GET /v1/records/pending-review (an audit entry per read)
 *      with the CPU of the API processes and of Postgres per request (from /proc; wall-clock rates on this shared
 *      machine are noisy, CPU per request is the cost).
 *
 * Options:
 *   --clients 32       concurrent clients of the SQL appends
 *   --api-clients 32   concurrent clients of the API requests
 *   --seconds 10       measured window per side
 *   --warmup 2         warm-up seconds per side
 *
 * Writes bench/results/audit-<Shanghai date>.json and audit-latest.json; exit code 0.
 */
import { randomUUID } from 'node:crypto';
import { log } from '../scripts/lib/paths';
import { appendAudit, type AuditInput } from '../db/audit';
import { linkPendingAudit, startAuditSequencer } from '../db/audit-sequencer';
import { auditSignerOf, generateAuditSigningKey } from '../db/audit-signing';
import { verifyAuditChain } from '../db/audit-verify';
import { shanghaiDate } from '../api/case-ids';
import { intArg, machineInfo, parseArgs, ratio, stats, table, type LatencyStats } from './lib/measure';
import { runBenchmark, startBenchSystem, postgresInfo, cpuMeter, JWT_SECRET, LISTING_TASK_QUEUE } from './lib/system';
import { runForDuration, waitUntil, type TimedLoadResult } from './lib/load';
import { lockedAppend } from './lib/locked-audit';
import { startApiProcess, treeTicks, type ApiProcess } from './lib/api-process';
import { ApiClient } from './lib/http';
import { OFFICER, randomUscc } from './lib/listing';
import { rejectUnknown, writeResults, watchLoad, loadWarning } from './lib/report';
import { postmasterPid } from './lib/cpu';

const SCOPE = 'bench:audit';
const args = parseArgs(process.argv.slice(2));
rejectUnknown(args, ['clients', 'api-clients', 'seconds', 'warmup']);
const CLIENTS = intArg(args, 'clients', 32);
const API_CLIENTS = intArg(args, 'api-clients', 32);
const SECONDS = intArg(args, 'seconds', 10);
const WARMUP = intArg(args, 'warmup', 2);
const REVIEWER = 'bench-officer-samr-2';

/** The same row on both sides: what a read of a case appends. */
function entry(client: number): AuditInput {
  return {
    actor: OFFICER.sub,
    role: OFFICER.role,
    action: 'case.read',
    target: `case:BENCH-${client}`,
    caseId: `BENCH-${client}`,
    detail: { client },
  };
}

interface SideFigures {
  ratePerSecond: number;
  latency: LatencyStats;
  errors: number;
  errorSamples: string[];
  /** CPU milliseconds per operation, by process. */
  cpuMsPerOp: Record<string, number>;
}

function figures(r: TimedLoadResult, cpuMs: Record<string, number>): SideFigures {
  const per = Object.fromEntries(Object.entries(cpuMs).map(([k, v]) => [k, r.completed ? Math.round((v / r.completed) * 100) / 100 : NaN]));
  return { ratePerSecond: r.ratePerSecond, latency: stats(r.latencies), errors: r.errors, errorSamples: r.errorSamples, cpuMsPerOp: per };
}

function recordBody() {
  return {
    subject: { kind: 'legal_person', id: randomUscc(), name: '张掖市某某商贸有限公司' },
    category: 'dishonesty',
    type: 'administrative_penalty',
    content: '因销售过期食品被处罚款五万元。',
    documentNumber: `张市监罚〔2026〕${randomUUID().slice(0, 6)}号`,
    decidedOn: shanghaiDate(new Date(Date.now() - 30 * 86_400_000)),
    severity: 'general',
    issuedBy: '张掖市市场监督管理局',
    penalty: { procedure: 'general', minor: false, remedied: false },
    reviewedBy: REVIEWER,
  };
}

runBenchmark(SCOPE, async (cleanups) => {
  const load = watchLoad();
  const sys = await startBenchSystem({ scope: SCOPE, name: 'audit', fresh: true, emptyWorker: false, api: false }, cleanups);
  const meter = cpuMeter(sys);
  const ms = (s: number) => s * 1000;
  const signer = auditSignerOf(generateAuditSigningKey());

  // 1. Appends in SQL.
  log(SCOPE, `appends, old lock: ${CLIENTS} clients, ${WARMUP} s warm-up + ${SECONDS} s`);
  meter.start();
  const old = await runForDuration(CLIENTS, ms(WARMUP), ms(SECONDS), async (c) => {
    await sys.db.$transaction((tx) => lockedAppend(tx, entry(c)));
  });
  const oldCpu = meter.read();
  const oldFigures = figures(old, { bench: oldCpu.bench.cpuSeconds * 1000, postgres: oldCpu.postgres.cpuSeconds * 1000 });
  log(SCOPE, `  ${old.ratePerSecond}/s, p50 ${oldFigures.latency.p50} ms, p99 ${oldFigures.latency.p99} ms`);

  const sequencer = startAuditSequencer({ db: sys.db, databaseUrl: sys.databaseUrl, signer, intervalMs: 250 });
  let mostWaiting = 0;
  const sampling = { on: true };
  const sampler = (async () => {
    while (sampling.on) {
      mostWaiting = Math.max(mostWaiting, await sys.db.auditEntry.count({ where: { seq: null } }));
      await new Promise((r) => setTimeout(r, 250));
    }
  })();
  log(SCOPE, `appends, new log: ${CLIENTS} clients, ${WARMUP} s warm-up + ${SECONDS} s`);
  meter.start();
  const fresh = await runForDuration(CLIENTS, ms(WARMUP), ms(SECONDS), async (c) => {
    await sys.db.$transaction((tx) => appendAudit(tx, entry(c)));
  });
  const linkedAfterMs = await waitUntil(async () => (await sys.db.auditEntry.count({ where: { seq: null } })) === 0, 60_000, 50);
  const freshCpu = meter.read();
  sampling.on = false;
  await sampler;
  const freshFigures = figures(fresh, {
    'bench (incl. sequencer)': freshCpu.bench.cpuSeconds * 1000,
    postgres: freshCpu.postgres.cpuSeconds * 1000,
  });
  log(
    SCOPE,
    `  ${fresh.ratePerSecond}/s, p50 ${freshFigures.latency.p50} ms, p99 ${freshFigures.latency.p99} ms; at most ${mostWaiting} waiting, all linked ${linkedAfterMs === null ? 'not within 60 s' : Math.round(linkedAfterMs)} ms after`,
  );
  await sequencer.stop();
  await linkPendingAudit(sys.db, { signer });
  const chain = await verifyAuditChain(sys.db, { publicKey: signer.publicKey, keyId: signer.keyId });
  log(SCOPE, `chain: ${chain.ok ? 'verifies' : 'BROKEN'} (${chain.checked} entries, checkpoint at ${chain.checkpoint?.seq ?? '-'})`);

  // 2. Through API processes.
  const env = {
    DATABASE_URL: sys.databaseUrl,
    TEMPORAL_ADDRESS: sys.temporal.address,
    TEMPORAL_TASK_QUEUE: LISTING_TASK_QUEUE,
    AUTH_JWT_SECRET: JWT_SECRET,
    AUDIT_SIGNING_KEY: signer.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
  };
  const token = sys.token(OFFICER);
  const postgres = postmasterPid(sys.postgres.clusterDir);
  const api: Record<string, Record<'write' | 'read', SideFigures>> = {};
  for (const n of [1, 2]) {
    const procs: ApiProcess[] = [];
    for (let i = 0; i < n; i++) procs.push(await startApiProcess(env));
    const stopAll = async () => {
      for (const p of procs.splice(0)) await p.stop();
    };
    cleanups.add(stopAll);
    const clients = procs.map((p) => new ApiClient(p.base));
    const ops = {
      write: async (c: number) => {
        const r = await clients[c % n]!.request('POST', '/v1/records', { token, body: recordBody() });
        if (r.status !== 201) throw new Error(`POST /v1/records answered ${r.status}: ${r.body.slice(0, 200)}`);
      },
      read: async (c: number) => {
        const r = await clients[c % n]!.request('GET', '/v1/records/pending-review', { token });
        if (r.status !== 200) throw new Error(`GET /v1/records/pending-review answered ${r.status}: ${r.body.slice(0, 200)}`);
      },
    };
    api[`${n} API process${n > 1 ? 'es' : ''}`] = { write: undefined!, read: undefined! };
    for (const kind of ['write', 'read'] as const) {
      log(SCOPE, `${kind}s through ${n} API process(es): ${API_CLIENTS} clients, ${WARMUP} s warm-up + ${SECONDS} s`);
      const ticks0 = procs.map((p) => p.cpuTicks());
      const pg0 = postgres ? treeTicks(postgres) : 0;
      const r = await runForDuration(API_CLIENTS, ms(WARMUP), ms(SECONDS), ops[kind]);
      const apiMs = procs.reduce((sum, p, i) => sum + (p.cpuTicks() - ticks0[i]!) * 10, 0);
      const pgMs = postgres ? (treeTicks(postgres) - pg0) * 10 : NaN;
      const f = figures(r, { api: apiMs, postgres: pgMs });
      api[`${n} API process${n > 1 ? 'es' : ''}`]![kind] = f;
      log(SCOPE, `  ${r.ratePerSecond}/s, p50 ${f.latency.p50} ms, p99 ${f.latency.p99} ms, errors ${r.errors} ${r.errorSamples[0] ?? ''}`);
    }
    await stopAll();
  }
  await linkPendingAudit(sys.db, { signer });
  const after = await verifyAuditChain(sys.db, { publicKey: signer.publicKey, keyId: signer.keyId });
  log(SCOPE, `chain after the API runs: ${after.ok ? 'verifies' : 'BROKEN'} (${after.checked} entries)`);

  const loadSummary = load.summary();
  const rows: (string | number)[][] = [
    ['', 'per s', 'p50 ms', 'p99 ms', 'errors', 'CPU ms/op'],
    ...[
      ['SQL append, old lock', oldFigures],
      ['SQL append, new log', freshFigures],
    ].map(([name, f]) => {
      const x = f as SideFigures;
      return [name as string, x.ratePerSecond, x.latency.p50, x.latency.p99, x.errors, JSON.stringify(x.cpuMsPerOp)];
    }),
    ...Object.entries(api).flatMap(([name, sides]) =>
      (['write', 'read'] as const).map((k) => [
        `${k === 'write' ? 'POST /v1/records' : 'GET /v1/records/pending-review'}, ${name}`,
        sides[k].ratePerSecond,
        sides[k].latency.p50,
        sides[k].latency.p99,
        sides[k].errors,
        JSON.stringify(sides[k].cpuMsPerOp),
      ]),
    ),
  ];
  process.stdout.write(`\n${table(rows)}\n`);
  process.stdout.write(`new log / old lock: ${ratio(fresh.ratePerSecond, old.ratePerSecond)}×\n${loadWarning(loadSummary)}\n`);
  writeResults(SCOPE, 'audit', {
    machine: machineInfo(),
    postgres: await postgresInfo(sys.databaseUrl),
    options: { clients: CLIENTS, apiClients: API_CLIENTS, seconds: SECONDS, warmup: WARMUP },
    sqlAppends: {
      oldLock: oldFigures,
      newLog: {
        ...freshFigures,
        mostWaitingToBeLinked: mostWaiting,
        allLinkedMsAfterWindow: linkedAfterMs === null ? null : Math.round(linkedAfterMs),
      },
      ratio: ratio(fresh.ratePerSecond, old.ratePerSecond),
    },
    api,
    chain: { afterSql: chain, afterApi: after },
    load: loadSummary,
  });
});
