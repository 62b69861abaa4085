/**
 * Reference data loaded into the database at start: departments, the measure catalogue
 * (失信惩戒措施清单) and the Art 45 listing categories. "Art N" is 第N条 of
 * 《张掖市社会信用体系建设条例（草案）》 (shared/regulation/000_068e6f3d6c5b8b2d.txt).
 *
 * This is seed data, not law: operators replace it when the catalogue is republished. The basis texts
 * summarise the provisions the measures rest on; confirm them against the published lists before go-live.
 */

// ---------------------------------------------------------------------------------------------
// Departments
// ---------------------------------------------------------------------------------------------

export const departmentKinds = ['credit_agency', 'supplying'] as const;
export type DepartmentKind = (typeof departmentKinds)[number];

export interface Department {
  /** Short stable ASCII code, carried by the JWT `dept` claim; never reuse a retired code. */
  readonly code: string;
  readonly name: string;
  readonly kind: DepartmentKind;
}

/**
 * The city's credit agency: Art 5 makes 市发展改革委 the credit management department, Art 31 has it run
 * the city platform and Art 43 has it compile the city catalogue, so it receives objections and repair
 * applications first (Art 51, 52) and forwards to the supplying department where needed.
 */
export const CREDIT_AGENCY_CODE = 'ZY-DRC';

export const departments: readonly Department[] = [
  { code: CREDIT_AGENCY_CODE, name: '张掖市发展和改革委员会', kind: 'credit_agency' },
  // Art 5 names 人行张掖支行 as the second management department; since the 2024 reorganisation of the
  // People's Bank branches it is 中国人民银行张掖市分行. Its remit is the financial credit database (Art 50),
  // not the public credit platform, so here it supplies records rather than handling objections.
  { code: 'ZY-PBC', name: '中国人民银行张掖市分行', kind: 'supplying' },
  // Supplying departments (信用信息提供单位, Art 36): the sector departments of Art 6 and 16-30.
  { code: 'ZY-SAMR', name: '张掖市市场监督管理局', kind: 'supplying' }, // Art 6, 16, 18, 21
  { code: 'ZY-HOUSING', name: '张掖市住房和城乡建设局', kind: 'supplying' }, // Art 19
  { code: 'ZY-TRANSPORT', name: '张掖市交通运输局', kind: 'supplying' }, // Art 20
  { code: 'ZY-TAX', name: '国家税务总局张掖市税务局', kind: 'supplying' },
  { code: 'ZY-HRSS', name: '张掖市人力资源和社会保障局', kind: 'supplying' }, // Art 6 (社会保障), 12
  { code: 'ZY-ECO', name: '张掖市生态环境局', kind: 'supplying' }, // Art 26
  { code: 'ZY-EMERGENCY', name: '张掖市应急管理局', kind: 'supplying' },
  { code: 'ZY-HEALTH', name: '张掖市卫生健康委员会', kind: 'supplying' }, // Art 16, 23
  { code: 'ZY-AGRI', name: '张掖市农业农村局', kind: 'supplying' }, // Art 16
  { code: 'ZY-COURT', name: '张掖市中级人民法院', kind: 'supplying' }, // Art 29, Art 34 (5)
];

export function departmentByCode(code: string): Department | undefined {
  return departments.find((d) => d.code === code);
}

// ---------------------------------------------------------------------------------------------
// Measure catalogue (失信惩戒措施清单, Art 43)
// ---------------------------------------------------------------------------------------------

/** general: the measures of Art 44 (一般失信惩戒措施); serious: Art 46, only for subjects on the serious-dishonesty list. */
export const measureLevels = ['general', 'serious'] as const;
export type MeasureLevel = (typeof measureLevels)[number];
/** Art 43: national base list, provincial supplement, city supplement. */
export const measureScopes = ['national', 'provincial', 'city'] as const;
export type MeasureScope = (typeof measureScopes)[number];

export interface Measure {
  /** N-xx national, P-xx provincial, C-xx city. */
  readonly code: string;
  readonly title: string;
  readonly level: MeasureLevel;
  /** Legal basis; Art 44 last paragraph forbids measures without one. */
  readonly basis: string;
  readonly scope: MeasureScope;
  /** Longest duration the basis allows, where it fixes one. */
  readonly maxYears?: number;
}

const ZY = '《张掖市社会信用体系建设条例（草案）》';
const GS = '《甘肃省社会信用条例》（2022年1月1日施行）';
const BASE_LIST = '《全国失信惩戒措施基础清单（2022年版）》';
const SPC_CONSUMPTION = '《最高人民法院关于限制被执行人高消费及有关消费的若干规定》（法释〔2015〕17号）';
const STATE_COUNCIL_2016 = '《国务院关于建立完善守信联合激励和失信联合惩戒制度加快推进社会诚信建设的指导意见》（国发〔2016〕33号）';

/** The measure list's version: bump it with every change to the measures below (published at GET /v1/public/measures). */
export const MEASURES_VERSION = '2026.12-zy-draft.1';

/** The acts each layer of the list rests on (Art 43). */
export const measureSources: readonly { scope: MeasureScope; title: string }[] = [
  { scope: 'national', title: `${BASE_LIST}（发改财金规〔2022〕1917号）` },
  { scope: 'provincial', title: `${GS}第三十三条、第三十五条（省失信惩戒措施补充清单）` },
  { scope: 'city', title: `${ZY}第四十三条第二款（市失信惩戒措施补充清单，待市人民政府批准公布）` },
];

export const measures: readonly Measure[] = [
  // National base list (Art 43: 全国失信惩戒措施基础清单).
  {
    code: 'N-01',
    scope: 'national',
    level: 'serious',
    title: '限制高消费及非生活和工作必需的消费',
    basis: `${BASE_LIST}；${SPC_CONSUMPTION}第三条；${ZY}第四十六条第（五）项`,
  },
  {
    code: 'N-02',
    scope: 'national',
    level: 'serious',
    title: '限制乘坐飞机、列车软卧、轮船二等以上舱位，限制乘坐G字头动车组列车全部座位及其他动车组列车一等以上座位',
    basis: `${BASE_LIST}；${SPC_CONSUMPTION}第三条`,
  },
  {
    code: 'N-03',
    scope: 'national',
    level: 'serious',
    title: '限制出境',
    basis: `${BASE_LIST}；《中华人民共和国出境入境管理法》第十二条；《中华人民共和国税收征收管理法》第四十四条`,
  },
  {
    code: 'N-04',
    scope: 'national',
    level: 'serious',
    maxYears: 3,
    title: '限制参加政府采购活动',
    basis: `${BASE_LIST}；《中华人民共和国政府采购法》第二十二条第一款第（五）项；《中华人民共和国政府采购法实施条例》第十九条；${ZY}第四十四条第（三）项、第四十六条第（四）项`,
  },
  {
    code: 'N-05',
    scope: 'national',
    level: 'serious',
    maxYears: 3,
    title: '限制参加依法必须进行招标的项目的投标',
    basis: `${BASE_LIST}；《中华人民共和国招标投标法》第五十三条、第五十四条；${ZY}第四十六条第（四）项`,
  },
  {
    code: 'N-06',
    scope: 'national',
    level: 'serious',
    title: '限制申请财政性资金和项目支持',
    basis: `${BASE_LIST}；${STATE_COUNCIL_2016}；${ZY}第四十六条第（三）项`,
  },
  {
    code: 'N-07',
    scope: 'national',
    level: 'serious',
    title: '限制担任公司董事、监事、高级管理人员',
    basis: `${BASE_LIST}；《中华人民共和国公司法》第一百七十八条第一款第（五）项；${ZY}第四十六条第（二）项`,
  },
  {
    code: 'N-08',
    scope: 'national',
    level: 'serious',
    title: '限制担任国有企业法定代表人、董事、监事',
    basis: `${BASE_LIST}；《关于对失信被执行人实施联合惩戒的合作备忘录》（发改财金〔2016〕141号）；${ZY}第四十六条第（二）项`,
  },
  {
    code: 'N-09',
    scope: 'national',
    level: 'serious',
    maxYears: 5,
    title:
      '被吊销许可证的食品生产经营者及其法定代表人、直接负责的主管人员和其他直接责任人员不得申请食品生产经营许可或者从事食品生产经营管理工作',
    basis: `${BASE_LIST}；《中华人民共和国食品安全法》第一百三十五条第一款；${ZY}第四十六条第（一）项`,
  },
  {
    code: 'N-10',
    scope: 'national',
    level: 'serious',
    title: '不得录用为公务员',
    basis: `${BASE_LIST}；《中华人民共和国公务员法》第二十六条第（四）项`,
  },
  {
    code: 'N-11',
    scope: 'national',
    level: 'general',
    title: '限制参加评先评优',
    basis: `${BASE_LIST}；${STATE_COUNCIL_2016}；${ZY}第四十四条第（二）项`,
  },
  {
    code: 'N-12',
    scope: 'national',
    level: 'general',
    title: '限制享受优惠政策和便利措施',
    basis: `${BASE_LIST}；${STATE_COUNCIL_2016}；${ZY}第四十四条第（二）项`,
  },
  {
    code: 'N-13',
    scope: 'national',
    level: 'general',
    title: '纳入重点监管范围，提高抽查比例和频次',
    basis: `${BASE_LIST}；《国务院办公厅关于加快推进社会信用体系建设构建以信用为基础的新型监管机制的指导意见》（国办发〔2019〕35号）；${ZY}第四十四条第（四）项`,
  },
  {
    code: 'N-14',
    scope: 'national',
    level: 'general',
    title: '不适用证明事项告知承诺制',
    basis: `${BASE_LIST}；《国务院办公厅关于全面推行证明事项告知承诺制的指导意见》（国办发〔2020〕42号）`,
  },
  // Gansu provincial supplement (Art 43: 省失信惩戒措施补充清单): measures of the provincial regulation,
  // Art 33 (general) and Art 35 (serious).
  {
    code: 'P-01',
    scope: 'provincial',
    level: 'general',
    title: '在实施行政许可等工作中列为重点审查对象',
    basis: `${GS}第三十三条第（一）项；${ZY}第四十四条第（一）项`,
  },
  {
    code: 'P-02',
    scope: 'provincial',
    level: 'general',
    title: '在财政性资金和项目支持中根据实际情况给予相应限制',
    basis: `${GS}第三十三条第（二）项；${ZY}第四十四条第（二）项`,
  },
  {
    code: 'P-03',
    scope: 'provincial',
    level: 'general',
    title: '在公共资源交易中给予信用减分、降低信用等级',
    basis: `${GS}第三十三条第（三）项`,
  },
  {
    code: 'P-04',
    scope: 'provincial',
    level: 'serious',
    title: '限制参加国有土地招标、拍卖、挂牌等公共资源交易活动',
    basis: `${GS}第三十五条；${ZY}第四十六条第（四）项`,
  },
  // Zhangye city supplement (Art 43 second paragraph: drawn up by 市发展改革部门 with the sector departments
  // on the basis of the city's own regulation, approved and published by the city government). These rest on
  // the draft regulation and must be re-checked against the list the city government publishes.
  {
    code: 'C-01',
    scope: 'city',
    level: 'general',
    title: '对失信主体约谈',
    basis: `${ZY}第四十四条第（五）项；${GS}第三十三条第（五）项`,
  },
  {
    code: 'C-02',
    scope: 'city',
    level: 'general',
    title: '集中公示失信信息',
    basis: `${ZY}第四十四条第（六）项`,
  },
  {
    code: 'C-03',
    scope: 'city',
    level: 'serious',
    title: '公共资源交易活动当事人失信情节严重的，依法实施市场禁入',
    basis: `${ZY}第十四条、第四十六条第（四）项；《张掖市公共资源交易信用管理办法》`,
  },
];

export function findMeasure(code: string): Measure | undefined {
  return measures.find((m) => m.code === code);
}

/** Whether a measure may be applied only to a subject on the serious-dishonesty list (Art 46). Unknown codes: false. */
export function isSeriousMeasure(code: string): boolean {
  return findMeasure(code)?.level === 'serious';
}

/**
 * Art 44 last paragraph: no measure outside the catalogue. Returns the unknown codes (each once, in the
 * order given) so the API can name them in its 422.
 */
export function checkMeasures(codes: readonly string[]): { ok: true } | { ok: false; unknown: string[] } {
  const unknown = [...new Set(codes.filter((c) => findMeasure(c) === undefined))];
  return unknown.length === 0 ? { ok: true } : { ok: false, unknown };
}

// ---------------------------------------------------------------------------------------------
// Listing categories (Art 45)
// ---------------------------------------------------------------------------------------------

export const listingCategoryCodes = ['health_safety', 'market_order', 'defy_obligation', 'national_defense', 'other_statutory'] as const;
export type ListingCategory = (typeof listingCategoryCodes)[number];

export interface ListingCategoryInfo {
  readonly code: ListingCategory;
  /** The words of Art 45 first paragraph, item by item. */
  readonly title: string;
  readonly article: string;
}

export const listingCategories: readonly ListingCategoryInfo[] = [
  { code: 'health_safety', title: '严重危害人民群众身体健康和生命安全的行为', article: '第四十五条第一款第（一）项' },
  {
    code: 'market_order',
    title: '严重破坏市场公平竞争秩序和社会正常秩序的行为',
    article: '第四十五条第一款第（二）项',
  },
  {
    code: 'defy_obligation',
    title: '拒不履行法定义务，严重影响司法机关、行政机关公信力的行为',
    article: '第四十五条第一款第（三）项',
  },
  {
    code: 'national_defense',
    title: '拒不履行国防义务，危害国防利益，破坏国防设施的行为',
    article: '第四十五条第一款第（四）项',
  },
  { code: 'other_statutory', title: '法律、法规和国家规定的其他严重失信行为', article: '第四十五条第一款第（五）项' },
];
