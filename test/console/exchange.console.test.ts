/**
 * 省平台报送 in a real Chromium against the real API and Postgres: the exchange's status in words and colour, an entry
 * the platform refused shown with its reason, corrected through its form (an empty reason refused at the field, the
 * check step, "返回修改" keeping what was typed), sent again and gone from the refused list; the last reconciliation.
 * The delivery is another part's: the refusal is set in SQL. axe-core on every page; screenshots into .data/screenshots/.
 */
import type { Browser, Page } from 'playwright-core';
import { apiAs, type System } from '../support/system';
import { OFFICER, recordBody, SUPERVISOR } from '../support/fixtures';
import { screenshot } from '../support/browser';
import { closeConsole, expectAccessible, handedOver, openConsole } from '../support/console-browser';
import { latestReconciliationAfter } from '../exchange/support';

let sys: System;
let browser: Browser;
let base: string;
let page: Page;
let recordId: string;
let entryId: string;

beforeAll(async () => {
  ({ sys, browser, base } = await openConsole());
  const r = (await apiAs(sys).post('/v1/records', OFFICER, recordBody())).json();
  recordId = r.id as string;
  entryId = `${recordId}:record_supplied`;
  await sys.db.$executeRaw`UPDATE exchange_outbox SET status = 'refused', attempts = 1, last_attempt_at = now(),
                           refusal = '{"status":422,"reason":"处罚机关统一社会信用代码缺失"}'::jsonb WHERE id = ${entryId}`;
  await sys.db.exchangeReconciliation.create({
    data: {
      id: `RECON-${recordId}`,
      day: new Date().toISOString().slice(0, 10),
      ranAt: await latestReconciliationAfter(sys.db),
      status: 'repaired',
      localCount: 3,
      localDigest: 'a',
      platformCount: 2,
      platformDigest: 'b',
      resent: [entryId],
    },
  });
  ({ page } = await handedOver({ sys, browser, base }, SUPERVISOR));
  // A supervisor's first page, as after signing in.
  await page.goto(`${base}/console`);
  await page.waitForURL(/\/console\/supervise\//);
}, 120_000);
afterAll(async () => {
  // Closing the browser closes its contexts.
  await closeConsole({ sys, browser });
});

const rowOf = () => page.locator('tbody tr', { hasText: entryId });

it('shows the refusal with its reason, corrects it through a form with a check step, and sends it again', async () => {
  await page.click('nav a:has-text("省平台报送")');
  await page.waitForURL(/\/console\/supervise\/exchange$/);
  expect(await page.getAttribute('nav a:has-text("省平台报送")', 'aria-current')).toBe('page');
  const headline = page.locator('main .tag').first();
  expect(await headline.textContent()).toMatch(/被省平台退回，需改正后重新报送/);
  expect(await headline.getAttribute('class')).toContain('tag-red');
  const row = (await rowOf().textContent()) ?? '';
  expect(row).toContain('报送信用信息');
  expect(row).toContain('处罚机关统一社会信用代码缺失（422）');
  // The last reconciliation, in words and colour.
  const main = (await page.textContent('main')) ?? '';
  expect(main).toContain('发现差异，已重新报送');
  expect(main).toContain(`1 条：${entryId}`);
  await expectAccessible(page);
  await screenshot(page, 'supervisor-exchange');

  await rowOf().locator('a:has-text("改正后重新报送")').click();
  await page.waitForURL(/\/resend$/);
  expect(await page.textContent('h1')).toBe('改正后重新报送');
  expect(await page.textContent('main')).toContain('处罚机关统一社会信用代码缺失');
  await expectAccessible(page);

  // A reason of blanks: refused at the field and in the summary, nothing sent.
  await page.fill('#f-reason', '   ');
  const [blank] = await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), page.click('button:has-text("继续")')]);
  expect(blank.status()).toBe(400);
  expect(await page.textContent('.error-summary')).toContain('请说明改正情况及重新报送的理由');
  expect(await page.getAttribute('.error-summary a', 'href')).toBe('#f-reason');
  expect(await page.textContent('#f-reason-error')).toContain('请说明改正情况');
  expect(await page.getAttribute('#f-reason', 'aria-invalid')).toBe('true');
  await expectAccessible(page);
  await screenshot(page, 'supervisor-exchange-resend-error');
  expect((await sys.db.exchangeEntry.findUniqueOrThrow({ where: { id: entryId } })).status).toBe('refused');

  const reason = '已补录处罚机关统一社会信用代码';
  await page.fill('#f-reason', reason);
  await page.click('button:has-text("继续")');
  await page.waitForSelector('h1:has-text("请确认重新报送")');
  expect(await page.textContent('main')).toContain(reason);
  await expectAccessible(page);
  await screenshot(page, 'supervisor-exchange-resend-check');
  // Back to the form with what was typed.
  await page.click('button:has-text("返回修改")');
  await page.waitForSelector('h1:has-text("改正后重新报送")');
  expect(await page.inputValue('#f-reason')).toBe(reason);
  await page.click('button:has-text("继续")');
  await page.waitForSelector('h1:has-text("请确认重新报送")');
  await page.click('button:has-text("确认重新报送")');
  await page.waitForURL(/\/console\/supervise\/exchange\?done=/);
  expect(await page.textContent('.notice')).toContain(entryId);
  expect(await rowOf().count()).toBe(0);
  await expectAccessible(page);
  await screenshot(page, 'supervisor-exchange-resent');

  expect(await sys.db.exchangeEntry.findUniqueOrThrow({ where: { id: entryId } })).toMatchObject({ status: 'pending', refusal: null });
  const audit = await sys.db.auditEntry.findMany({ where: { action: 'exchange.entry.resend', target: `exchange:${entryId}` } });
  expect(audit).toEqual([expect.objectContaining({ role: 'supervisor', detail: expect.objectContaining({ reason }) })]);

  // Sent again already: its correction page is not found.
  const again = await page.goto(`${base}/console/supervise/exchange/entries/${encodeURIComponent(entryId)}/resend`);
  expect(again?.status()).toBe(404);
  await expectAccessible(page);
});
