import { randomUUID } from 'node:crypto';
import { addDays } from '../../domain/calendar';
import { isWeekend } from '../../domain/calendar/dates';
import { smtpMessenger } from '../../messaging/messenger';
import { REMINDERS_ID } from '../../workflows/reminders/workflow';
import { DIGEST_MINUTE_OF_DAY } from '../../workflows/reminders/schedule';
import { digestKey } from '../../activities/reminders';
import { DAY, nudged, useTimeSkipping } from '../support/time-skipping';
import { startSmtpCatcher, type SmtpCatcher } from '../support/smtp-catcher';
import { deadlineRow } from '../support/deadline-fixture';

/*
 * The reminders workflow on Temporal's time-skipping server with the real activities, Postgres and a real SMTP server:
 * over four days it sends a department's digest once on each working day (the harness's calendar: weekends off) and
 * none on the others (a new run carries the last digest's day, and the key would refuse a second send anyway), and
 * starts its history afresh (continue-as-new) long before it grows.
 */
const ts = useTimeSkipping({ historyName: 'reminders', maxHistoryEvents: 1_500 });
const TAG = randomUUID().slice(0, 8).toUpperCase();
const DEPT = `T-RWF-${TAG}`;
const MAIL = `wf-digest-${TAG.toLowerCase()}@dept.test`;
let smtp: SmtpCatcher;

beforeAll(async () => {
  smtp = await startSmtpCatcher();
  await ts.db.department.create({ data: { code: DEPT, name: `测试工作流局${TAG}`, kind: 'supplying', contactEmail: MAIL } });
  // A breach stands every day, so every working day's digest has something to say.
  await ts.db.deadline.create({
    data: deadlineRow({
      id: `LST-20261201-${TAG}:hearing_notice`,
      caseId: `LST-20261201-${TAG}`,
      procedure: 'listing',
      department: DEPT,
      kind: 'hearing_notice',
      party: 'authority',
      status: 'breached',
      startsAt: new Date(Date.now() - 20 * DAY),
      dueAt: new Date(Date.now() - 10 * DAY),
      dueDate: addDays(new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10), -10),
    }),
  });
}, 60_000);
afterAll(async () => {
  await ts.db.department.updateMany({ where: { code: DEPT }, data: { contactEmail: null } });
  await (smtp as SmtpCatcher | undefined)?.stop();
});

/** The Shanghai days whose 08:30 lies in (from, to], and `from`'s own day when it starts after its 08:30. */
function digestDays(from: number, to: number): string[] {
  const shanghai = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10);
  const days: string[] = [];
  for (let d = shanghai(from); d <= shanghai(to); d = addDays(d, 1)) {
    const at = Date.parse(`${d}T00:00:00+08:00`) + DIGEST_MINUTE_OF_DAY * 60_000;
    if (at <= to && (at > from || d === shanghai(from))) days.push(d);
  }
  return days;
}

it('sends each working day’s digest once, none on the weekend, and continues as new before its history grows', async () => {
  await ts.withWorker(
    async (_start, taskQueue) => {
      const client = ts.env.client;
      const handle = await client.workflow.start('remindersWorkflow', { taskQueue, workflowId: `${REMINDERS_ID}-${TAG}`, args: [{}] });
      const firstRun = (await handle.describe()).runId;
      const from = await ts.now();
      await nudged(handle, ts.env.sleep(4 * DAY));
      const to = await ts.now();
      // Let the last wake's activities finish.
      await new Promise((r) => setTimeout(r, 1_000));

      const expected = digestDays(from, to - 60_000).filter((d) => !isWeekend(d));
      const sent = await ts.db.outgoingMessage.findMany({ where: { department: DEPT, purpose: 'digest' }, orderBy: { id: 'asc' } });
      expect(sent.map((m) => m.id)).toEqual(expected.map((d) => digestKey(DEPT, d)));
      expect(smtp.to(MAIL)).toHaveLength(expected.length);
      expect(expected.length).toBeGreaterThanOrEqual(2);

      // Continued as new: the first run's history ended small, and a later run carries on.
      expect((await handle.describe()).runId).not.toBe(firstRun);
      const first = client.workflow.getHandle(handle.workflowId, firstRun);
      expect((await first.fetchHistory()).events?.at(-1)?.workflowExecutionContinuedAsNewEventAttributes).toBeTruthy();
      // Bounded (maxHistoryEvents), measured, and kept for the replay test when RECORD_HISTORIES=1.
      await ts.keepHistory(first, 'reminders-four-days');
      await handle.terminate('test over');
    },
    {
      delivery: {
        messenger: smtpMessenger({ smtpUrl: smtp.url, from: 'test <no-reply@credit.test>' }),
        consoleUrl: 'http://127.0.0.1:3000',
      },
    },
  );
});
