/**
 * Identifiers of credit subjects (信用主体, regulation Art 2, Art 33):
 * - natural persons: the 18-character citizen identity number of GB 11643-1999 (公民身份号码);
 * - legal persons and other organisations: the unified social credit code of GB 32100-2015
 *   (法人和其他组织统一社会信用代码).
 *
 * Both end in a check character, so a typo is caught at the API boundary (a 422) instead of
 * creating a record, a listing or a published entry for somebody else.
 */
import { z } from "zod";

/** Trim and upper-case: GB 11643 prints the check character as upper-case X, GB 32100 uses upper-case only. */
export function normalizeId(s: string): string {
  return s.trim().toUpperCase();
}

// ---------------------------------------------------------------------------------------------
// GB 11643-1999 citizen identity number
// ---------------------------------------------------------------------------------------------

/** GB 11643-1999 §8.2 / ISO 7064 MOD 11-2: W_i = 2^(i-1) mod 11 for positions 18..2, i.e. left to right: */
const RESIDENT_ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
/** Check character for (sum mod 11) = 0..10; the value 10 is written as the Roman numeral X. */
const RESIDENT_ID_CHECK = "10X98765432";

/** Earliest birth year accepted: no living subject was born before 1900. */
const MIN_BIRTH_YEAR = 1900;

function residentIdCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * RESIDENT_ID_WEIGHTS[i]!;
  return RESIDENT_ID_CHECK[sum % 11]!;
}

/** Today's date as YYYYMMDD in Asia/Shanghai (UTC+8 all year; China has had no DST since 1991). */
function shanghaiToday(now: Date): string {
  return new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10).replace(/-/g, "");
}

/** A real calendar date YYYYMMDD (rejects 19490230, 20230229, month 13, ...). */
function isCalendarDate(yyyymmdd: string): boolean {
  const y = Number(yyyymmdd.slice(0, 4));
  const m = Number(yyyymmdd.slice(4, 6));
  const d = Number(yyyymmdd.slice(6, 8));
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/**
 * Why `s` is not a valid GB 11643-1999 identity number, or null if it is.
 * Lower-case x is accepted for the check character (people type it); surrounding spaces are not
 * (the zod schema trims before it gets here). `now` is only for tests of the "not in the future" rule.
 */
export function residentIdProblem(s: string, now: Date = new Date()): string | null {
  const id = s.toUpperCase();
  if (id.length !== 18) return `resident ID must have 18 characters, got ${id.length}`;
  // §5: 17 digits (6 address code, 8 birth date, 3 sequence) and a check character 0-9 or X.
  const bad = /[^0-9]/.exec(id.slice(0, 17));
  if (bad) return `resident ID: character ${bad.index + 1} ('${bad[0]}') must be a digit`;
  if (!/^[0-9X]$/.test(id[17]!)) return `resident ID: check character '${id[17]}' must be a digit or X`;
  // §5.1 address code (GB/T 2260): first digit 1-8 is the region (8 = Hong Kong, Macao, Taiwan residence permits).
  if (!/^[1-8]/.test(id)) return `resident ID: area code ${id.slice(0, 6)} must start with 1-8`;
  // §5.2 birth date code (GB/T 7408): YYYYMMDD.
  const birth = id.slice(6, 14);
  if (!isCalendarDate(birth)) return `resident ID: birth date ${birth} is not a valid date`;
  if (Number(birth.slice(0, 4)) < MIN_BIRTH_YEAR) return `resident ID: birth year ${birth.slice(0, 4)} is before ${MIN_BIRTH_YEAR}`;
  if (birth > shanghaiToday(now)) return `resident ID: birth date ${birth} is in the future`;
  const expected = residentIdCheckChar(id);
  if (id[17] !== expected) return `resident ID: bad check character '${id[17]}', expected '${expected}'`;
  return null;
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
  if (id.length < 10) return "*".repeat(id.length);
  return id.slice(0, 6) + "*".repeat(id.length - 10) + id.slice(-4);
}

// ---------------------------------------------------------------------------------------------
// GB 32100-2015 unified social credit code
// ---------------------------------------------------------------------------------------------

/** GB 32100-2015 Table 1: the 31 code characters, value = index. I, O, Z, S, V are left out (look like 1, 0, 2, 5, U). */
const USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY";
/** GB 32100-2015 §5: W_i = 3^(i-1) mod 31 for positions 1..17. */
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;

function usccCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += USCC_CHARS.indexOf(first17[i]!) * USCC_WEIGHTS[i]!;
  return USCC_CHARS[(31 - (sum % 31)) % 31]!;
}

/**
 * Why `s` is not a valid GB 32100-2015 code, or null if it is. Layout (§4): 1 registration authority
 * (1 机构编制, 5 民政, 9 工商, Y 其他, ...), 1 type within that authority, 6 administrative division
 * digits (GB/T 2260), 9 organisation code (GB 11714), 1 check character. Authority and type tables have
 * grown by amendment since 2015, so only the character set is checked there, never the pairs.
 */
export function usccProblem(s: string): string | null {
  const code = s.toUpperCase();
  if (code.length !== 18) return `unified social credit code must have 18 characters, got ${code.length}`;
  for (let i = 0; i < 18; i++) {
    if (!USCC_CHARS.includes(code[i]!)) {
      return `unified social credit code: character ${i + 1} ('${code[i]}') is not allowed (letters I, O, Z, S, V are never used)`;
    }
  }
  if (!/^\d{6}$/.test(code.slice(2, 8))) {
    return `unified social credit code: characters 3-8 (${code.slice(2, 8)}) must be an administrative division code of 6 digits`;
  }
  const expected = usccCheckChar(code);
  if (code[17] !== expected) return `unified social credit code: bad check character '${code[17]}', expected '${expected}'`;
  return null;
}

export function isValidUscc(s: string): boolean {
  return usccProblem(s) === null;
}

/** Complete 17 characters into a code with the correct check character: for test data only. */
export function makeUscc(prefix17: string): string {
  const p = prefix17.toUpperCase();
  if (p.length !== 17 || [...p].some((c) => !USCC_CHARS.includes(c))) {
    throw new Error(`makeUscc: want 17 characters of ${USCC_CHARS}, got '${prefix17}'`);
  }
  return p + usccCheckChar(p);
}

// ---------------------------------------------------------------------------------------------
// Subjects and schemas
// ---------------------------------------------------------------------------------------------

export const subjectKinds = ["natural_person", "legal_person", "other_org"] as const;
export type SubjectKind = (typeof subjectKinds)[number];

/** Identity number, trimmed and upper-cased, with the GB 11643 reason as the error message. */
export const residentIdSchema = z
  .string()
  .trim()
  .toUpperCase()
  .superRefine((v, ctx) => {
    const problem = residentIdProblem(v);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });

/** Unified social credit code, trimmed and upper-cased, with the GB 32100 reason as the error message. */
export const usccSchema = z
  .string()
  .trim()
  .toUpperCase()
  .superRefine((v, ctx) => {
    const problem = usccProblem(v);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });

const subjectName = z.string().regex(/\S/, 'must not be blank').trim().min(1).max(200);

/**
 * A credit subject (Art 2): the kind decides which identifier it must carry. A discriminated union,
 * so a bad id is reported at `["id"]` (`["subject", "id"]` when nested) with the checksum reason.
 */
export const subjectSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("natural_person"), id: residentIdSchema, name: subjectName }),
  z.object({ kind: z.enum(["legal_person", "other_org"]), id: usccSchema, name: subjectName }),
]);
export type Subject = z.infer<typeof subjectSchema>;

/** Check an id against the kind without zod (e.g. a JWT `subjectId` claim or a path parameter). */
export function subjectIdProblem(kind: SubjectKind, id: string): string | null {
  return kind === "natural_person" ? residentIdProblem(id) : usccProblem(id);
}

/** Organisation codes are public registration data (Art 33 (2)); only a person's ID number is masked. */
export function maskSubjectId(kind: SubjectKind, id: string): string {
  return kind === "natural_person" ? maskResidentId(id) : id;
}
