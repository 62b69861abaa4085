import { StatutoryCalendar, builtInSchedules, compute, servedOn, shanghaiDate } from '../../domain/calendar';

describe('shanghaiDate', () => {
  test.each([
    ['2025-09-30T16:30:00Z', '2025-10-01'], // 00:30 on 1 October in Shanghai
    ['2025-09-30T15:59:59.999Z', '2025-09-30'], // 23:59:59.999 on 30 September
    ['2025-10-01T00:00:00+08:00', '2025-10-01'],
    ['2025-09-30T23:00:00-05:00', '2025-10-01'], // 04:00Z = 12:00 Shanghai
    ['2025-12-31T16:00:00Z', '2026-01-01'],
  ])('%s → %s', (instant, date) => {
    expect(shanghaiDate(instant)).toBe(date);
  });

  test.each(['2025-09-30T12:00:00', '2025-09-30', 'yesterday', '2025-13-01T00:00:00Z'])('refuses %p (no offset or not an instant)', (s) => {
    expect(() => shanghaiDate(s)).toThrow(RangeError);
  });
});

describe('servedOn', () => {
  test('in person: the signature date', () => {
    const r = servedOn('in_person', '2026-09-30T09:15:00+08:00');
    expect(r.servedDate).toBe('2026-09-30');
    expect(r.explanation).toEqual(['直接送达，以受送达人在送达回证上签收的日期为送达日期，即2026年9月30日。']);
  });

  test('mail: the receipt date', () => {
    const r = servedOn('mail', '2026-02-13T03:00:00Z');
    expect(r.servedDate).toBe('2026-02-13');
    expect(r.explanation[0]).toContain('回执上注明的收件日期');
  });

  test('electronic: the Shanghai date of arrival, even when UTC says otherwise', () => {
    const r = servedOn('electronic', '2025-09-30T16:30:00Z');
    expect(r.servedDate).toBe('2025-10-01');
    expect(r.explanation).toEqual([
      '电子送达，以送达信息到达受送达人特定系统的日期为送达日期；该信息于北京时间2025年10月1日0时30分到达，送达日期为2025年10月1日。',
    ]);
  });

  test('public announcement: deemed served once the set days have passed', () => {
    const r = servedOn('public_announcement', '2025-09-01T10:00:00+08:00', { publicAnnouncementDays: 30 });
    expect(r.servedDate).toBe('2025-10-01');
    expect(r.explanation).toEqual(['公告送达：公告于2025年9月1日发出，自发出公告之日起经过30日，即2025年10月1日视为送达。']);
    expect(servedOn('public_announcement', '2025-12-20T08:00:00+08:00', { publicAnnouncementDays: 60 }).servedDate).toBe('2026-02-18');
  });

  test.each([undefined, { publicAnnouncementDays: 0 }, { publicAnnouncementDays: 2.5 }])('public announcement refuses %p days', (opts) => {
    expect(() => servedOn('public_announcement', '2025-09-01T10:00:00+08:00', opts)).toThrow(RangeError);
  });

  test('the service date starts the statement window: served on a holiday, counted after it', () => {
    const calendar = new StatutoryCalendar(builtInSchedules());
    const served = servedOn('public_announcement', '2025-09-01T10:00:00+08:00', { publicAnnouncementDays: 30 });
    const due = compute(calendar, served.servedDate, { unit: 'working_days', amount: 5 }, { fromLabel: '送达之日' });
    // 10/1–8 off; (1) 10/9 (2) 10/10 (3) 10/11 Sat make-up, 10/12 Sun, (4) 10/13 (5) 10/14
    expect(due.dueDate).toBe('2025-10-14');
  });
});
