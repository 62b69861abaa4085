/**
 * The public credit information catalogue (公共信用信息目录, Art 32): what may be kept as a subject's credit
 * record, each item under the item of Art 33 (basic), Art 34 (dishonesty) or Art 35 (other information) it
 * falls under, with the departments that supply it and how long it is disclosed. Art 32 makes it three
 * layers: the national base catalogue, the provincial supplement and the city supplement, the last compiled
 * by 市发展改革部门 with the sector departments, approved by the city government and published.
 *
 * Reviewable seed data, not law: loaded into Postgres by db/reference-data.ts (which never undoes a provincial or
 * city item two supervisors changed by proposal, POST /v1/catalogue/items), published at GET /v1/public/catalogue.
 * Item titles follow the regulation's own words; the national and provincial items summarise the published
 * catalogues and must be checked against them (and the city supplement against what the city government publishes)
 * before go-live.
 * "Art N" is 第N条 of 《张掖市社会信用体系建设条例（草案）》 (shared/regulation/000_068e6f3d6c5b8b2d.txt).
 */
import type { RecordCategory } from './records';
import { LISTING_RECORD_TYPE, RESPONSIBLE_PERSON_ENTRY_TYPE } from './record-types';

export const catalogueScopes = ['national', 'provincial', 'city'] as const;
export type CatalogueScope = (typeof catalogueScopes)[number];

/** Who writes records of an item: a supplying department through POST /v1/records, or a procedure of this system. */
export const catalogueRecordedBy = ['department', 'listing_procedure'] as const;
export type CatalogueRecordedBy = (typeof catalogueRecordedBy)[number];

export interface CatalogueItem {
  /** Stable ASCII code, a record's `type`; never reuse a retired code. */
  readonly code: string;
  readonly title: string;
  readonly category: RecordCategory;
  /** The item of Art 33, 34 or 35 it falls under, e.g. "34(二)". */
  readonly article: string;
  /** Department codes that may supply it; empty: any supplying department. */
  readonly departments: readonly string[];
  /** Rests on an administrative penalty: the record must say its procedure and whether it was minor or remedied (Art 34 (二)). */
  readonly penalty: boolean;
  /** How long it is disclosed (the rule; the period itself is the policy's, counted from the decision date). */
  readonly publicity: string;
  readonly source: string;
  readonly scope: CatalogueScope;
  readonly recordedBy: CatalogueRecordedBy;
}

const ZY = '《张掖市社会信用体系建设条例（草案）》';
const BASE = '《全国公共信用信息基础目录（2022年版）》（发改财金规〔2022〕1917号）';
const GS = '《甘肃省社会信用条例》（2022年1月1日施行）';
const REPAIR = '《国务院办公厅关于进一步完善失信约束制度构建诚信建设长效机制的指导意见》（国办发〔2020〕49号）；国办发〔2025〕22号';

const NO_LIMIT = '不设公示期限，按目录长期记录。';
const DISHONESTY_PUBLICITY =
  '自决定文书作出之日起按严重程度公示：轻微不超过3个月，一般3个月至1年，严重1年至3年（国办发〔2025〕22号）；届满自动停止公示，可依法申请信用修复。';

/** The catalogue's version: bump it with every change to the items below, so a reader can say which one applied. */
export const CATALOGUE_VERSION = '2026.12-zy-draft.1';

/** The published acts each layer rests on (Art 32), for the public catalogue's header. */
export const catalogueSources: readonly { scope: CatalogueScope; title: string }[] = [
  { scope: 'national', title: BASE },
  { scope: 'provincial', title: `${GS}（省公共信用信息补充目录）` },
  { scope: 'city', title: `${ZY}第三十二条至第三十五条（市公共信用信息补充目录，待市人民政府批准公布）` },
];

export const catalogueItems: readonly CatalogueItem[] = [
  // Art 33: basic information (基础信息).
  {
    code: 'identity',
    scope: 'national',
    category: 'basic',
    article: '33(一)',
    departments: [],
    penalty: false,
    recordedBy: 'department',
    title: '自然人的姓名、身份证号码、出入境证件号码等身份识别信息',
    publicity: NO_LIMIT,
    source: `${ZY}第三十三条第（一）项；${BASE}`,
  },
  {
    code: 'registration',
    scope: 'national',
    category: 'basic',
    article: '33(二)',
    departments: ['ZY-SAMR'],
    penalty: false,
    recordedBy: 'department',
    title: '法人和非法人组织名称、统一社会信用代码等注册登记信息',
    publicity: NO_LIMIT,
    source: `${ZY}第三十三条第（二）项；${BASE}`,
  },
  {
    code: 'administrative_licence',
    scope: 'national',
    category: 'basic',
    article: '33(三)',
    departments: [],
    penalty: false,
    recordedBy: 'department',
    title: '行政许可等信息',
    publicity: NO_LIMIT,
    source: `${ZY}第三十三条第（三）项；${BASE}`,
  },
  {
    code: 'other_basic',
    scope: 'national',
    category: 'basic',
    article: '33(四)',
    departments: [],
    penalty: false,
    recordedBy: 'department',
    title: '法律、法规规定应当作为基础信息予以归集的其他信息',
    publicity: NO_LIMIT,
    source: `${ZY}第三十三条第（四）项`,
  },
  // Art 34: dishonesty information (失信信息), the six kinds; a record needs a document with legal effect.
  {
    code: 'improper_means',
    scope: 'national',
    category: 'dishonesty',
    article: '34(一)',
    departments: [],
    penalty: false,
    recordedBy: 'department',
    title: '以欺骗、贿赂等不正当手段取得行政许可、行政确认、行政给付、行政奖励等信息',
    publicity: DISHONESTY_PUBLICITY,
    source: `${ZY}第三十四条第一款第（一）项`,
  },
  {
    // Only a penalty by general procedure, not for a minor violation nor one whose harm was actively removed or reduced.
    code: 'administrative_penalty',
    scope: 'national',
    category: 'dishonesty',
    article: '34(二)',
    departments: [],
    penalty: true,
    recordedBy: 'department',
    title: '适用一般程序作出的行政处罚信息（违法行为轻微或者主动消除、减轻违法行为危害后果的除外）',
    publicity: DISHONESTY_PUBLICITY,
    source: `${ZY}第三十四条第一款第（二）项；${BASE}；${REPAIR}`,
  },
  {
    code: 'false_commitment',
    scope: 'national',
    category: 'dishonesty',
    article: '34(三)',
    departments: [],
    penalty: false,
    recordedBy: 'department',
    title: '在接受行政管理和公共服务过程中作出虚假承诺或不履行承诺的信息',
    publicity: DISHONESTY_PUBLICITY,
    source: `${ZY}第三十四条第一款第（三）项`,
  },
  {
    code: 'administrative_enforcement',
    scope: 'national',
    category: 'dishonesty',
    article: '34(四)',
    departments: [],
    penalty: false,
    recordedBy: 'department',
    title: '拒不履行行政决定而被依法行政强制执行的信息',
    publicity: DISHONESTY_PUBLICITY,
    source: `${ZY}第三十四条第一款第（四）项；《中华人民共和国行政强制法》`,
  },
  {
    // The court's own findings: only the court supplies them (Art 29).
    code: 'judgment_default',
    scope: 'national',
    category: 'dishonesty',
    article: '34(五)',
    departments: ['ZY-COURT'],
    penalty: false,
    recordedBy: 'department',
    title: '拒不履行人民法院生效判决、裁定、调解等法律文书的信息',
    publicity: DISHONESTY_PUBLICITY,
    source: `${ZY}第三十四条第一款第（五）项；《最高人民法院关于公布失信被执行人名单信息的若干规定》`,
  },
  {
    code: 'other_dishonesty',
    scope: 'national',
    category: 'dishonesty',
    article: '34(六)',
    departments: [],
    penalty: false,
    recordedBy: 'department',
    title: '法律、法规和国家有关规定明确的其他与信用状况有关的失信信息',
    publicity: DISHONESTY_PUBLICITY,
    source: `${ZY}第三十四条第一款第（六）项`,
  },
  {
    // Written by the listing procedure when a listing is published (Art 44 (6), 47), never supplied by hand.
    code: LISTING_RECORD_TYPE,
    scope: 'national',
    category: 'dishonesty',
    article: '34(六)',
    departments: [],
    penalty: false,
    recordedBy: 'listing_procedure',
    title: '列入严重失信主体名单的信息',
    publicity: '随严重失信主体名单公示，至列入期限届满或提前移出时停止。',
    source: `${ZY}第三十四条第一款第（六）项、第四十五条至第四十八条`,
  },
  {
    // Art 48: a responsible person's own record of their organisation's listing, written with the listing.
    code: RESPONSIBLE_PERSON_ENTRY_TYPE,
    scope: 'city',
    category: 'dishonesty',
    article: '34(六)',
    departments: [],
    penalty: false,
    recordedBy: 'listing_procedure',
    title: '严重失信主体为法人或者非法人组织的，其法定代表人、主要负责人、实际控制人和其他直接责任人的相关失信信息',
    publicity: '随所在组织的严重失信主体名单公示，至列入期限届满或提前移出时停止。',
    source: `${ZY}第四十八条`,
  },
  {
    code: 'tax_serious_violation',
    scope: 'provincial',
    category: 'dishonesty',
    article: '34(六)',
    departments: ['ZY-TAX'],
    penalty: false,
    recordedBy: 'department',
    title: '重大税收违法失信案件信息',
    publicity: DISHONESTY_PUBLICITY,
    source: `${GS}；《重大税收违法失信主体信息公布管理办法》（国家税务总局令第54号）`,
  },
  {
    code: 'wage_arrears',
    scope: 'provincial',
    category: 'dishonesty',
    article: '34(六)',
    departments: ['ZY-HRSS'],
    penalty: false,
    recordedBy: 'department',
    title: '拖欠农民工工资失信联合惩戒对象名单信息',
    publicity: DISHONESTY_PUBLICITY,
    source: `${GS}；《保障农民工工资支付条例》第四十八条`,
  },
  // Art 35: other information (其他信息).
  {
    code: 'commendation',
    scope: 'national',
    category: 'other',
    article: '35(一)',
    departments: [],
    penalty: false,
    recordedBy: 'department',
    title: '表彰、奖励等信息',
    publicity: NO_LIMIT,
    source: `${ZY}第三十五条第（一）项`,
  },
  {
    code: 'public_welfare',
    scope: 'city',
    category: 'other',
    article: '35(二)',
    departments: [],
    penalty: false,
    recordedBy: 'department',
    title: '参加社会公益、志愿服务等信息',
    publicity: NO_LIMIT,
    source: `${ZY}第三十五条第（二）项`,
  },
  {
    code: 'credit_evaluation',
    scope: 'national',
    category: 'other',
    article: '35(三)',
    departments: [],
    penalty: false,
    recordedBy: 'department',
    title: '信用评价信息',
    publicity: NO_LIMIT,
    source: `${ZY}第三十五条第（三）项`,
  },
  {
    code: 'credit_commitment',
    scope: 'national',
    category: 'other',
    article: '35(四)',
    departments: [],
    penalty: false,
    recordedBy: 'department',
    title: '信用承诺及履约信息',
    publicity: NO_LIMIT,
    source: `${ZY}第三十五条第（四）项`,
  },
  {
    code: 'other_information',
    scope: 'city',
    category: 'other',
    article: '35(五)',
    departments: [],
    penalty: false,
    recordedBy: 'department',
    title: '有关政策法规规定的其他信息',
    publicity: NO_LIMIT,
    source: `${ZY}第三十五条第（五）项`,
  },
];

export function findCatalogueItem(code: string): CatalogueItem | undefined {
  return catalogueItems.find((i) => i.code === code);
}
