/**
 * The console in a real Chromium for a console test file: the system with its console listening on a free port and
 * one browser, opened before the file's tests and closed after them; a browser context signed in by the token
 * handover a portal uses; and the axe-core check every page visited passes.
 */
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { launchChromium, seriousViolations } from './browser';
import { startSystem, type System } from './system';
import { ifStarted } from './teardown';

export interface ConsoleInBrowser {
  sys: System;
  browser: Browser;
  /** The console's origin, e.g. http://127.0.0.1:41234. */
  base: string;
}

export async function openConsole(
  options: Omit<NonNullable<Parameters<typeof startSystem>[0]>, 'console'> = {},
): Promise<ConsoleInBrowser> {
  const sys = await startSystem({ ...options, console: true });
  try {
    await sys.app.listen({ host: '127.0.0.1', port: 0 });
    const base = `http://127.0.0.1:${(sys.app.server.address() as AddressInfo).port}`;
    return { sys, browser: await launchChromium(), base };
  } catch (err) {
    await sys.stop();
    throw err;
  }
}

/** Closes what `openConsole` opened, as far as it got. */
export async function closeConsole(t: Partial<ConsoleInBrowser> | undefined): Promise<void> {
  await ifStarted(t?.browser)?.close();
  await ifStarted(t?.sys)?.stop();
}

/** A fresh browser context signed in as `who` by handing over their bearer token (POST /console/session, a 303). */
export async function handedOver(
  t: ConsoleInBrowser,
  who: Parameters<System['token']>[0],
  options: BrowserContextOptions = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await t.browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai', ...options });
  const r = await context.request.post(`${t.base}/console/session`, { form: { token: t.sys.token(who) }, maxRedirects: 0 });
  expect(r.status()).toBe(303);
  return { context, page: await context.newPage() };
}

/** axe-core finds no serious or critical violation on the page as it stands. */
export async function expectAccessible(page: Page): Promise<void> {
  const v = await seriousViolations(page);
  expect(v.map((x) => `${x.id}: ${x.help} (${x.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([]);
}
