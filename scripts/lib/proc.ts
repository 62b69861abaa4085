// Small process and network helpers shared by the modules in scripts/lib (node built-ins only).
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect, createServer, type Server } from 'node:net';
import { join } from 'node:path';

export interface RunResult {
  stdout: string;
  stderr: string;
  code: number;
}

/** Runs a command to completion; resolves with its exit code (rejects only when it cannot be spawned). */
export function run(cmd: string, args: string[], opts: { input?: string; env?: NodeJS.ProcessEnv; cwd?: string } = {}): Promise<RunResult> {
  return new Promise((resolvePromise, reject) => {
    const child = execFile(
      cmd,
      args,
      { env: opts.env ?? process.env, cwd: opts.cwd, maxBuffer: 64 * 1024 * 1024 },
      (err, stdout, stderr) => {
        if (!err) {
          resolvePromise({ stdout, stderr, code: 0 });
          return;
        }
        // A string code is ENOENT and the like: the command could not run at all. A number is its exit code.
        if (typeof err.code === 'string') {
          const cannotRun: Error = err;
          reject(cannotRun);
          return;
        }
        resolvePromise({ stdout, stderr, code: err.code ?? 1 });
      },
    );
    if (opts.input !== undefined) child.stdin?.end(opts.input);
  });
}

/** Like run(), but throws with the command's stderr when it exits non-zero. */
export async function runOk(
  cmd: string,
  args: string[],
  opts: { input?: string; env?: NodeJS.ProcessEnv; cwd?: string } = {},
): Promise<string> {
  const r = await run(cmd, args, opts);
  if (r.code !== 0) throw new Error(`${cmd} ${args.join(' ')} exited with ${r.code}\n${r.stderr || r.stdout}`);
  return r.stdout;
}

export const isRoot = (): boolean => typeof process.getuid === 'function' && process.getuid() === 0;

/** Full path of an executable on PATH, or undefined. */
export function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(':')) {
    if (dir && existsSync(join(dir, name))) return join(dir, name);
  }
  return undefined;
}

/** A TCP port free on 127.0.0.1 right now (the OS picks it). */
export async function freePort(): Promise<number> {
  const [port] = await freePorts(1);
  if (port === undefined) throw new Error('no port');
  return port;
}

/**
 * `count` TCP ports free on 127.0.0.1 right now, all different and none of `taken`. Each is held while the others are
 * picked: a port asked for alone, closed, and asked for again can come back the same (a dev server once got its
 * frontend and its UI on one port, and failed to start).
 */
export async function freePorts(count: number, taken: number[] = []): Promise<number[]> {
  const held: Server[] = [];
  const ports: number[] = [];
  try {
    // Bounded: a port the OS hands out that is in `taken` is held too, so it cannot come back.
    while (ports.length < count && held.length < count + taken.length + 16) {
      const srv = createServer();
      srv.unref();
      held.push(srv);
      const port = await new Promise<number>((resolvePromise, reject) => {
        srv.on('error', reject);
        srv.listen(0, '127.0.0.1', () => {
          const addr = srv.address();
          if (addr && typeof addr === 'object') resolvePromise(addr.port);
          else reject(new Error('no port'));
        });
      });
      if (!taken.includes(port)) ports.push(port);
    }
  } finally {
    await Promise.all(
      held.map(
        (srv) =>
          new Promise<void>((r) => {
            srv.close(() => {
              r();
            });
          }),
      ),
    );
  }
  if (ports.length < count) throw new Error(`could not find ${count} free ports`);
  return ports;
}

/** True when something accepts TCP connections on 127.0.0.1:port. */
export function tcpOpen(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolvePromise) => {
    const sock = connect({ port, host });
    const done = (ok: boolean): void => {
      sock.destroy();
      resolvePromise(ok);
    };
    sock.setTimeout(1000, () => {
      done(false);
    });
    sock.once('connect', () => {
      done(true);
    });
    sock.once('error', () => {
      done(false);
    });
  });
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Elapsed seconds since `t0` (from Date.now()), for progress messages. */
export const secondsSince = (t0: number): string => `${((Date.now() - t0) / 1000).toFixed(1)}s`;

/** Whether a process of that id is still there (signal 0 checks without sending anything). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
