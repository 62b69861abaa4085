/**
 * 2026 holidays, from the State Council notice dated 2025年11月4日 (released by Xinhua the same day,
 * https://www.gov.cn/zhengce/zhengceku/202511/content_7047091.htm). Its document number is not recorded
 * here because no source at hand states it; add it when the gov.cn page is checked.
 * Cross-checked day by day against `chinese-days` in test/unit/calendar-schedule.test.ts.
 */
import type { YearNotice } from '../schedule';

export const notice2026: YearNotice = {
  year: 2026,
  source: '国务院办公厅关于2026年部分节假日安排的通知（2025年11月4日）',
  version: '2026-official-1',
  items: [
    {
      // 1月3日 is a Saturday inside the holiday; the following Sunday is worked.
      name: '元旦',
      text: '一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。1月4日（周日）上班。',
      daysOff: ['2026-01-01', '2026-01-02', '2026-01-03'],
      makeupWorkdays: ['2026-01-04'],
    },
    {
      name: '春节',
      text: '二、春节：2月15日（农历腊月二十八、周日）至23日（农历正月初七、周一）放假调休，共9天。2月14日（周六）、2月28日（周六）上班。',
      daysOff: [
        '2026-02-15', '2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19',
        '2026-02-20', '2026-02-21', '2026-02-22', '2026-02-23',
      ],
      makeupWorkdays: ['2026-02-14', '2026-02-28'],
    },
    {
      name: '清明节',
      text: '三、清明节：4月4日（周六）至6日（周一）放假，共3天。',
      daysOff: ['2026-04-04', '2026-04-05', '2026-04-06'],
      makeupWorkdays: [],
    },
    {
      name: '劳动节',
      text: '四、劳动节：5月1日（周五）至5日（周二）放假调休，共5天。5月9日（周六）上班。',
      daysOff: ['2026-05-01', '2026-05-02', '2026-05-03', '2026-05-04', '2026-05-05'],
      makeupWorkdays: ['2026-05-09'],
    },
    {
      name: '端午节',
      text: '五、端午节：6月19日（周五）至21日（周日）放假，共3天。',
      daysOff: ['2026-06-19', '2026-06-20', '2026-06-21'],
      makeupWorkdays: [],
    },
    {
      name: '中秋节',
      text: '六、中秋节：9月25日（周五）至27日（周日）放假，共3天。',
      daysOff: ['2026-09-25', '2026-09-26', '2026-09-27'],
      makeupWorkdays: [],
    },
    {
      // The make-up Sunday 9月20日 lies before the 中秋 holiday, but the notice assigns it to National Day.
      name: '国庆节',
      text: '七、国庆节：10月1日（周四）至7日（周三）放假调休，共7天。9月20日（周日）、10月10日（周六）上班。',
      daysOff: ['2026-10-01', '2026-10-02', '2026-10-03', '2026-10-04', '2026-10-05', '2026-10-06', '2026-10-07'],
      makeupWorkdays: ['2026-09-20', '2026-10-10'],
    },
  ],
};
