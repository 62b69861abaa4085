/**
 * A 10 MB evidence upload through `POST /v1/files` (`npm run bench:upload`), next to a plain copy of the same file in
 * the same run (issue 22): time, and this process's memory (RSS before, peak while, and left after).
 *
 * Brings up only what the upload touches: the bench Postgres cluster (database credit_bench_upload, emptied first)
 * and the API in this process over real HTTP (Temporal is never reached by this route; its client is lazy and never
 * connects). The client is this process too, so the upload's memory counts the request body the client builds and
 * the server's parse, type check, hash and Postgres write. Each of --n rounds, in alternating order:
 *
 *   upload       POST /v1/files, one part `file` of --mb MB (a new content each round, so each is written)
 *   copyFile     fs.copyFile of the same file (the kernel's copy)
 *   read+write   fs.readFile then fs.writeFile (the file through this process's memory once)
 *
 * Memory is sampled every 2 ms (process.memoryUsage.rss); "peak" is the largest sample over the operation's RSS
 * before it; "after" is the RSS once it is done, after a GC when node runs with --expose-gc.
 *
 * Options:
 *   --mb 10   file size in MB (10 is the limit the API takes)
 *   --n 5     rounds
 *
 * No aim is given for this figure; writes bench/results/upload-<Shanghai date>.json and upload-latest.json.
 */
import { randomBytes } from 'node:crypto';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { Client, Connection } from '@temporalio/client';
import { buildApp } from '../api/app';
import { mintToken } from '../api/dev-tokens';
import { applyMigrations } from '../db/migrate';
import { createDb } from '../db/client';
import { loadReferenceData } from '../db/reference-data';
import { multipartPayload } from '../console/multipart';
import { MAX_FILE_BYTES } from '../contract/files';
import { dataDir, log } from '../scripts/lib/paths';
import { startLocalPostgres } from '../scripts/lib/postgres';
import { Client as PgClient } from 'pg';
import { intArg, machineInfo, nowMs, parseArgs, ratio, stats, table } from './lib/measure';
import { fmtBytes, rejectUnknown, writeResults } from './lib/report';
import { JWT_SECRET, runBenchmark } from './lib/system';

const SCOPE = 'bench:upload';
const args = parseArgs(process.argv.slice(2));
rejectUnknown(args, ['mb', 'n']);
const MB = intArg(args, 'mb', 10);
const N = intArg(args, 'n', 5);
const BYTES = Math.min(MB * 1024 * 1024, MAX_FILE_BYTES);

type Side = 'upload' | 'copyFile' | 'read+write';
const SIDES: Side[] = ['upload', 'copyFile', 'read+write'];

interface Sample {
  ms: number;
  rssBefore: number;
  peakDelta: number;
  afterDelta: number;
}

const gc = (globalThis as { gc?: () => void }).gc;

/** Runs `fn` with RSS sampled every 2 ms: its time, the peak over the RSS before, and what is left after. */
async function measured(fn: () => Promise<void>): Promise<Sample> {
  gc?.();
  const rssBefore = process.memoryUsage.rss();
  let peak = rssBefore;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 2);
  const t0 = nowMs();
  await fn();
  const ms = nowMs() - t0;
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage.rss());
  gc?.();
  return { ms, rssBefore, peakDelta: peak - rssBefore, afterDelta: process.memoryUsage.rss() - rssBefore };
}

/** A PDF of `bytes` bytes with random content (so each round stores a new content). */
function pdfOf(bytes: number): Buffer {
  const b = randomBytes(bytes);
  b.write('%PDF-1.7\n', 0, 'latin1');
  return b;
}

runBenchmark(SCOPE, async (cleanups) => {
  const database = 'credit_bench_upload';
  const pgDir = join(dataDir(), 'bench-postgres');
  const postgres = await startLocalPostgres({ dataDir: pgDir, database });
  if (!postgres.reused) cleanups.add(() => postgres.stop());
  const su = new PgClient({ connectionString: `postgresql://postgres@127.0.0.1:${postgres.port}/postgres` });
  await su.connect();
  await su.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
  await su.end();
  await startLocalPostgres({ dataDir: pgDir, database });
  await applyMigrations(postgres.url);
  const db = createDb(postgres.url);
  cleanups.add(() => db.$disconnect());
  await loadReferenceData(db);

  // Never connects: POST /v1/files does not reach Temporal.
  const temporal = new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }) });
  const app = await buildApp({ db, temporal, taskQueue: 'bench-upload', jwtSecret: JWT_SECRET }, pino({ level: 'silent' }));
  const base = await app.listen({ host: '127.0.0.1', port: 0 });
  cleanups.add(() => app.close());
  const token = mintToken({ role: 'subject', sub: 'bench-subject', subjectId: '91620700MA00000001' }, JWT_SECRET, 3600);

  const dir = await mkdtemp(join(tmpdir(), 'bench-upload-'));
  cleanups.add(() => rm(dir, { recursive: true, force: true }));
  log(
    SCOPE,
    `API on ${base}; ${N} rounds of a ${fmtBytes(BYTES)} file${gc ? '' : ' (no --expose-gc: "after" includes garbage not yet collected)'}`,
  );

  const samples: Record<Side, Sample[]> = { upload: [], copyFile: [], 'read+write': [] };
  const run: Record<Side, (src: string, round: number) => Promise<void>> = {
    upload: async (src) => {
      const { payload, contentType } = multipartPayload([{ field: 'file', name: '证据.pdf', bytes: await readFile(src) }]);
      const r = await fetch(`${base}/v1/files`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': contentType },
        body: new Uint8Array(payload.buffer as ArrayBuffer, payload.byteOffset, payload.byteLength),
      });
      if (r.status !== 201) throw new Error(`POST /v1/files answered ${r.status}: ${await r.text()}`);
      await r.arrayBuffer();
    },
    copyFile: async (src, round) => {
      await copyFile(src, join(dir, `copy-${round}.pdf`));
    },
    'read+write': async (src, round) => {
      await writeFile(join(dir, `rw-${round}.pdf`), await readFile(src));
    },
  };
  // A warm-up of each side (first connection, first compile), not counted.
  const warm = join(dir, 'warm.pdf');
  await writeFile(warm, pdfOf(64 * 1024));
  for (const side of SIDES) await run[side](warm, -1);

  for (let round = 0; round < N; round++) {
    const src = join(dir, `source-${round}.pdf`);
    await writeFile(src, pdfOf(BYTES));
    const order = round % 2 === 0 ? SIDES : [...SIDES].reverse();
    for (const side of order) samples[side].push(await measured(() => run[side](src, round)));
    await rm(src);
  }

  interface SideSummary {
    time: ReturnType<typeof stats>;
    peakRssDeltaMax: number;
    peakRssDeltaMedian: number;
    afterRssDeltaMedian: number;
  }
  const summary = Object.fromEntries(
    SIDES.map((side) => {
      const s = samples[side];
      return [
        side,
        {
          time: stats(s.map((x) => x.ms)),
          peakRssDeltaMax: Math.max(...s.map((x) => x.peakDelta)),
          peakRssDeltaMedian: stats(s.map((x) => x.peakDelta)).p50,
          afterRssDeltaMedian: stats(s.map((x) => x.afterDelta)).p50,
        },
      ];
    }),
  ) as unknown as Record<Side, SideSummary>;

  const rows: (string | number)[][] = [['', 'median ms', 'max ms', 'peak RSS Δ (median)', 'peak RSS Δ (max)', 'RSS Δ after (median)']];
  for (const side of SIDES) {
    const x = summary[side];
    rows.push([
      side,
      x.time.p50.toFixed(1),
      x.time.max.toFixed(1),
      fmtBytes(x.peakRssDeltaMedian),
      fmtBytes(x.peakRssDeltaMax),
      fmtBytes(x.afterRssDeltaMedian),
    ]);
  }
  console.log(`\n${fmtBytes(BYTES)} file, ${N} rounds\n${table(rows)}`);
  console.log(
    `upload / copyFile: ${ratio(summary.upload.time.p50, summary.copyFile.time.p50)}× the time; upload / read+write: ${ratio(summary.upload.time.p50, summary['read+write'].time.p50)}×\n`,
  );
  const stored = await db.storedFile.count();
  writeResults(SCOPE, 'upload', {
    at: new Date().toISOString(),
    machine: machineInfo(),
    options: { mb: MB, bytes: BYTES, n: N, exposeGc: Boolean(gc) },
    storedFiles: stored,
    summary,
    samples,
  });
});
