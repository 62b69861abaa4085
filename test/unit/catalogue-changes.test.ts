import { catalogueItems, findCatalogueItem } from '../../domain/credit-catalogue';
import {
  approvedChangesIn,
  catalogueChangeProblems,
  catalogueChangeSchema,
  catalogueVersion,
  categoryOfArticle,
  type CatalogueChange,
  type StoredCatalogueItem,
} from '../../domain/catalogue-changes';
import { admissionViolations } from '../../domain/record-admission';
import { departments } from '../../domain/reference-data';

/** What a catalogue change must meet before two supervisors may make it (domain/catalogue-changes.ts), pure. */
const DEPTS = departments.map((d) => d.code);
const stored = (code: string): StoredCatalogueItem => ({
  ...findCatalogueItem(code)!,
  departments: [...findCatalogueItem(code)!.departments],
  withdrawnAt: null,
});
const item = (over: Record<string, unknown> = {}): CatalogueChange =>
  catalogueChangeSchema.parse({
    code: 'city_food_safety',
    title: '食品安全严重违法失信信息',
    category: 'dishonesty',
    article: '34(六)',
    departments: ['ZY-SAMR'],
    penalty: false,
    publicity: '按严重程度公示',
    source: '《张掖市公共信用信息补充目录》（张政发〔2026〕1号）',
    ...over,
  });
const paths = (change: CatalogueChange, existing?: StoredCatalogueItem) =>
  catalogueChangeProblems({ change, existing, departments: DEPTS }).map((p) => p.path);

describe('a catalogue change', () => {
  it('pairs each article with its category: Art 33 basic, 34 dishonesty, 35 other; only their items exist', () => {
    expect(categoryOfArticle('33(四)')).toBe('basic');
    expect(categoryOfArticle('34(六)')).toBe('dishonesty');
    expect(categoryOfArticle('35(五)')).toBe('other');
    expect(categoryOfArticle('33(五)')).toBeUndefined();
    expect(categoryOfArticle('34(七)')).toBeUndefined();
    expect(categoryOfArticle('36(一)')).toBeUndefined();
    expect(categoryOfArticle('34六')).toBeUndefined();
    // Every shipped item keeps the pairing the proposals are held to.
    for (const i of catalogueItems) expect(categoryOfArticle(i.article)).toBe(i.category);
  });

  it('admits a well-formed city item, and a change of a provincial or city item', () => {
    expect(paths(item())).toEqual([]);
    expect(paths(item({ code: 'wage_arrears', departments: ['ZY-HRSS'] }), stored('wage_arrears'))).toEqual([]);
    expect(
      paths(item({ code: 'public_welfare', category: 'other', article: '35(二)', departments: [] }), stored('public_welfare')),
    ).toEqual([]);
    expect(
      paths(catalogueChangeSchema.parse({ code: 'public_welfare', withdraw: true, source: '张政发〔2026〕2号' }), stored('public_welfare')),
    ).toEqual([]);
  });

  it('names the field of each problem', () => {
    expect(paths(item({ category: 'other' }))).toEqual(['body.category']);
    expect(paths(item({ article: '34(九)' }))).toEqual(['body.article']);
    expect(paths(item({ departments: ['ZY-SAMR', 'ZY-NOWHERE'] }))).toEqual(['body.departments.1']);
    expect(paths(item({ departments: ['ZY-SAMR', 'ZY-SAMR'] }))).toEqual(['body.departments']);
    expect(paths(item({ source: '0' }))).toEqual(['body.source']);
    expect(paths(item({ source: '市里定的' }))).toEqual(['body.source']);
    // A 34(二) item must carry the penalty facts admission checks; no other item rests on a penalty.
    expect(paths(item({ article: '34(二)' }))).toEqual(['body.penalty']);
    expect(paths(item({ penalty: true }))).toEqual(['body.penalty']);
    expect(paths(item({ code: 'wage_arrears', scope: 'city', departments: ['ZY-HRSS'] }), stored('wage_arrears'))).toEqual(['body.scope']);
  });

  it('leaves the national base items and the items the listing procedure writes alone', () => {
    expect(paths(item({ code: 'administrative_penalty', article: '34(二)', penalty: true }), stored('administrative_penalty'))).toEqual([
      'body.code',
    ]);
    expect(
      paths(catalogueChangeSchema.parse({ code: 'identity', withdraw: true, source: '张政发〔2026〕2号' }), stored('identity')),
    ).toEqual(['body.code']);
    expect(paths(item({ code: 'responsible_person_entry' }), stored('responsible_person_entry'))).toEqual(['body.code']);
    expect(
      paths(
        catalogueChangeSchema.parse({
          code: 'serious_dishonesty_listing',
          withdraw: true,
          source: '张政发〔2026〕2号',
        }),
        stored('serious_dishonesty_listing'),
      ),
    ).toEqual(['body.code']);
  });

  it('never reuses a withdrawn code, and withdraws only what exists', () => {
    const withdrawn = { ...stored('public_welfare'), withdrawnAt: new Date('2026-12-01T00:00:00Z') };
    expect(paths(item({ code: 'public_welfare', category: 'other', article: '35(二)', departments: [] }), withdrawn)).toEqual([
      'body.code',
    ]);
    expect(paths(catalogueChangeSchema.parse({ code: 'city_nothing', withdraw: true, source: '张政发〔2026〕2号' }))).toEqual([
      'body.code',
    ]);
  });

  it('refuses a malformed payload at the boundary', () => {
    expect(catalogueChangeSchema.safeParse({ code: 'Bad Code', withdraw: true, source: 'x' }).success).toBe(false);
    expect(catalogueChangeSchema.safeParse({ code: 'city_x', withdraw: false, source: '《x》' }).success).toBe(false);
    expect(catalogueChangeSchema.safeParse({ ...item(), category: 'rumour' }).success).toBe(false);
    expect(catalogueChangeSchema.safeParse({ ...item(), recordedBy: 'listing_procedure' }).success).toBe(false);
  });
});

describe('the catalogue version', () => {
  it('counts the approved changes on top of the shipped version, and keeps the count across a new shipped version', () => {
    expect(catalogueVersion('2026.12-zy-draft.1', 0)).toBe('2026.12-zy-draft.1');
    expect(catalogueVersion('2026.12-zy-draft.1', 3)).toBe('2026.12-zy-draft.1+city.3');
    expect(approvedChangesIn('2026.12-zy-draft.1')).toBe(0);
    expect(approvedChangesIn(undefined)).toBe(0);
    expect(approvedChangesIn('2026.12-zy-draft.1+city.3')).toBe(3);
    expect(catalogueVersion('2027.01-zy.1', approvedChangesIn('2026.12-zy-draft.1+city.3'))).toBe('2027.01-zy.1+city.3');
  });
});

describe('admission of a withdrawn item', () => {
  it('refuses a new record at body.type', () => {
    const item = { ...findCatalogueItem('public_welfare')!, withdrawnAt: new Date('2026-12-01T00:00:00Z') };
    const v = admissionViolations({ category: 'other', type: 'public_welfare' }, item, 'ZY-SAMR');
    expect(v).toEqual([
      expect.objectContaining({
        path: 'body.type',
        message: { zh: expect.stringMatching(/已于 .*撤销/), en: expect.stringMatching(/withdrawn/) },
      }),
    ]);
    expect(admissionViolations({ category: 'other', type: 'public_welfare' }, { ...item, withdrawnAt: null }, 'ZY-SAMR')).toEqual([]);
  });
});
