/**
 * 部门提醒邮件 in a real Chromium against the real API and Postgres: the supervisors see when the last digest went to
 * a department and to which address (from outgoing_messages), and set a department's address through one form with
 * its check-your-answers step (an invalid address refused at the field, "change" keeping what was typed, the change
 * audited). axe-core runs on every page visited; screenshots go to .data/screenshots/.
 */
import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { type System } from '../support/system';
import { screenshot } from '../support/browser';
import { SUPERVISOR } from '../support/fixtures';
import { ifStarted } from '../support/teardown';
import { closeConsole, expectAccessible, handedOver, openConsole } from '../support/console-browser';

let sys: System;
let browser: Browser;
let base: string;
let page: Page;

const TAG = randomUUID().slice(0, 8).toUpperCase();
const DEPT = `T-RMC-${TAG}`;
const NAME = `测试提醒局${TAG}`;
const OLD = `old-${TAG.toLowerCase()}@dept.test`;
const NEW = `new-${TAG.toLowerCase()}@dept.test`;
const SENT_AT = new Date(Date.now() - 3_600_000);

beforeAll(async () => {
  ({ sys, browser, base } = await openConsole());
  await sys.db.department.create({ data: { code: DEPT, name: NAME, kind: 'supplying', contactEmail: OLD } });
  // The digest the reminders sent this morning, as db/outgoing-send.ts records it.
  await sys.db.outgoingMessage.create({
    data: {
      id: `digest:${DEPT}:${TAG}`,
      channel: 'email',
      toAddress: OLD,
      purpose: 'digest',
      department: DEPT,
      title: '【期限提醒】测试',
      status: 'sent',
      answer: '250 OK: message queued',
      attemptedAt: SENT_AT,
      sentAt: SENT_AT,
    },
  });
  ({ page } = await handedOver({ sys, browser, base }, SUPERVISOR));
  // A supervisor's first page, as after signing in.
  await page.goto(`${base}/console`);
  await page.waitForURL(/\/console\/supervise\//);
}, 120_000);
afterAll(async () => {
  await ifStarted(sys)?.db.department.updateMany({ where: { code: DEPT }, data: { contactEmail: null } });
  await closeConsole({ sys, browser });
});

const rowOf = (p: Page) => p.locator('tr', { has: p.locator('th', { hasText: NAME }) });

it('shows each department’s address and its last digest, reached from the deadline dashboard', async () => {
  await page.click('nav a:has-text("期限看板")');
  await page.click('a:has-text("部门提醒邮件")');
  await page.waitForURL(/\/console\/supervise\/reminders$/);
  await expectAccessible(page);
  await screenshot(page, 'supervisor-reminders');
  const row = rowOf(page);
  await expect(row.locator('td').nth(0).textContent()).resolves.toBe(OLD);
  const last = (await row.locator('td').nth(1).textContent()) ?? '';
  expect(last).toContain(`发往 ${OLD}`);
  expect(last).toContain('已送达邮件服务器');
  expect(last).toContain('250 OK');
  // The time as Asia/Shanghai reads it.
  const hhmm = new Date(SENT_AT.getTime() + 8 * 3_600_000).toISOString().slice(11, 16);
  expect(last).toContain(hhmm);
});

it('sets an address through the form and its check step, refusing what is no address at the field', async () => {
  await rowOf(page).locator('a:has-text("设置收件地址")').click();
  await page.waitForSelector('#f-email');
  await expect(page.inputValue('#f-email')).resolves.toBe(OLD);
  await expectAccessible(page);

  await page.fill('#f-email', 'not an address');
  await page.click('button:has-text("继续")');
  await page.waitForSelector('#error-summary');
  await expect(page.textContent('#error-summary')).resolves.toContain('收件地址：请填写有效的电子邮箱地址');
  await expect(page.textContent('#f-email-error')).resolves.toContain('请填写有效的电子邮箱地址');
  await expect(page.inputValue('#f-email')).resolves.toBe('not an address');
  await expect(page.getAttribute('#f-email', 'aria-invalid')).resolves.toBe('true');
  await expectAccessible(page);
  await screenshot(page, 'supervisor-reminders-contact-error');

  await page.fill('#f-email', NEW);
  await page.click('button:has-text("继续")');
  await page.waitForSelector('h1:has-text("请核对收件地址")');
  const answers = (await page.textContent('dl.summary')) ?? '';
  expect(answers).toContain(NAME);
  expect(answers).toContain(OLD);
  expect(answers).toContain(NEW);
  await expectAccessible(page);
  await screenshot(page, 'supervisor-reminders-contact-check');

  // "Change" goes back with what was typed; nothing is saved yet.
  await page.click('button:has-text("返回修改")');
  await expect(page.inputValue('#f-email')).resolves.toBe(NEW);
  expect((await sys.db.department.findUniqueOrThrow({ where: { code: DEPT } })).contactEmail).toBe(OLD);

  await page.click('button:has-text("继续")');
  await page.click('button:has-text("确认保存")');
  await page.waitForURL(/\/console\/supervise\/reminders\?done=/);
  await expect(page.textContent('[role=status]')).resolves.toContain(`今后发往 ${NEW}`);
  await expect(rowOf(page).locator('td').nth(0).textContent()).resolves.toBe(NEW);
  await expectAccessible(page);
  expect((await sys.db.department.findUniqueOrThrow({ where: { code: DEPT } })).contactEmail).toBe(NEW);
  const audit = await sys.db.auditEntry.findMany({ where: { action: 'department.contact', target: `department:${DEPT}` } });
  expect(audit).toHaveLength(1);
  expect(audit[0]?.detail).toEqual({ from: OLD, to: NEW });
});

it('answers an unknown department with the not-found page', async () => {
  const r = await page.goto(`${base}/console/supervise/reminders/NOPE-${TAG}/contact`);
  expect(r?.status()).toBe(404);
});
