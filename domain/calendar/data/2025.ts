/**
 * 2025 holidays, from the State Council notice. Dates are written out one by one so a reviewer can
 * compare them with the notice; test/unit/calendar-schedule.test.ts cross-checks every day of the year
 * against the `chinese-days` package. Published at https://www.gov.cn/zhengce/zhengceku/202411/content_6986383.htm
 * (the first notice under the 2024 revision of 《全国年节及纪念日放假办法》, which added a day each to
 * the Spring Festival and Labour Day).
 */
import type { YearNotice } from '../schedule';

export const notice2025: YearNotice = {
  year: 2025,
  source: '国务院办公厅关于2025年部分节假日安排的通知（国办发明电〔2024〕12号）',
  version: '2025-official-1',
  items: [
    {
      name: '元旦',
      text: '一、元旦：1月1日（周三）放假1天，不调休。',
      daysOff: ['2025-01-01'],
      makeupWorkdays: [],
    },
    {
      name: '春节',
      text: '二、春节：1月28日（农历除夕、周二）至2月4日（农历正月初七、周二）放假调休，共8天。1月26日（周日）、2月8日（周六）上班。',
      daysOff: ['2025-01-28', '2025-01-29', '2025-01-30', '2025-01-31', '2025-02-01', '2025-02-02', '2025-02-03', '2025-02-04'],
      makeupWorkdays: ['2025-01-26', '2025-02-08'],
    },
    {
      name: '清明节',
      text: '三、清明节：4月4日（周五）至6日（周日）放假，共3天。',
      daysOff: ['2025-04-04', '2025-04-05', '2025-04-06'],
      makeupWorkdays: [],
    },
    {
      name: '劳动节',
      text: '四、劳动节：5月1日（周四）至5日（周一）放假调休，共5天。4月27日（周日）上班。',
      daysOff: ['2025-05-01', '2025-05-02', '2025-05-03', '2025-05-04', '2025-05-05'],
      makeupWorkdays: ['2025-04-27'],
    },
    {
      name: '端午节',
      text: '五、端午节：5月31日（周六）至6月2日（周一）放假，共3天。',
      daysOff: ['2025-05-31', '2025-06-01', '2025-06-02'],
      makeupWorkdays: [],
    },
    {
      // The notice joins the two festivals in one item (中秋 falls on 10月6日), so every day carries both names.
      name: '国庆节、中秋节',
      text: '六、国庆节、中秋节：10月1日（周三）至8日（周三）放假调休，共8天。9月28日（周日）、10月11日（周六）上班。',
      daysOff: ['2025-10-01', '2025-10-02', '2025-10-03', '2025-10-04', '2025-10-05', '2025-10-06', '2025-10-07', '2025-10-08'],
      makeupWorkdays: ['2025-09-28', '2025-10-11'],
    },
  ],
};
