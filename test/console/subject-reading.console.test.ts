/**
 * What a subject reads in the console, in a real Chromium against the real API, Temporal dev server and Postgres: a
 * notice served electronically shown unread, opened as its printable page (the opening recorded and audited), then
 * shown read; a credit report requested through its check step until the year's quota is used; a case's timeline with
 * the dates still to come and the statement; and the not-found page for another subject's case, notice or report.
 * axe-core runs on every page visited.
 */

import type { Browser, BrowserContext, Page } from 'playwright-core';
import { apiAs, settledCase, subjectOf, type System } from '../support/system';
import { OFFICER, listingBody, randomUscc, recordBody } from '../support/fixtures';
import { shanghaiToday } from '../support/test-calendar';
import { screenshot } from '../support/browser';
import { closeConsole, expectAccessible, handedOver, openConsole } from '../support/console-browser';
import { consentToElectronicService } from '../support/service-consent';

let sys: System;
let browser: Browser;
let base: string;

beforeAll(async () => {
  ({ sys, browser, base } = await openConsole());
}, 120_000);
afterAll(() => closeConsole({ sys, browser }));

/** A browser signed in as the subject, through the token handover a portal uses. */
function signedInAs(subjectId: string): Promise<{ context: BrowserContext; page: Page }> {
  return handedOver({ sys, browser, base }, subjectOf(subjectId));
}

/** A listing case of a company of its own, its pre-listing notice served electronically: the case id and the notice's. */
async function servedListing(subjectId = randomUscc()) {
  const api = apiAs(sys);
  const opened = await api.post(
    '/v1/cases',
    OFFICER,
    listingBody({ subject: { kind: 'legal_person', id: subjectId, name: '张掖市某某食品有限公司' } }),
  );
  expect(opened.statusCode).toBe(201);
  const caseId = opened.json().id as string;
  await settledCase(sys, caseId, 'opened');
  await consentToElectronicService(sys, subjectId);
  const served = await api.act(caseId, 'serve_notice', OFFICER, { servedAt: new Date().toISOString(), method: 'electronic' });
  expect(served.statusCode).toBe(200);
  await settledCase(sys, caseId, 'notice_served');
  const view = (await api.get(`/v1/cases/${caseId}`, OFFICER)).json();
  const documentId = (view.documents as { id: string }[])[0]!.id;
  return { subjectId, caseId, documentId };
}

const notices = async (subjectId: string) =>
  (await apiAs(sys).get('/v1/me/notices', subjectOf(subjectId))).json().items as { id: string; openedAt: string | null }[];

it('shows a served notice unread, opens it as its printable page, records the opening, then shows it read', async () => {
  const { subjectId, caseId, documentId } = await servedListing();
  const { context, page } = await signedInAs(subjectId);
  await page.goto(`${base}/console/me/notices`);
  const row = page.locator('tbody tr', { has: page.locator(`a[href="/console/me/notices/${documentId}"]`) });
  expect(await row.textContent()).toContain('未读');
  expect(await row.textContent()).toContain(caseId);
  expect(await page.textContent('main')).toContain('本页有1份未读文书');
  expect(await page.getAttribute('nav a:has-text("我的文书")', 'aria-current')).toBe('page');
  await expectAccessible(page);
  await screenshot(page, 'subject-notices-unread');
  expect((await notices(subjectId)).find((n) => n.id === documentId)?.openedAt).toBeNull();

  const [opened] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith(`/console/me/notices/${documentId}`)),
    row.locator('a').click(),
  ]);
  expect(opened.status()).toBe(200);
  // The document's own policy: its inline print style, no script.
  expect(opened.headers()['content-security-policy']).toContain("style-src 'unsafe-inline'");
  expect(opened.headers()['content-security-policy']).not.toContain('script-src');
  expect(await page.textContent('body')).toContain('陈述');
  await expectAccessible(page);
  await screenshot(page, 'subject-notice-document');

  const openedAt = (await notices(subjectId)).find((n) => n.id === documentId)?.openedAt;
  expect(openedAt).toEqual(expect.any(String));
  const entries = await sys.db.auditEntry.findMany({ where: { action: 'notice.opened', target: `document:${documentId}` } });
  expect(entries).toEqual([expect.objectContaining({ subjectId, caseId, role: 'subject' })]);

  await page.goto(`${base}/console/me/notices`);
  const after = (await row.textContent())!;
  expect(after).not.toContain('未读');
  expect(after).toMatch(/已于\d{4}年\d{1,2}月\d{1,2}日.*查阅/);
  expect(await page.textContent('main')).toContain('本页文书均已查阅');
  await expectAccessible(page);
  await screenshot(page, 'subject-notices-read');
  // Opened again: the first opening stands.
  await page.goto(`${base}/console/me/notices/${documentId}`);
  expect((await notices(subjectId)).find((n) => n.id === documentId)?.openedAt).toBe(openedAt);
  expect(await sys.db.auditEntry.count({ where: { action: 'notice.opened', target: `document:${documentId}` } })).toBe(1);
  await context.close();
});

it("shows a case's timeline, the dates still to come and the statement link, and when a closed window closed", async () => {
  const { subjectId, caseId, documentId } = await servedListing();
  const { context, page } = await signedInAs(subjectId);
  await page.goto(`${base}/console/me/cases`);
  await expectAccessible(page);
  await screenshot(page, 'subject-cases');
  await page.click(`a[href="/console/me/cases/${caseId}"]`);
  await page.waitForSelector('h2:has-text("办理进度")');
  const view = (await apiAs(sys).get(`/v1/cases/${caseId}`, subjectOf(subjectId))).json();
  const window = (view.deadlines as { kind: string; dueDate: string }[]).find((d) => d.kind === 'statement_window')!;
  const [y, m, d] = window.dueDate.split('-').map(Number) as [number, number, number];
  const due = `${y}年${m}月${d}日24时`;
  // The window is the subject's to use, with the day it ends and its tag in words.
  const coming = page.locator('table', { has: page.locator('caption:has-text("尚未届满的期限")') });
  const windowRow = (await coming.locator('tr', { hasText: '陈述申辩、申请听证期限' }).textContent())!;
  expect(windowRow).toContain('您（当事人）');
  expect(windowRow).toContain(due);
  expect(windowRow).toMatch(/剩余\d+个工作日|今日到期/);
  // The timeline in Chinese, with the officers' titles of each step.
  const timeline = (await page.textContent('ol.timeline'))!;
  expect(timeline).toContain('立案');
  expect(timeline).toContain('送达拟列入告知书');
  expect(timeline).not.toContain('serve_notice');
  expect(await page.getAttribute('a:has-text("提交陈述申辩")', 'href')).toBe(`/console/me/cases/${caseId}/statement`);
  expect(await page.textContent('#h-statement + p')).toContain(`${y}年${m}月${d}日24时前`);
  // The notice served on the subject links to the notice page.
  expect(await page.getAttribute(`a[href="/console/me/notices/${documentId}"]`, 'href')).toBeTruthy();
  await expectAccessible(page);
  await screenshot(page, 'subject-case');

  // A window that closed unused says when it closed. (Its end is written into the read model the page reads: the
  // workflow's own timer would take days.)
  const yesterday = shanghaiToday(-1);
  await sys.db.deadline.updateMany({
    where: { caseId, kind: 'statement_window' },
    data: { status: 'lapsed', dueDate: yesterday, dueAt: new Date(`${yesterday}T15:59:59.999Z`), closedAt: new Date() },
  });
  await sys.db.case.update({ where: { id: caseId }, data: { state: 'under_review', allowedActions: [] } });
  await page.reload();
  const [yy, ym, yd] = yesterday.split('-').map(Number) as [number, number, number];
  expect(await page.textContent('#h-statement + p')).toBe(`陈述申辩期限已于${yy}年${ym}月${yd}日24时届满，未提交陈述申辩。`);
  expect(await page.locator('a:has-text("提交陈述申辩")').count()).toBe(0);
  await expectAccessible(page);
  await context.close();
});

it("shows an objection's dates to come with the body that must act by each", async () => {
  const subjectId = randomUscc();
  const api = apiAs(sys);
  const rec = await api.post(
    '/v1/records',
    OFFICER,
    recordBody({ subject: { kind: 'legal_person', id: subjectId, name: '张掖市某某商贸有限公司' } }),
  );
  expect(rec.statusCode).toBe(201);
  const filed = await api.post('/v1/cases', subjectOf(subjectId), {
    procedure: 'objection',
    recordId: rec.json().id,
    grounds: 'error_or_omission',
    statement: '罚款金额记载有误。',
    evidence: [{ title: '缴款凭证', description: '实际罚款五千元' }],
  });
  expect(filed.statusCode).toBe(201);
  const caseId = filed.json().id as string;
  await settledCase(sys, caseId, 'submitted');
  const view = (await api.get(`/v1/cases/${caseId}`, subjectOf(subjectId))).json();
  const open = (view.deadlines as { kind: string; party: string; status: string; dueDate: string }[]).filter((d) => d.status === 'open');
  expect(open.length).toBeGreaterThan(0);

  const { context, page } = await signedInAs(subjectId);
  await page.goto(`${base}/console/me/cases/${caseId}`);
  const coming = page.locator('table', { has: page.locator('caption:has-text("尚未届满的期限")') }).locator('tbody tr');
  expect(await coming.count()).toBe(open.length);
  for (const d of open) {
    const [y, m, day] = d.dueDate.split('-').map(Number) as [number, number, number];
    const text = (await coming
      .filter({ hasText: `${y}年${m}月${day}日24时` })
      .first()
      .textContent())!;
    expect(text).toContain(d.party === 'subject' ? '您（当事人）' : '张掖市发展和改革委员会');
  }
  expect(await page.textContent('ol.timeline')).toContain('立案');
  // No statement on an objection.
  expect(await page.locator('#h-statement').count()).toBe(0);
  await expectAccessible(page);
  await screenshot(page, 'subject-case-objection');
  await context.close();
});

it('issues a credit report through its check step, shows the quota, opens the printed report, and says when a used-up quota resets', async () => {
  const subjectId = randomUscc();
  const { context, page } = await signedInAs(subjectId);
  await page.goto(`${base}/console/me/reports`);
  const year = Number(shanghaiToday().slice(0, 4));
  expect(await page.textContent('#h-request + p')).toBe(`${year}年度可免费申请信用报告2份，已申请0份，剩余2份。`);
  await expectAccessible(page);
  await page.click('button:has-text("申请信用报告（下一步：核对）")');
  await page.waitForSelector('h1:has-text("核对：申请信用报告")');
  expect(await page.textContent('main')).toContain(`${year}年度第1份免费信用报告（共2份）`);
  await expectAccessible(page);
  await screenshot(page, 'subject-report-check');
  // "Change" goes back without issuing anything.
  await page.click('button:has-text("返回修改")');
  await page.waitForSelector('h1:has-text("信用报告")');
  expect(await sys.db.creditReport.count({ where: { subjectId } })).toBe(0);

  await page.click('button:has-text("申请信用报告（下一步：核对）")');
  // A double click on the confirmation issues one report (the form's Idempotency-Key).
  await page.dblclick('button:has-text("确认申请信用报告")');
  await page.waitForSelector('text=已生成信用报告');
  expect(await sys.db.creditReport.count({ where: { subjectId } })).toBe(1);
  expect(await page.textContent('#h-request + p')).toBe(`${year}年度可免费申请信用报告2份，已申请1份，剩余1份。`);
  await expectAccessible(page);
  await screenshot(page, 'subject-reports');
  const reportId = (await page.textContent('p.notice a'))!;
  const [printed] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith(`/console/me/reports/${reportId}`)),
    page.click('p.notice a'),
  ]);
  expect(printed.status()).toBe(200);
  expect(printed.headers()['content-security-policy']).toContain("style-src 'unsafe-inline'");
  expect(await page.textContent('body')).toContain('信用报告');
  expect(await page.textContent('body')).toContain(subjectId);
  await expectAccessible(page);
  await screenshot(page, 'subject-report-document');

  await page.goto(`${base}/console/me/reports`);
  await page.click('button:has-text("申请信用报告（下一步：核对）")');
  await page.click('button:has-text("确认申请信用报告")');
  await page.waitForSelector('text=已生成信用报告');
  // Both free reports used: no request offered, and the day they are renewed.
  expect(await page.textContent('#h-request + p')).toContain(`${year}年度的2份免费信用报告已全部申请，${year + 1}年1月1日起可再次申请。`);
  expect(await page.locator('button:has-text("申请信用报告")').count()).toBe(0);
  expect(await page.locator('tbody tr').count()).toBe(2);
  await expectAccessible(page);
  await screenshot(page, 'subject-reports-used');
  await context.close();
});

it("answers another subject's case, notice and report with the not-found page", async () => {
  const other = await servedListing();
  const report = await apiAs(sys).post(`/v1/subjects/${other.subjectId}/reports`, subjectOf(other.subjectId));
  expect(report.statusCode).toBe(201);
  const reportId = report.json().id as string;
  const mine = await servedListing();
  const { context, page } = await signedInAs(mine.subjectId);
  for (const [url, text] of [
    [`/console/me/cases/${other.caseId}`, '案件不存在'],
    [`/console/me/notices/${other.documentId}`, '文书不存在'],
    [`/console/me/reports/${reportId}`, '信用报告不存在'],
    [`/console/me/cases/not-a-case`, '案件不存在'],
  ] as const) {
    const r = await page.goto(`${base}${url}`);
    expect([url, r?.status()]).toEqual([url, 404]);
    expect(await page.textContent('h1')).toBe(text);
    await expectAccessible(page);
  }
  await screenshot(page, 'subject-not-found');
  // Their own are there, and the other's case is not in their list.
  expect((await page.goto(`${base}/console/me/cases/${mine.caseId}`))?.status()).toBe(200);
  await page.goto(`${base}/console/me/cases`);
  expect(await page.locator(`a[href="/console/me/cases/${mine.caseId}"]`).count()).toBe(1);
  expect(await page.locator(`a[href="/console/me/cases/${other.caseId}"]`).count()).toBe(0);
  // Nothing was opened for the other subject.
  expect((await notices(other.subjectId)).find((n) => n.id === other.documentId)?.openedAt).toBeNull();
  await context.close();
});

it('shows where a record went (Art 49): sent to the provincial platform and when, waiting, or returned and being corrected', async () => {
  const r = (await apiAs(sys).post('/v1/records', OFFICER, recordBody())).json();
  const entryId = `${r.id}:record_supplied`;
  const { context, page } = await signedInAs(r.subject.id as string);
  const platformRow = async () => {
    await page.goto(`${base}/console/me/records/${r.id}`);
    const section = page.locator('h2:has-text("报送省信用信息平台情况") + table tbody tr');
    expect(await section.count()).toBe(1);
    return (await section.first().textContent()) ?? '';
  };
  // Released at once: told, not yet sent.
  expect(await platformRow()).toMatch(/报送信用信息.*等待报送/);
  await expectAccessible(page);

  await sys.db
    .$executeRaw`UPDATE exchange_outbox SET status = 'refused', refusal = '{"status":422,"reason":"x"}'::jsonb WHERE id = ${entryId}`;
  expect(await platformRow()).toContain('省平台退回，正在改正');

  const at = new Date();
  await sys.db.$executeRaw`UPDATE exchange_outbox SET status = 'accepted', refusal = NULL, delivered_at = ${at} WHERE id = ${entryId}`;
  const sent = await platformRow();
  expect(sent).toContain('已报送省平台');
  expect(sent).toMatch(/\d{4}年\d{1,2}月\d{1,2}日/);
  await expectAccessible(page);
  await screenshot(page, 'subject-record-platform');
  await context.close();
});
