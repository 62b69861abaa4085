/**
 * Sign-in to the console through a real OpenID provider (oidc-provider, its own process, on `localhost` while the
 * console is on 127.0.0.1, so the provider's redirect back is cross-site as in a deployment): the authorisation
 * code flow with PKCE, the session it gives, an account without a role refused, and a callback nobody started
 * refused. The console here runs as in production: no development sign-in.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { join } from 'node:path';
import type { Browser, BrowserContext } from 'playwright-core';
import { startSystem, type System } from '../support/system';
import { launchChromium, seriousViolations } from '../support/browser';
import { ifStarted } from '../support/teardown';

let sys: System;
let browser: Browser;
let provider: ChildProcess;
let base: string;
/** The console's port, bound at once and kept until the console listens on it, so nothing else can take it between. */
let reserved: Server;

async function reservePort(): Promise<Server> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

async function startProvider(env: Record<string, string>): Promise<string> {
  provider = spawn(process.execPath, [join(__dirname, '..', 'support', 'oidc-provider.mjs')], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let err = '';
    provider.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    provider.stdout!.on('data', (d: Buffer) => {
      const m = /ready (\S+)/.exec(d.toString());
      if (m) resolve(m[1]!);
    });
    provider.on('exit', (code) => {
      reject(new Error(`the OpenID provider exited (${code}): ${err}`));
    });
  });
}

beforeAll(async () => {
  reserved = await reservePort();
  base = `http://127.0.0.1:${(reserved.address() as AddressInfo).port}`;
  const client = {
    OIDC_CLIENT_ID: 'credit-console',
    OIDC_CLIENT_SECRET: 'a-test-secret-of-the-console',
    OIDC_REDIRECT_URI: `${base}/console/oidc/callback`,
  };
  // The provider picks its own port and names it in its issuer.
  const issuer = await startProvider(client);
  sys = await startSystem({
    withoutWorker: true,
    console: {
      devSignIn: false,
      oidc: {
        issuer,
        clientId: client.OIDC_CLIENT_ID,
        clientSecret: client.OIDC_CLIENT_SECRET,
        redirectUri: client.OIDC_REDIRECT_URI,
        allowHttp: true,
      },
    },
  });
  // The console's server takes over the reserved socket.
  await new Promise<void>((resolve) => sys.app.server.listen(reserved, resolve));
  browser = await launchChromium();
}, 120_000);
afterAll(async () => {
  await ifStarted(browser)?.close();
  const server = ifStarted(sys)?.app.server;
  if (server?.listening) await new Promise((resolve) => server.close(resolve));
  ifStarted(reserved)?.close();
  await ifStarted(sys)?.stop();
  ifStarted(provider)?.kill('SIGTERM');
});

async function context(): Promise<BrowserContext> {
  const c = await browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  // The provider's development login page imports a web font; this machine is offline, as an intranet is.
  await c.route(/fonts\.googleapis\.com/, (route) => route.abort());
  return c;
}

/** Signs in at the provider as `account`; answers the console page the browser ends on. */
async function signInAtProvider(c: BrowserContext, account: string) {
  const page = await c.newPage();
  const authorisations: URL[] = [];
  page.on('request', (r) => {
    if (r.url().includes('/auth?')) authorisations.push(new URL(r.url()));
  });
  await page.goto(`${base}/console`);
  expect(page.url()).toBe(`${base}/console/sign-in`);
  expect(await page.locator('#f-identity').count()).toBe(0);
  expect((await seriousViolations(page)).map((v) => v.id)).toEqual([]);
  await page.click('a:has-text("通过统一身份认证登录")');
  await page.waitForSelector('input[name=login]');
  expect(page.url()).toMatch(/^http:\/\/localhost:\d+\//);
  await page.fill('input[name=login]', account);
  await page.fill('input[name=password]', 'any');
  const back = page.waitForResponse((r) => r.url().startsWith(`${base}/console/oidc/callback`));
  await page.click('button[type=submit]');
  const callback = await back;
  return { page, callback, authorisation: authorisations[0] };
}

it('signs an officer in through the provider with the authorisation code and PKCE, and the session works for what follows', async () => {
  const c = await context();
  const { page, callback, authorisation } = await signInAtProvider(c, 'samr-officer');
  expect(callback.status()).toBe(200);
  expect(authorisation?.searchParams.get('code_challenge_method')).toBe('S256');
  expect(authorisation?.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/);
  expect(authorisation?.searchParams.get('response_type')).toBe('code');
  await page.waitForURL(`${base}/console`);
  await page.waitForSelector('h1:has-text("工作台")');
  expect(await page.textContent('header')).toContain('张掖市市场监督管理局 · 经办人员 samr-officer');
  const row = await sys.db.consoleSession.findFirst({ where: { via: 'oidc' }, orderBy: { createdAt: 'desc' } });
  expect(row?.claims).toEqual({ sub: 'samr-officer', role: 'officer', dept: 'ZY-SAMR' });
  // The transaction cookie is spent: the same callback again is refused.
  const replay = await page.goto(callback.url());
  expect(replay?.status()).toBe(400);
  expect(await page.textContent('main')).toContain('登录已超时或不是从本浏览器发起的');
  await c.close();
});

it('gives no session to an account the provider knows but the system gives no role', async () => {
  const c = await context();
  const { page, callback } = await signInAtProvider(c, 'visitor');
  expect(callback.status()).toBe(403);
  expect(await page.textContent('main')).toContain('您的账号尚未获授权使用本系统');
  await page.goto(`${base}/console`);
  expect(page.url()).toBe(`${base}/console/sign-in`);
  await c.close();
});

it('refuses a callback that no sign-in in this browser started', async () => {
  const c = await context();
  const page = await c.newPage();
  const r = await page.goto(`${base}/console/oidc/callback?code=forged&state=forged`);
  expect(r?.status()).toBe(400);
  expect(await page.textContent('main')).toContain('请重新登录');
  await c.close();
});
