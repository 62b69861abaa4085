/** Dates and times as a clerk in Zhangye reads them: Asia/Shanghai (UTC+8 all year), Chinese wording. */
const SHANGHAI_MS = 8 * 3_600_000;

function parts(iso: string): { y: number; m: number; d: number; hh: string; mm: string } {
  const t = new Date(Date.parse(iso) + SHANGHAI_MS);
  return { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate(), hh: String(t.getUTCHours()).padStart(2, '0'), mm: String(t.getUTCMinutes()).padStart(2, '0') };
}

/** 2026年12月1日 from a date `YYYY-MM-DD`. */
export function dateText(date: string): string {
  const [y, m, d] = date.split('-').map(Number);
  return `${y}年${m}月${d}日`;
}

/** 2026年12月1日 10:05 from an instant. */
export function dateTimeText(iso: string): string {
  const p = parts(iso);
  return `${p.y}年${p.m}月${p.d}日 ${p.hh}:${p.mm}`;
}

/** The value of a `datetime-local` input (Shanghai wall time) for an instant. */
export function localInputValue(iso: string): string {
  return new Date(Date.parse(iso) + SHANGHAI_MS).toISOString().slice(0, 16);
}

/** An instant with +08:00 from a `datetime-local` value; undefined when it is not one. */
export function fromLocalInput(value: string): string | undefined {
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(value) ? `${value}:00+08:00` : undefined;
}
