/**
 * Sign-in to the console through a real OpenID provider (oidc-provider, its own process, on `localhost` while the
 * console is on 127.0.0.1, so the provider's redirect back is cross-site as in a deployment): the authorisation
 * code flow with PKCE, the session it gives with the provider's display name (shown, and audited beside the id),
 * signing out there too (RP-initiated logout), an account without a role refused with the offer to sign in as someone
 * else, a callback nobody started refused, and a refusal's cause in the app's log without the code.
 * The console here runs as in production: no development sign-in.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import pino from 'pino';
import { startSystem, type System } from '../support/system';
import { launchChromium, seriousViolations } from '../support/browser';
import { ifStarted } from '../support/teardown';

let sys: System;
let browser: Browser;
let provider: ChildProcess;
let base: string;
/** The console's port, bound at once and kept until the console listens on it, so nothing else can take it between. */
let reserved: Server;
/** The API's log lines (pino's JSON), as a deployment's log would have them. */
const logLines: string[] = [];
const logged = () => logLines.map((l) => JSON.parse(l) as Record<string, unknown>);

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
    OIDC_POST_LOGOUT_REDIRECT_URI: `${base}/console/sign-in`,
  };
  // The provider picks its own port and names it in its issuer.
  const issuer = await startProvider(client);
  sys = await startSystem({
    withoutWorker: true,
    logger: pino({ level: 'info' }, { write: (line: string) => void logLines.push(line) }),
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

/** Goes from the console's sign-in page to the provider's login form. */
async function toProvider(page: Page) {
  await page.click('a:has-text("通过统一身份认证登录")');
  await page.waitForSelector('input[name=login]');
  expect(page.url()).toMatch(/^http:\/\/localhost:\d+\//);
}

/** Signs in at the provider's login form as `account`; answers the console's callback. */
async function loginAt(page: Page, account: string) {
  await page.fill('input[name=login]', account);
  await page.fill('input[name=password]', 'any');
  const back = page.waitForResponse((r) => r.url().startsWith(`${base}/console/oidc/callback`));
  await page.click('button[type=submit]');
  return back;
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
  await toProvider(page);
  const callback = await loginAt(page, account);
  return { page, callback, authorisation: authorisations[0] };
}

/** Confirms the sign-out on the provider's own page; answers the page the provider sends the browser back to. */
async function confirmSignOutAtProvider(page: Page) {
  await page.waitForURL(/^http:\/\/localhost:\d+\/session\/end/);
  await page.click('button:has-text("Yes, sign me out")');
  await page.waitForURL(`${base}/console/sign-in?state=signed-out`);
}

it('signs an officer in through the provider with the authorisation code and PKCE, shows and audits their name, and signs out there too', async () => {
  const c = await context();
  const { page, callback, authorisation } = await signInAtProvider(c, 'samr-officer');
  expect(callback.status()).toBe(200);
  expect(authorisation?.searchParams.get('code_challenge_method')).toBe('S256');
  expect(authorisation?.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/);
  expect(authorisation?.searchParams.get('response_type')).toBe('code');
  await page.waitForURL(`${base}/console`);
  await page.waitForSelector('h1:has-text("工作台")');
  // The provider's display name, not its account id.
  expect(await page.textContent('header')).toContain('张掖市市场监督管理局 · 经办人员 王晓明');
  const row = await sys.db.consoleSession.findFirst({ where: { via: 'oidc' }, orderBy: { createdAt: 'desc' } });
  expect(row?.claims).toEqual({ sub: 'samr-officer', role: 'officer', dept: 'ZY-SAMR', name: '王晓明' });
  expect(row?.idToken).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
  await page.screenshot({ path: '.data/screenshots/oidc-workbench-name.png' });

  // What the officer reads through the console is audited with the name beside the stable id.
  await page.goto(`${base}/console/records/review`);
  const read = await sys.db.auditEntry.findFirst({
    where: { actor: 'samr-officer', action: 'records.pending_review.read' },
    orderBy: { id: 'desc' },
  });
  expect(read).toMatchObject({ actor: 'samr-officer', actorName: '王晓明' });

  // The code went to the console's callback and nowhere into the log (the request log shows the query redacted).
  const code = new URL(callback.url()).searchParams.get('code');
  expect(code).toBeTruthy();
  expect(logLines.filter((l) => l.includes(code!))).toEqual([]);
  const callbackLine = logged().find((l) => (l.req as { url?: string } | undefined)?.url?.startsWith('/console/oidc/callback?'));
  expect((callbackLine?.req as { url: string }).url).toMatch(/code=%5Bredacted%5D/);

  // The transaction cookie is spent: the same callback again is refused.
  const replay = await page.goto(callback.url());
  expect(replay?.status()).toBe(400);
  expect(await page.textContent('main')).toContain('登录已超时或不是从本浏览器发起的');

  // Signing out ends the provider's session too, and the provider sends the browser back to the sign-in page.
  await page.goto(`${base}/console`);
  const signOut = page.waitForRequest((r) => r.url().includes('/session/end'));
  await page.click('button:has-text("退出")');
  const endSession = new URL((await signOut).url());
  expect(endSession.searchParams.get('id_token_hint')).toBe(row?.idToken);
  expect(endSession.searchParams.get('post_logout_redirect_uri')).toBe(`${base}/console/sign-in`);
  await confirmSignOutAtProvider(page);
  expect(await page.textContent('main')).toContain('您已退出登录，统一身份认证的登录也已退出');
  expect((await sys.db.consoleSession.findUnique({ where: { idHash: row!.idHash } }))?.endedAt).not.toBeNull();
  // Signing in again asks the provider for an account again: its session has ended.
  await toProvider(page);
  await c.close();
});

it('shows the username when the provider gives no name', async () => {
  const c = await context();
  const { page } = await signInAtProvider(c, 'tax-officer');
  await page.waitForURL(`${base}/console`);
  expect(await page.textContent('header')).toContain('经办人员 zhao.tax');
  await c.close();
});

it('gives no session to an account the provider knows but the system gives no role, and offers to sign in as someone else', async () => {
  const c = await context();
  const { page, callback } = await signInAtProvider(c, 'visitor');
  expect(callback.status()).toBe(403);
  expect(await page.textContent('main')).toContain('您的账号尚未获授权使用本系统');
  expect((await seriousViolations(page)).map((v) => v.id)).toEqual([]);
  await page.screenshot({ path: '.data/screenshots/oidc-refused-other-account.png' });
  // Someone else at this desk: the refused account is signed out at the provider first, so the next sign-in asks.
  await page.click('button:has-text("以其他账号登录")');
  await confirmSignOutAtProvider(page);
  await toProvider(page);
  await loginAt(page, 'drc-supervisor');
  // A supervisor's start page.
  await page.waitForURL(`${base}/console/supervise/approvals`);
  expect(await page.textContent('header')).toContain('审核人员 李审核');
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

it('logs why the provider refused (its error and error_description), never the code', async () => {
  const refusals = () => logged().filter((l) => l.msg === 'OpenID sign-in refused');
  const c = await context();
  const page = await c.newPage();
  await page.goto(`${base}/console/sign-in`);

  // The user cancels at the provider: it sends back error=access_denied.
  await toProvider(page);
  const before = refusals().length;
  await page.click('a:has-text("[ Cancel ]")');
  await page.waitForURL(/\/console\/oidc\/callback\?error=access_denied/);
  expect(await page.textContent('main')).toContain('统一身份认证未能确认您的身份');
  expect(refusals().slice(before)).toEqual([
    expect.objectContaining({ reason: 'refused', error: 'access_denied', error_description: 'End-User aborted interaction' }),
  ]);

  // A callback replayed with this browser's transaction: the provider's token endpoint answers invalid_grant.
  await page.goto(`${base}/console/sign-in`);
  await toProvider(page);
  const transaction = (await c.cookies()).find((k) => k.name === 'sc_oidc');
  const callback = await loginAt(page, 'samr-officer');
  expect(callback.status()).toBe(200);
  await page.waitForURL(`${base}/console`);
  await c.addCookies([transaction!]);
  const before2 = refusals().length;
  const r = await page.goto(callback.url());
  expect(r?.status()).toBe(401);
  expect(refusals().slice(before2)).toEqual([
    expect.objectContaining({ reason: 'refused', error: 'invalid_grant', error_description: expect.any(String) }),
  ]);
  const code = new URL(callback.url()).searchParams.get('code');
  expect(code).toBeTruthy();
  expect(logLines.filter((l) => l.includes(code!))).toEqual([]);
  await c.close();
});
