/**
 * The supervisors' work pages in a real Chromium against the real API, Temporal and Postgres: a calendar year's load
 * previewed (every deadline it would move) and proposed; one's own proposal listed but not approvable, with why; a
 * second supervisor approving one proposal and sending back another with a comment, each through its check step; a
 * CSV import with its per-row report, uploaded twice and importing nothing twice; the case search. axe-core runs on
 * every page visited, and each page is photographed.
 */

import type { Browser, BrowserContext, Page } from 'playwright-core';
import { apiAs, settledCase, subjectOf, type Claims, type System } from '../support/system';
import { shanghaiToday } from '../support/test-calendar';
import { OFFICER, SECOND_SUPERVISOR, SUPERVISOR, listingBody, randomResidentId, randomUscc } from '../support/fixtures';
import { screenshot } from '../support/browser';
import { closeConsole, expectAccessible, handedOver, openConsole } from '../support/console-browser';
import { statutoryFestivals } from '../../domain/calendar';
import { IMPORT_COLUMNS } from '../../console/listing-import-csv';

let sys: System;
let browser: Browser;
let base: string;
let api: ReturnType<typeof apiAs>;

beforeAll(async () => {
  ({ sys, browser, base } = await openConsole());
  api = apiAs(sys);
}, 120_000);
afterAll(() => closeConsole({ sys, browser }));

/** A browser signed in as `claims` by handing over their bearer token (a portal's way in), on the supervisor's first page. */
async function signedIn(claims: Claims): Promise<{ context: BrowserContext; page: Page }> {
  const { context, page } = await handedOver({ sys, browser, base }, claims);
  await page.goto(`${base}/console`);
  expect(page.url()).toBe(`${base}/console/supervise/approvals`);
  return { context, page };
}

let shot = 0;
/** axe-core clean (no serious or critical violation), and a screenshot to look at. */
async function checked(page: Page, name: string) {
  await expectAccessible(page);
  await screenshot(page, `supervisor-work-${String(++shot).padStart(2, '0')}-${name}`);
}

/**
 * An imported listing's open litigation window (six months from service, so next year's): a notice that makes its
 * last day a holiday moves it.
 */
async function subjectWindow(): Promise<{ caseId: string; dueDate: string; year: number }> {
  const imported = await api.post('/v1/imports/listings', SUPERVISOR, importBody());
  expect(imported.statusCode).toBe(201);
  const caseId = imported.json().id as string;
  await settledCase(sys, caseId, 'listed');
  const view = (await api.get(`/v1/cases/${caseId}`, SUPERVISOR)).json();
  const d = view.deadlines.find((x: { status: string; kind: string }) => x.status === 'open' && x.kind === 'litigation_window');
  expect(d).toBeDefined();
  return { caseId, dueDate: d.dueDate as string, year: Number((d.dueDate as string).slice(0, 4)) };
}

function importBody() {
  return {
    subject: { kind: 'legal_person', id: randomUscc(), name: '张掖市某某餐饮有限公司' },
    category: 'health_safety',
    facts: '使用过期原料加工食品，情节严重。',
    basisDocuments: [{ title: '行政处罚决定书', number: `张市监罚〔2026〕${Date.now() % 100_000}号`, issuedOn: shanghaiToday(-60) }],
    measures: ['N-01'],
    responsiblePersons: [{ role: 'legal_representative', name: '刘某', idNumber: randomResidentId() }],
    decisionDocument: { number: `张市监认〔2026〕${Date.now() % 100_000}号`, issuedOn: shanghaiToday(-40) },
    decisionServedAt: `${shanghaiToday(-38)}T10:00:00+08:00`,
  };
}

/** A listing case whose officer's proposed decision awaits a supervisor's approval. */
async function decisionAwaitingApproval(): Promise<string> {
  const body = listingBody();
  const opened = await api.post('/v1/cases', OFFICER, body);
  expect(opened.statusCode).toBe(201);
  const id = opened.json().id as string;
  await settledCase(sys, id, 'opened');
  expect((await api.act(id, 'serve_notice', OFFICER, { servedAt: new Date().toISOString(), method: 'in_person' })).statusCode).toBe(200);
  await settledCase(sys, id, 'notice_served');
  const stated = await api.act(id, 'submit_statement', subjectOf(body.subject.id), { text: '已整改完毕。', requestHearing: false });
  expect(stated.statusCode).toBe(200);
  await settledCase(sys, id, 'under_review');
  const proposed = await api.act(id, 'propose_decision', OFFICER, { outcome: 'list', reasons: '情节严重。', measures: ['N-01'] });
  expect(proposed.statusCode).toBe(200);
  await settledCase(sys, id, 'awaiting_approval');
  return id;
}

const proposal = async (id: string) => (await api.get(`/v1/settings/proposals/${id}`, SUPERVISOR)).json();

test('a year is previewed and proposed; its proposer may not approve it; a second supervisor approves one proposal and sends back another', async () => {
  const { caseId, dueDate, year } = await subjectWindow();
  const versionOf = async () =>
    (await api.get('/v1/calendar/years', SUPERVISOR)).json().items.find((y: { year: number }) => y.year === year)?.version as
      | string
      | undefined;
  const versionBefore = await versionOf();
  const holidays = [...new Set([...statutoryFestivals(year).flatMap((f) => f.days), dueDate])].sort();
  const source = `国务院办公厅关于${year}年部分节假日安排的通知（测试用）`;
  const dry = await sys.app.inject({
    method: 'PUT',
    url: `/v1/calendar/years/${year}?dryRun=true`,
    headers: api.auth(SUPERVISOR),
    payload: { source, holidays, workdays: [] },
  });
  expect(dry.statusCode).toBe(200);
  const moved = dry.json().moved as { caseId: string; from: string; to: string }[];
  const mine = moved.find((m) => m.caseId === caseId);
  expect(mine?.from).toBe(dueDate);

  // The first supervisor: the settings page, the form, the dry run listed before proposing.
  const first = await signedIn(SUPERVISOR);
  let page = first.page;
  await checked(page, 'approvals-empty-or-not');
  await page.click('nav >> text=日历与时限');
  await page.waitForURL(`${base}/console/supervise/settings`);
  await expect(page.textContent('main')).resolves.toContain('施行中的时限');
  await checked(page, 'settings');
  await page.fill('#f-year', String(year));
  await page.fill('#f-source', source);
  // A notice without the statutory festivals is refused by the API's checks, at its field, with what was typed kept.
  await page.fill('#f-holidays', dueDate);
  await page.click('#calendar-form button[type=submit]');
  await page.waitForSelector('#error-summary');
  await expect(page.locator('#f-holidays-error').count()).resolves.toBe(1);
  await expect(page.inputValue('#f-source')).resolves.toBe(source);
  await checked(page, 'calendar-refused');
  await page.fill('#f-holidays', holidays.join('\n'));
  await page.click('#calendar-form button[type=submit]');
  await page.waitForSelector('text=试算结果');
  const main = (await page.textContent('main')) ?? '';
  expect(main).toContain(`共 ${moved.length} 项`);
  const row = page.locator('tr', { has: page.locator(`a[href="/console/cases/${caseId}"]`) });
  await expect(row.count()).resolves.toBe(1);
  await checked(page, 'calendar-check');
  await page.click('button:has-text("提交审批")');
  await page.waitForSelector('text=已提出载入申请');
  const calendarId = (await page.textContent('.notice a'))!.trim();
  expect((await proposal(calendarId)).status).toBe('proposed');
  await checked(page, 'calendar-proposed');

  // Their own proposal: listed, with the reason, and no approval button on its page.
  await page.goto(`${base}/console/supervise/approvals`);
  const ownRow = page.locator('tr', { has: page.locator(`a[href="/console/supervise/approvals/${calendarId}"]`) });
  await expect(ownRow.textContent()).resolves.toContain('须由另一名审核人员批准');
  await page.goto(`${base}/console/supervise/approvals/${calendarId}`);
  await expect(page.locator('button:has-text("批准")').count()).resolves.toBe(0);
  await expect(page.textContent('main')).resolves.toContain('此事项由您提出，须由另一名审核人员批准');
  await checked(page, 'own-proposal');
  await first.context.close();

  // A policy override proposed through the API by the same first supervisor, for a department no other test's
  // policy depends on (the run shares one database: test/api/settings.test.ts previews ZY-HRSS's from the default).
  const override = await api.post('/v1/policy/overrides', SUPERVISOR, {
    procedure: 'listing',
    department: 'ZY-PBC',
    source: '《中国人民银行张掖市分行行政处罚程序规定》（测试用）',
    values: { statement_window: { amount: 10 } },
  });
  expect(override.statusCode).toBe(202);
  const overrideId = override.json().id as string;

  const decisionCase = await decisionAwaitingApproval();

  // The second supervisor: both are theirs to decide, and so is the officer's proposed decision, on its case page.
  const second = await signedIn(SECOND_SUPERVISOR);
  page = second.page;
  const decisionRow = page.locator('tr', { has: page.locator(`a[href="/console/cases/${decisionCase}"]`) });
  await expect(decisionRow.textContent()).resolves.toContain('可在案件页批准或退回');
  for (const id of [calendarId, overrideId]) {
    const r = page.locator('tr', { has: page.locator(`a[href="/console/supervise/approvals/${id}"]`) });
    await expect(r.textContent()).resolves.toContain('可审批');
  }
  await checked(page, 'approvals');

  await page.click(`a[href="/console/supervise/approvals/${overrideId}"]`);
  await page.waitForSelector('text=将调整的条目');
  await checked(page, 'override');
  await page.click('button:has-text("批准")');
  await page.waitForSelector('text=确认批准');
  await checked(page, 'override-check');
  await page.click('button:has-text("确认批准")');
  await page.waitForSelector('text=已批准，变更已生效');
  expect(await proposal(overrideId)).toMatchObject({ status: 'approved', decidedBy: SECOND_SUPERVISOR.sub });

  await page.goto(`${base}/console/supervise/approvals`);
  await page.click(`a[href="/console/cases/${decisionCase}"]`);
  await page.waitForURL(`${base}/console/cases/${decisionCase}`);
  await page.fill('#approve_decision-f-comment', '同意列入。');
  await page.click('#action-approve_decision button[type=submit]');
  await page.click('text=确认批准处理意见');
  await page.waitForLoadState();
  await settledCase(sys, decisionCase, 'decided');

  // The calendar load: its dry run shown before approval; sent back, first without a comment, then with one.
  await page.goto(`${base}/console/supervise/approvals/${calendarId}`);
  await page.waitForSelector('text=试算：批准后将变动的期限');
  await expect(page.locator(`main a[href="/console/cases/${caseId}"]`).count()).resolves.toBe(1);
  await checked(page, 'calendar-proposal');
  await page.click('button:has-text("退回")');
  await page.waitForSelector('#error-summary');
  await expect(page.textContent('#f-reasons-error')).resolves.toContain('请填写退回意见');
  await checked(page, 'send-back-error');
  await page.fill('#f-reasons', '依据文件文号未注明，请补充后重新提出。');
  await page.click('button:has-text("退回")');
  await page.waitForSelector('text=确认退回');
  await expect(page.textContent('main')).resolves.toContain('依据文件文号未注明');
  await page.click('button:has-text("确认退回")');
  await page.waitForSelector('text=已退回，设置未作任何变更');
  expect(await proposal(calendarId)).toMatchObject({
    status: 'rejected',
    decidedBy: SECOND_SUPERVISOR.sub,
    reasons: ['依据文件文号未注明，请补充后重新提出。'],
  });
  // Nothing of the year was loaded.
  expect(await versionOf()).toBe(versionBefore);
  await second.context.close();
}, 120_000);

/** A CSV line: every cell quoted, quotes doubled. */
const line = (cells: string[]) => cells.map((c) => `"${c.replace(/"/g, '""')}"`).join(',');

test('a CSV file is imported with a report of every row; uploaded again, it imports nothing twice; the cases are found by search', async () => {
  const a = randomUscc();
  const b = randomUscc();
  const stamp = Date.now() % 1_000_000;
  const row = (id: string, n: number, over: Record<string, string> = {}) => {
    const cells: Record<string, string> = {
      主体类型: '法人',
      主体代码: id,
      主体名称: `张掖市某某${n}号商贸有限公司`,
      认定类别: 'health_safety',
      失信事实: '销售假冒伪劣食品，"情节严重"，造成多人就医。',
      依据文书名称: '行政处罚决定书',
      依据文书编号: `张市监罚〔2026〕${stamp}-${n}号`,
      依据文书日期: shanghaiToday(-90),
      惩戒措施: 'N-01；N-03',
      认定决定书编号: `张市监认〔2026〕${stamp}-${n}号`,
      认定决定日期: shanghaiToday(-60),
      决定送达时间: `${shanghaiToday(-58)} 10:00`,
      '列入期限（年）': '',
      认定部门代码: 'ZY-SAMR',
      法定代表人姓名: '周某',
      法定代表人身份证号码: randomResidentId(),
      ...over,
    };
    return line(IMPORT_COLUMNS.map((c) => cells[c.header] ?? ''));
  };
  const csv = [
    line(IMPORT_COLUMNS.map((c) => c.header)),
    row(a, 1),
    row(randomUscc(), 2, { 失信事实: '' }),
    row(b, 3),
    row(`${a.slice(0, 17)}${a.endsWith('0') ? '1' : '0'}`, 4),
    row(randomUscc(), 5, { 惩戒措施: 'N-01；Z-99' }),
  ].join('\r\n');

  const { context, page } = await signedIn(SECOND_SUPERVISOR);
  await page.click('nav >> text=导入');
  await page.waitForURL(`${base}/console/supervise/imports`);
  await expect(page.textContent('main')).resolves.toContain('认定决定书编号');
  const sample = await context.request.get(`${base}/console/supervise/imports/sample.csv`);
  expect(sample.headers()['content-disposition']).toContain('attachment');
  expect((await sample.text()).split('\r\n')[0]).toBe(`\uFEFF${IMPORT_COLUMNS.map((c) => c.header).join(',')}`);
  await checked(page, 'imports');

  async function upload(on: Page = page): Promise<Record<string, string>> {
    const page = on;
    await page.goto(`${base}/console/supervise/imports`);
    // As a spreadsheet program saves "CSV UTF-8": with a BOM.
    await page.setInputFiles('#f-file', { name: '历史认定.csv', mimeType: 'text/csv', buffer: Buffer.from(`\uFEFF${csv}`, 'utf8') });
    await page.click('button:has-text("读取并核对")');
    await page.waitForSelector('text=共读取 5 行，其中 3 行可以提交');
    await checked(page, 'csv-check');
    await page.click('button:has-text("导入 3 行")');
    await page.waitForSelector('#import-report');
    await checked(page, 'csv-report');
    const outcomes: Record<string, string> = {};
    for (const tr of await page.locator('#import-report tbody tr').all()) {
      const cells = await tr.locator('td').allTextContents();
      outcomes[cells[0]!] = `${cells[3]}|${cells[4]}`;
    }
    return outcomes;
  }

  // A file saved in GBK (as older spreadsheet programs do) is refused at its field, nothing imported.
  await page.setInputFiles('#f-file', {
    name: 'gbk.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from([0xd6, 0xf7, 0xcc, 0xe5, 0x2c, 0x0d, 0x0a]),
  });
  await page.click('button:has-text("读取并核对")');
  await page.waitForSelector('#error-summary');
  await expect(page.textContent('#f-file-error')).resolves.toContain('不是 UTF-8 编码');
  await checked(page, 'csv-not-utf8');

  const firstRun = await upload();
  expect(firstRun['1']).toMatch(/^已导入\|LST-/);
  expect(firstRun['2']).toBe('未导入|失信事实：此项必填');
  expect(firstRun['4']).toMatch(/^未导入\|主体代码：.*校验位不符/);
  // Refused by the API's rules (the measure catalogue), not by the console's checks.
  expect(firstRun['5']).toMatch(/^未导入\|惩戒措施：/);
  expect(firstRun['3']).toMatch(/^已导入\|LST-/);
  const caseA = firstRun['1']!.split('|')[1]!;
  await expect(page.textContent('main')).resolves.toContain('共 5 行：新导入 2 行，此前已导入 0 行，未导入 3 行');

  const secondRun = await upload();
  expect(secondRun['1']).toBe(`已导入（此前已导入，未重复导入）|${caseA}`);
  expect(secondRun['3']).toBe(`已导入（此前已导入，未重复导入）|${firstRun['3']!.split('|')[1]}`);
  expect(secondRun['2']).toBe(firstRun['2']);
  expect(secondRun['4']).toBe(firstRun['4']);
  expect(secondRun['5']).toBe(firstRun['5']);
  // Another supervisor uploading the same file imports nothing again either (the API knows the decisions).
  const other = await signedIn(SUPERVISOR);
  const thirdRun = await upload(other.page);
  await other.context.close();
  expect(thirdRun).toEqual(secondRun);
  for (const id of [a, b]) {
    const found = (await api.get(`/v1/cases?procedure=listing&subjectId=${id}`, SUPERVISOR)).json().items;
    expect(found).toHaveLength(1);
  }

  // The case search, across departments, leads to the case page.
  await page.click('nav >> text=案件查询');
  await page.waitForURL(`${base}/console/supervise/cases`);
  await checked(page, 'cases');
  await page.fill('#f-subjectId', a);
  await page.selectOption('#f-procedure', 'listing');
  await page.click('button:has-text("查询")');
  await page.waitForSelector(`a[href="/console/cases/${caseA}"]`);
  await expect(page.locator('main tbody tr').count()).resolves.toBe(1);
  await checked(page, 'cases-found');
  await page.click(`a[href="/console/cases/${caseA}"]`);
  await page.waitForURL(`${base}/console/cases/${caseA}`);
  await expect(page.textContent('main')).resolves.toContain(a);
  await context.close();
}, 120_000);

test('one listing is imported by form through its check step; sent again, it is reported as imported before', async () => {
  const { context, page } = await signedIn(SUPERVISOR);
  const id = randomUscc();
  const stamp = Date.now() % 1_000_000;
  let repId = randomResidentId();
  async function fill() {
    await page.goto(`${base}/console/supervise/imports`);
    await page.selectOption('#f-subjectKind', '法人');
    await page.fill('#f-subjectId', id);
    await page.fill('#f-subjectName', '张掖市某某建材有限公司');
    await page.selectOption('#f-category', 'market_order');
    await page.fill('#f-facts', '拒不履行生效判决确定的义务。');
    await page.fill('#f-basisTitle', '民事判决书');
    await page.fill('#f-basisNumber', `(2026)甘07民初${stamp}号`);
    await page.fill('#f-basisIssuedOn', shanghaiToday(-120));
    await page.fill('#f-measures', 'N-01');
    await page.fill('#f-decisionNumber', `张发改认〔2026〕${stamp}号`);
    await page.fill('#f-decisionIssuedOn', shanghaiToday(-100));
    await page.fill('#f-decisionServedAt', `${shanghaiToday(-99)}T09:30`);
    await page.selectOption('#f-department', 'ZY-SAMR');
    await page.fill('#f-repName', '赵某');
    await page.fill('#f-repId', repId);
  }
  // A field left blank is named at the field, with the rest kept.
  await fill();
  await page.fill('#f-facts', '');
  await page.evaluate(() => document.querySelector('#f-facts')?.removeAttribute('required'));
  await page.click('button:has-text("核对")');
  await page.waitForSelector('#error-summary');
  await expect(page.textContent('#f-facts-error')).resolves.toContain('此项必填');
  await expect(page.inputValue('#f-subjectId')).resolves.toBe(id);
  await checked(page, 'one-error');

  await page.fill('#f-facts', '拒不履行生效判决确定的义务。');
  await page.click('button:has-text("核对")');
  await page.waitForSelector('text=确认导入');
  await checked(page, 'one-check');
  await page.dblclick('button:has-text("确认导入")');
  await page.waitForSelector('.notice >> text=已导入');
  const caseId = (await page.textContent('.notice a'))!.trim();
  expect(caseId).toMatch(/^LST-/);
  await checked(page, 'one-done');

  // The same decision with other content: not imported again, and said at the decision's number.
  const first = repId;
  repId = randomResidentId();
  await fill();
  await page.click('button:has-text("核对")');
  await page.click('button:has-text("确认导入")');
  await page.waitForSelector('#error-summary');
  await expect(page.textContent('#f-decisionNumber-error')).resolves.toContain('此前已导入，本行内容与当时导入的不同');
  await checked(page, 'one-changed');

  repId = first;
  await fill();
  await page.click('button:has-text("核对")');
  await page.click('button:has-text("确认导入")');
  await page.waitForSelector('text=该认定此前已导入，未重复导入');
  await expect(page.textContent('.notice a')).resolves.toBe(caseId);
  const found = (await api.get(`/v1/cases?procedure=listing&subjectId=${id}`, SUPERVISOR)).json().items;
  expect(found.map((c: { id: string; department: string }) => [c.id, c.department])).toEqual([[caseId, 'ZY-SAMR']]);
  await context.close();
}, 120_000);

test('the pages are the supervisors’: an officer is sent away; an unknown proposal is the not-found page', async () => {
  const officer = await browser.newContext();
  expect((await officer.request.post(`${base}/console/session`, { form: { token: sys.token(OFFICER) } })).ok()).toBe(true);
  const p = await officer.newPage();
  for (const path of ['approvals', 'settings', 'imports', 'cases']) {
    await p.goto(`${base}/console/supervise/${path}`);
    expect(p.url()).toBe(`${base}/console`);
  }
  await officer.close();
  const { context, page } = await signedIn(SUPERVISOR);
  for (const path of ['approvals/SP-00000000-0000-0000-0000-000000000000', 'approvals/not-an-id']) {
    const res = await page.goto(`${base}/console/supervise/${path}`);
    expect(res?.status()).toBe(404);
  }
  await context.close();
});
