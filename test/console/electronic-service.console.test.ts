/**
 * Electronic service in the console (issue 24), in a real Chromium against the real API, Temporal dev server, Postgres
 * and a real SMTP server (the mail catcher): electronic service refused where the action is, with what to do; the
 * officer's address form with its errors and check step; a bounce shown on the case page, the case not moved; the
 * subject's own address given on the confirmation page, the document then reaching it; the supervisors' mail page.
 * axe-core runs on every page visited.
 */
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { apiAs, settledCase, subjectOf, type System } from '../support/system';
import { OFFICER, SUPERVISOR, listingBody } from '../support/fixtures';
import { screenshot } from '../support/browser';
import { closeConsole, expectAccessible, handedOver, openConsole, type ConsoleInBrowser } from '../support/console-browser';
import { startMailCatcher, type MailCatcher } from '../../messaging/mail-catcher';
import { smtpMessenger } from '../../messaging/messenger';

let t: ConsoleInBrowser;
let sys: System;
let base: string;
let catcher: MailCatcher;

beforeAll(async () => {
  catcher = await startMailCatcher({ dir: join(tmpdir(), `mail-${randomUUID()}`) });
  t = await openConsole({
    delivery: {
      consoleUrl: 'http://console.example.test',
      messenger: smtpMessenger({ smtpUrl: catcher.url, from: 'test <t@credit.localhost>' }),
    },
    mailCatcherDir: catcher.dir,
  });
  ({ sys, base } = t);
}, 120_000);
afterAll(async () => {
  await closeConsole(t);
  await catcher.stop();
});

const nowLocal = () => new Date(Date.now() + 8 * 3_600_000 - 60_000).toISOString().slice(0, 16);
const today = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);

async function serveElectronically(page: Page, caseId: string) {
  await page.goto(`${base}/console/cases/${caseId}`);
  await page.selectOption('#serve_notice-f-method', 'electronic');
  await page.fill('#serve_notice-f-servedAt', nowLocal());
  await page.click('#action-serve_notice button[type=submit]');
  await page.waitForSelector('text=此事项具有法律效力');
  await page.click('button:has-text("确认")');
  await page.waitForLoadState();
}

it('refuses electronic service without consent, records an address through its check step, shows a bounce, and serves once the subject gives their own', async () => {
  const opened = await apiAs(sys).post('/v1/cases', OFFICER, listingBody());
  expect(opened.statusCode).toBe(201);
  const caseId = opened.json().id as string;
  const subjectId = opened.json().subject.id as string;
  await settledCase(sys, caseId, 'opened');

  const { page } = await handedOver(t, OFFICER);
  // Refused where the action is, with what to do.
  await serveElectronically(page, caseId);
  const refusal = await page.textContent('#action-serve_notice .error-summary');
  expect(refusal).toContain('此事项未能办理');
  expect(refusal).toContain('未确认电子送达地址');
  expect(await page.textContent('#h-service ~ p')).toContain('尚未确认电子送达地址');
  await expectAccessible(page);
  await screenshot(page, 'electronic-service-refused');

  // The form: errors at their fields, then the check step.
  await page.click('a:has-text("登记当事人确认的电子送达地址")');
  await page.waitForSelector('form[action$="/service-address"]');
  await expectAccessible(page);
  await page.selectOption('#f-channel', 'email');
  await page.fill('#f-address', 'not-an-email');
  await page.fill('#f-consentedOn', today());
  await page.click('button:has-text("下一步：核对")');
  await page.waitForSelector('.error-summary');
  expect(await page.textContent('.error-summary a[href="#f-address"]')).toContain('电子邮箱格式不正确');
  expect(await page.textContent('#f-consentDocument-error')).toContain('请填写确认文书');
  expect(await page.getAttribute('#f-address', 'aria-invalid')).toBe('true');
  expect(await page.inputValue('#f-consentedOn')).toBe(today());
  await expectAccessible(page);
  await screenshot(page, 'service-address-form-errors');
  await page.fill('#f-address', 'nobody@bounce.test');
  await page.fill('#f-consentDocument', '送达地址确认书 张市监送〔2026〕1号');
  await page.click('button:has-text("下一步：核对")');
  await page.waitForSelector('text=核对：登记电子送达地址');
  expect(await page.textContent('main')).toContain('nobody@bounce.test');
  await expectAccessible(page);
  await page.click('button:has-text("确认登记")');
  await page.waitForURL(`${base}/console/cases/${caseId}?done=service_address`);
  const table = await page.textContent('section[aria-labelledby=h-service] table');
  expect(table).toContain('nobody@bounce.test');
  // The consent's date as typed (Asia/Shanghai).
  expect(table).toContain(`${Number(today().slice(0, 4))}年${Number(today().slice(5, 7))}月${Number(today().slice(8, 10))}日`);

  // The service form offers the consented address by its channel and address, not an id to type.
  const choice = page.locator('#serve_notice-f-addressId');
  expect(await choice.locator('option').allTextContents()).toEqual(['最新确认的地址（默认）', '电子邮箱 nobody@bounce.test']);

  // The mail server refuses the address: shown on the case page; the case stays opened.
  await serveElectronically(page, caseId);
  await page.waitForSelector('#service-failures');
  // Nothing says it was done.
  expect(await page.locator('p.notice').allTextContents()).toEqual([]);
  const failures = await page.textContent('#service-failures');
  expect(failures).toContain('电子送达未成功');
  expect(failures).toContain('nobody@bounce.test');
  expect(failures).toMatch(/550/);
  expect(await page.textContent('.timeline')).toContain('电子送达未成功');
  expect((await apiAs(sys).get(`/v1/cases/${caseId}`, OFFICER)).json().state).toBe('opened');
  await expectAccessible(page);
  await screenshot(page, 'electronic-service-bounced');

  // The subject gives their own address on the confirmation page and withdraws the bounced one.
  const subject = await handedOver(t, subjectOf(subjectId));
  const sp = subject.page;
  await sp.goto(`${base}/console/me/service-addresses`);
  expect(await sp.getAttribute('nav a:has-text("电子送达地址")', 'aria-current')).toBe('page');
  expect(await sp.textContent('main')).toContain('nobody@bounce.test');
  await expectAccessible(sp);
  await sp.selectOption('#f-channel', 'email');
  await sp.fill('#f-address', 'legal@example.com');
  await sp.click('button:has-text("下一步：阅读并确认")');
  await sp.waitForSelector('text=电子送达地址确认书');
  await expectAccessible(sp);
  await screenshot(sp, 'subject-service-address-consent');
  await sp.click('button:has-text("我同意，确认此地址")');
  await sp.waitForURL(/done=recorded/);
  await sp.click('button[aria-label="撤回同意：nobody@bounce.test"]');
  await sp.waitForSelector('text=撤回后，文书不再发送到此地址');
  await expectAccessible(sp);
  await sp.click('button:has-text("确认撤回")');
  await sp.waitForURL(/done=withdrawn/);
  expect(await sp.textContent('main')).toMatch(/已于.*撤回/);
  await expectAccessible(sp);
  await screenshot(sp, 'subject-service-addresses');

  // Served now: the notice reached the subject's own address.
  await serveElectronically(page, caseId);
  await page.waitForURL(/done=serve_notice/);
  expect((await apiAs(sys).get(`/v1/cases/${caseId}`, OFFICER)).json().state).toBe('notice_served');

  // The supervisors' page lists the mail, with its text and the document attached.
  const sup = await handedOver(t, SUPERVISOR);
  await sup.page.goto(`${base}/console/supervise/mail`);
  await sup.page.click('a:has-text("【电子送达】")');
  await sup.page.waitForSelector('text=正文');
  expect(await sup.page.textContent('main')).toContain('legal@example.com');
  expect(await sup.page.textContent('.mail-text')).toContain('http://console.example.test/console/me/notices/');
  await expectAccessible(sup.page);
  await screenshot(sup.page, 'supervisor-mail');
  await sup.page.click('main ul a');
  expect(await sup.page.textContent('body')).toContain('陈述');
}, 120_000);
