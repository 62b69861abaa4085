/**
 * A change of the public credit information catalogue (Art 32) a supervisor proposes and a second approves: add or
 * change a provincial or city supplement item, or withdraw one. Pure: the caller passes the item as stored now, the
 * department codes and the records' count; the checks run when proposed and again when approved.
 *
 * The national base catalogue is the State's (全国公共信用信息基础目录): the city neither changes nor withdraws its items.
 * The items a procedure of this system writes (a listing's own record, an Art 48 person's entry) are part of that
 * procedure, not of what a department may supply: they change only with the code that writes them.
 */
import { z } from 'zod';
import type { FieldWords } from '../contract/problem';
import { namesAnAct, saysSomething } from './calendar';
import { recordCategories, type RecordCategory } from './records';
import { LISTING_RECORD_TYPE, RESPONSIBLE_PERSON_ENTRY_TYPE } from './record-types';

/** A code is a record's `type`: stable ASCII, as the shipped ones. */
const code = z
  .string()
  .trim()
  .regex(/^[a-z][a-z0-9_]{2,63}$/, 'lower-case ASCII letters, digits and _, starting with a letter (3-64)');
const text = (max: number) => z.string().trim().min(1).max(max);

/** The scopes the city may change (Art 32: the provincial and city supplements). */
export const changeableScopes = ['provincial', 'city'] as const;

export const catalogueItemChangeSchema = z
  .object({
    code,
    title: text(500),
    category: z.enum(recordCategories),
    article: text(20).describe('the item of Art 33, 34 or 35 it falls under, e.g. 34(六)'),
    departments: z.array(text(50)).max(50).default([]).describe('departments that may supply it; empty: any supplying department'),
    penalty: z.boolean().default(false),
    publicity: text(1_000),
    source: text(1_000).describe('the act or document the item rests on (《…》, or a document number such as 张政发〔2026〕1号)'),
    scope: z.enum(changeableScopes).optional().describe('a new item is a city item unless said; an existing item keeps its scope'),
  })
  .strict();

export const catalogueItemWithdrawalSchema = z
  .object({
    code,
    withdraw: z.literal(true),
    source: text(1_000).describe('the act or document that withdraws it'),
  })
  .strict();

export const catalogueChangeSchema = z.union([catalogueItemWithdrawalSchema, catalogueItemChangeSchema]);
export type CatalogueItemChange = z.infer<typeof catalogueItemChangeSchema>;
export type CatalogueItemWithdrawal = z.infer<typeof catalogueItemWithdrawalSchema>;
export type CatalogueChange = z.infer<typeof catalogueChangeSchema>;

export function isWithdrawal(c: CatalogueChange): c is CatalogueItemWithdrawal {
  return 'withdraw' in c;
}

/** The stored item a change meets (a row of catalogue_items). */
export interface StoredCatalogueItem {
  code: string;
  title: string;
  category: string;
  article: string;
  departments: readonly string[];
  penalty: boolean;
  publicity: string;
  source: string;
  scope: string;
  recordedBy: string;
  withdrawnAt: Date | null;
}

/** A reason against a catalogue change at its field, in both languages. */
export type CatalogueChangeProblem = FieldWords;

const CATEGORY_ZH: Record<string, string> = { basic: '基础信息', dishonesty: '失信信息', other: '其他信息' };
const SCOPE_ZH: Record<string, string> = { national: '全国基础目录', provincial: '省级', city: '市级' };

const ITEMS: Record<string, { category: RecordCategory; items: number }> = {
  '33': { category: 'basic', items: 4 },
  '34': { category: 'dishonesty', items: 6 },
  '35': { category: 'other', items: 5 },
};
const NUMERALS = '一二三四五六七八九十';

/**
 * The category an article's item gives (Art 33 basic, 34 dishonesty, 35 other information), or undefined where
 * `article` is no item of those articles (Art 33 has four items, 34 six, 35 five).
 */
export function categoryOfArticle(article: string): RecordCategory | undefined {
  const [, articleNo, numeral] = /^(3[345])\((.)\)$/.exec(article) ?? [];
  const a = articleNo === undefined ? undefined : ITEMS[articleNo];
  if (!a || numeral === undefined) return undefined;
  const item = NUMERALS.indexOf(numeral) + 1;
  return item >= 1 && item <= a.items ? a.category : undefined;
}

/** Items a procedure of this system writes, never a department. */
export function isSystemItem(code: string, stored?: Pick<StoredCatalogueItem, 'recordedBy'>): boolean {
  return (
    code === LISTING_RECORD_TYPE || code === RESPONSIBLE_PERSON_ENTRY_TYPE || (stored !== undefined && stored.recordedBy !== 'department')
  );
}

export interface CatalogueChangeInput {
  change: CatalogueChange;
  /** The item as stored now, if the code is taken. */
  existing: StoredCatalogueItem | undefined;
  /** Codes of the departments of the reference data. */
  departments: readonly string[];
}

/** Every reason the change may not be made, each with the path of the field it concerns; empty: it may. */
export function catalogueChangeProblems({ change, existing, departments }: CatalogueChangeInput): CatalogueChangeProblem[] {
  const out: CatalogueChangeProblem[] = [];
  const c = change.code;
  if (isSystemItem(c, existing)) {
    out.push({
      path: 'body.code',
      message: {
        zh: `“${c}”由本系统的程序（列入的公示）写入，不由部门报送：只随该程序变更`,
        en: `"${c}" is written by a procedure of this system (a listing's publication), not supplied by a department: it changes only with that procedure`,
      },
    });
  } else if (existing?.scope === 'national') {
    out.push({
      path: 'body.code',
      message: {
        zh: `“${c}”是全国公共信用信息基础目录的事项（第三十二条）：本市不能变更或撤销`,
        en: `"${c}" is an item of the national base catalogue (Art 32): the city can neither change nor withdraw it`,
      },
    });
  } else if (existing?.withdrawnAt) {
    // A record's type must keep one meaning: a withdrawn code stays retired (the records that have it keep it).
    out.push({
      path: 'body.code',
      message: {
        zh: `“${c}”已于 ${existing.withdrawnAt.toISOString()} 撤销：撤销的代码不再使用，请另拟新代码`,
        en: `"${c}" was withdrawn on ${existing.withdrawnAt.toISOString()}: a withdrawn code is never reused; propose a new code`,
      },
    });
  }
  if (!saysSomething(change.source) || !namesAnAct(change.source)) {
    out.push({
      path: 'body.source',
      message: {
        zh: `依据“${change.source}”未写明法律法规或文件：请注明（《…》，或文号，如张政发〔2026〕1号）`,
        en: `source "${change.source}" names no act or document: cite it (《…》, or a document number such as 张政发〔2026〕1号)`,
      },
    });
  }
  if (isWithdrawal(change)) {
    if (!existing) {
      out.push({
        path: 'body.code',
        message: { zh: `“${c}”不是目录中的事项：无可撤销`, en: `"${c}" is no item of the catalogue: there is nothing to withdraw` },
      });
    }
    return out;
  }
  const category = categoryOfArticle(change.article);
  if (!category) {
    out.push({
      path: 'body.article',
      message: {
        zh: `“${change.article}”不是第三十三条（一）至（四）项、第三十四条（一）至（六）项或第三十五条（一）至（五）项，写法如 34(六)`,
        en: `"${change.article}" is no item of Art 33 (一)-(四), 34 (一)-(六) or 35 (一)-(五), written like 34(六)`,
      },
    });
  } else if (category !== change.category) {
    out.push({
      path: 'body.category',
      message: {
        zh: `第${change.article}条下的事项属于${CATEGORY_ZH[category] ?? category}（第三十三条基础信息、第三十四条失信信息、第三十五条其他信息），不是${CATEGORY_ZH[change.category] ?? change.category}`,
        en: `an item under Art ${change.article} is ${category} information (Art 33 basic, 34 dishonesty, 35 other), not ${change.category}`,
      },
    });
  }
  // Art 34 (二) admits a penalty only by general procedure, neither minor nor remedied: admission checks that on the
  // record's penalty facts, which it asks for only when the item rests on a penalty.
  if (change.article === '34(二)' && !change.penalty) {
    out.push({
      path: 'body.penalty',
      message: {
        zh: '第34(二)条下的事项以行政处罚为依据：penalty 须为 true，以便每条记录写明处罚程序以及违法行为是否轻微、是否已消除危害后果',
        en: 'an item under Art 34(二) rests on an administrative penalty: penalty must be true, so each record says its procedure and whether it was minor or remedied',
      },
    });
  }
  if (change.penalty && change.article !== '34(二)') {
    out.push({
      path: 'body.penalty',
      message: {
        zh: `只有第34(二)条下的事项以行政处罚为依据，第${change.article}条下的事项不是`,
        en: `only an item under Art 34(二) rests on an administrative penalty, not one under Art ${change.article}`,
      },
    });
  }
  change.departments.forEach((d, i) => {
    if (!departments.includes(d)) {
      out.push({
        path: `body.departments.${i}`,
        message: { zh: `部门 ${d} 不存在（GET /v1/departments）`, en: `department ${d} does not exist (GET /v1/departments)` },
      });
    }
  });
  if (new Set(change.departments).size !== change.departments.length) {
    out.push({ path: 'body.departments', message: { zh: '同一部门填写了两次', en: 'names a department twice' } });
  }
  if (existing && change.scope !== undefined && change.scope !== existing.scope) {
    out.push({
      path: 'body.scope',
      message: {
        zh: `“${c}”是${SCOPE_ZH[existing.scope] ?? existing.scope}事项；其范围不能变更`,
        en: `"${c}" is a ${existing.scope} item; its scope does not change`,
      },
    });
  }
  return out;
}

/**
 * The catalogue's version: the shipped version (CATALOGUE_VERSION) with the count of the changes approved in this
 * database (`2026.12-zy-draft.1+city.3`), so a reader sees which shipped list it rests on and that the city changed
 * it since. The count never goes back: a new shipped version keeps it (the approved items stay, see db/reference-data.ts).
 */
export function catalogueVersion(shipped: string, approvedChanges: number): string {
  return approvedChanges > 0 ? `${shipped}+city.${approvedChanges}` : shipped;
}

/** How many approved changes a stored version counts; 0 for a version as shipped, or none. */
export function approvedChangesIn(version: string | undefined): number {
  const m = version ? /\+city\.(\d+)$/.exec(version) : null;
  return m ? Number(m[1]) : 0;
}
