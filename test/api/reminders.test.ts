import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import type { Db } from '../../db/client';
import { loadCalendar } from '../../db/calendar-store';
import { cachedCalendar } from '../../activities/calendar';
import { digestKey, noticeKey, reminderActivities } from '../../activities/reminders';
import { smtpMessenger } from '../../messaging/messenger';
import { addDays, type StatutoryCalendar } from '../../domain/calendar';
import { cnDate } from '../../domain/calendar/explain';
import { buildWorker, ensureReminders } from '../../worker';
import { REMINDERS_ID } from '../../workflows/reminders/workflow';
import { testEnv } from '../support/test-env';
import { randomUscc } from '../support/fixtures';
import { shanghaiToday } from '../support/test-calendar';
import { startSmtpCatcher, type SmtpCatcher } from '../support/smtp-catcher';
import { until } from '../support/until';
import { startSystem, type System } from '../support/system';
import { OFFICER, SUPERVISOR } from '../support/fixtures';
import { ifStarted } from '../support/teardown';
import { deadlineRow } from '../support/deadline-fixture';

/**
 * The reminders (README "Reminders") against a real SMTP server and Postgres: a department's digest once a working
 * day, none on a day off, and a subject told once when a window opens and once two working days before it closes,
 * only at a consented address. Cases and deadlines are written straight into their tables, as the projection writes
 * them, for a department and subjects of this file's own; the days come from the calendar loaded, never fixed.
 */
const TAG = randomUUID().slice(0, 8).toUpperCase();
const DEPT = `T-REM-${TAG}`;
const DEPT_MAIL = `digest-${TAG.toLowerCase()}@dept.test`;
const TOLD = randomUscc();
const UNTOLD = randomUscc();
const TOLD_MAIL = `subject-${TAG.toLowerCase()}@subject.test`;
const CONSOLE = 'http://console.test';

let sys: System;
let db: Db;
let smtp: SmtpCatcher;
let calendar: StatutoryCalendar;
let acts: ReturnType<typeof reminderActivities>;

/** 09:00 Asia/Shanghai of a day, as the workflow's `at`. */
const nineOn = (day: string) => new Date(`${day}T09:00:00+08:00`).toISOString();
const caseId = (name: string) => `LST-20261201-${TAG}${name}`;

/** The first day from today on that is (or is not) a working day on the loaded calendar. */
function firstDay(working: boolean): string {
  for (let d = shanghaiToday(); ; d = addDays(d, 1)) if (calendar.isWorkingDay(d) === working) return d;
}

async function insertCase(id: string, subjectId: string, subjectName: string) {
  const now = new Date();
  await db.case.create({
    data: {
      id,
      procedure: 'listing',
      state: 'notice_served',
      subjectKind: 'legal_person',
      subjectId,
      subjectName,
      department: DEPT,
      createdBy: 'officer-rem-t',
      details: {},
      allowedActions: [],
      version: 1,
      createdAt: now,
      updatedAt: now,
    },
  });
}

async function insertDeadline(
  c: string,
  kind: string,
  {
    party,
    status = 'open',
    dueDate,
    startsAt = new Date(Date.now() - 60_000),
  }: { party: string; status?: string; dueDate: string; startsAt?: Date },
) {
  await db.deadline.create({
    data: deadlineRow({
      id: `${c}:${kind}`,
      caseId: c,
      procedure: 'listing',
      department: DEPT,
      kind,
      party,
      status,
      startsAt,
      dueAt: new Date(`${addDays(dueDate, 1)}T00:00:00+08:00`),
      dueDate,
    }),
  });
}

async function address(subjectId: string, channel: string, addr: string) {
  const id = `addr-${randomUUID()}`;
  await db.serviceAddress.create({
    data: {
      id,
      subjectId,
      channel,
      address: addr,
      consentedAt: new Date(),
      consentDocument: '送达地址确认书（测试）',
      recordedBy: 'officer-rem-t',
      recordedAt: new Date(),
    },
  });
  return id;
}

/** Runs the subject notices until no batch is left (other test files' subjects may wait in the same database). */
async function remindSubjectsAt(at: string) {
  for (let i = 0; i < 50; i++) if (!(await acts.remindSubjects({ at })).more) return;
  throw new Error('the subject notices never ran dry');
}

beforeAll(async () => {
  sys = await startSystem({ withoutWorker: true });
  db = sys.db;
  smtp = await startSmtpCatcher();
  calendar = await loadCalendar(db);
  acts = reminderActivities({
    db,
    calendar: cachedCalendar(() => loadCalendar(db), { maxAgeMs: 0 }),
    messenger: smtpMessenger({ smtpUrl: smtp.url, from: 'test <no-reply@credit.test>' }),
    consoleUrl: `${CONSOLE}/`,
  });
  await db.department.create({ data: { code: DEPT, name: `测试局${TAG}`, kind: 'supplying', contactEmail: DEPT_MAIL } });
});
afterAll(async () => {
  // The department stays (cases name it) but gets no digest in later tests of the run.
  if (ifStarted(sys)) await db.department.updateMany({ where: { code: DEPT }, data: { contactEmail: null } });
  await (smtp as SmtpCatcher | undefined)?.stop();
  await ifStarted(sys)?.stop();
});

describe('the department digest', () => {
  it('names the deadlines due within two working days and the breaches, and is sent once however often it runs', async () => {
    const day = firstDay(true);
    const second = calendar.addWorkingDays(day, 2).dueDate;
    const third = calendar.addWorkingDays(day, 3).dueDate;
    await insertCase(caseId('D1'), randomUscc(), '张掖市某甲公司');
    await insertCase(caseId('D2'), randomUscc(), '张掖市某乙公司');
    await insertCase(caseId('D3'), randomUscc(), '张掖市某丙公司');
    await insertDeadline(caseId('D1'), 'hearing_notice', { party: 'authority', dueDate: second });
    await insertDeadline(caseId('D2'), 'objection_decide', { party: 'authority', status: 'breached', dueDate: addDays(day, -3) });
    // Due on the third working day: not yet.
    await insertDeadline(caseId('D3'), 'repair_decide', { party: 'authority', dueDate: third });

    // The breach's escalation is not named twice; another one not yet followed up is; one followed up is not.
    const escalation = (id: string, kind: string, more: { deadlineId?: string; followedUpAt?: Date } = {}) =>
      db.escalation.create({
        data: {
          id: `${TAG}-${id}`,
          caseId: caseId('D2'),
          department: DEPT,
          kind,
          at: new Date(),
          detail: { deadlineKind: 'objection_decide' },
          ...more,
        },
      });
    await escalation('breach', 'breach', { deadlineId: `${caseId('D2')}:objection_decide` });
    await escalation('blocked', 'blocked');
    await escalation('done', 'incident', { followedUpAt: new Date() });

    const first = await acts.remindDepartments({ at: nineOn(day) });
    expect(first).toMatchObject({ day, working: true });
    expect(first.sent).toContain(DEPT);
    const again = await acts.remindDepartments({ at: nineOn(day) });
    expect(again.sent).not.toContain(DEPT);

    const mails = smtp.to(DEPT_MAIL);
    expect(mails).toHaveLength(1);
    const [mail] = mails;
    expect(mail?.messageId).toBe(`<${digestKey(DEPT, day)}@credit-procedures>`);
    expect(mail?.subject).toContain('1项两个工作日内到期，1项已超期');
    const text = mail?.text ?? '';
    expect(text).toContain(`案件 ${caseId('D1')}`);
    expect(text).toContain(`听证通知期限，${cnDate(second)}`);
    expect(text).toContain('还有2个工作日');
    expect(text).toContain(`办理方：测试局${TAG}`);
    expect(text).toContain(`案件 ${caseId('D2')}`);
    expect(text).toContain('已届满，尚未办结');
    expect(text).not.toContain(caseId('D3'));
    expect(text.split(`案件 ${caseId('D2')}`)).toHaveLength(3); // the breach and the blocked escalation
    expect(text).toContain(`期限无法计算（案件 ${caseId('D2')}）：核查答复期限，`);
    expect(text).not.toContain('案件步骤无法完成');
    expect(text).toContain(`${CONSOLE}/console/cases/${caseId('D1')}`);

    const row = await db.outgoingMessage.findUniqueOrThrow({ where: { id: digestKey(DEPT, day) } });
    expect(row).toMatchObject({ channel: 'email', toAddress: DEPT_MAIL, purpose: 'digest', department: DEPT, status: 'sent' });
    expect(row.answer).toMatch(/^250/);
  });

  it('goes on no day that is not a working day on the loaded calendar', async () => {
    const day = firstDay(false);
    const r = await acts.remindDepartments({ at: nineOn(day) });
    expect(r).toMatchObject({ day, working: false, sent: [] });
    expect(await db.outgoingMessage.findUnique({ where: { id: digestKey(DEPT, day) } })).toBeNull();
    expect(smtp.to(DEPT_MAIL).filter((m) => m.messageId.includes(day))).toEqual([]);
  });
});

describe('the subject notices', () => {
  it('tell a subject with a consented address when a window opens and two working days before it closes, once each', async () => {
    const today = shanghaiToday();
    const due = calendar.addWorkingDays(today, 6).dueDate;
    // The day after which two working days are left, and the day before it (three left).
    const closingDay = calendar.addWorkingDays(today, 4).dueDate;
    const dayBefore = calendar.addWorkingDays(today, 3).dueDate;
    const mailId = await address(TOLD, 'email', TOLD_MAIL);
    const smsId = await address(TOLD, 'sms', '13800000000');
    await insertCase(caseId('S1'), TOLD, '张掖市某丁公司');
    await insertCase(caseId('S2'), UNTOLD, '张掖市某戊公司');
    await insertDeadline(caseId('S1'), 'statement_window', { party: 'subject', dueDate: due });
    await insertDeadline(caseId('S2'), 'statement_window', { party: 'subject', dueDate: due });
    const deadline = `${caseId('S1')}:statement_window`;

    await remindSubjectsAt(new Date().toISOString());
    await remindSubjectsAt(new Date().toISOString());
    const opened = smtp.to(TOLD_MAIL);
    expect(opened).toHaveLength(1);
    expect(opened[0]?.messageId).toBe(`<${noticeKey('window_opened', deadline, mailId)}@credit-procedures>`);
    expect(opened[0]?.subject).toContain('陈述申辩、申请听证期限已开始');
    expect(opened[0]?.text).toContain('您可以在期限内提出陈述、申辩，或者申请听证');
    expect(opened[0]?.text).toContain(`${CONSOLE}/console/me/cases/${caseId('S1')}`);
    expect(opened[0]?.text).toContain(cnDate(due));
    expect(opened[0]?.text).toContain(`已于${cnDate(shanghaiToday())}开始计算`);
    // The mobile number: no SMS gateway here, so the refusal is recorded, and not tried again.
    expect(await db.outgoingMessage.findUniqueOrThrow({ where: { id: noticeKey('window_opened', deadline, smsId) } })).toMatchObject({
      channel: 'sms',
      status: 'failed',
      answer: expect.stringContaining('SMS_GATEWAY_URL'),
    });
    // A subject without a consented address is told nothing.
    expect(await db.outgoingMessage.count({ where: { subjectId: UNTOLD } })).toBe(0);

    await remindSubjectsAt(nineOn(dayBefore));
    expect(smtp.to(TOLD_MAIL)).toHaveLength(1);
    await remindSubjectsAt(nineOn(closingDay));
    await remindSubjectsAt(nineOn(closingDay));
    const all = smtp.to(TOLD_MAIL);
    expect(all).toHaveLength(2);
    expect(all[1]?.messageId).toBe(`<${noticeKey('window_closing', deadline, mailId)}@credit-procedures>`);
    expect(all[1]?.subject).toContain(`将于${cnDate(due)}届满`);
    expect(all[1]?.text).toContain('还有2个工作日');
    expect(await db.outgoingMessage.count({ where: { subjectId: UNTOLD } })).toBe(0);
    expect(smtp.mails.filter((m) => m.text.includes(caseId('S2')))).toEqual([]);
  });
});

describe('when the mail server is away or refuses', () => {
  it('sends nothing while it is away, then once when it is back; a refused address is recorded and not tried again', async () => {
    const subject = randomUscc();
    const to = `back-${TAG.toLowerCase()}@subject.test`;
    const bounce = `bounce-${TAG.toLowerCase()}@subject.test`;
    const toId = await address(subject, 'email', to);
    const bounceId = await address(subject, 'email', bounce);
    await insertCase(caseId('B1'), subject, '张掖市某庚公司');
    await insertDeadline(caseId('B1'), 'reconsideration_window', {
      party: 'subject',
      dueDate: calendar.addWorkingDays(shanghaiToday(), 20).dueDate,
    });
    const deadline = `${caseId('B1')}:reconsideration_window`;

    // A port nobody listens on: the server is away.
    const gone = await startSmtpCatcher();
    await gone.stop();
    const away = reminderActivities({
      db,
      calendar: cachedCalendar(() => loadCalendar(db), { maxAgeMs: 0 }),
      messenger: smtpMessenger({ smtpUrl: gone.url, from: 'test <no-reply@credit.test>' }),
      consoleUrl: CONSOLE,
    });
    await expect(away.remindSubjects({ at: new Date().toISOString() })).rejects.toThrow(/mail server did not take the message/);
    // Whatever message of the database's came first was written and not handed over; none of this case's was sent.
    const tried = await db.outgoingMessage.findMany({ where: { status: 'sending', answer: { startsWith: 'not handed over' } } });
    expect(tried).toHaveLength(1);
    expect(await db.outgoingMessage.count({ where: { caseId: caseId('B1'), status: { not: 'sending' } } })).toBe(0);
    expect(smtp.to(to)).toEqual([]);

    await remindSubjectsAt(new Date().toISOString());
    await remindSubjectsAt(new Date().toISOString());
    expect(smtp.to(to)).toHaveLength(1);
    expect(await db.outgoingMessage.findUniqueOrThrow({ where: { id: noticeKey('window_opened', deadline, toId) } })).toMatchObject({
      status: 'sent',
    });
    const refused = await db.outgoingMessage.findUniqueOrThrow({ where: { id: noticeKey('window_opened', deadline, bounceId) } });
    expect(refused).toMatchObject({ status: 'failed', sentAt: null });
    expect(refused.answer).toMatch(/550/);
    expect(smtp.to(bounce)).toEqual([]);
  });
});

describe('the reminders workflow', () => {
  it('runs in the worker and tells a window opened without being asked', async () => {
    const env = testEnv();
    const taskQueue = `test-reminders-${TAG}`;
    const native = await NativeConnection.connect({ address: env.temporalAddress });
    const connection = await Connection.connect({ address: env.temporalAddress });
    const client = new Client({ connection, namespace: 'default' });
    const worker = await buildWorker({
      connection: native,
      namespace: 'default',
      taskQueue,
      db,
      delivery: { messenger: smtpMessenger({ smtpUrl: smtp.url, from: 'test <no-reply@credit.test>' }), consoleUrl: CONSOLE },
      options: { workflowBundle: { codePath: env.workflowBundlePath } },
    });
    const running = worker.run();
    const subject = randomUscc();
    const to = `wf-${TAG.toLowerCase()}@subject.test`;
    try {
      await address(subject, 'email', to);
      await insertCase(caseId('W1'), subject, '张掖市某己公司');
      await insertDeadline(caseId('W1'), 'supplement_window', {
        party: 'subject',
        dueDate: calendar.addWorkingDays(shanghaiToday(), 8).dueDate,
      });
      // Started as every worker starts it: a second start joins the first.
      await ensureReminders(client, taskQueue);
      const handle = client.workflow.getHandle(REMINDERS_ID);
      const first = await handle.describe();
      expect(first.taskQueue).toBe(taskQueue);
      await ensureReminders(client, taskQueue);
      expect((await handle.describe()).runId).toBe(first.runId);
      const [mail] = await until('the workflow told the subject', () => Promise.resolve(smtp.to(to).length > 0 && smtp.to(to)), 30_000);
      expect(mail?.subject).toContain('补正材料期限已开始');
      await handle.terminate('test over');
    } finally {
      worker.shutdown();
      await running;
      await connection.close();
      await native.close();
    }
  });
});

describe('the department contact', () => {
  const put = (code: string, claims: Parameters<System['token']>[0], payload: unknown) =>
    sys.app.inject({
      method: 'PUT',
      url: `/v1/departments/${encodeURIComponent(code)}/contact`,
      headers: { authorization: `Bearer ${sys.token(claims)}`, 'idempotency-key': randomUUID() },
      payload: payload as object,
    });
  const list = (claims: Parameters<System['token']>[0]) =>
    sys.app.inject({ method: 'GET', url: '/v1/departments/contacts', headers: { authorization: `Bearer ${sys.token(claims)}` } });

  it('is set by a supervisor, audited, and listed with the last digest sent to the department', async () => {
    const code = `T-RCT-${TAG}`;
    await db.department.create({ data: { code, name: `测试联络局${TAG}`, kind: 'supplying' } });
    const set = await put(code, SUPERVISOR, { email: `new-${TAG.toLowerCase()}@dept.test` });
    expect(set.statusCode).toBe(200);
    expect(set.json()).toEqual({ code, name: `测试联络局${TAG}`, email: `new-${TAG.toLowerCase()}@dept.test`, lastDigest: null });
    const audit = await db.auditEntry.findMany({ where: { action: 'department.contact', target: `department:${code}` } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor: SUPERVISOR.sub, detail: { from: null, to: `new-${TAG.toLowerCase()}@dept.test` } });

    const listed = (await list(SUPERVISOR)).json<{ items: { code: string; email: string | null; lastDigest: unknown }[] }>().items;
    expect(listed.find((i) => i.code === code)).toMatchObject({ email: `new-${TAG.toLowerCase()}@dept.test`, lastDigest: null });
    // The digest of the first test is what the list shows for that department: when, to which address, the answer.
    expect(listed.find((i) => i.code === DEPT)?.lastDigest).toMatchObject({ to: DEPT_MAIL, status: 'sent' });

    // Cleared with null: no digest any more.
    const cleared = await put(code, SUPERVISOR, { email: null });
    expect(cleared.json()).toMatchObject({ email: null });
  });

  it('refuses what is no address, an unknown department and anyone but a supervisor', async () => {
    const refused = await put(DEPT, SUPERVISOR, { email: 'not an address' });
    expect(refused.statusCode).toBe(422);
    expect(refused.json()).toMatchObject({ errors: [{ path: 'body.email' }] });
    expect((await put(DEPT, SUPERVISOR, { email: 42 })).statusCode).toBe(400);
    expect((await put(`NOPE-${TAG}`, SUPERVISOR, { email: 'a@b.test' })).statusCode).toBe(404);
    expect((await put(DEPT, OFFICER, { email: 'a@b.test' })).statusCode).toBe(403);
    expect((await list(OFFICER)).statusCode).toBe(403);
    expect((await db.department.findUniqueOrThrow({ where: { code: DEPT } })).contactEmail).toBe(DEPT_MAIL);
  });
});
