// A private Postgres cluster for development and tests: our own initdb folder, our own port,
// listening on 127.0.0.1 only. Nothing here touches a system-wide cluster.
//
// Running as root (CI, these machines): initdb and postgres refuse to run as root, so the
// cluster folder is owned by the `postgres` OS user and every server binary runs through
// `runuser -u postgres --` (or `su postgres` where runuser is missing). As a normal user
// the binaries run directly and the folder is the user's own.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { log } from './paths';
import { freePort, isRoot, onPath, run, runOk } from './proc';

const SCOPE = 'postgres';
const PG_OS_USER = 'postgres';
/** The application role: owns the database, not a superuser. Local-only cluster, so a fixed password. */
const APP_ROLE = 'app';
const APP_PASSWORD = 'app';
/** Our settings live in a file of their own, included from postgresql.conf, so a restart reuses the port. */
const OUR_CONF = 'sc-cases.conf';

export interface LocalPostgres {
  /** Connects as the application role `app` (owner of the database, not superuser). */
  url: string;
  /** Connects as the superuser `postgres`, for tests that tamper behind the app's back. */
  superuserUrl: string;
  port: number;
  /** The folder actually holding the cluster (differs from opts.dataDir only when that is out of the postgres user's reach). */
  clusterDir: string;
  /** True when a postmaster was already running on that folder and we attached to it. */
  reused: boolean;
  /** `pg_ctl stop -m fast` (also when the server was reused). */
  stop(): Promise<void>;
}

/** Runs a Postgres binary as the right OS user: `postgres` when we are root, ourselves otherwise. */
function asPgUser(bin: string, args: string[]): [string, string[]] {
  if (!isRoot()) return [bin, args];
  const runuser = onPath('runuser');
  if (runuser) return [runuser, ['-u', PG_OS_USER, '--', bin, ...args]];
  const quoted = [bin, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  return ['su', [PG_OS_USER, '-s', '/bin/sh', '-c', quoted]];
}

/** run() through asPgUser(), from `/`: our own working folder may be out of the postgres user's reach. */
function runAsPg(bin: string, args: string[]): ReturnType<typeof run> {
  const [cmd, argv] = asPgUser(bin, args);
  return run(cmd, argv, { cwd: '/' });
}

async function runAsPgOk(bin: string, args: string[]): Promise<void> {
  const r = await runAsPg(bin, args);
  if (r.code !== 0) throw new Error(`${bin} ${args.join(' ')} exited with ${r.code}\n${r.stderr || r.stdout}`);
}

/**
 * The folder with pg_ctl, initdb, postgres and psql, or undefined.
 * Order: $PG_BIN, the newest /usr/lib/postgresql/<major>/bin (Debian's layout), pg_ctl on PATH.
 */
export function findPostgresBin(): string | undefined {
  const has = (dir: string): boolean => ['pg_ctl', 'initdb', 'postgres', 'psql'].every((b) => existsSync(join(dir, b)));
  if (process.env.PG_BIN) {
    if (!has(process.env.PG_BIN)) throw new Error(`PG_BIN=${process.env.PG_BIN} lacks pg_ctl/initdb/postgres/psql`);
    return process.env.PG_BIN;
  }
  const debian = '/usr/lib/postgresql';
  if (existsSync(debian)) {
    const majors = readdirSync(debian)
      .filter((v) => /^\d+$/.test(v) && has(join(debian, v, 'bin')))
      .sort((a, b) => Number(b) - Number(a));
    if (majors[0]) return join(debian, majors[0], 'bin');
  }
  const pgCtl = onPath('pg_ctl');
  if (pgCtl) {
    // Follow symlinks (e.g. /usr/local/bin/pg_ctl -> /usr/lib/postgresql/15/bin/pg_ctl) to find its siblings.
    const dir = dirname(realpathSync(pgCtl));
    if (has(dir)) return dir;
  }
  return undefined;
}

/**
 * Returns the Postgres bin folder, installing Debian's `postgresql` package when it is missing
 * and we are root with apt-get; otherwise throws saying what to do.
 */
export async function ensurePostgresInstalled(): Promise<string> {
  const found = findPostgresBin();
  if (found) return found;
  if (!isRoot() || !onPath('apt-get')) {
    throw new Error(
      'PostgreSQL server binaries not found (looked at $PG_BIN, /usr/lib/postgresql/*/bin, pg_ctl on PATH). ' +
        'Install them (Debian/Ubuntu: `sudo apt-get install -y postgresql`) or set PG_BIN to the folder holding pg_ctl.',
    );
  }
  log(SCOPE, 'server binaries missing: apt-get install -y postgresql');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update'], ['install', '-y', '--no-install-recommends', 'postgresql']]) {
    const r = await run('apt-get', args, { env });
    if (r.code !== 0) throw new Error(`apt-get ${args.join(' ')} failed (${r.code}):\n${r.stderr}`);
  }
  const after = findPostgresBin();
  if (!after) throw new Error('apt-get installed postgresql but no server binaries were found afterwards');
  return after;
}

/**
 * Where the cluster really lives. As root, the postgres user must be able to reach the folder; a
 * clone under /root (mode 700) is out of its reach, so then the cluster goes to
 * /var/tmp/sc-cases-postgres/<name>-<hash of the requested path> (world-traversable, survives reboots).
 */
async function resolveClusterDir(requested: string): Promise<string> {
  const dir = resolve(requested);
  if (!isRoot()) return dir;
  const parent = dirname(dir);
  mkdirSync(parent, { recursive: true });
  if ((await runAsPg('/bin/sh', ['-c', 'test -x "$0"', parent])).code === 0) return dir;
  const hash = createHash('sha256').update(dir).digest('hex').slice(0, 12);
  const alt = join('/var/tmp/sc-cases-postgres', `${basename(dir)}-${hash}`);
  log(SCOPE, `${parent} is not traversable by the ${PG_OS_USER} user; the cluster for ${dir} lives in ${alt}`);
  return alt;
}

/** Unix sockets have a ~107-byte path limit; a deep checkout would exceed it, so fall back to a short folder. */
function socketDirFor(clusterDir: string): string {
  if (join(clusterDir, '.s.PGSQL.65535.lock').length <= 100) return clusterDir;
  const hash = createHash('sha256').update(clusterDir).digest('hex').slice(0, 12);
  return `/tmp/sc-pg-${hash}`;
}

function readOurPort(clusterDir: string): number | undefined {
  const file = join(clusterDir, OUR_CONF);
  if (!existsSync(file)) return undefined;
  const m = /^port\s*=\s*(\d+)/m.exec(readFileSync(file, 'utf8'));
  return m?.[1] ? Number(m[1]) : undefined;
}

function writeOurConf(clusterDir: string, port: number, socketDir: string): void {
  writeFileSync(
    join(clusterDir, OUR_CONF),
    [
      '# Written by scripts/lib/postgres.ts on every start; postgresql.conf includes it.',
      "listen_addresses = '127.0.0.1'",
      `port = ${port}`,
      `unix_socket_directories = '${socketDir}'`,
      '',
    ].join('\n'),
  );
}

/** Reads the port of a running postmaster from postmaster.pid (line 4). */
function runningPort(clusterDir: string): number | undefined {
  const pidFile = join(clusterDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return undefined;
  const port = Number(readFileSync(pidFile, 'utf8').split('\n')[3]);
  return Number.isInteger(port) && port > 0 ? port : undefined;
}

async function chownToPgUser(path: string): Promise<void> {
  if (isRoot()) await runOk('chown', ['-R', `${PG_OS_USER}:`, path]);
}

/**
 * Starts (or attaches to) a cluster in opts.dataDir, creating it, the role `app` and
 * opts.database as needed. Without opts.port a free port is picked on first start and kept
 * in the cluster's config, so later starts reuse it.
 */
export async function startLocalPostgres(opts: { dataDir: string; port?: number; database: string }): Promise<LocalPostgres> {
  const bin = await ensurePostgresInstalled();
  const pgCtl = join(bin, 'pg_ctl');
  const clusterDir = await resolveClusterDir(opts.dataDir);
  const socketDir = socketDirFor(clusterDir);

  // 1. A cluster: initdb into an empty folder owned by the user that will run the server.
  if (!existsSync(join(clusterDir, 'PG_VERSION'))) {
    // Parents with default modes (the postgres user must traverse them), the cluster itself 0700.
    mkdirSync(dirname(clusterDir), { recursive: true });
    mkdirSync(clusterDir, { recursive: true, mode: 0o700 });
    await chownToPgUser(clusterDir);
    log(SCOPE, `initdb ${clusterDir}`);
    await runAsPgOk(join(bin, 'initdb'), [
      '-D',
      clusterDir,
      '-U',
      'postgres',
      '--auth=trust',
      '--encoding=UTF8',
      '--locale=C',
      '--no-instructions',
    ]);
    const conf = join(clusterDir, 'postgresql.conf');
    writeFileSync(conf, readFileSync(conf, 'utf8') + `\ninclude_if_exists = '${OUR_CONF}'\n`);
  }

  // 2. Running already? Attach. Otherwise write our settings and start.
  let port: number;
  let reused = false;
  const running = (await runAsPg(pgCtl, ['status', '-D', clusterDir])).code === 0 ? runningPort(clusterDir) : undefined;
  if (running !== undefined) {
    port = running;
    if (opts.port !== undefined && opts.port !== port) {
      throw new Error(`Postgres in ${clusterDir} already runs on port ${port}, not ${opts.port}: stop it first`);
    }
    reused = true;
    log(SCOPE, `reusing the server already running on ${clusterDir} (port ${port})`);
  } else {
    port = opts.port ?? readOurPort(clusterDir) ?? (await freePort());
    mkdirSync(socketDir, { recursive: true, mode: 0o700 });
    writeOurConf(clusterDir, port, socketDir);
    await chownToPgUser(socketDir);
    await chownToPgUser(join(clusterDir, OUR_CONF));
    log(SCOPE, `starting on 127.0.0.1:${port} (${clusterDir})`);
    // -w waits until the server accepts connections; pg_ctl detaches the postmaster (own session, stdio to the log).
    const r = await runAsPg(pgCtl, ['start', '-D', clusterDir, '-w', '-t', '60', '-s', '-l', join(clusterDir, 'server.log')]);
    if (r.code !== 0) {
      const tail = existsSync(join(clusterDir, 'server.log'))
        ? readFileSync(join(clusterDir, 'server.log'), 'utf8').split('\n').slice(-20).join('\n')
        : '';
      throw new Error(`pg_ctl start failed (${r.code}): ${r.stderr}\n${tail}`);
    }
  }

  // 3. The application role and database (idempotent). psql interpolates :'db' / :"db" from -v in scripts read from stdin.
  const sql = `
SELECT format('CREATE ROLE %I LOGIN NOSUPERUSER NOCREATEROLE PASSWORD %L', :'role', :'pw')
  WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'role') \\gexec
SELECT format('CREATE DATABASE %I OWNER %I', :'db', :'role')
  WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'db') \\gexec
ALTER DATABASE :"db" OWNER TO :"role";
`;
  await runOk(
    join(bin, 'psql'),
    [
      '-X',
      '-q',
      '-v',
      'ON_ERROR_STOP=1',
      '-h',
      '127.0.0.1',
      '-p',
      String(port),
      '-U',
      'postgres',
      '-d',
      'postgres',
      '-v',
      `db=${opts.database}`,
      '-v',
      `role=${APP_ROLE}`,
      '-v',
      `pw=${APP_PASSWORD}`,
    ],
    { input: sql },
  );

  const db = encodeURIComponent(opts.database);
  return {
    url: `postgresql://${APP_ROLE}:${APP_PASSWORD}@127.0.0.1:${port}/${db}`,
    superuserUrl: `postgresql://postgres@127.0.0.1:${port}/${db}`,
    port,
    clusterDir,
    reused,
    async stop(): Promise<void> {
      log(SCOPE, `stopping ${clusterDir}`);
      const r = await runAsPg(pgCtl, ['stop', '-D', clusterDir, '-m', 'fast', '-w', '-s']);
      if (r.code !== 0 && !/not running|No such file|Is server running/i.test(r.stderr)) {
        throw new Error(`pg_ctl stop failed (${r.code}): ${r.stderr}`);
      }
    },
  };
}
