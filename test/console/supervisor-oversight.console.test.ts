/**
 * The supervisors' oversight in a real Chromium against the real API and Postgres: the deadline dashboard (charts drawn
 * on the server as SVG under the console's CSP, the same figures as the API's summary in the tables, a figure leading
 * to its deadlines and their cases), an escalation acknowledged and followed up (with its audit entries), the audit
 * log searched by case, and the hash chain verified, then broken by a superuser and shown where it breaks.
 * axe-core runs on every page visited; screenshots go to .data/screenshots/.
 */
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { type System } from '../support/system';
import { linkPendingAudit } from '../../db/audit-sequencer';
import { shanghaiToday } from '../support/test-calendar';
import { SUPERVISOR } from '../support/fixtures';
import { testEnv } from '../support/test-env';
import { screenshot } from '../support/browser';
import { closeConsole, expectAccessible, openConsole } from '../support/console-browser';
import { deadlineRow } from '../support/deadline-fixture';

let sys: System;
let browser: Browser;
let base: string;
let context: BrowserContext;
let page: Page;
const cspViolations: string[] = [];

/** A department of the city (the summary's period figures cover the departments it knows) and a case of this test's. */
const DEPT = 'ZY-HEALTH';
const CASE = `OBJ-T-${randomUUID().slice(0, 8).toUpperCase()}`;
const DEV_SUPERVISOR = 'dev-supervisor';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

async function deadline(id: string, d: { status: string; startsAgo: number; dueAgo: number; metAgo?: number; closedAgo?: number }) {
  const now = Date.now();
  const closed = d.metAgo ?? d.closedAgo;
  await sys.db.deadline.create({
    data: deadlineRow({
      id: `${CASE}:${id}`,
      caseId: CASE,
      procedure: 'objection',
      department: DEPT,
      kind: 'objection_decide',
      party: 'authority',
      status: d.status,
      startsAt: new Date(now - d.startsAgo * DAY),
      dueAt: new Date(now - d.dueAgo * DAY),
      dueDate: new Date(now - d.dueAgo * DAY + 8 * HOUR - 1).toISOString().slice(0, 10),
      metAt: d.metAgo === undefined ? null : new Date(now - d.metAgo * DAY),
      closedAt: closed === undefined ? null : new Date(now - closed * DAY),
    }),
  });
}

beforeAll(async () => {
  ({ sys, browser, base } = await openConsole());
  await deadline('open', { status: 'open', startsAgo: 2, dueAgo: -10 });
  await deadline('overdue', { status: 'open', startsAgo: 9, dueAgo: 1 });
  await deadline('met', { status: 'met', startsAgo: 12, dueAgo: 5, metAgo: 8 });
  await deadline('late', { status: 'met', startsAgo: 20, dueAgo: 15, metAgo: 11 });
  await deadline('breached', { status: 'breached', startsAgo: 14, dueAgo: 6, closedAgo: 6 });
  await sys.db.escalation.create({
    data: {
      id: `${CASE}:breached:breach`,
      deadlineId: `${CASE}:breached`,
      caseId: CASE,
      department: DEPT,
      kind: 'breach',
      at: new Date(Date.now() - 6 * DAY),
      detail: { deadlineKind: 'objection_decide', dueAt: new Date(Date.now() - 6 * DAY).toISOString(), basis: 'test' },
    },
  });
  context = await browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  page = await context.newPage();
  page.on('console', (m) => {
    if (/Content.Security.Policy/i.test(m.text())) cspViolations.push(m.text());
  });
  await page.goto(`${base}/console/sign-in`);
  await page.selectOption('#f-identity', { label: '张掖市发展和改革委员会 审核人员' });
  await page.click('button[type=submit]');
  await page.waitForURL(/\/console\/supervise\//);
}, 120_000);
afterAll(() => closeConsole({ sys, browser }));

async function checkA11y(name: string) {
  await expectAccessible(page);
  await screenshot(page, `supervisor-${name}`);
  expect(cspViolations).toEqual([]);
}

const asSupervisor = async (url: string) =>
  (await sys.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${sys.token(SUPERVISOR)}` } })).json();

/** The figures of a table: department code → the text of each cell after the department's name. */
async function tableFigures(id: string): Promise<Record<string, string[]>> {
  return page.$$eval(`#${id} tbody tr`, (rows) =>
    Object.fromEntries(
      rows.map((r) => [r.getAttribute('data-department') ?? '', Array.from(r.querySelectorAll('td')).map((td) => td.textContent.trim())]),
    ),
  );
}

it('draws the dashboard as SVG charts with tables of the same figures as the summary, each figure leading to its deadlines', async () => {
  await page.click('nav a:has-text("期限看板")');
  await page.waitForSelector('#table-period');
  await checkA11y('dashboard');

  // Three charts, each an image named by its title, with no inline style the CSP would refuse.
  const charts = await page.$$eval('svg[role=img]', (svgs) =>
    svgs.map((s) => ({ title: s.querySelector('title')?.textContent ?? '', styled: s.querySelectorAll('[style], style').length })),
  );
  expect(charts).toHaveLength(3);
  for (const c of charts) {
    expect(c.title).toMatch(/各部门/);
    expect(c.styled).toBe(0);
  }
  expect(await page.textContent('svg[role=img] >> nth=0')).toContain('张掖市卫生健康委员会');

  // The default period is the last 30 days, today included; every figure is the API's.
  const from = shanghaiToday(-29);
  const to = shanghaiToday();
  expect(await page.inputValue('#f-from')).toBe(from);
  expect(await page.inputValue('#f-to')).toBe(to);
  const summary = await asSupervisor(`/v1/deadlines/summary?from=${from}&to=${to}`);
  const now = await tableFigures('table-now');
  const period = await tableFigures('table-period');
  const median = await tableFigures('table-median');
  expect(Object.keys(now).sort()).toEqual(summary.items.map((i: { department: string }) => i.department).sort());
  for (const i of summary.items) {
    expect(now[i.department]).toEqual([i.open, i.dueSoon, i.overdue].map(String));
    expect(period[i.department]).toEqual([i.metOnTime, i.metLate, i.breached].map(String));
    const days = (n: number | null) => (n === null ? '—' : String(n));
    expect(median[i.department]).toEqual([
      days(i.medianWorkingDaysToAct),
      days(i.medianDaysToAct),
      String(Number(i.metOnTime) + Number(i.metLate)),
    ]);
  }
  const health = summary.items.find((i: { department: string }) => i.department === DEPT);
  expect(health).toMatchObject({ breached: expect.any(Number), metLate: expect.any(Number) });
  expect(health.breached).toBeGreaterThanOrEqual(1);

  // A figure leads to the deadlines behind it, each with its case.
  await page.click(`#table-period tr[data-department="${DEPT}"] td:nth-of-type(3) a`);
  await page.waitForSelector('#deadlines');
  expect(page.url()).toContain(`status=breached&department=${DEPT}&closedFrom=${from}&closedTo=${to}`);
  expect(await page.textContent('h1')).toMatch(/^张掖市卫生健康委员会.*超期的期限$/);
  const listed = await page.$$eval('#deadlines tbody tr', (rows) => rows.map((r) => r.getAttribute('data-deadline')));
  expect(listed).toHaveLength(health.breached);
  expect(listed).toContain(`${CASE}:breached`);
  expect(await page.getAttribute(`tr[data-deadline="${CASE}:breached"] a`, 'href')).toBe(`/console/cases/${CASE}`);
  await checkA11y('deadlines-list');

  // A period the page cannot count is said at its field, with what was typed kept.
  await page.goto(`${base}/console/supervise/deadlines?from=${to}&to=${from}`);
  await page.waitForSelector('#error-summary');
  expect(await page.textContent('#error-summary')).toContain('结束日期不能早于开始日期');
  expect(await page.inputValue('#f-from')).toBe(to);
  await checkA11y('dashboard-error');
});

it('has an escalation acknowledged and followed up, each audited', async () => {
  const id = `${CASE}:breached:breach`;
  await page.click('nav a:has-text("超期与督办")');
  await page.waitForSelector('#escalations');
  const row = `tr[data-escalation="${id}"]`;
  expect(await page.textContent(`${row} .tag`)).toBe('未确认');
  expect(await page.textContent(row)).toContain('张掖市卫生健康委员会');
  expect(await page.textContent(row)).toContain('核查答复期限');
  await checkA11y('escalations');

  await page.click(`${row} button:has-text("确认")`);
  await page.waitForSelector('p.notice');
  expect(await page.textContent('p.notice')).toContain(`已确认 ${id}`);
  expect(await page.textContent(`${row} .tag`)).toBe('已确认');
  expect(await page.textContent(row)).toContain(`${DEV_SUPERVISOR}于`);

  await page.fill(`${row} textarea[name=note]`, '已电话督促卫健委，要求三个工作日内办结并书面说明超期原因。');
  await page.click(`${row} button:has-text("记录督办")`);
  await page.waitForSelector(`p.notice:has-text("已记录对 ${id} 的督办情况")`);
  expect(await page.textContent(`${row} .tag`)).toBe('已督办');
  expect(await page.textContent(`${row} .follow-ups`)).toContain('已电话督促卫健委');
  await checkA11y('escalations-followed-up');

  // The state filter lists it among those followed up.
  await page.selectOption('#f-state', 'followed_up');
  await page.click('form.filters button[type=submit]');
  await page.waitForURL(/state=followed_up/);
  expect(await page.$(row)).not.toBeNull();
  expect(await page.$$eval('#escalations .tag', (tags) => tags.every((t) => t.textContent === '已督办'))).toBe(true);

  const audit = await asSupervisor(`/v1/audit?caseId=${CASE}`);
  expect(audit.items.map((e: { action: string; actor: string }) => [e.action, e.actor])).toEqual([
    ['escalation.acknowledge', DEV_SUPERVISOR],
    ['escalation.follow_up', DEV_SUPERVISOR],
  ]);
});

it('searches the audit log by case', async () => {
  await page.click('nav a:has-text("审计日志")');
  await page.waitForSelector('form[role=search]');
  await page.fill('#f-caseId', CASE);
  await page.click('form[role=search] button[type=submit]');
  await page.waitForURL(/caseId=/);
  const rows = await page.$$eval('#audit tbody tr', (trs) =>
    trs.map((tr) => Array.from(tr.querySelectorAll('td')).map((td) => td.textContent.trim())),
  );
  // Newest first: the follow-up, then the acknowledgement, each naming the case.
  expect(rows.map((r) => r[3])).toEqual(['escalation.follow_up', 'escalation.acknowledge']);
  for (const r of rows) expect(r[4]).toContain(CASE);
  expect(await page.inputValue('#f-caseId')).toBe(CASE);
  await checkA11y('audit-search');
});

it('verifies the chain, and shows where a superuser broke it', async () => {
  // Everything appended so far linked, so the page's verify and the API's below count the same entries.
  await linkPendingAudit(sys.db);
  await page.goto(`${base}/console/supervise/audit`);
  await page.click('button:has-text("校验哈希链")');
  await page.waitForSelector('#verify-result');
  const checked = (await asSupervisor('/v1/audit/verify')).checked as number;
  expect(await page.textContent('#verify-result')).toContain(`哈希链完整：已逐条校验${checked}条记录`);
  // What is not linked yet, and the last signed checkpoint, which the chain still holds.
  expect(await page.textContent('#verify-result')).toMatch(/未链接条数\d+/);
  expect(await page.textContent('#verify-result')).toMatch(/最近检查点第\d+条记录.*签名有效；链条仍含该检查点的哈希值/);
  await checkA11y('audit-verified');

  const { items } = await asSupervisor(`/v1/audit?caseId=${CASE}`);
  const target = items[0] as { seq: number; detail: unknown };
  const superuser = new Client({ connectionString: testEnv().databaseSuperuserUrl });
  await superuser.connect();
  try {
    // A superuser can switch the append-only triggers off for the session; the hash chain still tells.
    await superuser.query(`SET session_replication_role = replica`);
    await superuser.query(`UPDATE audit_entries SET actor = 'mallory' WHERE seq = $1`, [target.seq]);
    await page.click('button:has-text("校验哈希链")');
    await page.waitForSelector('#verify-result h2');
    expect(await page.textContent('#verify-result')).toContain(`第${target.seq}条记录与链条不符`);
    await checkA11y('audit-broken');
    await page.click(`#verify-result a:has-text("查看第${target.seq}条记录")`);
    await page.waitForSelector(`#seq-${target.seq}`);
    expect(await page.getAttribute(`#seq-${target.seq}`, 'aria-current')).toBe('true');
    expect(await page.textContent(`#seq-${target.seq}`)).toContain('链条在此断开');
    expect(await page.textContent(`#seq-${target.seq}`)).toContain('mallory');
    // In chain order from the broken entry: it is the first row.
    expect(await page.getAttribute('#audit tbody tr >> nth=0', 'id')).toBe(`seq-${target.seq}`);
    await checkA11y('audit-broken-entry');
  } finally {
    // Put it back so later tests in this run see a sound chain again.
    await superuser.query(`UPDATE audit_entries SET actor = $2 WHERE seq = $1`, [target.seq, DEV_SUPERVISOR]);
    await superuser.end();
  }
  expect(await asSupervisor('/v1/audit/verify')).toMatchObject({ ok: true });
});
