/**
 * Evidence as files in the console (issue 22), in a real Chromium against the real API, Temporal dev server and
 * Postgres: a subject's statement form sent as multipart/form-data (a file that is not a PDF, JPEG or PNG refused at
 * the field with nothing stored, a PDF kept through the check step and filed once), then the officer's case page
 * listing the file with its size and SHA-256 and downloading it through the console, audited. axe-core runs on every
 * page visited.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { settledCase, type System } from '../support/system';
import { OFFICER, OTHER_OFFICER, listingBody } from '../support/fixtures';
import { screenshot } from '../support/browser';
import { closeConsole, expectAccessible, handedOver, openConsole } from '../support/console-browser';
import type { Principal } from '../../contract/principal';

let sys: System;
let browser: Browser;
let base: string;

beforeAll(async () => {
  ({ sys, browser, base } = await openConsole());
}, 120_000);
afterAll(() => closeConsole({ sys, browser }));

/** A console session for `who`, as a portal hands one over (its bearer token), in a fresh browser context. */
function sessionOf(who: Principal): Promise<{ context: BrowserContext; page: Page }> {
  return handedOver({ sys, browser, base }, who, { acceptDownloads: true });
}

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

it('takes a statement’s file through the form and lists it on the officer’s case page, downloaded as stored and audited', async () => {
  const body = listingBody();
  const subject = { role: 'subject', sub: `console-${body.subject.id}`, subjectId: body.subject.id } as const;
  const opened = await sys.app.inject({
    method: 'POST',
    url: '/v1/cases',
    headers: { authorization: `Bearer ${sys.token(OFFICER)}` },
    payload: body,
  });
  const caseId = opened.json().id as string;
  await settledCase(sys, caseId, 'opened');
  const served = await sys.app.inject({
    method: 'POST',
    url: `/v1/cases/${caseId}/actions/serve_notice`,
    headers: { authorization: `Bearer ${sys.token(OFFICER)}` },
    payload: { servedAt: new Date().toISOString(), method: 'in_person' },
  });
  expect(served.statusCode).toBe(200);
  const uploads = () => sys.db.fileUpload.count({ where: { uploader: subject.sub } });

  // The subject's statement: a text file named .pdf is refused at the field, and nothing is stored.
  const { context: subjectContext, page } = await sessionOf(subject);
  await page.goto(`${base}/console/cases/${caseId}`);
  expect(await page.getAttribute('#action-submit_statement', 'enctype')).toBe('multipart/form-data');
  await page.fill('#submit_statement-f-text', '我公司已全部整改，整改报告见附件。');
  await page.setInputFiles('#submit_statement-f-evidenceFiles', {
    name: '整改报告.pdf',
    mimeType: 'application/pdf',
    buffer: Buffer.from('this is plain text, not a PDF'),
  });
  await page.click('#action-submit_statement button[type=submit]');
  await page.waitForSelector('#error-summary');
  expect(await page.textContent('#action-submit_statement .field-error')).toContain('仅接受 PDF、JPEG 或 PNG 文件');
  expect(await page.inputValue('#submit_statement-f-text')).toBe('我公司已全部整改，整改报告见附件。');
  await expectAccessible(page);
  expect(await uploads()).toBe(0);

  // A PDF: uploaded, kept through the check step (shown with its size), filed once.
  const pdf = Buffer.from(`%PDF-1.4\n整改报告 ${Math.random()}\n%%EOF\n`);
  // The same form sent twice (a double click before the first answer): one upload.
  const hidden = async (name: string) => (await page.getAttribute(`#action-submit_statement input[name=${name}]`, 'value'))!;
  const twice = { _csrf: await hidden('_csrf'), _key: await hidden('_key'), text: '重复提交', requestHearing: 'on' };
  for (let i = 0; i < 2; i++) {
    const r = await subjectContext.request.post(`${base}/console/cases/${caseId}/actions/submit_statement`, {
      multipart: { ...twice, evidenceFiles: { name: '重复.pdf', mimeType: 'application/pdf', buffer: pdf } },
    });
    expect(r.status()).toBe(200);
    expect(await r.text()).toContain('重复.pdf');
  }
  expect(await uploads()).toBe(1);
  await page.setInputFiles('#submit_statement-f-evidenceFiles', { name: '整改报告.pdf', mimeType: 'application/pdf', buffer: pdf });
  await page.click('#action-submit_statement button[type=submit]');
  await page.waitForSelector('text=此事项具有法律效力');
  expect(await page.textContent('main')).toContain(`整改报告.pdf（${pdf.length} 字节）`);
  await expectAccessible(page);
  expect(await uploads()).toBe(2);
  await page.click('button:has-text("确认提交陈述申辩")');
  await page.waitForURL(/done=submit_statement/);
  await settledCase(sys, caseId, 'under_review');
  expect(await uploads()).toBe(2);
  const filed = await sys.db.fileUpload.findFirstOrThrow({ where: { uploader: subject.sub, NOT: { caseId: null } } });
  expect(filed).toMatchObject({ caseId, name: '整改报告.pdf' });
  await subjectContext.close();

  // The officer's case page lists it: name, size, SHA-256, a download link.
  const { context, page: officerPage } = await sessionOf(OFFICER);
  await officerPage.goto(`${base}/console/cases/${caseId}`);
  const row = officerPage.locator('table.files tbody tr');
  expect(await row.count()).toBe(1);
  expect(await row.locator('td').nth(0).textContent()).toBe('整改报告.pdf');
  expect(await row.locator('td').nth(1).textContent()).toBe(`${pdf.length} 字节`);
  expect(await row.locator('td').nth(2).textContent()).toBe(sha(pdf));
  await expectAccessible(officerPage);
  await screenshot(officerPage, 'case-evidence-files');

  const fileId = filed.id;
  const downloads = () => sys.db.auditEntry.count({ where: { action: 'file.download', target: `file:${fileId}`, actor: OFFICER.sub } });
  const before = await downloads();
  const [download] = await Promise.all([officerPage.waitForEvent('download'), row.locator('a').click()]);
  expect(download.suggestedFilename()).toBe('整改报告.pdf');
  expect(readFileSync(await download.path()).equals(pdf)).toBe(true);
  expect(await downloads()).toBe(before + 1);

  // Passed through as the API answers it.
  const direct = await context.request.get(`${base}/console/cases/${caseId}/files/${fileId}`);
  expect(direct.status()).toBe(200);
  expect(direct.headers()['content-type']).toBe('application/pdf');
  expect(direct.headers()['x-content-type-options']).toBe('nosniff');
  expect(direct.headers()['content-disposition']).toMatch(/^attachment; filename=.*; filename\*=UTF-8''/);
  await context.close();

  // An unrelated department finds no such file.
  const { context: otherContext, page: otherPage } = await sessionOf(OTHER_OFFICER);
  const refused = await otherContext.request.get(`${base}/console/cases/${caseId}/files/${fileId}`);
  expect(refused.status()).toBe(404);
  await otherPage.close();
  await otherContext.close();
});
