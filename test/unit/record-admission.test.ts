import { catalogueItems, catalogueSources, findCatalogueItem } from '../../domain/credit-catalogue';
import { admissionViolations, penaltyExclusions, type AdmissionInput } from '../../domain/record-admission';
import { departments } from '../../domain/reference-data';
import { disclosureOf } from '../../domain/records';

const NUMERALS = ['一', '二', '三', '四', '五', '六'];

/**
 * The items of Art 33-35 of 《张掖市社会信用体系建设条例（草案）》 as the regulation words them
 * (shared/regulation/000_068e6f3d6c5b8b2d.txt, quoted so the test runs without it).
 */
const ARTICLE_ITEMS: Record<'33' | '34' | '35', string[]> = {
  '33': [
    '自然人的姓名、身份证号码、出入境证件号码等身份识别信息',
    '法人和非法人组织名称、统一社会信用代码等注册登记信息',
    '行政许可等信息',
    '法律、法规规定应当作为基础信息予以归集的其他信息',
  ],
  '34': [
    '以欺骗、贿赂等不正当手段取得行政许可、行政确认、行政给付、行政奖励等信息',
    '适用一般程序作出的行政处罚信息，但违法行为轻微或者主动消除、减轻违法行为危害后果的除外',
    '在接受行政管理和公共服务过程中作出虚假承诺或不履行承诺的信息',
    '拒不履行行政决定而被依法行政强制执行的信息',
    '拒不履行人民法院生效判决、裁定、调解等法律文书的信息',
    '法律、法规和国家有关规定明确的其他与信用状况有关的失信信息',
  ],
  '35': ['表彰、奖励等信息', '参加社会公益、志愿服务等信息', '信用评价信息', '信用承诺及履约信息', '有关政策法规规定的其他信息'],
};

describe('the public credit information catalogue (Art 32-35)', () => {
  it('has unique codes, known departments, and every field filled', () => {
    expect(new Set(catalogueItems.map((i) => i.code)).size).toBe(catalogueItems.length);
    const known = new Set(departments.map((d) => d.code));
    for (const i of catalogueItems) {
      expect(i.code).toMatch(/^[a-z][a-z_]+$/);
      expect(i.title.trim()).not.toBe('');
      expect(i.source.trim()).not.toBe('');
      expect(i.publicity.trim()).not.toBe('');
      expect(i.article).toMatch(/^3[345]\([一二三四五六]\)$/);
      for (const d of i.departments) expect(known).toContain(d);
    }
    expect(catalogueSources.map((s) => s.scope)).toEqual(['national', 'provincial', 'city']);
  });

  it.each([
    ['33', 'basic'],
    ['34', 'dishonesty'],
    ['35', 'other'],
  ] as const)('has an item for every item of Art %s, under its category, with the regulation’s words', (n, category) => {
    const items = ARTICLE_ITEMS[n];
    items.forEach((words, k) => {
      const article = `${n}(${NUMERALS[k]})`;
      const mine = catalogueItems.filter((i) => i.article === article);
      expect(mine.length).toBeGreaterThan(0);
      for (const i of mine) expect(i.category).toBe(category);
      // The national item of the article carries its words (the penalty item with the exceptions spelt out).
      expect(mine.some((i) => i.title.startsWith(words.slice(0, 8)))).toBe(true);
    });
    expect(catalogueItems.filter((i) => i.article.startsWith(`${n}(`)).every((i) => i.category === category)).toBe(true);
  });

  it('keeps administrative_penalty as the general-procedure penalty of 34(二) that any department supplies', () => {
    expect(findCatalogueItem('administrative_penalty')).toMatchObject({
      category: 'dishonesty',
      article: '34(二)',
      departments: [],
      penalty: true,
      recordedBy: 'department',
    });
    expect(catalogueItems.filter((i) => i.penalty).every((i) => i.article === '34(二)')).toBe(true);
    expect(findCatalogueItem('serious_dishonesty_listing')).toMatchObject({ recordedBy: 'listing_procedure' });
  });
});

describe('admission of a record (Art 34 (二))', () => {
  const penalty = findCatalogueItem('administrative_penalty')!;
  const base: AdmissionInput = {
    category: 'dishonesty',
    type: 'administrative_penalty',
    severity: 'general',
    penalty: { procedure: 'general', minor: false, remedied: false },
  };

  it('admits a penalty by general procedure, neither minor nor remedied', () => {
    expect(admissionViolations(base, penalty, 'ZY-SAMR')).toEqual([]);
  });

  it.each([
    [{ procedure: 'summary', minor: false, remedied: false }, ['body.penalty.procedure']],
    [{ procedure: 'general', minor: true, remedied: false }, ['body.penalty.minor']],
    [{ procedure: 'general', minor: false, remedied: true }, ['body.penalty.remedied']],
    [{ procedure: 'summary', minor: true, remedied: true }, ['body.penalty.procedure', 'body.penalty.minor', 'body.penalty.remedied']],
  ] as const)('refuses %j as dishonesty information, naming %j', (facts, paths) => {
    const v = admissionViolations({ ...base, penalty: facts }, penalty, 'ZY-SAMR');
    expect(v.map((x) => x.path)).toEqual(paths);
    for (const x of v) {
      expect(x.message.en).toMatch(/Art 34 \(二\)/);
      expect(x.message.zh).toMatch(/不属于失信信息/);
    }
    expect(penaltyExclusions(facts)).toEqual(v);
  });

  it('needs the penalty facts exactly for an item resting on a penalty', () => {
    expect(admissionViolations({ ...base, penalty: undefined }, penalty, 'ZY-SAMR').map((x) => x.path)).toEqual(['body.penalty']);
    const commitment = findCatalogueItem('false_commitment')!;
    expect(admissionViolations({ ...base, type: 'false_commitment' }, commitment, 'ZY-SAMR').map((x) => x.path)).toEqual(['body.penalty']);
  });

  it('refuses a type outside the catalogue, one the department may not supply, one written by a procedure, and a wrong category', () => {
    expect(admissionViolations({ ...base, type: 'gossip' }, undefined, 'ZY-SAMR').map((x) => x.path)).toEqual(['body.type']);
    const court = findCatalogueItem('judgment_default')!;
    const courtInput: AdmissionInput = { category: 'dishonesty', type: 'judgment_default', severity: 'serious' };
    expect(admissionViolations(courtInput, court, 'ZY-SAMR')).toEqual([
      expect.objectContaining({
        path: 'body.type',
        message: { zh: '目录规定“judgment_default”只能由 ZY-COURT 报送，ZY-SAMR 不能报送', en: expect.stringContaining('ZY-COURT') },
      }),
    ]);
    expect(admissionViolations(courtInput, court, 'ZY-COURT')).toEqual([]);
    expect(
      admissionViolations(
        { ...courtInput, type: 'serious_dishonesty_listing' },
        findCatalogueItem('serious_dishonesty_listing'),
        'ZY-SAMR',
      ).map((x) => x.path),
    ).toEqual(['body.type']);
    expect(admissionViolations({ ...base, category: 'basic', severity: undefined }, penalty, 'ZY-SAMR').map((x) => x.path)).toEqual([
      'body.category',
      'body.severity',
    ]);
  });

  it('asks a severity of dishonesty information only', () => {
    expect(admissionViolations({ ...base, severity: undefined }, penalty, 'ZY-SAMR').map((x) => x.path)).toEqual(['body.severity']);
    const registration = findCatalogueItem('registration')!;
    expect(
      admissionViolations({ category: 'basic', type: 'registration', severity: 'minor' }, registration, 'ZY-SAMR').map((x) => x.path),
    ).toEqual(['body.severity']);
  });
});

describe('disclosure before and after review (Art 36)', () => {
  const row = { publicUntil: '2099-01-01', openObjectionId: null };
  it('is pending_review or returned whatever the dates say, and published once released', () => {
    expect(disclosureOf({ ...row, status: 'pending_review' }, '2026-12-05')).toBe('pending_review');
    expect(disclosureOf({ ...row, status: 'returned' }, '2026-12-05')).toBe('returned');
    expect(disclosureOf({ ...row, status: 'pending_review', publicUntil: '2020-01-01' }, '2026-12-05')).toBe('pending_review');
    expect(disclosureOf({ ...row, status: 'active' }, '2026-12-05')).toBe('published');
  });
});
