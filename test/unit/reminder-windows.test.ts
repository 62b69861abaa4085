import { StatutoryCalendar, addDays, builtInSchedules } from '../../domain/calendar';
import { closingHorizon, closingNoticeDue, digestDay, dueSoon, workingDaysUntil } from '../../domain/reminders/windows';
import { digestMail, dueInWords, windowClosingMail } from '../../domain/reminders/mails';
import { nextWake, shanghaiDay, SUBJECT_EVERY_MS, untilNextDigest } from '../../workflows/reminders/schedule';

/*
 * The reminders' working-day windows on the 2026 notice (国庆、中秋 10/1–7, 9/20 Sun and 10/10 Sat worked), with 2027
 * standing for a year without one. Expected dates written out by hand from the notice.
 */
const calendar = new StatutoryCalendar(builtInSchedules().filter((s) => s.year <= 2026));

describe('digestDay', () => {
  test('a make-up Saturday is a digest day; it looks two working days ahead', () => {
    expect(digestDay(calendar, '2026-10-10')).toEqual({ today: '2026-10-10', working: true, dueUntil: '2026-10-13', provisional: false });
  });
  test('a holiday on a weekday and an ordinary Sunday are not', () => {
    expect(digestDay(calendar, '2026-10-05')?.working).toBe(false);
    expect(digestDay(calendar, '2026-10-11')?.working).toBe(false);
  });
  test('the Friday before a make-up Saturday counts the Saturday', () => {
    expect(digestDay(calendar, '2026-10-09')?.dueUntil).toBe('2026-10-12');
  });
  test('the last day before the holiday looks past it', () => {
    // 9/30 Wed: 10/1–7 off, (1) 10/8 (2) 10/9.
    expect(digestDay(calendar, '2026-09-30')?.dueUntil).toBe('2026-10-09');
  });
  test('reaching into a year without a notice is provisional, never skipped', () => {
    // 12/30 Wed: (1) 12/31, 2027-01-01 statutory holiday, 1/2–3 weekend, (2) 1/4.
    expect(digestDay(calendar, '2026-12-30')).toEqual({ today: '2026-12-30', working: true, dueUntil: '2027-01-04', provisional: true });
    expect(digestDay(calendar, '2027-03-01')).toMatchObject({ working: true, provisional: true });
  });
  test('due soon: from today up to the second working day, both included', () => {
    const day = digestDay(calendar, '2026-10-09');
    if (!day) throw new Error('no digest day');
    expect(['2026-10-08', '2026-10-09', '2026-10-10', '2026-10-12', '2026-10-13'].map((d) => dueSoon(day, d))).toEqual([
      false,
      true,
      true,
      true,
      false,
    ]);
  });
});

describe('closingNoticeDue', () => {
  test('from the day two working days before the last day', () => {
    // Due Tue 10/13: Fri 10/9 has three left (10/10 Sat worked, 10/12, 10/13), Sat 10/10 two.
    expect(closingNoticeDue(calendar, '2026-10-09', '2026-10-13')).toBe(false);
    expect(closingNoticeDue(calendar, '2026-10-10', '2026-10-13')).toBe(true);
    expect(closingNoticeDue(calendar, '2026-10-13', '2026-10-13')).toBe(true);
  });
  test('a holiday between is not counted', () => {
    // Due Fri 10/9: on 9/30 only 10/8 and 10/9 are left.
    expect(workingDaysUntil(calendar, '2026-09-29', '2026-10-09')).toBe(3);
    expect(closingNoticeDue(calendar, '2026-09-29', '2026-10-09')).toBe(false);
    expect(closingNoticeDue(calendar, '2026-09-30', '2026-10-09')).toBe(true);
  });
  test('the horizon the database filters by keeps every window that may be closing', () => {
    expect(closingHorizon(calendar, '2026-10-09')).toBe('2026-10-13');
    for (const today of ['2026-09-28', '2026-09-30', '2026-10-03', '2026-10-09', '2026-10-10']) {
      const horizon = closingHorizon(calendar, today);
      for (let i = 0; i < 20; i++) {
        const due = addDays(today, i);
        if (closingNoticeDue(calendar, today, due)) expect(due < horizon).toBe(true);
      }
    }
  });
  test('a window already closed is not told', () => {
    expect(closingNoticeDue(calendar, '2026-10-14', '2026-10-13')).toBe(false);
  });
});

describe('the words', () => {
  test('a due date in words, with what is left', () => {
    expect(dueInWords('2026-10-13', 2)).toBe('2026年10月13日（星期二）24时届满，还有2个工作日');
    expect(dueInWords('2026-10-13', 0)).toBe('今日（2026年10月13日，星期二）24时届满');
  });
  test('a provisional digest and notice say so', () => {
    const mail = digestMail({
      departmentName: '测试局',
      today: '2026-12-30',
      provisionalDay: true,
      dueSoon: [
        {
          caseId: 'LST-1',
          procedure: 'listing',
          kind: 'hearing_notice',
          dueDate: '2027-01-04',
          left: 2,
          actor: '测试局',
          provisional: true,
        },
      ],
      breached: [],
      escalations: [],
      more: { dueSoon: 0, breached: 0, escalations: 0 },
      consoleUrl: 'http://console.test',
    });
    expect(mail.text).toContain('暂定');
    expect(mail.text).toContain('LST-1');
    expect(mail.subject).toContain('1项两个工作日内到期');
    const notice = windowClosingMail({
      subjectName: '某公司',
      openedOn: '2026-12-24',
      caseId: 'LST-1',
      procedure: 'listing',
      kind: 'statement_window',
      dueDate: '2027-01-04',
      left: 2,
      provisional: true,
      link: 'http://console.test/console/me/cases/LST-1',
    });
    expect(notice.text).toContain('陈述、申辩');
    expect(notice.text).toContain('暂定');
    expect(notice.sms).toContain('http://console.test/console/me/cases/LST-1');
  });
});

describe('when the workflow wakes', () => {
  const at = (iso: string) => Date.parse(iso);
  test('the digest time is 08:30 Asia/Shanghai', () => {
    expect(shanghaiDay(at('2026-10-09T00:29:00Z'))).toEqual({ day: '2026-10-09', digestTimeReached: false });
    expect(shanghaiDay(at('2026-10-09T00:30:00Z'))).toEqual({ day: '2026-10-09', digestTimeReached: true });
    expect(shanghaiDay(at('2026-10-09T16:10:00Z'))).toEqual({ day: '2026-10-10', digestTimeReached: false });
  });
  test('it sleeps to the next subject look or the digest, whichever is first', () => {
    expect(untilNextDigest(at('2026-10-09T00:20:00Z'))).toBe(10 * 60_000);
    expect(untilNextDigest(at('2026-10-09T00:30:00Z'))).toBe(24 * 3_600_000);
    expect(nextWake(at('2026-10-09T00:20:00Z'))).toBe(10 * 60_000);
    expect(nextWake(at('2026-10-09T03:00:00Z'))).toBe(SUBJECT_EVERY_MS);
  });
});
