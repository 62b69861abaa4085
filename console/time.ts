/**
 * Dates and times as a clerk in Zhangye reads them, Asia/Shanghai: the wording is the documents' own
 * (domain/documents/text.ts), the offset arithmetic workflows/common/dates.ts; only the form inputs' conversion is here.
 */
import { SHANGHAI_OFFSET_MS } from '../workflows/common/dates';

export { shanghaiDate } from '../workflows/common/dates';

export { formatDate as dateText, formatDateTime as dateTimeText } from '../domain/documents/text';

/** The value of a `datetime-local` input (Shanghai wall time) for an instant. */
export function localInputValue(iso: string): string {
  return new Date(Date.parse(iso) + SHANGHAI_OFFSET_MS).toISOString().slice(0, 16);
}

/** An instant with +08:00 from a `datetime-local` value; undefined when it is not one. */
export function fromLocalInput(value: string): string | undefined {
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(value) ? `${value}:00+08:00` : undefined;
}
