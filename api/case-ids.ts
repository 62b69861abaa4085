import { shanghaiDate } from '../workflows/common/dates';
import { randomBytes } from 'node:crypto';
import type { Procedure } from '../workflows/common/case-types';

const PREFIX: Record<Procedure, string> = { listing: 'LST', objection: 'OBJ', repair: 'REP' };
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'; // Crockford base32: no I, L, O, U

/** Case id = workflow id: procedure, Shanghai date of opening, 10 random characters (50 bits). */
export function newCaseId(procedure: Procedure, now = new Date()): string {
  return newId(PREFIX[procedure], now);
}

/** A credit record's id, in the same shape: `REC-`, the Shanghai date it was supplied, 10 random characters. */
export function newRecordId(now = new Date()): string {
  return newId('REC', now);
}

/** A credit report's id and number (`RPT-YYYYMMDD-XXXXXXXXXX`), in the same shape: the Shanghai date it was generated. */
export function newReportId(now = new Date()): string {
  return newId('RPT', now);
}

/** An uploaded file's id (`UPL-YYYYMMDD-XXXXXXXXXX`), in the same shape: the Shanghai date it was uploaded. */
export function newUploadId(now = new Date()): string {
  return newId('UPL', now);
}

function newId(prefix: string, now: Date): string {
  const day = shanghaiDate(now).replaceAll('-', '');
  const bytes = randomBytes(10);
  let suffix = '';
  for (const b of bytes) suffix += ALPHABET.charAt(b % 32);
  return `${prefix}-${day}-${suffix}`;
}

export { shanghaiDate };
