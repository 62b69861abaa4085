import { z } from 'zod';
import { unprocessable } from '../problem';

export { isoDate, instant, text } from '../../workflows/common/schema-parts';

/**
 * A subject's code or ID number in a path: trimmed and upper-cased, so it must hold something besides white space (a
 * tab alone passed `minLength` and then failed it once trimmed: the contract test's find).
 */
export const subjectIdInPath = z.string().regex(/\S/, 'must not be blank').trim().toUpperCase().min(1).max(32);

export const pageQuery = {
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(200).optional(),
};

export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .loose();

/** Opaque keyset cursor: (createdAt, id) of the last item, base64url-encoded. */
/** The problem answers a route of the API can give, for its OpenAPI responses. */
export const problemResponses = {
  400: problemSchema,
  401: problemSchema,
  403: problemSchema,
  404: problemSchema,
  409: problemSchema,
  422: problemSchema,
};

export function encodeCursor(parts: (string | number)[]): string {
  return Buffer.from(JSON.stringify(parts)).toString('base64url');
}

/** What each part of a cursor is: the instant or date of the last row, its id, or a bigint sequence number. */
export type CursorPart = 'instant' | 'date' | 'id' | 'seq';

const MAX_SEQ = 9_223_372_036_854_775_807n;
const PART_CHECKS: Record<CursorPart, (v: unknown) => boolean> = {
  instant: (v) => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T[\d:.]+Z$/.test(v) && !Number.isNaN(Date.parse(v)),
  date: (v) => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(v)),
  id: (v) => typeof v === 'string' && /^[\w:.-]{1,120}$/.test(v),
  seq: (v) => typeof v === 'string' && /^\d{1,19}$/.test(v) && BigInt(v) <= MAX_SEQ,
};

/**
 * Reads a cursor this API issued. Each part is checked for its kind, so a forged cursor (any base64url text is
 * well-formed) is a 422 and never reaches Postgres as an invalid date or an out-of-range number.
 */
export function decodeCursor(cursor: string | undefined, parts: readonly CursorPart[]): string[] | null {
  if (!cursor) return null;
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(v) && v.length === parts.length && parts.every((part, i) => PART_CHECKS[part](v[i]))) return v as string[];
  } catch {
    /* reported below */
  }
  throw foreignCursor();
}

/** The 422 for a cursor of the right form that this API did not issue. */
export function foreignCursor() {
  return unprocessable({ zh: '该游标不是本接口签发的', en: 'cursor is not one this API issued' }, [
    { path: 'querystring.cursor', message: { zh: '游标无效', en: 'invalid cursor' } },
  ]);
}

/**
 * Keyset paging: the query fetched `limit + 1` rows; the extra row only says whether there is a next page,
 * whose cursor is the last row shown.
 */
export function pageOf<T>(rows: T[], limit: number, cursorOf: (last: T) => string): { page: T[]; nextCursor: string | null } {
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return { page, nextCursor: rows.length > limit && last !== undefined ? cursorOf(last) : null };
}
