/**
 * Identifiers of credit subjects (信用主体, regulation Art 2, Art 33):
 * - natural persons: the 18-character citizen identity number of GB 11643-1999 (公民身份号码);
 * - legal persons and other organisations: the unified social credit code of GB 32100-2015
 *   (法人和其他组织统一社会信用代码).
 *
 * Both end in a check character, so a typo is caught at the API boundary (a 422) instead of
 * creating a record, a listing or a published entry for somebody else.
 */
import { z } from 'zod';
import type { Words } from '../contract/problem';
import { faultText, faultTextZh, residentIdCheckChar, residentIdFault, USCC_CHARS, usccCheckChar, usccFault } from './identity-checks';

/** Trim and upper-case: GB 11643 prints the check character as upper-case X, GB 32100 uses upper-case only. */
export function normalizeId(s: string): string {
  return s.trim().toUpperCase();
}

// ---------------------------------------------------------------------------------------------
// GB 11643-1999 citizen identity number (the checks themselves are in identity-checks.ts)
// ---------------------------------------------------------------------------------------------

/** Today's date as YYYYMMDD in Asia/Shanghai (UTC+8 all year; China has had no DST since 1991). */
function shanghaiToday(now: Date): string {
  return new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10).replace(/-/g, '');
}

/**
 * Why `s` is not a valid GB 11643-1999 identity number, or null if it is.
 * Lower-case x is accepted for the check character (people type it); surrounding spaces are not
 * (the zod schema trims before it gets here). `now` is only for tests of the "not in the future" rule.
 */
export function residentIdProblem(s: string, now: Date = new Date()): string | null {
  return residentIdWords(s, now)?.en ?? null;
}

/** `residentIdProblem` in both languages. */
export function residentIdWords(s: string, now: Date = new Date()): Words | null {
  const fault = residentIdFault(s, shanghaiToday(now));
  return fault && { zh: faultTextZh('resident', fault), en: faultText('resident', fault) };
}

export function isValidResidentId(s: string, now: Date = new Date()): boolean {
  return residentIdProblem(s, now) === null;
}

/**
 * Build an identity number with the correct check character: for test data only.
 * The date is deliberately not validated, so tests can build "valid checksum, impossible date" cases.
 */
export function makeResidentId(area: string, birth: string, seq: string): string {
  if (!/^\d{6}$/.test(area) || !/^\d{8}$/.test(birth) || !/^\d{3}$/.test(seq)) {
    throw new Error(`makeResidentId: want 6 + 8 + 3 digits, got '${area}', '${birth}', '${seq}'`);
  }
  const first17 = area + birth + seq;
  return first17 + residentIdCheckChar(first17);
}

/**
 * Published form of a natural person's ID number (Art 44 (6) publication, Art 39 (3)/(4) no leaking):
 * first 6 (area) and last 4 kept, the 8 birth-date digits hidden. Anything too short is hidden entirely.
 */
export function maskResidentId(id: string): string {
  if (id.length < 10) return '*'.repeat(id.length);
  return id.slice(0, 6) + '*'.repeat(id.length - 10) + id.slice(-4);
}

// ---------------------------------------------------------------------------------------------
// GB 32100-2015 unified social credit code
// ---------------------------------------------------------------------------------------------

/** Why `s` is not a valid GB 32100-2015 code, or null if it is. */
export function usccProblem(s: string): string | null {
  return usccWords(s)?.en ?? null;
}

/** `usccProblem` in both languages. */
export function usccWords(s: string): Words | null {
  const fault = usccFault(s);
  return fault && { zh: faultTextZh('uscc', fault), en: faultText('uscc', fault) };
}

export function isValidUscc(s: string): boolean {
  return usccProblem(s) === null;
}

/** Complete 17 characters into a code with the correct check character: for test data only. */
export function makeUscc(prefix17: string): string {
  const p = prefix17.toUpperCase();
  if (p.length !== 17 || Array.from(p).some((c) => !USCC_CHARS.includes(c))) {
    throw new Error(`makeUscc: want 17 characters of ${USCC_CHARS}, got '${prefix17}'`);
  }
  return p + usccCheckChar(p);
}

// ---------------------------------------------------------------------------------------------
// Subjects and schemas
// ---------------------------------------------------------------------------------------------

export const subjectKinds = ['natural_person', 'legal_person', 'other_org'] as const;
export type SubjectKind = (typeof subjectKinds)[number];

/**
 * A number, trimmed and upper-cased, with what `problemOf` finds wrong with it as the error message (English) and
 * its Chinese in the issue's `params.zh`, which the API's error handler answers by default.
 */
function checkedNumberSchema(problemOf: (v: string) => Words | null) {
  return z
    .string()
    .trim()
    .toUpperCase()
    .superRefine((v, ctx) => {
      const problem = problemOf(v);
      if (problem) ctx.addIssue({ code: 'custom', message: problem.en, params: { zh: problem.zh } });
    });
}

/** Identity number, trimmed and upper-cased, with the GB 11643 reason as the error message. */
export const residentIdSchema = checkedNumberSchema((v) => residentIdWords(v));

/** Unified social credit code, trimmed and upper-cased, with the GB 32100 reason as the error message. */
export const usccSchema = checkedNumberSchema(usccWords);

const subjectName = z.string().regex(/\S/, 'must not be blank').trim().min(1).max(200);

/**
 * A credit subject (Art 2): the kind decides which identifier it must carry. A discriminated union,
 * so a bad id is reported at `["id"]` (`["subject", "id"]` when nested) with the checksum reason.
 */
export const subjectSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('natural_person'), id: residentIdSchema, name: subjectName }),
  z.object({ kind: z.enum(['legal_person', 'other_org']), id: usccSchema, name: subjectName }),
]);
export type Subject = z.infer<typeof subjectSchema>;

/** Check an id against the kind without zod (e.g. a JWT `subjectId` claim or a path parameter). */
export function subjectIdProblem(kind: SubjectKind, id: string): string | null {
  return subjectIdWords(kind, id)?.en ?? null;
}

/** `subjectIdProblem` in both languages. */
export function subjectIdWords(kind: SubjectKind, id: string): Words | null {
  return kind === 'natural_person' ? residentIdWords(id) : usccWords(id);
}

/** Organisation codes are public registration data (Art 33 (2)); only a person's ID number is masked. */
export function maskSubjectId(kind: SubjectKind, id: string): string {
  return kind === 'natural_person' ? maskResidentId(id) : id;
}

/** `maskSubjectId` where only the id is known: a valid ID number (GB 11643) is a person's, and is masked. */
export function maskIfResidentId(id: string): string {
  return residentIdProblem(id) === null ? maskResidentId(id) : id;
}
