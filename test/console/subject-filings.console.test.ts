/**
 * The subjects' own pages in a real Chromium against the real API, Temporal and Postgres: my records and a record's
 * history (with an official's query and its purpose), the Art 48 entry of a responsible person, an objection through
 * check-your-answers to its case number and the marked record, a statement in an open window with a hearing request,
 * repair eligibility and an application, a refused form that keeps what was typed, and another subject's record or
 * case answered as not found. The data is set up through the API as officers would. axe-core runs on every page.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { apiAs, settledCase, subjectOf, type System } from '../support/system';
import { shanghaiToday } from '../support/test-calendar';
import { OFFICER, SUPERVISOR, listingBody, randomResidentId, randomUscc, recordBody } from '../support/fixtures';
import { screenshot } from '../support/browser';
import { closeConsole, expectAccessible, handedOver, openConsole } from '../support/console-browser';
import { consentToElectronicService } from '../support/service-consent';
import { multipartPayload } from '../../console/multipart';

let sys: System;
let browser: Browser;
let base: string;
let api: ReturnType<typeof apiAs>;

/** Company A, whose pages are walked; company B, whose record and case A must not find. */
const A = { kind: 'legal_person', id: randomUscc(), name: '张掖市甲乙商贸有限公司' };
const B = { kind: 'legal_person', id: randomUscc(), name: '张掖市丙丁商贸有限公司' };
let recentRecord: string; // a month old: within its minimum publicity
let oldRecord: string; // 200 days old: minimum publicity (3 months) over, still disclosed (1 year)
let objectedRecord: string;
let listingCase: string; // A's listing case, notice served: the statement window is open
let bRecord: string;
let bCase: string;
let bObjection: string;
let bFile: string; // an upload of B's, evidence of B's objection

async function supplied(subject: typeof A, overrides: Record<string, unknown> = {}): Promise<string> {
  const r = await api.post('/v1/records', OFFICER, recordBody({ subject, ...overrides }));
  expect(r.statusCode).toBe(201);
  return r.json().id as string;
}

async function listingServed(subject: typeof A): Promise<string> {
  const opened = await api.post('/v1/cases', OFFICER, listingBody({ subject }));
  expect(opened.statusCode).toBe(201);
  const id = opened.json().id as string;
  await settledCase(sys, id, 'opened');
  await consentToElectronicService(sys, subject.id);
  const served = await api.act(id, 'serve_notice', OFFICER, { servedAt: new Date().toISOString(), method: 'electronic' });
  expect(served.statusCode).toBe(200);
  await settledCase(sys, id, 'notice_served');
  return id;
}

beforeAll(async () => {
  ({ sys, browser, base } = await openConsole());
  api = apiAs(sys);
  recentRecord = await supplied(A, { documentNumber: '张市监罚〔2026〕101号' });
  oldRecord = await supplied(A, { documentNumber: '张市监罚〔2026〕102号', decidedOn: shanghaiToday(-200) });
  objectedRecord = await supplied(A, { documentNumber: '张市监罚〔2026〕103号', content: '因虚假宣传被处罚款十万元。' });
  bRecord = await supplied(B);
  listingCase = await listingServed(A);
  bCase = await listingServed(B);
  // B's objection carries a file of B's, which A must not reach by its URL either.
  const { payload, contentType } = multipartPayload([
    { field: 'file', name: '撤销决定.pdf', bytes: Buffer.from(`%PDF-1.4\n${randomUUID()}\n`) },
  ]);
  const uploaded = await sys.app.inject({
    method: 'POST',
    url: '/v1/files',
    headers: { authorization: `Bearer ${sys.token(subjectOf(B.id))}`, 'content-type': contentType },
    payload,
  });
  expect(uploaded.statusCode).toBe(201);
  bFile = uploaded.json().files[0].id as string;
  const objected = await api.post('/v1/cases', subjectOf(B.id), {
    procedure: 'objection',
    recordId: bRecord,
    grounds: 'error_or_omission',
    statement: '处罚决定已被撤销。',
    evidence: [],
    evidenceFiles: [bFile],
  });
  expect(objected.statusCode).toBe(201);
  bObjection = objected.json().id as string;
  // An official's query of A's records, with its stated purpose (Art 39), shows in each record's history.
  const q = await api.get(`/v1/subjects/${A.id}/records?purpose=${encodeURIComponent('行政许可审查')}`, OFFICER);
  expect(q.statusCode).toBe(200);
}, 240_000);
afterAll(() => closeConsole({ sys, browser }));

/** A browser signed in as the subject by the token handover a portal uses (POST /console/session). */
function signedInAs(subjectId: string): Promise<{ context: BrowserContext; page: Page }> {
  return handedOver({ sys, browser, base }, subjectOf(subjectId));
}

async function visit(page: Page, path: string, shot?: string) {
  const r = await page.goto(`${base}${path}`);
  await expectAccessible(page);
  if (shot) await screenshot(page, shot);
  return r;
}

/** A small file of each kind the console takes or refuses; the type is judged by the content, not the name. */
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
const NOT_A_PDF = Buffer.from('这不是PDF文件，只是改了扩展名的文本。');

const mainText = async (page: Page) => (await page.textContent('main')) ?? '';

it("shows my records with their disclosure and a record's history with who supplied and queried it and why", async () => {
  const { context, page } = await signedInAs(A.id);
  await visit(page, '/console', 'subject-records');
  expect(page.url()).toBe(`${base}/console/me/records`);
  const list = await mainText(page);
  for (const n of ['101', '102', '103']) expect(list).toContain(`张市监罚〔2026〕${n}号`);
  expect(list).toContain('公示中');
  expect(list).toContain('张掖市市场监督管理局');
  // The statement-window listing is not in force yet: no listing row.
  expect(list).toContain('您没有在列入期内的严重失信主体名单');

  await page.click(`a[href="/console/me/records/${oldRecord}"]`);
  await page.waitForSelector('h2:has-text("信息记录")');
  await expectAccessible(page);
  await screenshot(page, 'subject-record-history');
  const rows = await page.$$eval('main table tbody tr', (trs) => trs.map((tr) => tr.textContent));
  expect(rows.some((t) => t.includes('报送') && t.includes('张掖市市场监督管理局'))).toBe(true);
  expect(rows.some((t) => t.includes('审核发布'))).toBe(true);
  expect(rows.some((t) => t.includes('查询') && t.includes('查询目的：行政许可审查') && t.includes(OFFICER.sub))).toBe(true);
  const facts = await mainText(page);
  expect(facts).toContain('公示截止');
  expect(facts).toContain('对此信息提出异议');
  await context.close();
});

it('files an objection through check-your-answers and shows the case number, the marked record and who must act by when', async () => {
  const { context, page } = await signedInAs(A.id);
  await visit(page, `/console/me/records/${objectedRecord}`);
  await page.click('a:has-text("对此信息提出异议")');
  await page.waitForSelector('#f-recordId');
  await expectAccessible(page);
  expect(await page.inputValue('#f-recordId')).toBe(objectedRecord);
  // Missing answers are said at their fields, with what was typed kept, and the file chosen uploaded and kept.
  await page.fill('#f-evidence\\.0\\.title', '缴款凭证');
  await page.setInputFiles('#f-evidenceFiles', { name: '缴款凭证.pdf', mimeType: 'application/pdf', buffer: PDF });
  await page.click('button:has-text("继续")');
  await page.waitForSelector('.error-summary');
  expect(await page.textContent('.error-summary')).toContain('异议理由');
  expect(await page.textContent('.error-summary')).toContain('陈述：此项必填');
  expect(await page.inputValue('#f-evidence\\.0\\.title')).toBe('缴款凭证');
  expect(await page.textContent('ul.files')).toContain('缴款凭证.pdf');
  await expectAccessible(page);
  await screenshot(page, 'subject-objection-errors');

  await page.check('#f-grounds-error_or_omission');
  await page.fill('#f-statement', '罚款金额记载错误，应为一万元。');
  await page.fill('#f-evidence\\.0\\.description', '实际缴纳罚款一万元的凭证');
  await page.click('button:has-text("继续")');
  await page.waitForSelector('text=确认提交异议');
  await expectAccessible(page);
  await screenshot(page, 'subject-objection-check');
  const check = await mainText(page);
  expect(check).toContain('张市监罚〔2026〕103号');
  expect(check).toContain('信息存在错误、遗漏');
  expect(check).toContain('缴款凭证：实际缴纳罚款一万元的凭证');
  expect(check).toContain(`缴款凭证.pdf（${PDF.length} 字节）`);
  // A double click files one objection (the form's Idempotency-Key).
  await page.dblclick('button:has-text("确认提交异议")');
  await page.waitForSelector('text=您的异议已提交');
  await expectAccessible(page);
  await screenshot(page, 'subject-objection-filed');
  const caseId = /\/console\/me\/objections\/(OBJ-[\w-]+)/.exec(page.url())?.[1] ?? '';
  expect(caseId).toMatch(/^OBJ-/);
  const filed = await mainText(page);
  expect(filed).toContain(`案件编号 ${caseId}`);
  expect(filed).toContain('标注为“异议处理中”');
  expect(filed).toContain('异议转送期限');
  expect(filed).toMatch(/张掖市发展和改革委员会\d{4}年\d{1,2}月\d{1,2}日24时/);
  expect(filed).toContain('核查答复的期限自其收到之日起计算');
  expect(filed).toContain('缴款凭证.pdf');
  const open = (await api.get(`/v1/cases?procedure=objection&subjectId=${A.id}`, OFFICER)).json().items as { id: string }[];
  expect(open.map((c) => c.id)).toEqual([caseId]);
  // One upload, attached to the one filing, with its content's hash.
  const files = (await api.get(`/v1/cases/${caseId}`, OFFICER)).json().evidenceFiles as { name: string; size: number; sha256: string }[];
  expect(files).toEqual([
    expect.objectContaining({ name: '缴款凭证.pdf', size: PDF.length, sha256: createHash('sha256').update(PDF).digest('hex') }),
  ]);

  await visit(page, `/console/me/records/${objectedRecord}`);
  const record = await mainText(page);
  expect(record).toContain('异议处理中');
  expect(record).toContain(caseId);
  expect(record).toContain('异议标注');
  expect(record).not.toContain('对此信息提出异议');
  await context.close();
});

it('takes a statement with a hearing request while the window is open, and then says it was submitted', async () => {
  const { context, page } = await signedInAs(A.id);
  await visit(page, `/console/me/cases/${listingCase}/statement`, 'subject-statement');
  const open = await mainText(page);
  expect(open).toContain('陈述申辩、申请听证期限');
  expect(open).toMatch(/剩余\d+个工作日|今日到期/);
  expect(open).toContain('申请听证的，认定单位将提前通知');
  await page.fill('#f-text', '对认定事实有异议，已整改完毕。');
  await page.check('#f-requestHearing');
  await page.click('button:has-text("继续")');
  await page.waitForSelector('text=确认提交陈述申辩');
  await expectAccessible(page);
  expect(await mainText(page)).toContain('对认定事实有异议，已整改完毕。');
  await page.click('button:has-text("确认提交陈述申辩")');
  await page.waitForSelector('text=您的陈述申辩已于');
  await expectAccessible(page);
  await screenshot(page, 'subject-statement-done');
  const done = await mainText(page);
  expect(done).toContain('并申请了听证');
  expect(done).toMatch(/当前不能提交陈述申辩：已于\d{4}年/);
  expect(await page.locator('#f-text').count()).toBe(0);
  const view = (await api.get(`/v1/cases/${listingCase}`, OFFICER)).json();
  expect(view.details.statement).toMatchObject({ text: '对认定事实有异议，已整改完毕。', requestHearing: true });
  await context.close();
});

it('says when the statement window closed once it has, and offers no form', async () => {
  const opened = await api.post('/v1/cases', OFFICER, listingBody({ subject: A }));
  expect(opened.statusCode).toBe(201);
  const id = opened.json().id as string;
  await settledCase(sys, id, 'opened');
  // Served three weeks ago (recorded late): the five working days are over, the window lapses at once.
  const servedAt = new Date(Date.now() - 21 * 86_400_000).toISOString();
  expect((await api.act(id, 'serve_notice', OFFICER, { servedAt, method: 'in_person' })).statusCode).toBe(200);
  await settledCase(sys, id, 'under_review');
  const window = ((await api.get(`/v1/cases/${id}`, OFFICER)).json().deadlines as { kind: string; status: string; dueDate: string }[]).find(
    (d) => d.kind === 'statement_window',
  );
  expect(window?.status).toBe('lapsed');
  const [y, m, d] = (window?.dueDate ?? '').split('-').map(Number);
  const { context, page } = await signedInAs(A.id);
  await visit(page, `/console/me/cases/${id}/statement`, 'subject-statement-closed');
  expect(await mainText(page)).toContain(`当前不能提交陈述申辩：陈述申辩期限已于${y}年${m}月${d}日24时届满`);
  expect(await page.locator('#f-text').count()).toBe(0);
  await context.close();
});

it('shows repair eligibility before applying, keeps a refused form as typed, and files an application', async () => {
  const { context, page } = await signedInAs(A.id);
  // Too early: the minimum publicity has not passed, so no form, only when one may apply and who will decide.
  await visit(page, `/console/me/repairs/new?recordId=${recentRecord}`, 'subject-repair-too-early');
  const early = await mainText(page);
  expect(early).toMatch(/最短公示期至\d{4}-\d{2}-\d{2}届满，\d{4}-\d{2}-\d{2}起方可申请信用修复/);
  expect(early).toContain('决定单位张掖市市场监督管理局');
  expect(await page.locator('form[action="/console/me/repairs"]').count()).toBe(0);

  await visit(page, '/console/me/repairs/new');
  await page.selectOption('#f-target', `record:${oldRecord}`);
  await page.click('button:has-text("查看修复条件")');
  await page.waitForSelector('text=符合申请条件');
  await expectAccessible(page);
  expect(await mainText(page)).toContain('最早可申请日期现在即可申请');
  await page.fill('#f-statement', '已缴清罚款并完成整改。');
  await page.fill('#f-evidence\\.0\\.title', '缴款凭证');
  await page.fill('#f-evidence\\.0\\.description', '罚款已缴清');
  // A file that is no PDF whatever its name: refused at its field, nothing stored, everything else typed kept.
  await page.setInputFiles('#f-evidenceFiles', { name: '整改报告.pdf', mimeType: 'application/pdf', buffer: NOT_A_PDF });
  await page.check('#f-commitment\\.signed');
  await page.click('form[action="/console/me/repairs"] button:has-text("继续")');
  await page.waitForSelector('#f-evidenceFiles-error');
  expect(await page.textContent('#f-evidenceFiles-error')).toContain('整改报告.pdf：仅接受 PDF、JPEG 或 PNG 文件');
  expect(await page.textContent('.error-summary')).toContain('仅接受 PDF、JPEG 或 PNG 文件');
  expect(await page.inputValue('#f-statement')).toBe('已缴清罚款并完成整改。');
  expect(await page.inputValue('#f-evidence\\.0\\.description')).toBe('罚款已缴清');
  expect(await page.isChecked('#f-commitment\\.signed')).toBe(true);
  expect(await page.locator('ul.files').count()).toBe(0);
  await expectAccessible(page);
  await screenshot(page, 'subject-repair-refused-file');
  // Too large (past 10 MB): refused the same way.
  await page.setInputFiles('#f-evidenceFiles', {
    name: '扫描件.pdf',
    mimeType: 'application/pdf',
    buffer: Buffer.concat([PDF, Buffer.alloc(10 * 1024 * 1024)]),
  });
  await page.click('form[action="/console/me/repairs"] button:has-text("继续")');
  await page.waitForSelector('#f-evidenceFiles-error:has-text("文件不得超过 10 MB")');
  expect(await page.inputValue('#f-statement')).toBe('已缴清罚款并完成整改。');

  // Not signed: refused at its field, everything typed kept.
  await page.uncheck('#f-commitment\\.signed');
  await page.click('form[action="/console/me/repairs"] button:has-text("继续")');
  await page.waitForSelector('.error-summary');
  expect(await page.textContent('.error-summary')).toContain('信用承诺：请确认签署信用承诺');
  expect(await page.textContent('#f-commitment\\.signed-error')).toContain('请确认签署信用承诺');
  expect(await page.inputValue('#f-statement')).toBe('已缴清罚款并完成整改。');
  expect(await page.inputValue('#f-evidence\\.0\\.description')).toBe('罚款已缴清');
  await expectAccessible(page);
  await screenshot(page, 'subject-repair-refused');

  await page.check('#f-commitment\\.signed');
  await page.click('form[action="/console/me/repairs"] button:has-text("继续")');
  await page.waitForSelector('text=确认提交修复申请');
  await expectAccessible(page);
  const check = await mainText(page);
  expect(check).toContain(`信用信息 ${oldRecord}`);
  expect(check).toContain('决定单位张掖市市场监督管理局');
  await page.click('button:has-text("确认提交修复申请")');
  await page.waitForSelector('text=您的信用修复申请已提交');
  await expectAccessible(page);
  await screenshot(page, 'subject-repair-filed');
  const caseId = /\/console\/me\/repairs\/(REP-[\w-]+)/.exec(page.url())?.[1] ?? '';
  const filed = await mainText(page);
  expect(filed).toContain(`案件编号 ${caseId}`);
  expect(filed).toContain('修复受理期限');
  expect(await page.getAttribute('a:has-text("查看办理进度")', 'href')).toBe(`/console/me/cases/${caseId}`);
  const c = (await api.get(`/v1/cases/${caseId}`, subjectOf(A.id))).json();
  expect(c).toMatchObject({ procedure: 'repair', state: 'submitted', details: { decidingDepartment: 'ZY-SAMR' } });

  // The same target again: the eligibility read names the open application, and no form is offered.
  await visit(page, `/console/me/repairs/new?recordId=${oldRecord}`);
  expect(await mainText(page)).toContain(`已有针对该信息的信用修复申请正在办理（${caseId}）`);
  expect(await page.locator('form[action="/console/me/repairs"]').count()).toBe(0);
  await context.close();
});

it("shows a responsible person the Art 48 entry of an organisation's listing", async () => {
  const person = randomResidentId();
  const body = listingBody({ responsiblePersons: [{ role: 'legal_representative', name: '王某', idNumber: person }] });
  const { procedure: _p, proposedMeasures, ...rest } = body;
  const res = await api.post('/v1/imports/listings', SUPERVISOR, {
    ...rest,
    measures: proposedMeasures,
    department: 'ZY-SAMR',
    decisionDocument: { number: '张市监认〔2026〕9号', issuedOn: shanghaiToday(-35) },
    decisionServedAt: new Date(Date.now() - 30 * 86_400_000).toISOString(),
  });
  expect(res.statusCode).toBe(201);
  await settledCase(sys, res.json().id as string, 'listed');
  const { context, page } = await signedInAs(person);
  await visit(page, '/console/me/records', 'subject-art48');
  const text = await mainText(page);
  expect(text).toContain('作为组织负责人的记录（第四十八条）');
  expect(text).toContain(`${body.subject.name}（${body.subject.id}）`);
  expect(text).toContain('法定代表人');
  await page.click('a:has-text("查看记录")');
  await page.waitForSelector('h2:has-text("信息记录")');
  await expectAccessible(page);
  expect(await mainText(page)).toContain('张市监认〔2026〕9号');
  await context.close();
});

it("answers another subject's record, case or evidence file as not found on every route of mine", async () => {
  const { context, page } = await signedInAs(A.id);
  for (const path of [
    `/console/me/records/${bRecord}`,
    `/console/me/objections/new?recordId=${bRecord}`,
    `/console/me/repairs/new?recordId=${bRecord}`,
    `/console/me/cases/${bCase}/statement`,
    `/console/me/objections/${bObjection}`,
    `/console/me/repairs/${bCase}`,
    `/console/me/repairs/new?listingCaseId=${bCase}`,
    `/console/me/records/REC-NOT-A-RECORD`,
    `/console/cases/${bObjection}/files/${bFile}`,
  ]) {
    const r = await visit(page, path);
    expect([path, r?.status()]).toEqual([path, 404]);
    expect(await page.textContent('h1')).toMatch(/不存在/);
  }
  await screenshot(page, 'subject-not-found');
  // The same ids are found by their own subject.
  const own = await signedInAs(B.id);
  expect((await own.page.goto(`${base}/console/me/records/${bRecord}`))?.status()).toBe(200);
  expect((await own.page.goto(`${base}/console/me/cases/${bCase}/statement`))?.status()).toBe(200);
  expect((await own.page.goto(`${base}/console/me/objections/${bObjection}`))?.status()).toBe(200);
  const download = await own.context.request.get(`${base}/console/cases/${bObjection}/files/${bFile}`);
  expect([download.status(), download.headers()['content-disposition']]).toEqual([200, expect.stringMatching(/^attachment;/)]);
  await own.context.close();
  await context.close();
});

it('answers repair eligibility to the subject alone, audited as a read of their credit data', async () => {
  const url = (q: string) => `/v1/subjects/${A.id}/repair-eligibility?${q}`;
  const early = await api.get(url(`recordId=${recentRecord}`), subjectOf(A.id));
  expect(early.statusCode).toBe(200);
  const recent = (await api.get(`/v1/subjects/${A.id}/records/${recentRecord}/history`, subjectOf(A.id))).json().record;
  expect(early.json()).toMatchObject({
    eligible: false,
    decidingDepartment: { code: 'ZY-SAMR' },
    receivingDepartment: { code: 'ZY-DRC' },
    reasons: [{ code: 'minimum_publicity' }],
  });
  // The day after the minimum publicity, as the workflow would decide on filing.
  expect(early.json().earliest > recent.publicMinUntil).toBe(true);
  expect((await api.get(url(`recordId=${bRecord}`), subjectOf(A.id))).statusCode).toBe(404);
  expect((await api.get(url(`recordId=${recentRecord}`), subjectOf(B.id))).statusCode).toBe(404);
  expect((await api.get(url(`recordId=${recentRecord}`), OFFICER)).statusCode).toBe(403);
  // Neither or both: the pair's rule, which the query's schema cannot say (422); a malformed id is the schema's (400).
  expect((await api.get(url(''), subjectOf(A.id))).statusCode).toBe(422);
  expect((await api.get(url(`recordId=${recentRecord}&listingCaseId=${listingCase}`), subjectOf(A.id))).statusCode).toBe(422);
  expect((await api.get(url('recordId=not-a-record'), subjectOf(A.id))).statusCode).toBe(400);
  // The OpenAPI document says it, with both query parameters and the 200's schema.
  const doc = (await sys.app.inject({ method: 'GET', url: '/docs/json' })).json();
  const op = doc.paths['/v1/subjects/{subjectId}/repair-eligibility'].get;
  expect(op.parameters.map((x: { name: string }) => x.name)).toEqual(expect.arrayContaining(['subjectId', 'recordId', 'listingCaseId']));
  expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['200', '400', '403', '404', '422']));
  const audited = await sys.db.auditEntry.findMany({ where: { action: 'repair.eligibility.read', target: `record:${recentRecord}` } });
  expect(audited.length).toBeGreaterThan(0);
  expect(audited.every((e) => e.subjectId === A.id)).toBe(true);
});
