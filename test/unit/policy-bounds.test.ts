import {
  builtInSchedules,
  defaultPolicy,
  legalBoundsOf,
  namesAnAct,
  periodBounds,
  periodEntryProblems,
  periodKeys,
  policyTableProblems,
  resolvePolicy,
  StatutoryCalendar,
  type PolicyOverride,
} from '../../domain/calendar';
import { overrideProblems } from '../../domain/policy-checks';
import { policyTrialProblems } from '../../domain/policy-trial';
import { departments } from '../../domain/reference-data';

const calendar = new StatutoryCalendar(builtInSchedules());
// Any day: the checks hold on every date (an unpublished year is provisional, never a failure).
const today = new Date().toISOString().slice(0, 10);
const codes = departments.map((d) => d.code);
const check = (override: PolicyOverride, existing: PolicyOverride[] = []) =>
  overrideProblems({ override, existing, departments: codes, calendar, today });

describe('the policy bounds', () => {
  test('the defaults keep within every bound, on the rules in force before and after 2026-04-01', () => {
    expect(policyTableProblems(defaultPolicy())).toEqual([]);
    expect(policyTableProblems(defaultPolicy('2026-03-01'))).toEqual([]);
    expect(policyTrialProblems(defaultPolicy(), calendar, today)).toEqual([]);
  });

  test('every period entry declares its units, floor and ceiling with a source', () => {
    for (const k of periodKeys) {
      const b = periodBounds[k];
      expect(b.units).toContain(defaultPolicy()[k].unit);
      for (const bound of [b.floor, b.ceiling]) expect(bound.source.length).toBeGreaterThan(5);
    }
    expect(legalBoundsOf('free_reports_per_year')).toMatchObject({ floor: { amount: 2, basis: 'law' } });
  });

  test.each([
    ['statement_window', { unit: 'working_days', amount: 4 }, /below its statutory minimum of 5 working_days.*第六十四条/],
    ['statement_window', { unit: 'working_days', amount: 61 }, /above its greatest sane value/],
    ['statement_window', { unit: 'days', amount: 10 }, /counted in working_days; days cannot be read/],
    ['hearing_notice', { unit: 'working_days', amount: 6 }, /statutory minimum of 7/],
    ['reconsideration_window', { unit: 'days', amount: 59 }, /statutory minimum of 60 days.*行政复议法/],
    ['reconsideration_window', { unit: 'working_days', amount: 60 }, /counted in days/],
    ['litigation_window', { unit: 'months', amount: 5 }, /statutory minimum of 6 months.*第四十六条/],
    ['litigation_window', { unit: 'years', amount: 6 }, /statutory maximum of 5 years/],
    ['publicity_serious', { unit: 'years', amount: 4, min: { unit: 'years', amount: 1 } }, /statutory maximum of 3 years.*22号/],
    [
      'publicity_general',
      { unit: 'years', amount: 1, min: { unit: 'months', amount: 2 } },
      /minimum 2 months is below its statutory minimum of 3 months/,
    ],
    ['publicity_minor', { unit: 'days', amount: 30 }, /counted in months or years/],
    ['objection_decide', { unit: 'working_days', amount: 5, maxTotal: 90 }, /maxTotal 90 is above 60/],
  ] as const)('%s %j is refused', (key, entry, message) => {
    const problems = periodEntryProblems(key, entry);
    expect(problems).toEqual([
      expect.objectContaining({
        path: expect.stringMatching(new RegExp(`^${key}\\.`)),
        message: { zh: expect.stringMatching(new RegExp(`^${key}`)), en: expect.stringMatching(message) },
      }),
    ]);
  });

  test.each([
    ['statement_window', { unit: 'working_days', amount: 5 }],
    ['statement_window', { unit: 'working_days', amount: 10 }],
    ['litigation_window', { unit: 'years', amount: 1 }],
    ['publicity_general', { unit: 'months', amount: 6, min: { unit: 'months', amount: 3 } }],
  ] as const)('%s %j may stand', (key, entry) => {
    expect(periodEntryProblems(key, entry)).toEqual([]);
  });

  test('acts are named by their title, a document number or an act name; "0" names none', () => {
    expect(namesAnAct('《中华人民共和国行政处罚法》第六十四条')).toBe(true);
    expect(namesAnAct('国办发〔2025〕22号')).toBe(true);
    expect(namesAnAct('张掖市市场监督管理局信用监管办法')).toBe(true);
    expect(namesAnAct('0')).toBe(false);
    expect(namesAnAct('text')).toBe(false);
  });
});

describe('overrideProblems', () => {
  test('a statement window of 1 calendar day with source "0" and confidence "text" is refused on each count', () => {
    const problems = check({
      department: 'ZY-SAMR',
      procedure: 'listing',
      source: '0',
      values: { statement_window: { unit: 'days', amount: 1, confidence: 'text' } },
    });
    const paths = problems.map((p) => p.path);
    expect(paths).toEqual(expect.arrayContaining(['body.source', 'body.values.statement_window.unit', 'body.values.statement_window']));
    // The document activity's own refusal is what the trial meets: the reason the procedure hung.
    expect(problems.map((p) => p.message.en).join('\n')).toMatch(/documents print it in working_days/);
    expect(problems.map((p) => p.message.zh).join('\n')).toMatch(/列入文书无法载明该值/);
  });

  test('a statement window of 1 working day is below Art 64', () => {
    expect(check({ department: 'ZY-SAMR', values: { statement_window: { amount: 1 } } })).toEqual([
      {
        path: 'body.values.statement_window.amount',
        message: {
          zh: expect.stringMatching(/1个工作日 低于法定下限 5个工作日/),
          en: expect.stringMatching(/below its statutory minimum of 5 working_days/),
        },
      },
    ]);
  });

  test('a department that does not exist is refused', () => {
    expect(check({ department: 'ZY-NOWHERE', values: { statement_window: { amount: 7 } }, source: '《张掖市某某规定》' })).toEqual([
      {
        path: 'body.department',
        message: { zh: '部门 ZY-NOWHERE 不存在（GET /v1/departments）', en: expect.stringContaining('ZY-NOWHERE') },
      },
    ]);
  });

  test('confidence "text" needs a source, and a named act', () => {
    expect(check({ values: { repair_decide: { amount: 5, confidence: 'text' } } })).toEqual([
      expect.objectContaining({ path: 'body.values.repair_decide.confidence' }),
    ]);
    expect(check({ values: { repair_decide: { amount: 5 } }, source: 'because' })).toEqual([
      expect.objectContaining({ path: 'body.source' }),
    ]);
    expect(check({ values: { repair_decide: { amount: 5, confidence: 'practice' } }, source: '本局会议纪要' })).toEqual([]);
  });

  test('a lawful override passes; its unit may change within its kind', () => {
    expect(check({ department: 'ZY-AGRI', procedure: 'listing', values: { listing_period: { unit: 'years', amount: 5 } } })).toEqual([]);
    expect(
      check({
        values: { litigation_window: { unit: 'years', amount: 1 } },
        source: '《中华人民共和国行政诉讼法》第四十六条',
      }),
    ).toEqual([]);
    expect(
      check({
        department: 'ZY-SAMR',
        values: { statement_window: { amount: 7 } },
        source: '《张掖市市场监督管理局行政处罚程序规定》',
      }),
    ).toEqual([]);
  });

  test('an override that only meets trouble with others already stored is judged on the table they make', () => {
    // The repair may not be allowed later than the listing ends: 2 years of listing against a 3-year minimum.
    const existing: PolicyOverride[] = [{ department: 'ZY-TAX', values: { min_listing_before_repair: { unit: 'years', amount: 3 } } }];
    expect(check({ values: { listing_period: { unit: 'years', amount: 2 } } }, existing)).toEqual([
      expect.objectContaining({ path: 'body.values.min_listing_before_repair.amount' }),
    ]);
    // resolvePolicy's own coherence (maxTotal below amount) is named too.
    expect(() =>
      resolvePolicy(defaultPolicy(), [{ values: { objection_decide: { amount: 30, maxTotal: 20 } } }], {
        procedure: 'objection',
        department: 'x',
      }),
    ).toThrow(RangeError);
    expect(check({ values: { objection_decide: { amount: 30, maxTotal: 20 } } }).map((p) => p.path)).toContain(
      'body.values.objection_decide',
    );
  });
});
