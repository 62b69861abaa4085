/**
 * The checks of GB 11643-1999 identity numbers and GB 32100-2015 unified social credit codes, as faults with their
 * facts rather than sentences, and the sentences in English (the API's words) and Chinese (the console's).
 * No imports: the console's browser script is bundled from this same file, so the check a clerk sees while typing is
 * the check the API applies.
 */

export type IdFault =
  | { code: 'length'; got: number }
  | { code: 'not_digit'; position: number; char: string }
  | { code: 'bad_check_char'; char: string }
  | { code: 'area'; area: string }
  | { code: 'birth_invalid'; birth: string }
  | { code: 'birth_too_early'; year: string; min: number }
  | { code: 'birth_future'; birth: string }
  | { code: 'mismatch'; got: string; expected: string }
  | { code: 'uscc_char'; position: number; char: string }
  | { code: 'uscc_division'; division: string };

export type IdKind = 'resident' | 'uscc';

/** GB 11643-1999 §8.2 / ISO 7064 MOD 11-2: W_i = 2^(i-1) mod 11 for positions 18..2, i.e. left to right: */
const RESIDENT_ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
/** Check character for (sum mod 11) = 0..10; the value 10 is written as the Roman numeral X. */
const RESIDENT_ID_CHECK = '10X98765432';
/** Earliest birth year accepted: no living subject was born before 1900. */
const MIN_BIRTH_YEAR = 1900;

/** The check character for 17 digits (the caller has checked them). */
export function residentIdCheckChar(first17: string): string {
  let sum = 0;
  for (const [i, w] of RESIDENT_ID_WEIGHTS.entries()) sum += Number(first17.charAt(i)) * w;
  return RESIDENT_ID_CHECK.charAt(sum % 11);
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
 * What is wrong with `s` as a GB 11643-1999 identity number, or null. Lower-case x is accepted for the check
 * character (people type it). `today` is YYYYMMDD in Asia/Shanghai, for the "not born in the future" rule.
 */
export function residentIdFault(s: string, today: string): IdFault | null {
  const id = s.toUpperCase();
  if (id.length !== 18) return { code: 'length', got: id.length };
  // §5: 17 digits (6 address code, 8 birth date, 3 sequence) and a check character 0-9 or X.
  const bad = /[^0-9]/.exec(id.slice(0, 17));
  if (bad) return { code: 'not_digit', position: bad.index + 1, char: bad[0] };
  const check = id.charAt(17);
  if (!/^[0-9X]$/.test(check)) return { code: 'bad_check_char', char: check };
  // §5.1 address code (GB/T 2260): first digit 1-8 is the region (8 = Hong Kong, Macao, Taiwan residence permits).
  if (!/^[1-8]/.test(id)) return { code: 'area', area: id.slice(0, 6) };
  // §5.2 birth date code (GB/T 7408): YYYYMMDD.
  const birth = id.slice(6, 14);
  if (!isCalendarDate(birth)) return { code: 'birth_invalid', birth };
  if (Number(birth.slice(0, 4)) < MIN_BIRTH_YEAR) return { code: 'birth_too_early', year: birth.slice(0, 4), min: MIN_BIRTH_YEAR };
  if (birth > today) return { code: 'birth_future', birth };
  const expected = residentIdCheckChar(id);
  if (check !== expected) return { code: 'mismatch', got: check, expected };
  return null;
}

/** GB 32100-2015 Table 1: the 31 code characters, value = index. I, O, Z, S, V are left out (look like 1, 0, 2, 5, U). */
export const USCC_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
/** GB 32100-2015 §5: W_i = 3^(i-1) mod 31 for positions 1..17. */
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;

/** The check character for 17 code characters (the caller has checked them). */
export function usccCheckChar(first17: string): string {
  let sum = 0;
  for (const [i, w] of USCC_WEIGHTS.entries()) sum += USCC_CHARS.indexOf(first17.charAt(i)) * w;
  return USCC_CHARS.charAt((31 - (sum % 31)) % 31);
}

/**
 * What is wrong with `s` as a GB 32100-2015 code, or null. Layout (§4): 1 registration authority (1 机构编制,
 * 5 民政, 9 工商, Y 其他, ...), 1 type within that authority, 6 administrative division digits (GB/T 2260),
 * 9 organisation code (GB 11714), 1 check character. Authority and type tables have grown by amendment since 2015,
 * so only the character set is checked there, never the pairs.
 */
export function usccFault(s: string): IdFault | null {
  const code = s.toUpperCase();
  if (code.length !== 18) return { code: 'length', got: code.length };
  for (let i = 0; i < 18; i++) {
    const c = code.charAt(i);
    if (!USCC_CHARS.includes(c)) return { code: 'uscc_char', position: i + 1, char: c };
  }
  if (!/^\d{6}$/.test(code.slice(2, 8))) return { code: 'uscc_division', division: code.slice(2, 8) };
  const expected = usccCheckChar(code);
  const check = code.charAt(17);
  if (check !== expected) return { code: 'mismatch', got: check, expected };
  return null;
}

/** The API's sentence for a fault (kept word for word as clients have seen it). */
export function faultText(kind: IdKind, f: IdFault): string {
  const what = kind === 'resident' ? 'resident ID' : 'unified social credit code';
  switch (f.code) {
    case 'length':
      return `${what} must have 18 characters, got ${f.got}`;
    case 'not_digit':
      return `resident ID: character ${f.position} ('${f.char}') must be a digit`;
    case 'bad_check_char':
      return `resident ID: check character '${f.char}' must be a digit or X`;
    case 'area':
      return `resident ID: area code ${f.area} must start with 1-8`;
    case 'birth_invalid':
      return `resident ID: birth date ${f.birth} is not a valid date`;
    case 'birth_too_early':
      return `resident ID: birth year ${f.year} is before ${f.min}`;
    case 'birth_future':
      return `resident ID: birth date ${f.birth} is in the future`;
    case 'mismatch':
      return `${what}: bad check character '${f.got}', expected '${f.expected}'`;
    case 'uscc_char':
      return `unified social credit code: character ${f.position} ('${f.char}') is not allowed (letters I, O, Z, S, V are never used)`;
    case 'uscc_division':
      return `unified social credit code: characters 3-8 (${f.division}) must be an administrative division code of 6 digits`;
  }
}

/** The console's sentence for a fault. */
export function faultTextZh(kind: IdKind, f: IdFault): string {
  const what = kind === 'resident' ? '身份证号码' : '统一社会信用代码';
  switch (f.code) {
    case 'length':
      return `${what}应为18位，现为${f.got}位`;
    case 'not_digit':
      return `身份证号码第${f.position}位（${f.char}）应为数字`;
    case 'bad_check_char':
      return `身份证号码的校验位（${f.char}）应为数字或X`;
    case 'area':
      return `身份证号码的地址码 ${f.area} 应以1至8开头`;
    case 'birth_invalid':
      return `身份证号码中的出生日期 ${f.birth} 不是有效日期`;
    case 'birth_too_early':
      return `身份证号码中的出生年份 ${f.year} 早于${f.min}年`;
    case 'birth_future':
      return `身份证号码中的出生日期 ${f.birth} 晚于今天`;
    case 'mismatch':
      return `${what}校验位不符：最后一位是“${f.got}”，按前17位应为“${f.expected}”，请核对是否录错`;
    case 'uscc_char':
      return `统一社会信用代码第${f.position}位（${f.char}）不是代码字符（代码不使用字母I、O、Z、S、V）`;
    case 'uscc_division':
      return `统一社会信用代码第3至8位（${f.division}）应为6位行政区划代码`;
  }
}
