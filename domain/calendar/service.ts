/**
 * Service (送达) decides the day a clock starts (DOMAIN.md "Deadlines"). 行政处罚法 第六十一条 sends
 * administrative service to the rules of the 民事诉讼法, which fix the service date per method:
 * - direct service: the date the recipient signs the return of service (送达回证上的签收日期);
 * - mail: the receipt date on the return receipt (回执上注明的收件日期);
 * - electronic (with the recipient's consent): the date the message reaches the recipient's system;
 * - public announcement: deemed served once the set number of days has passed since it was issued
 *   (民事诉讼法: 自发出公告之日起，经过三十日，即视为送达; the number is a per-department policy here).
 */
import { addDays } from './dates';
// Asia/Shanghai is UTC+8 all year: China has had no DST since 1991.
import { SHANGHAI_OFFSET_MS, shanghaiDate as shanghaiDayOf } from '../../workflows/common/dates';
import { cnDate } from './explain';

/** How a document reaches its addressee; the one list the schemas, the workflows and the documents share. */
export const SERVICE_METHODS = ['in_person', 'mail', 'electronic', 'public_announcement'] as const;
export type ServiceMethod = (typeof SERVICE_METHODS)[number];

export interface ServiceResult {
  /** The day of service in Asia/Shanghai; the triggering day of any period it starts (not counted). */
  servedDate: string;
  explanation: string[];
}

// An offset is required: without one, Date.parse would read the instant in the host's timezone.
const INSTANT_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/i;

function shanghaiWallClock(instant: string): string {
  if (typeof instant !== 'string' || !INSTANT_RE.test(instant)) {
    throw new RangeError(`instant must be an ISO 8601 date-time with offset, got ${JSON.stringify(instant)}`);
  }
  const ms = Date.parse(instant);
  if (Number.isNaN(ms)) throw new RangeError(`instant ${JSON.stringify(instant)} is not a valid date-time`);
  return new Date(ms + SHANGHAI_OFFSET_MS).toISOString();
}

/** The Asia/Shanghai calendar date of an instant: `2025-09-30T16:30:00Z` → `2025-10-01`. Validated, then the shared arithmetic. */
export function shanghaiDate(instant: string): string {
  shanghaiWallClock(instant);
  return shanghaiDayOf(instant);
}

/** `2025年10月1日0时30分` (Beijing time), for the explanation. */
function cnInstant(instant: string): string {
  const wall = shanghaiWallClock(instant);
  return `${cnDate(wall.slice(0, 10))}${Number(wall.slice(11, 13))}时${Number(wall.slice(14, 16))}分`;
}

export function servedOn(method: ServiceMethod, at: string, opts?: { publicAnnouncementDays: number }): ServiceResult {
  const date = shanghaiDate(at);
  switch (method) {
    case 'in_person':
      return {
        servedDate: date,
        explanation: [`直接送达，以受送达人在送达回证上签收的日期为送达日期，即${cnDate(date)}。`],
      };
    case 'mail':
      return { servedDate: date, explanation: [`邮寄送达，以回执上注明的收件日期为送达日期，即${cnDate(date)}。`] };
    case 'electronic':
      return {
        servedDate: date,
        explanation: [
          `电子送达，以送达信息到达受送达人特定系统的日期为送达日期；该信息于北京时间${cnInstant(at)}到达，送达日期为${cnDate(date)}。`,
        ],
      };
    case 'public_announcement': {
      const n = opts?.publicAnnouncementDays;
      if (n === undefined || !Number.isInteger(n) || n <= 0) {
        throw new RangeError(`public announcement needs publicAnnouncementDays, a whole number > 0, got ${n}`);
      }
      const served = addDays(date, n);
      return {
        servedDate: served,
        explanation: [`公告送达：公告于${cnDate(date)}发出，自发出公告之日起经过${n}日，即${cnDate(served)}视为送达。`],
      };
    }
    default: {
      const never: never = method;
      throw new RangeError(`unknown service method ${String(never)}`);
    }
  }
}
