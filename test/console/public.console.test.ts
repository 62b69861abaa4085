/**
 * The public pages (信用信息公示) in a real Chromium, signed out: the published serious-dishonesty list searched by
 * name and by a person's full ID number, shown masked, a page at a time; the public credit information catalogue and
 * the measure list. axe-core runs on every page visited. Listing rows are written straight into `public_listings`, as
 * the listing workflow's projection writes them, each name carrying this run's tag.
 */
import { randomUUID } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { type System } from '../support/system';
import { randomResidentId, randomUscc } from '../support/fixtures';
import { shanghaiToday } from '../support/test-calendar';
import { screenshot } from '../support/browser';
import { maskResidentId } from '../../domain/identity';
import { closeConsole, expectAccessible, openConsole } from '../support/console-browser';

let sys: System;
let browser: Browser;
let base: string;
const TAG = `T${randomUUID().slice(0, 8).toUpperCase()}`;
const PERSON_ID = randomResidentId();
/** More companies than a page holds (20), so the list pages. */
const COMPANIES = 21;

beforeAll(async () => {
  ({ sys, browser, base } = await openConsole({ withoutWorker: true }));
  const row = (subjectKind: string, subjectId: string, subjectName: string, daysAgo: number) => ({
    caseId: `LST-20260301-${randomUUID().replaceAll('-', '').slice(0, 10).toUpperCase()}`,
    subjectKind,
    subjectId,
    subjectName,
    department: 'ZY-SAMR',
    category: 'health_safety',
    measures: [{ code: 'N-01', title: '限制参加政府采购', level: 'serious' }],
    decisionNumber: `张市监信认〔2026〕${daysAgo + 1}号`,
    listedFrom: shanghaiToday(-daysAgo),
    listedUntil: shanghaiToday(1000),
    status: 'listed',
    updatedAt: new Date(),
  });
  await sys.db.publicListing.createMany({
    data: [
      row('natural_person', PERSON_ID, `张三${TAG}`, 1),
      ...Array.from({ length: COMPANIES }, (_, i) => row('legal_person', randomUscc(), `张掖市${TAG}第${i + 1}食品有限公司`, 2 + i)),
    ],
  });
}, 120_000);
afterAll(() => closeConsole({ sys, browser }));

/** A visitor who has not signed in. */
async function visitor(): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  return { context, page: await context.newPage() };
}

it('lets a signed-out visitor search the published list by name and by a full ID number, masking the person, a page at a time', async () => {
  const { context, page } = await visitor();
  const first = await page.goto(`${base}/console/public/listings`);
  expect(first?.status()).toBe(200);
  expect(page.url()).toBe(`${base}/console/public/listings`);
  // The public navigation, and no sign-out: nobody is signed in.
  expect(await page.getAttribute('nav a:has-text("严重失信主体名单")', 'aria-current')).toBe('page');
  expect(await page.locator('button:has-text("退出")').count()).toBe(0);
  await expectAccessible(page);

  await page.fill('#f-q', `张三${TAG}`);
  await page.click('form[role=search] button[type=submit]');
  await page.waitForURL(/\?q=/);
  const rows = page.locator('tbody tr');
  expect(await rows.count()).toBe(1);
  const person = (await rows.first().textContent())!;
  expect(person).toContain(maskResidentId(PERSON_ID));
  expect(person).not.toContain(PERSON_ID);
  expect(person).toContain('身份证号码');
  expect(person).toContain('限制参加政府采购');
  expect(person).toContain('张掖市市场监督管理局');
  await expectAccessible(page);
  await screenshot(page, 'public-listings-search');

  // A person is found by the full number, and still shown masked.
  await page.fill('#f-q', PERSON_ID);
  await page.click('form[role=search] button[type=submit]');
  await page.waitForSelector(`td:has-text("张三${TAG}")`);
  expect(await page.textContent('tbody')).not.toContain(PERSON_ID);
  expect(await page.inputValue('#f-q')).toBe(PERSON_ID);

  // The run's tag finds every row of this test: a full page, then the rest.
  await page.fill('#f-q', TAG);
  await page.click('form[role=search] button[type=submit]');
  await page.waitForSelector('.pager a[rel=next]');
  expect(await rows.count()).toBe(20);
  const firstPage = await rows.locator('td:first-child').allTextContents();
  await page.click('.pager a[rel=next]');
  await page.waitForSelector('.pager a:has-text("第一页")');
  expect(page.url()).toContain(`q=${TAG}`);
  const secondPage = await rows.locator('td:first-child').allTextContents();
  expect(secondPage).toHaveLength(COMPANIES + 1 - 20);
  expect(secondPage.filter((n) => firstPage.includes(n))).toEqual([]);
  expect(await page.locator('.pager a[rel=next]').count()).toBe(0);
  await expectAccessible(page);

  // A search with nothing to find says so; one too long is said at its field.
  await page.goto(`${base}/console/public/listings?q=${encodeURIComponent(`无此主体${TAG}`)}`);
  expect(await page.textContent('main')).toContain(`没有与“无此主体${TAG}”相符的列入信息。`);
  const long = await page.goto(`${base}/console/public/listings?q=${'长'.repeat(101)}`);
  expect(long?.status()).toBe(400);
  expect(await page.textContent('.error-summary a[href="#f-q"]')).toContain('名称或代码');
  await expectAccessible(page);
  await context.close();
});

it('shows the public catalogue and the measure list to a signed-out visitor', async () => {
  const { context, page } = await visitor();
  expect((await page.goto(`${base}/console/public/catalogue`))?.status()).toBe(200);
  const catalogue = (await page.textContent('main'))!;
  expect(catalogue).toContain('公共信用信息目录');
  expect(catalogue).toContain('行政处罚');
  expect(catalogue).toContain('第三十四条第（二）项');
  expect(catalogue).toMatch(/目录版本：\S+/);
  expect(await page.getAttribute('nav a:has-text("公共信用信息目录")', 'aria-current')).toBe('page');
  await expectAccessible(page);
  await screenshot(page, 'public-catalogue');

  await page.click('nav a:has-text("惩戒措施清单")');
  await page.waitForSelector('h1:has-text("失信惩戒措施清单")');
  const measures = (await page.textContent('main'))!;
  expect(measures).toContain('N-01');
  expect(measures).toContain('严重失信惩戒措施');
  expect(measures).toMatch(/清单版本：\S+/);
  await expectAccessible(page);
  await screenshot(page, 'public-measures');
  await context.close();
});
