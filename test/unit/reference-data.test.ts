import {
  CREDIT_AGENCY_CODE,
  checkMeasures,
  departmentByCode,
  departments,
  findMeasure,
  isSeriousMeasure,
  listingCategories,
  listingCategoryCodes,
  measures,
} from '../../domain/reference-data';

const REGULATION = '《张掖市社会信用体系建设条例（草案）》';
const PREFIX = { national: 'N', provincial: 'P', city: 'C' } as const;

describe('measure catalogue (Art 43)', () => {
  test('has 15-25 entries with unique codes', () => {
    expect(measures.length).toBeGreaterThanOrEqual(15);
    expect(measures.length).toBeLessThanOrEqual(25);
    expect(new Set(measures.map((m) => m.code)).size).toBe(measures.length);
  });

  test.each(measures.map((m) => [m.code, m] as const))('%s is well formed', (_code, m) => {
    expect(m.code).toMatch(new RegExp(`^${PREFIX[m.scope]}-\\d{2}$`));
    expect(m.title.trim()).not.toBe('');
    expect(m.basis.trim()).not.toBe('');
    expect(['general', 'serious']).toContain(m.level);
    if (m.maxYears !== undefined) {
      expect(Number.isInteger(m.maxYears)).toBe(true);
      expect(m.maxYears).toBeGreaterThan(0);
    }
  });

  test('every scope and both levels are represented', () => {
    for (const scope of ['national', 'provincial', 'city'] as const) {
      expect(measures.some((m) => m.scope === scope)).toBe(true);
    }
    expect(measures.some((m) => m.level === 'general')).toBe(true);
    expect(measures.some((m) => m.level === 'serious')).toBe(true);
  });

  test('city supplements rest on the city regulation (Art 43 second paragraph)', () => {
    const city = measures.filter((x) => x.scope === 'city');
    expect(city.length).toBeGreaterThan(0);
    for (const m of city) expect(m.basis).toContain(REGULATION);
  });

  test.each([
    ['N-01', true, '限制高消费及非生活和工作必需的消费'],
    ['N-11', false, '限制参加评先评优'],
    ['C-02', false, '集中公示失信信息'],
    ['P-04', true, '限制参加国有土地招标、拍卖、挂牌等公共资源交易活动'],
    ['X-99', false, undefined],
    ['n-01', false, undefined],
  ])('findMeasure / isSeriousMeasure(%s)', (code, serious, title) => {
    expect(isSeriousMeasure(code)).toBe(serious);
    expect(findMeasure(code)?.title).toBe(title);
  });

  test.each([
    [[], { ok: true }],
    [['N-01', 'N-04', 'C-01'], { ok: true }],
    [['N-01', 'X-99'], { ok: false, unknown: ['X-99'] }],
    [['Y-1', 'N-01', 'X-99', 'Y-1'], { ok: false, unknown: ['Y-1', 'X-99'] }],
    [[''], { ok: false, unknown: [''] }],
  ])('checkMeasures(%j)', (codes, expected) => {
    expect(checkMeasures(codes)).toEqual(expected);
  });
});

describe('departments (Art 5, 31)', () => {
  test('codes are unique, short and ASCII; names are non-empty', () => {
    expect(new Set(departments.map((d) => d.code)).size).toBe(departments.length);
    for (const d of departments) {
      expect(d.code).toMatch(/^ZY-[A-Z]{2,12}$/);
      expect(d.name.trim()).not.toBe('');
    }
  });

  test('exactly one credit agency, the development and reform commission', () => {
    const agencies = departments.filter((d) => d.kind === 'credit_agency');
    expect(agencies.map((d) => d.code)).toEqual([CREDIT_AGENCY_CODE]);
    expect(departmentByCode(CREDIT_AGENCY_CODE)?.name).toBe('张掖市发展和改革委员会');
  });

  test.each([
    ['ZY-SAMR', '张掖市市场监督管理局'],
    ['ZY-HOUSING', '张掖市住房和城乡建设局'],
    ['ZY-COURT', '张掖市中级人民法院'],
  ])('departmentByCode(%s) is a supplying department', (code, name) => {
    expect(departmentByCode(code)).toEqual({ code, name, kind: 'supplying' });
  });

  test('unknown code', () => {
    expect(departmentByCode('ZY-NOPE')).toBeUndefined();
  });
});

describe('listing categories (Art 45)', () => {
  test('the five categories, in the order of Art 45', () => {
    expect(listingCategories.map((c) => c.code)).toEqual([...listingCategoryCodes]);
    const items = ['（一）', '（二）', '（三）', '（四）', '（五）'];
    listingCategories.forEach((c, i) => {
      expect(c.article).toBe(`第四十五条第一款第${items[i]}项`);
      expect(c.title).toMatch(/行为$/);
    });
  });
});
