/**
 * `npm run test:keycloak`: the console's sign-in and the API's provider tokens against a real Keycloak, configured by
 * the README's recipe (scripts/keycloak/recipe.sh). Not part of `npm test` or CI: the distribution is 160 MB.
 *
 * Downloads org.keycloak:keycloak-quarkus-dist (KEYCLOAK_VERSION, 26.5.6 by default) from Maven Central into
 * ~/.cache/sc-cases once, checked against Maven's SHA-1; starts it in development mode on free ports with a fresh
 * database (Java 17 or later: JAVA_HOME, else the newest JDK in /usr/lib/jvm); runs the recipe with its admin CLI; then
 * runs test/keycloak/*.keycloak.ts (Jest, Chromium) against it, and stops it. KEYCLOAK_URL (with
 * KEYCLOAK_ADMIN_PASSWORD) uses a Keycloak that runs already instead: the recipe then makes a realm of its own.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, readdirSync, readFileSync, renameSync, rmSync, mkdirSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { homedir } from 'node:os';
import { join } from 'node:path';

const VERSION = process.env.KEYCLOAK_VERSION ?? '26.5.6';
const CACHE = join(homedir(), '.cache', 'sc-cases');
const ROOT = join(__dirname, '..');
const MAVEN = `https://repo1.maven.org/maven2/org/keycloak/keycloak-quarkus-dist/${VERSION}/keycloak-quarkus-dist-${VERSION}.zip`;

function say(line: string): void {
  console.log(`[keycloak] ${line}`);
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function download(): Promise<string> {
  const zip = join(CACHE, `keycloak-${VERSION}.zip`);
  if (existsSync(zip)) return zip;
  mkdirSync(CACHE, { recursive: true });
  say(`downloading ${MAVEN}`);
  const expected = (await (await fetch(`${MAVEN}.sha1`)).text()).trim().slice(0, 40);
  const res = await fetch(MAVEN);
  if (!res.ok || !res.body) throw new Error(`${MAVEN} answered ${res.status}`);
  const part = `${zip}.part`;
  const hash = createHash('sha1');
  const out = createWriteStream(part);
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    hash.update(chunk);
    if (!out.write(chunk))
      await new Promise<void>((resolve) =>
        out.once('drain', () => {
          resolve();
        }),
      );
  }
  await new Promise<void>((resolve) =>
    out.end(() => {
      resolve();
    }),
  );
  const got = hash.digest('hex');
  if (got !== expected) throw new Error(`the download's SHA-1 is ${got}, Maven Central says ${expected}`);
  renameSync(part, zip);
  return zip;
}

function unpacked(zip: string): string {
  const dir = join(CACHE, `keycloak-${VERSION}`);
  if (!existsSync(join(dir, 'bin', 'kc.sh'))) {
    say(`unpacking into ${CACHE}`);
    const r = spawnSync('unzip', ['-q', '-o', zip, '-d', CACHE], { stdio: 'inherit' });
    if (r.status !== 0) throw new Error('unzip failed (is it installed?)');
  }
  return dir;
}

function javaMajor(home: string): number {
  const r = spawnSync(join(home, 'bin', 'java'), ['-version'], { encoding: 'utf8' });
  const m = /version "(\d+)/.exec(`${r.stderr}${r.stdout}`);
  return m ? Number(m[1]) : 0;
}

/** JAVA_HOME when it is 17 or later, else the newest JDK of 17 or later in /usr/lib/jvm. */
function javaHome(): string {
  const given = process.env.JAVA_HOME;
  if (given && javaMajor(given) >= 17) return given;
  const jvms = existsSync('/usr/lib/jvm') ? readdirSync('/usr/lib/jvm').map((d) => join('/usr/lib/jvm', d)) : [];
  const best = jvms
    .filter((d) => existsSync(join(d, 'bin', 'java')))
    .map((d) => ({ d, v: javaMajor(d) }))
    .sort((a, b) => b.v - a.v)[0];
  if (!best || best.v < 17) throw new Error('Keycloak 26 needs Java 17 or later: set JAVA_HOME');
  return best.d;
}

async function ready(url: string, kc: ChildProcess | null, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (kc && kc.exitCode !== null) throw new Error(`Keycloak exited (${kc.exitCode}); see its log`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`Keycloak was not ready after ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv): number {
  return spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, ...env }, cwd: ROOT }).status ?? 1;
}

async function main(): Promise<number> {
  const secrets = {
    KC_ADMIN_PASSWORD: process.env.KEYCLOAK_ADMIN_PASSWORD ?? randomBytes(12).toString('base64url'),
    CONSOLE_CLIENT_SECRET: randomBytes(24).toString('base64url'),
    SYSTEM_CLIENT_SECRET: randomBytes(24).toString('base64url'),
    USER_PASSWORD: `Zy-${randomBytes(9).toString('base64url')}`,
  };
  const java = javaHome();
  let kc: ChildProcess | null = null;
  let kcUrl = process.env.KEYCLOAK_URL;
  let kcadm: string;
  const realm = kcUrl ? `zhangye-${randomBytes(4).toString('hex')}` : 'zhangye';
  try {
    const dir = unpacked(await download());
    kcadm = join(dir, 'bin', 'kcadm.sh');
    if (!kcUrl) {
      const [http, management] = [await freePort(), await freePort()];
      kcUrl = `http://localhost:${http}`;
      // A fresh database each run (development mode keeps H2 files under data/).
      rmSync(join(dir, 'data'), { recursive: true, force: true });
      const log = join(CACHE, `keycloak-${VERSION}.log`);
      say(`starting Keycloak ${VERSION} on ${kcUrl} with Java ${javaMajor(java)} (${java}); log ${log}`);
      kc = spawn(join(dir, 'bin', 'kc.sh'), ['start-dev', `--http-port=${http}`, `--http-management-port=${management}`], {
        env: {
          ...process.env,
          JAVA_HOME: java,
          KC_BOOTSTRAP_ADMIN_USERNAME: 'admin',
          KC_BOOTSTRAP_ADMIN_PASSWORD: secrets.KC_ADMIN_PASSWORD,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true,
      });
      const out = createWriteStream(log);
      kc.stdout?.pipe(out);
      kc.stderr?.pipe(out);
      const started = Date.now();
      await ready(`${kcUrl}/realms/master/.well-known/openid-configuration`, kc, 300_000);
      say(`ready after ${Math.round((Date.now() - started) / 1000)} s`);
    }
    const consolePort = await freePort();
    const consoleUrl = `http://127.0.0.1:${consolePort}`;
    say(`configuring realm ${realm} with scripts/keycloak/recipe.sh`);
    const recipe = run('bash', [join(ROOT, 'scripts', 'keycloak', 'recipe.sh')], {
      ...secrets,
      JAVA_HOME: java,
      KCADM: kcadm,
      KCADM_CONFIG: join(CACHE, `kcadm-${process.pid}.config`),
      KC_URL: kcUrl,
      REALM: realm,
      CONSOLE_URL: consoleUrl,
    });
    rmSync(join(CACHE, `kcadm-${process.pid}.config`), { force: true });
    if (recipe !== 0) throw new Error(`the recipe failed (${recipe})`);
    say('signing in through Keycloak (Jest, Chromium)');
    return run('npx', ['jest', '--runInBand', '--testMatch', '**/test/keycloak/*.keycloak.ts'], {
      KEYCLOAK_ISSUER: `${kcUrl}/realms/${realm}`,
      KEYCLOAK_CONSOLE_PORT: String(consolePort),
      KEYCLOAK_CONSOLE_CLIENT_SECRET: secrets.CONSOLE_CLIENT_SECRET,
      KEYCLOAK_SYSTEM_CLIENT_SECRET: secrets.SYSTEM_CLIENT_SECRET,
      KEYCLOAK_USER_PASSWORD: secrets.USER_PASSWORD,
    });
  } finally {
    if (kc?.pid) {
      say('stopping Keycloak');
      process.kill(-kc.pid, 'SIGTERM');
    }
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`[keycloak] ${(err as Error).message}`);
    const log = join(CACHE, `keycloak-${VERSION}.log`);
    if (existsSync(log)) console.error(readFileSync(log, 'utf8').split('\n').slice(-30).join('\n'));
    process.exit(1);
  },
);
