/**
 * The console's sign-in and the API's provider tokens against a real Keycloak configured by the README's recipe
 * (scripts/keycloak/recipe.sh). Run only by `npm run test:keycloak` (scripts/test-keycloak.ts), which starts Keycloak
 * and names it here through the environment; the file is not a `*.test.ts`, so `npm test` leaves it out.
 */
import { createServer, type Server } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import pino from 'pino';
import { DEFAULT_CLAIM_NAMES } from '../../contract/principal';
import { startSystem, type System } from '../support/system';
import { launchChromium, seriousViolations } from '../support/browser';
import { ifStarted } from '../support/teardown';

function env(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run this through npm run test:keycloak`);
  return v;
}

const issuer = env('KEYCLOAK_ISSUER');
const port = Number(env('KEYCLOAK_CONSOLE_PORT'));
const base = `http://127.0.0.1:${port}`;
const password = env('KEYCLOAK_USER_PASSWORD');

let sys: System;
let browser: Browser;
let reserved: Server;
const logLines: string[] = [];

beforeAll(async () => {
  // The console's port, named in the client's redirect URIs; held until the console listens on it.
  reserved = createServer();
  await new Promise<void>((resolve) => reserved.listen(port, '127.0.0.1', resolve));
  sys = await startSystem({
    withoutWorker: true,
    logger: pino({ level: 'info' }, { write: (line: string) => void logLines.push(line) }),
    // The department systems' tokens: found through the realm's discovery document.
    providerTokens: { issuer, audience: 'credit-api', claimNames: DEFAULT_CLAIM_NAMES },
    console: {
      devSignIn: false,
      oidc: {
        issuer,
        clientId: 'credit-console',
        clientSecret: env('KEYCLOAK_CONSOLE_CLIENT_SECRET'),
        redirectUri: `${base}/console/oidc/callback`,
        allowHttp: true,
        scope: 'openid profile credit',
      },
    },
  });
  await new Promise<void>((resolve) => sys.app.server.listen(reserved, resolve));
  browser = await launchChromium();
}, 120_000);
afterAll(async () => {
  await ifStarted(browser)?.close();
  const server = ifStarted(sys)?.app.server;
  if (server?.listening) await new Promise((resolve) => server.close(resolve));
  ifStarted(reserved)?.close();
  await ifStarted(sys)?.stop();
});

async function context(): Promise<BrowserContext> {
  return browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
}

async function toKeycloak(page: Page): Promise<void> {
  await page.click('a:has-text("通过统一身份认证登录")');
  await page.waitForSelector('#username');
  expect(page.url().startsWith(issuer)).toBe(true);
}

async function loginAt(page: Page, username: string) {
  await page.fill('#username', username);
  await page.fill('#password', password);
  const back = page.waitForResponse((r) => r.url().startsWith(`${base}/console/oidc/callback`));
  await page.click('#kc-login');
  return back;
}

it('signs an officer in through Keycloak, shows the name, and signs out at Keycloak too', async () => {
  const c = await context();
  const page = await c.newPage();
  await page.goto(`${base}/console`);
  expect(page.url()).toBe(`${base}/console/sign-in`);
  await toKeycloak(page);
  const auth = new URL(page.url());
  expect(auth.searchParams.get('scope')).toBe('openid profile credit');
  expect(auth.searchParams.get('code_challenge_method')).toBe('S256');
  const callback = await loginAt(page, 'wang.xiaoming');
  expect(callback.status()).toBe(200);
  await page.waitForURL(`${base}/console`);
  expect(await page.textContent('header')).toContain('张掖市市场监督管理局 · 经办人员 王晓明');
  expect((await seriousViolations(page)).map((v) => v.id)).toEqual([]);
  await page.screenshot({ path: '.data/screenshots/keycloak-workbench.png' });
  const row = await sys.db.consoleSession.findFirst({ where: { via: 'oidc' }, orderBy: { createdAt: 'desc' } });
  // Keycloak's sub is the user's id (a UUID); the name is what the header shows.
  expect(row?.claims).toMatchObject({ role: 'officer', dept: 'ZY-SAMR', name: '王晓明', sub: expect.stringMatching(/^[0-9a-f-]{36}$/) });

  await page.click('button:has-text("退出")');
  // With the ID token as hint Keycloak signs out without asking and sends the browser back.
  await page.waitForURL(`${base}/console/sign-in?state=signed-out`);
  expect(await page.textContent('main')).toContain('统一身份认证的登录也已退出');
  await toKeycloak(page);
  await c.close();
});

it('refuses an account without a role (403) and lets someone else sign in after signing it out at Keycloak', async () => {
  const c = await context();
  const page = await c.newPage();
  await page.goto(`${base}/console/sign-in`);
  await toKeycloak(page);
  const callback = await loginAt(page, 'visitor');
  expect(callback.status()).toBe(403);
  expect(await page.textContent('main')).toContain('您的账号尚未获授权使用本系统');
  await page.click('button:has-text("以其他账号登录")');
  await page.waitForURL(`${base}/console/sign-in?state=signed-out`);
  await toKeycloak(page);
  await loginAt(page, 'wang.xiaoming');
  await page.waitForURL(`${base}/console`);
  expect(await page.textContent('header')).toContain('王晓明');
  await c.close();
});

it("logs Keycloak's error for a replayed callback, without the code", async () => {
  const c = await context();
  const page = await c.newPage();
  await page.goto(`${base}/console/sign-in`);
  await toKeycloak(page);
  const transaction = (await c.cookies()).find((k) => k.name === 'sc_oidc');
  const callback = await loginAt(page, 'wang.xiaoming');
  await page.waitForURL(`${base}/console`);
  await c.addCookies([transaction!]);
  const r = await page.goto(callback.url());
  expect(r?.status()).toBe(401);
  const refusal = logLines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.msg === 'OpenID sign-in refused');
  expect(refusal.at(-1)).toMatchObject({ error: 'invalid_grant' });
  const code = new URL(callback.url()).searchParams.get('code')!;
  expect(logLines.filter((l) => l.includes(code))).toEqual([]);
  await c.close();
});

it("takes a department system's token from Keycloak's client-credentials grant", async () => {
  const res = await fetch(`${issuer}/protocol/openid-connect/token`, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: 'samr-system',
      client_secret: env('KEYCLOAK_SYSTEM_CLIENT_SECRET'),
    }),
  });
  const { access_token: token } = (await res.json()) as { access_token: string };
  const answer = await sys.app.inject({ method: 'GET', url: '/v1/records/pending-review', headers: { authorization: `Bearer ${token}` } });
  expect(answer.statusCode).toBe(200);
  const entry = await sys.db.auditEntry.findFirst({ where: { action: 'records.pending_review.read' }, orderBy: { id: 'desc' } });
  expect(entry).toMatchObject({ role: 'officer', actorName: '市场监管局业务系统' });
});
