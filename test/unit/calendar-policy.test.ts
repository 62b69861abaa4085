import {
  defaultPolicy,
  periodKeys,
  periodOf,
  policyOverrideSchema,
  policyTerms,
  resolvePolicy,
  type PolicyOverride,
} from '../../domain/calendar';

const base = defaultPolicy();

describe('defaultPolicy (DOMAIN.md "Policy defaults")', () => {
  test.each([
    ['statement_window', 'working_days', 5, 'subject'],
    ['hearing_notice', 'working_days', 7, 'authority'],
    ['listing_period', 'years', 3, 'authority'],
    ['min_listing_before_repair', 'years', 1, 'subject'],
    ['reconsideration_window', 'days', 60, 'subject'],
    ['litigation_window', 'months', 6, 'subject'],
    ['revoke_after_penalty_revoked', 'working_days', 3, 'authority'],
    ['objection_mark', 'working_days', 1, 'authority'],
    ['objection_forward', 'working_days', 2, 'authority'],
    ['objection_decide', 'working_days', 5, 'authority'],
    ['repair_remove_disclosure', 'working_days', 3, 'authority'],
    ['repair_accept', 'working_days', 3, 'authority'],
    ['repair_decide', 'working_days', 10, 'authority'],
    ['public_announcement_service', 'days', 30, 'authority'],
    ['publicity_minor', 'months', 3, 'authority'],
    ['publicity_general', 'years', 1, 'authority'],
    ['publicity_serious', 'years', 3, 'authority'],
  ] as const)('%s: %s %i, %s', (key, unit, amount, party) => {
    const p = base[key];
    expect(p).toMatchObject({ key, unit, amount, party });
    expect(p.label.trim()).not.toBe('');
    expect(p.countedFrom.trim()).not.toBe('');
    expect(p.source.trim()).not.toBe('');
  });

  test('every period key is in the table', () => {
    for (const k of periodKeys) expect(base[k].key).toBe(k);
  });

  test('ranges and extensions', () => {
    expect(base.objection_decide.maxTotal).toBe(20);
    expect(base.publicity_minor.min).toEqual({ unit: 'months', amount: 0 });
    expect(base.publicity_general.min).toEqual({ unit: 'months', amount: 3 });
    expect(base.publicity_serious.min).toEqual({ unit: 'years', amount: 1 });
    expect(base.free_reports_per_year).toMatchObject({ amount: 2, per: 'calendar_year' });
  });

  test('is frozen all the way down', () => {
    expect(Object.isFrozen(base)).toBe(true);
    expect(Object.isFrozen(base.statement_window)).toBe(true);
    expect(Object.isFrozen(base.publicity_general.min)).toBe(true);
    expect(() => {
      (base.statement_window as { amount: number }).amount = 10;
    }).toThrow(TypeError);
  });

  test('periodOf gives the shape the calendar takes', () => {
    expect(periodOf(base.litigation_window)).toEqual({ unit: 'months', amount: 6 });
  });
});

describe('resolvePolicy', () => {
  const overrides: PolicyOverride[] = [
    {
      department: 'ZY-SAMR',
      procedure: 'objection',
      values: { objection_decide: { amount: 7 } },
      source: '市场监管局异议办理规程',
    },
    { values: { objection_decide: { amount: 4 } } }, // global
    { department: 'ZY-SAMR', values: { objection_decide: { amount: 6 }, repair_decide: { amount: 8 } } },
    { procedure: 'objection', values: { objection_decide: { amount: 5, maxTotal: 15 } } },
    { department: 'ZY-TAX', values: { free_reports_per_year: { amount: 4 } } },
  ];

  test('department + procedure wins over department, procedure and global', () => {
    const p = resolvePolicy(base, overrides, { procedure: 'objection', department: 'ZY-SAMR' });
    expect(p.objection_decide.amount).toBe(7);
    expect(p.objection_decide.maxTotal).toBe(15); // from the procedure override, untouched by the more specific ones
    expect(p.objection_decide.source).toBe('市场监管局异议办理规程');
    expect(p.objection_decide.overriddenBy).toEqual([
      'all',
      'procedure=objection',
      'department=ZY-SAMR',
      'department=ZY-SAMR,procedure=objection (市场监管局异议办理规程)',
    ]);
    expect(p.repair_decide.amount).toBe(8);
    expect(p.free_reports_per_year.amount).toBe(2); // ZY-TAX only
  });

  test('department wins over procedure; overrides for others are ignored', () => {
    expect(resolvePolicy(base, overrides, { procedure: 'objection', department: 'ZY-HOUSING' }).objection_decide.amount).toBe(5);
    expect(resolvePolicy(base, overrides, { procedure: 'repair', department: 'ZY-SAMR' }).objection_decide.amount).toBe(6);
    expect(resolvePolicy(base, overrides, { procedure: 'repair', department: 'ZY-HOUSING' }).objection_decide.amount).toBe(4);
    expect(resolvePolicy(base, overrides, { procedure: 'listing', department: 'ZY-TAX' }).free_reports_per_year.amount).toBe(4);
  });

  test('among equally specific overrides the later wins', () => {
    const p = resolvePolicy(base, [{ values: { listing_period: { amount: 2 } } }, { values: { listing_period: { amount: 5 } } }], {
      procedure: 'listing',
      department: 'ZY-SAMR',
    });
    expect(p.listing_period.amount).toBe(5);
  });

  test('leaves the base untouched, returns a frozen table, keeps untouched entries as they were', () => {
    const p = resolvePolicy(base, overrides, { procedure: 'objection', department: 'ZY-SAMR' });
    expect(base.objection_decide.amount).toBe(5);
    expect(base.objection_decide.overriddenBy).toBeUndefined();
    expect(Object.isFrozen(p.objection_decide)).toBe(true);
    expect(p.statement_window).toEqual(base.statement_window);
    expect(resolvePolicy(base, [], { procedure: 'listing', department: 'ZY-SAMR' })).toEqual(base);
  });

  test('refuses a result whose extension is shorter than the period', () => {
    expect(() =>
      resolvePolicy(base, [{ values: { objection_decide: { amount: 25 } } }], {
        procedure: 'objection',
        department: 'ZY-SAMR',
      }),
    ).toThrow(/maxTotal 20 is below amount 25/);
  });
});

describe('policyTerms (what a case input carries of the table)', () => {
  const table = resolvePolicy(
    defaultPolicy('2026-12-01'),
    [{ procedure: 'objection', values: { objection_decide: { amount: 12, maxTotal: 25 } }, source: '某局异议办理规程' }],
    { procedure: 'objection', department: 'ZY-DRC' },
  );

  it('keeps the named entries with what a deadline reads of them, and nothing else', () => {
    const t = policyTerms(table, ['statement_window', 'objection_decide', 'publicity_serious', 'repair_exclusions']);
    expect(Object.keys(t).sort()).toEqual(['objection_decide', 'publicity_serious', 'repair_exclusions', 'statement_window']);
    const { key, unit, amount, party, source } = table.statement_window;
    expect(t.statement_window).toEqual({ key, unit, amount, party, source });
    // An override's values and an extension limit go with the entry; the override's trail stays in the table.
    expect(t.objection_decide).toMatchObject({ amount: 12, maxTotal: 25 });
    expect(t.objection_decide).not.toHaveProperty('overriddenBy');
    // A range keeps its minimum; an entry that is not a period keeps its values (the exclusions) without its words.
    expect(t.publicity_serious.min).toEqual(table.publicity_serious.min);
    const { key: k, items, source: s } = table.repair_exclusions;
    expect(t.repair_exclusions).toEqual({ key: k, items, source: s });
    expect(JSON.stringify(t).length).toBeLessThan(JSON.stringify(table).length / 3);
  });
});

describe('policyOverrideSchema', () => {
  test('accepts an operator override', () => {
    const input = {
      procedure: 'listing',
      department: 'ZY-HOUSING',
      source: '住建领域严重失信名单管理规定',
      values: { listing_period: { amount: 2 }, statement_window: { amount: 7, unit: 'working_days' } },
    };
    expect(policyOverrideSchema.parse(input)).toEqual(input);
  });

  test.each([
    ['an unknown key', { values: { coffee_break: { amount: 1 } } }],
    ['an unknown field', { values: { listing_period: { amount: 2, colour: 'red' } } }],
    ['a zero amount', { values: { listing_period: { amount: 0 } } }],
    ['a fractional amount', { values: { listing_period: { amount: 1.5 } } }],
    ['an unknown unit', { values: { listing_period: { unit: 'weeks' } } }],
    ['an unknown procedure', { procedure: 'hearing', values: {} }],
    ['no values', { department: 'ZY-SAMR' }],
  ])('refuses %s', (_what, input) => {
    expect(policyOverrideSchema.safeParse(input).success).toBe(false);
  });
});
