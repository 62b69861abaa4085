/**
 * The console as case officers use it, in a real Chromium against the real API, Temporal dev server and Postgres:
 * sign in, the workbench, a listing case served through its check step, a double click taken once, a refusal with
 * its reason and the typed values kept, an objection accepted and forwarded by the agency and decided by the
 * supplying department. axe-core runs on every page visited.
 */
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startSystem, settledCase, type System } from '../support/system';
import { shanghaiToday } from '../support/test-calendar';
import { OFFICER, OTHER_OFFICER, listingBody, recordBody } from '../support/fixtures';
import { launchChromium, screenshot, seriousViolations, type AxeViolation } from '../support/browser';
import { makeResidentId, makeUscc } from '../../domain/identity';
import { ifStarted } from '../support/teardown';

let sys: System;
let browser: Browser;
let base: string;
const violations: { url: string; v: AxeViolation[] }[] = [];

beforeAll(async () => {
  sys = await startSystem({ console: true });
  await sys.app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(sys.app.server.address() as AddressInfo).port}`;
  browser = await launchChromium();
}, 120_000);
afterAll(async () => {
  await ifStarted(browser)?.close();
  await ifStarted(sys)?.stop();
});

async function signedIn(identity: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  const page = await context.newPage();
  await page.goto(`${base}/console`);
  expect(page.url()).toContain('/console/sign-in');
  await checkA11y(page);
  await page.selectOption('#f-identity', { label: identity });
  await page.click('button[type=submit]');
  await page.waitForURL(`${base}/console`);
  return { context, page };
}

async function checkA11y(page: Page) {
  const v = await seriousViolations(page);
  if (v.length) violations.push({ url: page.url(), v });
  expect(v.map((x) => `${x.id}: ${x.help} (${x.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([]);
}

async function newListing(): Promise<string> {
  const r = await sys.app.inject({
    method: 'POST',
    url: '/v1/cases',
    headers: { authorization: `Bearer ${sys.token(OFFICER)}` },
    payload: listingBody(),
  });
  expect(r.statusCode).toBe(201);
  const id = r.json().id as string;
  await settledCase(sys, id, 'opened');
  return id;
}

/** What the API answers ZY-SAMR's officer (OFFICER) to a GET of `url`. */
async function asOfficer(url: string) {
  return (await sys.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${sys.token(OFFICER)}` } })).json();
}

const nowLocal = () => new Date(Date.now() + 8 * 3_600_000 - 60_000).toISOString().slice(0, 16);

async function serveNotice(page: Page, caseId: string) {
  await page.goto(`${base}/console/cases/${caseId}`);
  await page.selectOption('#serve_notice-f-method', 'in_person');
  await page.fill('#serve_notice-f-servedAt', nowLocal());
  await page.click('#action-serve_notice button[type=submit]');
  await page.waitForSelector('text=此事项具有法律效力');
}

/** Opens a listing case through the console's form, as an officer types it: checksums said while typing, a second row added, the check step. */
async function openListingInConsole(page: Page): Promise<string> {
  const uscc = makeUscc('91620702MA7LC' + String(Date.now() % 10_000).padStart(4, '0'));
  await page.click('nav a:has-text("立案")');
  await page.waitForSelector('form[action="/console/cases/listing"]');
  await checkA11y(page);
  await page.selectOption('#f-subject\\.kind', 'legal_person');
  // A mistyped check character is caught as it is typed, with the expected one; the right code passes.
  const wrong = uscc.slice(0, 17) + (uscc[17] === '0' ? '1' : '0');
  await page.fill('#f-subject\\.id', wrong.slice(0, 10));
  await page.waitForSelector('#f-subject\\.id-check:has-text("已输入10位")');
  await page.fill('#f-subject\\.id', wrong);
  await page.waitForSelector(`#f-subject\\.id-check:has-text("应为“${uscc[17]}”")`);
  expect(await page.getAttribute('#f-subject\\.id', 'aria-invalid')).toBe('true');
  await page.fill('#f-subject\\.id', uscc.toLowerCase());
  await page.waitForSelector('#f-subject\\.id-check:has-text("统一社会信用代码校验通过")');
  await page.fill('#f-subject\\.name', '张掖市某某食品有限公司');
  await page.check('#f-category-health_safety');
  await page.fill('#f-facts', '经查，该公司在2026年生产销售不符合食品安全标准的食品，情节严重。');
  await page.fill('#f-basisDocuments\\.0\\.title', '行政处罚决定书');
  await page.fill('#f-basisDocuments\\.0\\.number', '张市监罚〔2026〕18号');
  await page.fill('#f-basisDocuments\\.0\\.issuedOn', '2026-03-02');
  await page.check('#f-measure\\.N-01');
  await page.check('#f-measure\\.N-03');
  await page.selectOption('#f-responsiblePersons\\.0\\.role', 'legal_representative');
  await page.fill('#f-responsiblePersons\\.0\\.name', '王某');
  await page.fill('#f-responsiblePersons\\.0\\.idNumber', '62070219800101001');
  await page.waitForSelector('#f-responsiblePersons\\.0\\.idNumber-check:has-text("已输入17位")');
  await page.fill('#f-responsiblePersons\\.0\\.idNumber', makeResidentId('620702', '19800101', '001'));
  await page.waitForSelector('#f-responsiblePersons\\.0\\.idNumber-check:has-text("身份证号码校验通过")');
  // Another document row, without losing anything typed (a round trip to the server: it works without JavaScript).
  await page.click('button:has-text("再添加一份文书")');
  await page.waitForSelector('#f-basisDocuments\\.2\\.title');
  expect(await page.inputValue('#f-subject\\.name')).toBe('张掖市某某食品有限公司');
  expect(await page.isChecked('#f-measure\\.N-03')).toBe(true);
  await page.fill('#f-basisDocuments\\.2\\.title', '责令改正通知书');
  await page.fill('#f-basisDocuments\\.2\\.number', '张市监责改〔2026〕3号');
  await page.fill('#f-basisDocuments\\.2\\.issuedOn', '2026-02-20');
  await screenshot(page, 'listing-new');
  await page.click('#f-continue');
  await page.waitForSelector('text=立案后将以本单位名义启动');
  await screenshot(page, 'listing-check');
  const check = (await page.textContent('main'))!;
  expect(check).toContain(uscc);
  expect(check).toContain('责令改正通知书（张市监责改〔2026〕3号，2026年2月20日）');
  expect(check).toContain('按本部门规定：3年');
  await checkA11y(page);
  // A double click on the confirmation opens one case (the form's Idempotency-Key).
  await page.dblclick('button:has-text("确认立案")');
  await page.waitForSelector('text=已办理：立案');
  const caseId = /\/console\/cases\/([^?]+)/.exec(page.url())![1]!;
  const list = await asOfficer(`/v1/cases?procedure=listing&subjectId=${uscc}`);
  expect(list.items.map((c: { id: string }) => c.id)).toEqual([caseId]);
  await settledCase(sys, caseId, 'opened');
  return caseId;
}

it('signs an officer in, opens a listing case, serves the notice through the check step, and shows the statement window with its explanation', async () => {
  const { context, page } = await signedIn('张掖市市场监督管理局 经办人员');
  const caseId = await openListingInConsole(page);
  await page.click('nav a:has-text("工作台")');
  await page.waitForSelector('#cases');
  await page.evaluate(() => ((window as unknown as { kept: number }).kept = 1));
  await page.fill('#f-q', caseId);
  await page.click('form.filters button[type=submit]');
  await page.waitForSelector('#cases:has-text("共1件待办")');
  await page.waitForSelector(`a[href="/console/cases/${caseId}"]`);
  // htmx fetched only the list (the window was not reloaded) and put the filter in the URL.
  expect(await page.evaluate(() => (window as unknown as { kept?: number }).kept)).toBe(1);
  expect(page.url()).toContain(`q=${caseId}`);
  await checkA11y(page);
  await screenshot(page, 'workbench');

  await page.click(`a[href="/console/cases/${caseId}"]`);
  await page.waitForSelector('#action-serve_notice');
  await checkA11y(page);
  await serveNotice(page, caseId);
  await checkA11y(page);
  expect(await page.textContent('main')).toContain('直接送达');
  await page.click('text=确认送达拟列入告知书');
  await page.waitForSelector('text=已办理：送达拟列入告知书');
  const text = (await page.textContent('main'))!;
  expect(text).toContain('已送达告知书');
  expect(text).toContain('陈述申辩、申请听证期限');
  expect(text).toMatch(/剩余\d+个工作日|今日到期/);
  // What is not available yet says when it will be: the proposal after the statement window's end.
  expect(text).toMatch(/提出处理意见：陈述申辩期限于\d{4}年\d{1,2}月\d{1,2}日24时届满后，或当事人提交陈述申辩后可办理/);
  await page.click('summary:has-text("查看计算说明")');
  expect(await page.isVisible('details[open] li')).toBe(true);
  expect(await page.textContent('details[open]')).toContain('工作日');
  await checkA11y(page);
  await screenshot(page, 'case-page');

  // The notice opens as the printable document it is.
  const link = page.locator('a:has-text("拟列入严重失信主体名单告知书")');
  await link.click();
  await page.waitForSelector('h1');
  expect(await page.textContent('body')).toContain('陈述');
  await checkA11y(page);
  await screenshot(page, 'document');
  await context.close();
});

it('says in Chinese, at each field, what keeps a listing case from being opened, keeping what was typed', async () => {
  const { context, page } = await signedIn('张掖市市场监督管理局 经办人员');
  await page.goto(`${base}/console/cases/new`);
  await page.selectOption('#f-subject\\.kind', 'natural_person');
  await page.fill('#f-subject\\.id', '620702198001010010');
  await page.fill('#f-subject\\.name', '李某');
  await page.fill('#f-basisDocuments\\.0\\.title', '行政处罚决定书');
  // Enter in a field continues (the form's first button), it does not add a row.
  await page.press('#f-subject\\.name', 'Enter');
  await page.waitForSelector('.error-summary');
  expect(await page.locator('#f-basisDocuments\\.2\\.title').count()).toBe(0);
  const summary = (await page.textContent('.error-summary'))!;
  expect(summary).toContain('信用主体：身份证号码校验位不符');
  expect(summary).toContain('严重失信行为类别：此项必填');
  expect(summary).toContain('失信事实：此项必填');
  expect(await page.getAttribute('.error-summary a[href="#f-subject.id"]', 'href')).toBe('#f-subject.id');
  expect(await page.textContent('#f-subject\\.id-error')).toContain('身份证号码校验位不符');
  expect(await page.textContent('#f-category .field-error')).toContain('此项必填');
  expect(await page.textContent('#f-facts-error')).toContain('此项必填');
  expect(await page.inputValue('#f-subject\\.name')).toBe('李某');
  expect(await page.inputValue('#f-basisDocuments\\.0\\.title')).toBe('行政处罚决定书');
  await checkA11y(page);
  // Right in form but against a domain rule the API applies (a measure held longer than the catalogue allows, Art 44).
  await page.fill('#f-subject\\.id', makeResidentId('620702', '19800101', '001'));
  await page.check('#f-category-market_order');
  await page.fill('#f-facts', '虚假宣传，情节严重。');
  // The document typed in the second row, the first left blank: its problem points at the row it was typed in.
  await page.fill('#f-basisDocuments\\.0\\.title', '');
  await page.fill('#f-basisDocuments\\.1\\.title', '行政处罚决定书');
  await page.fill('#f-basisDocuments\\.1\\.number', '张市监罚〔2026〕19号');
  await page.fill('#f-basisDocuments\\.1\\.issuedOn', '2099-03-02');
  await page.check('#f-measure\\.N-04');
  await page.fill('#f-listingPeriod\\.years', '5');
  await page.click('#f-continue');
  await page.waitForSelector('.error-summary');
  // In Chinese, in the summary and at each field (the input names its error for screen readers).
  const period = '惩戒措施 N-04 最长适用3年；所填期限超过措施清单的规定（第四十四条）';
  expect(await page.textContent('.error-summary')).toContain(`列入期限：${period}`);
  expect(await page.textContent('.error-summary a[href="#f-basisDocuments.1.issuedOn"]')).toContain('日期晚于今天，文书尚未作出');
  expect(await page.textContent('#f-listingPeriod .field-error')).toContain(period);
  expect(await page.textContent('#f-basisDocuments\\.1\\.issuedOn-error')).toContain('日期晚于今天，文书尚未作出');
  expect(await page.getAttribute('#f-basisDocuments\\.1\\.issuedOn', 'aria-invalid')).toBe('true');
  expect(await page.getAttribute('#f-basisDocuments\\.1\\.issuedOn', 'aria-describedby')).toBe('f-basisDocuments.1.issuedOn-error');
  expect(await page.textContent('form')).not.toMatch(/lies in the future|may apply for at most/);
  expect(await page.isChecked('#f-measure\\.N-04')).toBe(true);
  await checkA11y(page);
  await screenshot(page, 'listing-new-refused');
  await context.close();
});

it('pages through a workbench longer than a page, fetching only the list when JavaScript runs, with the page in the URL', async () => {
  // 51 open cases of a department no other test here uses.
  const opened = await Promise.all(
    Array.from({ length: 51 }, () =>
      sys.app.inject({
        method: 'POST',
        url: '/v1/cases',
        headers: { authorization: `Bearer ${sys.token(OTHER_OFFICER)}` },
        payload: listingBody({
          subject: {
            kind: 'legal_person',
            id: makeUscc('91620702MA7PG' + String(Math.floor(Math.random() * 10_000)).padStart(4, '0')),
            name: '张掖市某某建筑有限公司',
          },
        }),
      }),
    ),
  );
  expect(opened.map((r) => r.statusCode)).toEqual(Array(51).fill(201));
  const { context, page } = await signedIn('张掖市住房和城乡建设局 经办人员');
  await page.waitForSelector('.pager');
  expect(await page.locator('#cases tbody tr').count()).toBe(50);
  const total = Number(/共(\d+)件待办/.exec((await page.textContent('#cases'))!)![1]);
  expect(total).toBeGreaterThanOrEqual(51);
  expect(await page.textContent('.pager')).toContain(`第1页，共${Math.ceil(total / 50)}页`);
  const firstPage = await page.locator('#cases tbody tr a').allTextContents();
  // A marker on the window survives only if the page was not reloaded.
  await page.evaluate(() => ((window as unknown as { kept: number }).kept = 1));
  await page.click('.pager a:has-text("下一页")');
  await page.waitForSelector('.pager:has-text("第2页")');
  expect(page.url()).toBe(`${base}/console?page=2`);
  expect(await page.evaluate(() => (window as unknown as { kept?: number }).kept)).toBe(1);
  const secondPage = await page.locator('#cases tbody tr a').allTextContents();
  expect(secondPage.length).toBe(total - 50 > 50 ? 50 : total - 50);
  expect(secondPage.filter((id) => firstPage.includes(id))).toEqual([]);
  expect(await page.textContent('#cases')).toContain('本页第51至');
  await checkA11y(page);
  // The same page without JavaScript's help: the link is a plain link to the same URL.
  expect(await page.getAttribute('.pager a[rel=prev]', 'href')).toBe('/console');
  await context.close();
});

it('takes a double-clicked confirmation once', async () => {
  const caseId = await newListing();
  const { context, page } = await signedIn('张掖市市场监督管理局 经办人员');
  await serveNotice(page, caseId);
  await page.dblclick('text=确认送达拟列入告知书');
  await page.waitForSelector('text=已送达告知书');
  const view = await asOfficer(`/v1/cases/${caseId}`);
  expect(view.timeline.filter((t: { action: string }) => t.action === 'serve_notice')).toHaveLength(1);
  expect(view.documents).toHaveLength(1);
  await context.close();
});

it('shows why an action was refused next to its form, keeping what was typed', async () => {
  const caseId = await newListing();
  const { context, page } = await signedIn('张掖市市场监督管理局 经办人员');
  const stale = await context.newPage();
  await stale.goto(`${base}/console/cases/${caseId}`);
  // Served meanwhile in another tab; the stale page's form is then refused by the workflow, with its reason.
  await serveNotice(page, caseId);
  await page.click('text=确认送达拟列入告知书');
  await page.waitForSelector('text=已送达告知书');
  await stale.selectOption('#serve_notice-f-method', 'mail');
  await stale.fill('#serve_notice-f-servedAt', nowLocal());
  await stale.click('#action-serve_notice button[type=submit]');
  await stale.click('text=确认送达拟列入告知书');
  await stale.waitForSelector('.error-summary');
  expect(await stale.textContent('.error-summary')).toMatch(/此事项未能办理[\s\S]*案件当前为“已送达告知书”状态，不能送达拟列入告知书/);
  // The form is shown again with what was typed; the case shows one service.
  expect(await stale.inputValue('#serve_notice-f-method')).toBe('mail');
  await checkA11y(stale);
  const view = await asOfficer(`/v1/cases/${caseId}`);
  expect(view.timeline.filter((t: { action: string }) => t.action === 'serve_notice')).toHaveLength(1);
  await context.close();
});

it('lets the agency accept and forward an objection from its queue, and the supplying department decide it', async () => {
  const rec = await sys.app.inject({
    method: 'POST',
    url: '/v1/records',
    headers: { authorization: `Bearer ${sys.token(OFFICER)}` },
    payload: recordBody({ severity: 'general' }),
  });
  expect(rec.statusCode).toBe(201);
  const record = rec.json();
  const subject = { role: 'subject' as const, sub: 'subject-1', subjectId: record.subject.id };
  const filed = await sys.app.inject({
    method: 'POST',
    url: '/v1/cases',
    headers: { authorization: `Bearer ${sys.token(subject)}` },
    payload: {
      procedure: 'objection',
      recordId: record.id,
      grounds: 'error_or_omission',
      statement: '罚款金额记载有误。',
      evidence: [{ title: '缴款凭证', description: '实际罚款五千元' }],
    },
  });
  expect(filed.statusCode).toBe(201);
  const caseId = filed.json().id as string;
  await settledCase(sys, caseId, 'submitted');

  const agency = await signedIn('张掖市发展和改革委员会 经办人员');
  await agency.page.goto(`${base}/console/queues`);
  await checkA11y(agency.page);
  await agency.page.click(`a[href="/console/cases/${caseId}"]`);
  await agency.page.click('#action-accept button[type=submit]');
  await agency.page.waitForSelector('text=已办理：受理异议');
  await agency.page.fill('#forward-f-department', 'ZY-SAMR');
  await agency.page.click('#action-forward button[type=submit]');
  await agency.page.waitForSelector('text=已转送核查');
  // The decision is now the supplier's, by its deadline; the agency is told so instead of offered a form.
  expect(await agency.page.textContent('main')).toMatch(
    /作出异议处理决定：已转送张掖市市场监督管理局核查，等待其作出处理决定（核查答复期限于\d{4}年\d{1,2}月\d{1,2}日24时届满）/,
  );
  expect(await agency.page.isVisible('#action-decide')).toBe(false);
  await agency.context.close();

  const supplier = await signedIn('张掖市市场监督管理局 经办人员');
  await supplier.page.goto(`${base}/console/queues`);
  await supplier.page.click(`a[href="/console/cases/${caseId}"]`);
  await supplier.page.selectOption('#decide-f-outcome', 'correct');
  await supplier.page.fill('#decide-f-reasons', '罚款金额记载错误，予以更正。');
  await supplier.page.fill('#decide-f-correctedContent', '因虚假宣传被处罚款五千元。');
  await supplier.page.click('#action-decide button[type=submit]');
  await supplier.page.waitForSelector('text=此事项具有法律效力');
  await supplier.page.click('text=确认作出异议处理决定');
  await supplier.page.waitForSelector('text=已办理：作出异议处理决定');
  expect(await supplier.page.textContent('main')).toContain('已办结');
  await checkA11y(supplier.page);
  await supplier.context.close();
  // The agency's officer accepted and forwarded it; the supplying department's officer decided it.
  const decided = await asOfficer(`/v1/cases/${caseId}`);
  const by = (action: string) =>
    decided.timeline.filter((t: { action: string }) => t.action === action).map((t: { actor: string }) => t.actor);
  expect(by('accept')).toEqual(['dev-zy-drc-officer']);
  expect(by('forward')).toEqual(['dev-zy-drc-officer']);
  expect(by('decide')).toEqual(['dev-zy-samr-officer']);
  expect(decided.closed).toBe(true);
});

it('ends the session on sign-out and refuses a form without its CSRF token', async () => {
  const { context, page } = await signedIn('张掖市市场监督管理局 经办人员');
  const forged = await context.request.post(`${base}/console/sign-out`, { form: { _csrf: 'forged' } });
  expect(forged.status()).toBe(403);
  await page.click('button:has-text("退出")');
  await page.waitForSelector('text=您已退出登录');
  await page.goto(`${base}/console`);
  expect(page.url()).toContain('/console/sign-in');
  await context.close();
});

it('lets an officer supply a credit record for their department, and says what is wrong with a bad one, keeping what was typed', async () => {
  const { context, page } = await signedIn('张掖市市场监督管理局 经办人员');
  await page.click('a:has-text("报送信用信息")');
  await page.waitForSelector('form[action="/console/records"]');
  await checkA11y(page);
  await page.selectOption('#f-subject\\.kind', 'legal_person');
  await page.fill('#f-subject\\.id', '91620702MA7111111X');
  await page.fill('#f-subject\\.name', '张掖市某某商贸有限公司');
  // The type is an item of the published catalogue (Art 32); a penalty says its procedure and the Art 34 (二) facts.
  expect(await page.locator('#f-type option[value="judgment_default"]').count()).toBe(0);
  await page.selectOption('#f-type', 'administrative_penalty');
  await page.selectOption('#f-severity', 'general');
  await page.fill('#f-content', '因销售过期食品被处罚款五万元。');
  await page.fill('#f-documentNumber', '张市监罚〔2026〕77号');
  await page.fill('#f-decidedOn', shanghaiToday(-30));
  await page.fill('#f-issuedBy', '张掖市市场监督管理局');
  await page.selectOption('#f-penalty\\.procedure', 'summary');
  await page.selectOption('#f-penalty\\.minor', 'no');
  await page.selectOption('#f-penalty\\.remedied', 'no');
  await page.click('form[action="/console/records"] button[type=submit]');
  // A code whose check character is wrong is refused by the API's own checksum, in Chinese, and the form keeps what was typed.
  await page.waitForSelector('.error-summary');
  expect(await page.textContent('.error-summary')).toContain('信用主体：统一社会信用代码校验位不符');
  expect(await page.inputValue('#f-content')).toBe('因销售过期食品被处罚款五万元。');
  await checkA11y(page);
  const summaryProcedure = '适用简易程序作出的行政处罚不属于失信信息：第三十四条第二项只认可适用普通程序作出的行政处罚';
  expect(await page.textContent('.error-summary')).toContain(`行政处罚情况：${summaryProcedure}`);
  expect(await page.textContent('#f-penalty\\.procedure-error')).toContain(summaryProcedure);
  expect(await page.textContent('#f-subject\\.id-error')).toContain('统一社会信用代码校验位不符');
  await screenshot(page, 'record-new');
  const good = makeUscc('91620702MA7111111');
  await page.fill('#f-subject\\.id', good);
  await page.waitForSelector('#f-subject\\.id-check:has-text("统一社会信用代码校验通过")');
  await page.selectOption('#f-penalty\\.procedure', 'general');
  await page.click('form[action="/console/records"] button[type=submit]');
  // The check step says how long the record will be disclosed before anything is supplied.
  await page.waitForSelector('text=报送后，该信息将归集');
  expect(await page.textContent('main')).toMatch(/最长公示\d+年，至\d{4}-\d{2}-\d{2}届满/);
  // … and that a second officer of the department must release it first (Art 36).
  expect(await page.textContent('main')).toContain('须经本单位另一名工作人员审核发布');
  expect(await page.textContent('main')).toContain('第34(二)项');
  await screenshot(page, 'record-check');
  expect(await sys.db.creditRecord.count({ where: { subjectId: good } })).toBe(0);
  await checkA11y(page);
  await page.dblclick('button:has-text("确认报送")');
  await page.waitForSelector('text=已报送信用信息');
  expect(await page.textContent('.notice')).toContain('待本单位另一名工作人员审核发布');
  const rows = await sys.db.creditRecord.findMany({
    where: { subjectId: good, documentNumber: '张市监罚〔2026〕77号' },
  });
  expect(rows).toHaveLength(1);
  expect(rows[0]).toMatchObject({
    department: 'ZY-SAMR',
    severity: 'general',
    createdBy: 'dev-zy-samr-officer',
    status: 'pending_review',
    issuedBy: '张掖市市场监督管理局',
    article: '34(二)',
    penalty: { procedure: 'general', minor: false, remedied: false },
  });
  // The supplier finds it awaiting review, but may not release it.
  await page.click('a:has-text("审核信用信息")');
  await page.waitForSelector(`h2:has-text("${rows[0]!.id}")`);
  expect(await page.textContent(`section[aria-labelledby="h-${rows[0]!.id}"]`)).toContain('此信息由您报送');
  await checkA11y(page);
  await context.close();

  // A second officer of the department releases it (Art 36).
  const second = await signedIn('张掖市市场监督管理局 第二经办人员');
  await second.page.goto(`${base}/console/records/review`);
  await screenshot(second.page, 'record-review');
  await second.page.click(`section[aria-labelledby="h-${rows[0]!.id}"] button:has-text("审核通过并发布")`);
  await second.page.waitForSelector(`text=已发布信用信息 ${rows[0]!.id}`);
  await checkA11y(second.page);
  expect(await sys.db.creditRecord.findUniqueOrThrow({ where: { id: rows[0]!.id } })).toMatchObject({
    status: 'active',
    reviewedBy: 'dev-zy-samr-officer-2',
  });
  await second.context.close();
});
