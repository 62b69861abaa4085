/**
 * `npm run bench`: every bench/*.bench.ts, one after the other, each in its own process (so one
 * benchmark's servers and heap never colour the next one's figures). Exits non-zero when a benchmark
 * fails; Ctrl-C reaches the running benchmark, which stops what it started, and no further benchmark starts.
 *
 * Options (after `npm run bench --`):
 *   --only a,b             run only these benchmarks (file names without .bench.ts: api-floor, audit, case-memory,
 *                          cold-actions, console, dashboard, deadlines, flowable, history-size, open-cases, reads,
 *                          throughput, upload, workbench, worker-start, exchange)
 *   --skip a,b             run all but these
 *   --<bench>.<option> v   passes `--<option> v` to that benchmark only, e.g. `--open-cases.fill-minutes 10`
 *                          or `--throughput.seconds 5`, `--workbench.open-cases 10000,100000`
 *   --<option> v           any other option is passed to every benchmark (each refuses options it does not know)
 *
 * The slowest is open-cases (its fill runs up to --fill-minutes, 30 by default, and accumulates across runs).
 * Optional benchmarks (OPTIONAL) need tools beyond Node and are skipped, with the reason, when these are missing.
 */
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../scripts/lib/paths';
import { missingJavaToolchain } from './peers/flowable/toolchain';

/** Benchmarks that need more than Node: why each cannot run here, or null when it can. */
const OPTIONAL: Record<string, () => string | null> = {
  flowable: missingJavaToolchain,
};

interface Parsed {
  only: string[] | null;
  skip: string[];
  /** Per benchmark name: its own argv. */
  scoped: Map<string, string[]>;
  common: string[];
}

function parse(argv: string[], names: string[]): Parsed {
  const out: Parsed = { only: null, skip: [], scoped: new Map(), common: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--')) throw new Error(`unexpected argument ${a}`);
    const eq = a.indexOf('=');
    const key = a.slice(2, eq > 0 ? eq : undefined);
    let value: string | undefined = eq > 0 ? a.slice(eq + 1) : undefined;
    if (value === undefined && argv[i + 1] !== undefined && !argv[i + 1]!.startsWith('--')) value = argv[++i]!;
    const list = () => {
      if (!value) throw new Error(`--${key} needs a comma-separated list of benchmarks`);
      const xs = value.split(',').map((x) => x.trim());
      for (const x of xs) if (!names.includes(x)) throw new Error(`no benchmark ${x} (there are: ${names.join(', ')})`);
      return xs;
    };
    if (key === 'only') out.only = list();
    else if (key === 'skip') out.skip = list();
    else {
      const dot = key.indexOf('.');
      const bench = dot > 0 ? key.slice(0, dot) : '';
      const args = [`--${dot > 0 && names.includes(bench) ? key.slice(dot + 1) : key}`, ...(value !== undefined ? [value] : [])];
      if (dot > 0 && names.includes(bench)) out.scoped.set(bench, [...(out.scoped.get(bench) ?? []), ...args]);
      else out.common.push(...args);
    }
  }
  return out;
}

async function main(): Promise<number> {
  const dir = join(projectRoot(), 'bench');
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.bench.ts'))
    .sort();
  const names = files.map((f) => f.replace(/\.bench\.ts$/, ''));
  const opts = parse(process.argv.slice(2), names);
  const chosen = files.filter((_, i) => (opts.only ? opts.only.includes(names[i]!) : true) && !opts.skip.includes(names[i]!));
  const tsx = join(projectRoot(), 'node_modules', '.bin', 'tsx');
  const interrupted = new AbortController();
  // The child is in our process group and gets Ctrl-C itself; we only wait for it to finish.
  process.on('SIGINT', () => {
    interrupted.abort();
  });
  process.on('SIGTERM', () => {
    interrupted.abort();
  });
  const failed: string[] = [];
  const skipped: string[] = [];
  for (const f of chosen) {
    if (interrupted.signal.aborted) break;
    const name = f.replace(/\.bench\.ts$/, '');
    const unavailable = OPTIONAL[name]?.();
    if (unavailable) {
      process.stderr.write(`\n[bench] ${f} skipped: ${unavailable}\n`);
      skipped.push(name);
      continue;
    }
    const argv = [...opts.common, ...(opts.scoped.get(name) ?? [])];
    process.stderr.write(`\n[bench] ${f}${argv.length ? ` ${argv.join(' ')}` : ''}\n`);
    const code = await new Promise<number>((resolve) => {
      const child = spawn(tsx, [join(dir, f), ...argv], { stdio: 'inherit', cwd: projectRoot() });
      child.on('exit', (c, signal) => {
        resolve(c ?? (signal ? 130 : 1));
      });
      child.on('error', () => {
        resolve(1);
      });
    });
    if (code !== 0) failed.push(`${f} (exit ${code})`);
  }
  process.stderr.write(
    failed.length
      ? `\n[bench] failed: ${failed.join(', ')}\n`
      : `\n[bench] ${chosen.length - skipped.length} benchmark(s) done${skipped.length ? `, skipped: ${skipped.join(', ')}` : ''}\n`,
  );
  return interrupted.signal.aborted ? 130 : failed.length ? 1 : 0;
}

void main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`[bench] ${(err as Error).message}\n`);
    process.exit(2);
  },
);
