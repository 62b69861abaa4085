import { z } from 'zod';
import {
  isValidResidentId,
  isValidUscc,
  makeResidentId,
  makeUscc,
  maskResidentId,
  maskSubjectId,
  normalizeId,
  residentIdProblem,
  residentIdSchema,
  subjectIdProblem,
  subjectSchema,
  usccProblem,
  usccSchema,
} from '../../domain/identity';

// A fixed "today" so the not-in-the-future rule does not drift with the wall clock.
const NOW = new Date('2025-06-15T12:00:00+08:00');

/** GB 11643-1999's own example; check character X (sum mod 11 = 2). */
const OFFICIAL_ID = '11010519491231002X';
/** GB 32100 codes whose check characters were verified with the §5 formula. */
const USCC_A = '91350100M000100Y43';
const USCC_B = '91110000600037341L';

describe('isValidResidentId / residentIdProblem (GB 11643-1999)', () => {
  test.each([
    ['official example', OFFICIAL_ID],
    ['lower-case x', '11010519491231002x'],
    ['generated, Zhangye Ganzhou district', makeResidentId('620702', '19800101', '123')],
    ['generated, leap day 2000-02-29', makeResidentId('620702', '20000229', '001')],
    ['generated, born today', makeResidentId('620702', '20250615', '001')],
    ['generated, born 1900-01-01', makeResidentId('110105', '19000101', '001')],
    ['generated, HK/Macao/Taiwan residence permit area 8', makeResidentId('810000', '19900101', '001')],
  ])('valid: %s (%s)', (_name, id) => {
    expect(residentIdProblem(id, NOW)).toBeNull();
    expect(isValidResidentId(id, NOW)).toBe(true);
  });

  test.each([
    ['one digit changed', '11010519491231003X', "bad check character 'X', expected '8'"],
    ['check character wrong', '110105194912310021', "expected 'X'"],
    ['bad date 19490230 (checksum right)', makeResidentId('110105', '19490230', '002'), 'birth date 19490230 is not a valid date'],
    ['month 13', makeResidentId('110105', '19491301', '002'), 'not a valid date'],
    ['1900 is not a leap year', makeResidentId('110105', '19000229', '002'), 'not a valid date'],
    ['born before 1900', makeResidentId('110105', '18991231', '002'), 'before 1900'],
    ['born tomorrow', makeResidentId('620702', '20250616', '001'), 'in the future'],
    ['too short', '11010519491231002', '18 characters, got 17'],
    ['too long', '11010519491231002X1', '18 characters, got 19'],
    ['empty', '', '18 characters, got 0'],
    ['letter in the body', '1101051949123100AX', "character 17 ('A') must be a digit"],
    ['bad check character', '11010519491231002Y', 'must be a digit or X'],
    ['area starts with 0', makeResidentId('010105', '19491231', '002'), 'must start with 1-8'],
    ['area starts with 9', makeResidentId('910105', '19491231', '002'), 'must start with 1-8'],
    ['surrounding spaces (schema trims, the function does not)', ` ${OFFICIAL_ID}`, '18 characters'],
  ])('invalid: %s', (_name, id, reason) => {
    expect(residentIdProblem(id, NOW)).toContain(reason);
    expect(isValidResidentId(id, NOW)).toBe(false);
  });

  test('MOD 11-2 catches every single-character substitution of the official example', () => {
    for (let i = 0; i < 18; i++) {
      for (const c of '0123456789X') {
        if (c === OFFICIAL_ID[i] || (i < 17 && c === 'X')) continue;
        const changed = OFFICIAL_ID.slice(0, i) + c + OFFICIAL_ID.slice(i + 1);
        expect(isValidResidentId(changed, NOW)).toBe(false);
      }
    }
  });

  test('makeResidentId rejects malformed parts', () => {
    expect(() => makeResidentId('62070', '19800101', '123')).toThrow();
    expect(() => makeResidentId('620702', '1980-1-1', '123')).toThrow();
    expect(() => makeResidentId('620702', '19800101', '12')).toThrow();
  });
});

describe('isValidUscc / usccProblem (GB 32100-2015)', () => {
  test.each([
    ['known code A', USCC_A],
    ['known code B', USCC_B],
    ['lower case', USCC_A.toLowerCase()],
    ['generated, Zhangye enterprise', makeUscc('91620700MA71Y0001')],
    ['generated, civil-affairs social organisation', makeUscc('51620702MJ0000001')],
    ['generated, check value 0', makeUscc('91620700MA71Y0024')],
  ])('valid: %s (%s)', (_name, code) => {
    expect(usccProblem(code)).toBeNull();
    expect(isValidUscc(code)).toBe(true);
  });

  test.each([
    ['one character changed', '91350100M000100Y44', "expected '3'"],
    ['one digit changed in the body', '91110000600037342L', "bad check character 'L'"],
    ['forbidden letter O', '91350100M0O0100Y43', "character 11 ('O') is not allowed"],
    ['forbidden letter I', '9I350100M000100Y43', "character 2 ('I') is not allowed"],
    ['forbidden letter Z in check position', '91350100M000100Y4Z', "character 18 ('Z') is not allowed"],
    ['too short', '91350100M000100Y4', '18 characters, got 17'],
    ['too long', '91350100M000100Y433', '18 characters, got 19'],
    ['punctuation', '91350100-000100Y43', "character 9 ('-') is not allowed"],
    ['letters in the division code (checksum right)', makeUscc('91AB0100M000100Y4'), 'administrative division'],
    ['a resident ID is not a USCC', OFFICIAL_ID, 'bad check character'],
  ])('invalid: %s', (_name, code, reason) => {
    expect(usccProblem(code)).toContain(reason);
    expect(isValidUscc(code)).toBe(false);
  });

  test('mod 31 catches every single-character substitution of a known code', () => {
    const chars = '0123456789ABCDEFGHJKLMNPQRTUWXY';
    for (let i = 0; i < 18; i++) {
      for (const c of chars) {
        if (c === USCC_A[i]) continue;
        const changed = USCC_A.slice(0, i) + c + USCC_A.slice(i + 1);
        expect(isValidUscc(changed)).toBe(false);
      }
    }
  });

  test('makeUscc rejects malformed prefixes', () => {
    expect(() => makeUscc('91350100M000100Y')).toThrow();
    expect(() => makeUscc('91350100M0O0100Y4')).toThrow();
  });

  test('makeUscc reproduces the known check characters', () => {
    expect(makeUscc(USCC_A.slice(0, 17))).toBe(USCC_A);
    expect(makeUscc(USCC_B.slice(0, 17))).toBe(USCC_B);
  });
});

describe('schemas', () => {
  test('residentIdSchema trims and upper-cases', () => {
    expect(residentIdSchema.parse('  11010519491231002x ')).toBe(OFFICIAL_ID);
    expect(normalizeId('  11010519491231002x ')).toBe(OFFICIAL_ID);
  });

  test('usccSchema trims and upper-cases', () => {
    expect(usccSchema.parse(` ${USCC_A.toLowerCase()}\n`)).toBe(USCC_A);
  });

  test.each([
    [residentIdSchema, '11010519491231003X', "bad check character 'X', expected '8'"],
    [usccSchema, '91350100M0O0100Y43', "('O') is not allowed"],
  ] as const)('the reason is the error message (%#)', (schema, value, reason) => {
    const result = schema.safeParse(value);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toContain(reason);
  });

  test.each([
    ['natural person with resident ID', { kind: 'natural_person', id: OFFICIAL_ID, name: '张三' }],
    ['legal person with USCC', { kind: 'legal_person', id: USCC_A, name: '某某有限公司' }],
    ['other organisation with USCC', { kind: 'other_org', id: makeUscc('51620702MJ0000001'), name: '某某协会' }],
  ])('subjectSchema accepts %s', (_name, subject) => {
    expect(subjectSchema.safeParse(subject).success).toBe(true);
  });

  test.each([
    ['natural person with a USCC', { kind: 'natural_person', id: USCC_A, name: '张三' }, ['id']],
    ['legal person with a resident ID', { kind: 'legal_person', id: OFFICIAL_ID, name: '某某有限公司' }, ['id']],
    ['other org with a bad checksum', { kind: 'other_org', id: '91350100M000100Y44', name: '某某协会' }, ['id']],
    ['unknown kind', { kind: 'robot', id: OFFICIAL_ID, name: 'x' }, ['kind']],
    ['empty name', { kind: 'natural_person', id: OFFICIAL_ID, name: '  ' }, ['name']],
  ])('subjectSchema rejects %s at the right path', (_name, subject, path) => {
    const result = subjectSchema.safeParse(subject);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path)).toContainEqual(path);
  });

  test('nested in a request body the error names subject.id, with the checksum reason', () => {
    const body = z.object({ subject: subjectSchema });
    const result = body.safeParse({
      subject: { kind: 'legal_person', id: '91350100M000100Y44', name: '某某有限公司' },
    });
    expect(result.success).toBe(false);
    const issue = result.error?.issues[0];
    expect(issue?.path).toEqual(['subject', 'id']);
    expect(issue?.message).toContain("expected '3'");
  });

  test('subjectSchema normalises the id', () => {
    const parsed = subjectSchema.parse({ kind: 'natural_person', id: ' 11010519491231002x', name: '张三' });
    expect(parsed.id).toBe(OFFICIAL_ID);
  });

  test.each([
    ['natural_person', OFFICIAL_ID, null],
    ['natural_person', USCC_A, 'resident ID'],
    ['legal_person', USCC_A, null],
    ['other_org', OFFICIAL_ID, 'unified social credit code'],
  ] as const)('subjectIdProblem(%s, %s)', (kind, id, reason) => {
    const problem = subjectIdProblem(kind, id);
    if (reason === null) expect(problem).toBeNull();
    else expect(problem).toContain(reason);
  });
});

describe('masking', () => {
  test.each([
    [OFFICIAL_ID, '110105********002X'],
    ['620702198001011234', '620702********1234'],
    ['123', '***'],
  ])('maskResidentId(%s) = %s', (id, masked) => {
    expect(maskResidentId(id)).toBe(masked);
  });

  test.each([
    ['natural_person', OFFICIAL_ID, '110105********002X'],
    ['legal_person', USCC_A, USCC_A],
    ['other_org', USCC_B, USCC_B],
  ] as const)('maskSubjectId(%s, %s)', (kind, id, shown) => {
    expect(maskSubjectId(kind, id)).toBe(shown);
  });
});

test('generated vectors used across the project', () => {
  expect(makeResidentId('620702', '19800101', '123')).toMatch(/^62070219800101123[0-9X]$/);
  expect(makeUscc('91620700MA71Y0024')).toBe('91620700MA71Y00240');
  expect(makeUscc('51620702MJ0000001')).toBe('51620702MJ00000010');
});
