/**
 * The reminders' activities (README "Reminders"): a department's digest once a working day and a subject's notices
 * of a window opened and closing. They read the deadlines and the calendar, do the working-day arithmetic
 * (domain/reminders/windows.ts) and send through the Messenger, each message under its key (db/outgoing-send.ts), so a
 * retried activity sends nothing twice. The workflow only says when (workflows/reminders/workflow.ts).
 */
import type { Db } from '../db/client';
import type { Messenger } from '../messaging/messenger';
import type { CalendarSource } from './calendar';
import { sendOnce, type KeyedMessage, type SendResult } from '../db/outgoing-send';
import { consentedAddressesOf, type ConsentedAddress } from '../db/service-addresses';
import { shanghaiDate } from '../workflows/common/dates';
import { closingHorizon, closingNoticeDue, digestDay, dueSoon, workingDaysUntil } from '../domain/reminders/windows';
import { windowsToTell } from '../db/reminder-windows';
import { cnDate } from '../domain/calendar/explain';
import {
  kindZh,
  digestIsEmpty,
  digestMail,
  windowClosingMail,
  windowOpenedMail,
  type DigestEscalation,
  type DigestItem,
} from '../domain/reminders/mails';

export interface ReminderDeps {
  db: Db;
  calendar: CalendarSource;
  /** Without one (no SMTP_URL), nothing is sent and nothing recorded: the reminders wait for a mail server. */
  messenger?: Messenger;
  /** The console as recipients reach it, for the links in the mails. */
  consoleUrl: string;
}

/** How many items of each list a digest names; the rest are counted and left to the console. */
export const DIGEST_ITEMS = 50;
/** How many subject messages one activity sends; the workflow calls again while more wait. */
export const SUBJECT_BATCH = 100;
/** How many windows one call looks at, nearest due first (those told of and not yet closing are not among them). */
export const WINDOW_SCAN = 2_000;

/** The keys that make each message once: a department's digest per day, a subject's notice per deadline and address. */
export const digestKey = (department: string, day: string): string => `digest:${department}:${day}`;
export const noticeKey = (purpose: 'window_opened' | 'window_closing', deadlineId: string, addressId: string): string =>
  `${purpose}:${deadlineId}:${addressId}`;

export interface DepartmentReminderResult {
  day: string;
  /** No digest on a day that is not a working day on the official calendar. */
  working: boolean;
  provisional: boolean;
  sent: string[];
  /** Departments with nothing due and no breach: no mail. */
  quiet: string[];
  failed: string[];
  /** No Messenger configured: nothing was sent. */
  noMessenger?: true;
}

const ESCALATION_STATE_ZH = (e: { acknowledgedAt: Date | null }) => (e.acknowledgedAt ? '已确认，尚未督办' : '尚未确认');

/** The deadline an escalation is about, where its detail names one: `核查答复期限，`. */
function escalatedKind(detail: unknown): string {
  const kind = (detail as { deadlineKind?: unknown } | null)?.deadlineKind;
  return typeof kind === 'string' ? `${kindZh(kind)}，` : '';
}

function tally(results: SendResult[]): { sent: number; failed: number } {
  return { sent: results.filter((r) => r === 'sent').length, failed: results.filter((r) => r === 'failed').length };
}

export function reminderActivities(options: ReminderDeps) {
  // CONSOLE_PUBLIC_URL may name the host or the console itself: the links add /console/… to the host.
  const deps = { ...options, consoleUrl: options.consoleUrl.replace(/\/+$/, '').replace(/\/console$/, '') };
  const { db } = deps;

  async function digestOf(code: string, name: string, day: NonNullable<ReturnType<typeof digestDay>>) {
    const { today } = day;
    const calendar = await deps.calendar();
    const dueWhere = { department: code, status: 'open', dueDate: { gte: today, lte: day.dueUntil } };
    // A breach: an authority deadline passed without the act, whether or not its workflow has marked it yet.
    const breachWhere = {
      department: code,
      OR: [{ status: 'breached' }, { status: 'open', party: 'authority', dueDate: { lt: today } }],
    };
    const [dueRows, dueCount, breachRows, breachCount, escalationRows] = await Promise.all([
      db.deadline.findMany({ where: dueWhere, orderBy: [{ dueAt: 'asc' }, { id: 'asc' }], take: DIGEST_ITEMS }),
      db.deadline.count({ where: dueWhere }),
      db.deadline.findMany({ where: breachWhere, orderBy: [{ dueAt: 'asc' }, { id: 'asc' }], take: DIGEST_ITEMS }),
      db.deadline.count({ where: breachWhere }),
      // Open escalations: not yet followed up (督办). Those of a breach already listed are not named twice.
      db.escalation.findMany({ where: { department: code, followedUpAt: null }, orderBy: [{ at: 'asc' }, { id: 'asc' }] }),
    ]);
    const listedBreaches = new Set(breachRows.map((d) => d.id));
    const openEscalations = escalationRows.filter((e) => !(e.deadlineId && listedBreaches.has(e.deadlineId)));
    const caseIds = [...new Set([...dueRows, ...breachRows].map((d) => d.caseId))];
    const cases = new Map(
      (await db.case.findMany({ where: { id: { in: caseIds } }, select: { id: true, subjectName: true } })).map((c) => [
        c.id,
        c.subjectName,
      ]),
    );
    const itemOf = (d: (typeof dueRows)[number], left?: number): DigestItem => ({
      caseId: d.caseId,
      procedure: d.procedure,
      kind: d.kind,
      dueDate: d.dueDate,
      ...(left !== undefined ? { left } : {}),
      actor: d.party === 'subject' ? `信用主体（${cases.get(d.caseId) ?? '—'}）` : name,
      provisional: d.provisional,
    });
    const escalations: DigestEscalation[] = openEscalations.slice(0, DIGEST_ITEMS).map((e) => ({
      caseId: e.caseId,
      kind: e.kind,
      at: e.at.toISOString(),
      state: ESCALATION_STATE_ZH(e),
      what: `${escalatedKind(e.detail)}${cnDate(shanghaiDate(e.at))}提请督办`,
    }));
    return {
      departmentName: name,
      today,
      provisionalDay: day.provisional,
      dueSoon: dueRows.filter((d) => dueSoon(day, d.dueDate)).map((d) => itemOf(d, workingDaysUntil(calendar, today, d.dueDate))),
      breached: breachRows.map((d) => itemOf(d)),
      escalations,
      more: {
        dueSoon: dueCount - dueRows.length,
        breached: breachCount - breachRows.length,
        escalations: openEscalations.length - escalations.length,
      },
      consoleUrl: deps.consoleUrl,
    };
  }

  return {
    /**
     * Each department's digest of `at`'s day, once (its key is the department and the day): none on a day that is
     * not a working day, none for a department without an address or with nothing to say.
     */
    async remindDepartments(req: { at: string }): Promise<DepartmentReminderResult> {
      const today = shanghaiDate(req.at);
      const day = digestDay(await deps.calendar(), today);
      const result: DepartmentReminderResult = {
        day: today,
        working: day?.working ?? false,
        provisional: day?.provisional ?? false,
        sent: [],
        quiet: [],
        failed: [],
      };
      if (!day?.working) return result;
      const messenger = deps.messenger;
      if (!messenger) return { ...result, noMessenger: true };
      const departments = await db.department.findMany({ where: { contactEmail: { not: null } }, orderBy: { code: 'asc' } });
      for (const dept of departments) {
        if (!dept.contactEmail) continue;
        const digest = await digestOf(dept.code, dept.name, day);
        if (digestIsEmpty(digest)) {
          result.quiet.push(dept.code);
          continue;
        }
        const mail = digestMail(digest);
        const r = await sendOnce(db, messenger, {
          key: digestKey(dept.code, today),
          channel: 'email',
          to: dept.contactEmail,
          purpose: 'digest',
          department: dept.code,
          title: mail.subject,
          text: mail.text,
        });
        if (r === 'sent') result.sent.push(dept.code);
        if (r === 'failed') result.failed.push(dept.code);
      }
      return result;
    },

    /**
     * Tells subjects with a consented address of each open window of theirs: once when it opens, once when it closes
     * within two working days. Sends at most SUBJECT_BATCH messages; `more` asks the workflow to call again.
     */
    async remindSubjects(req: { at: string }): Promise<{ sent: number; failed: number; more: boolean; noMessenger?: true }> {
      const messenger = deps.messenger;
      if (!messenger) return { sent: 0, failed: 0, more: false, noMessenger: true };
      const now = new Date(req.at);
      const today = shanghaiDate(now);
      const calendar = await deps.calendar();
      const windows = await windowsToTell(db, { now, today, closingHorizon: closingHorizon(calendar, today), limit: WINDOW_SCAN });
      if (!windows.length) return { sent: 0, failed: 0, more: false };
      const addresses = new Map<string, ConsentedAddress[]>();
      for (const subjectId of new Set(windows.map((w) => w.subjectId))) {
        addresses.set(subjectId, await consentedAddressesOf(db, subjectId));
      }
      const wanted: KeyedMessage[] = [];
      for (const w of windows) {
        const left = workingDaysUntil(calendar, today, w.dueDate);
        const notice = {
          subjectName: w.subjectName,
          openedOn: shanghaiDate(w.startsAt),
          caseId: w.caseId,
          procedure: w.procedure,
          kind: w.kind,
          dueDate: w.dueDate,
          left,
          provisional: w.provisional,
          link: `${deps.consoleUrl}/console/me/cases/${encodeURIComponent(w.caseId)}`,
        };
        const kinds = [
          { purpose: 'window_opened' as const, words: windowOpenedMail(notice) },
          ...(closingNoticeDue(calendar, today, w.dueDate)
            ? [{ purpose: 'window_closing' as const, words: windowClosingMail(notice) }]
            : []),
        ];
        for (const a of addresses.get(w.subjectId) ?? []) {
          for (const k of kinds) {
            wanted.push({
              key: noticeKey(k.purpose, w.id, a.id),
              channel: a.channel,
              to: a.address,
              purpose: k.purpose,
              title: k.words.subject,
              text: a.channel === 'sms' ? k.words.sms : k.words.text,
              subjectId: w.subjectId,
              caseId: w.caseId,
              addressId: a.id,
            });
          }
        }
      }
      // What was told before costs one query, not a claim each.
      const told = new Set(
        (
          await db.outgoingMessage.findMany({
            where: { id: { in: wanted.map((m) => m.key) }, status: { not: 'sending' } },
            select: { id: true },
          })
        ).map((m) => m.id),
      );
      const pending = wanted.filter((m) => !told.has(m.key));
      const results: SendResult[] = [];
      for (const m of pending.slice(0, SUBJECT_BATCH)) results.push(await sendOnce(db, messenger, m));
      return { ...tally(results), more: pending.length > SUBJECT_BATCH };
    },
  };
}
