/**
 * `npm run bench`: every bench/*.bench.ts, one after the other, each in its own process (so one
 * benchmark's servers and heap never colour the next one's figures). Arguments are passed to each.
 * Exits non-zero when a benchmark fails; Ctrl-C reaches the running benchmark, which stops what it
 * started, and no further benchmark starts.
 */
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../scripts/lib/paths';

async function main(): Promise<number> {
  const dir = join(projectRoot(), 'bench');
  const files = readdirSync(dir).filter((f) => f.endsWith('.bench.ts')).sort();
  const tsx = join(projectRoot(), 'node_modules', '.bin', 'tsx');
  let interrupted = false;
  // The child is in our process group and gets Ctrl-C itself; we only wait for it to finish.
  process.on('SIGINT', () => (interrupted = true));
  process.on('SIGTERM', () => (interrupted = true));
  const failed: string[] = [];
  for (const f of files) {
    if (interrupted) break;
    process.stderr.write(`\n[bench] ${f}\n`);
    const code = await new Promise<number>((resolve) => {
      const child = spawn(tsx, [join(dir, f), ...process.argv.slice(2)], { stdio: 'inherit', cwd: projectRoot() });
      child.on('exit', (c, signal) => resolve(c ?? (signal ? 130 : 1)));
      child.on('error', () => resolve(1));
    });
    if (code !== 0) failed.push(`${f} (exit ${code})`);
  }
  process.stderr.write(failed.length ? `\n[bench] failed: ${failed.join(', ')}\n` : `\n[bench] ${files.length} benchmark(s) done\n`);
  return interrupted ? 130 : failed.length ? 1 : 0;
}

void main().then((code) => process.exit(code));
