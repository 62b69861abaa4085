/**
 * What may be admitted as a credit record (Art 32-34): only an item of the published catalogue, supplied by a
 * department the item names, in the item's category; and an administrative penalty is dishonesty information
 * only when made by general procedure, and not when the violation was minor or its harm was actively removed
 * or reduced (Art 34 (二)). Pure: the caller finds the catalogue item (it lives in Postgres, where
 * supplements are added) and turns the violations into its own errors.
 */
import type { FieldWords } from '../contract/problem';
import type { RecordCategory, Severity } from './records';

/** Art 32 third paragraph: the categories as the regulation names them. */
const CATEGORY_ZH: Record<string, string> = { basic: '基础信息', dishonesty: '失信信息', other: '其他信息' };

export const penaltyProcedures = ['general', 'summary'] as const;
export type PenaltyProcedure = (typeof penaltyProcedures)[number];

/** What a record resting on an administrative penalty says about it. */
export interface PenaltyFacts {
  procedure: PenaltyProcedure;
  /** 违法行为轻微 */
  minor: boolean;
  /** 主动消除、减轻违法行为危害后果 */
  remedied: boolean;
}

/** The parts of a catalogue item admission needs (the row in Postgres or the literal in domain/credit-catalogue.ts). */
export interface AdmissionItem {
  code: string;
  category: string;
  article: string;
  departments: readonly string[];
  penalty: boolean;
  recordedBy: string;
  /** Withdrawn by an approved proposal: records already supplied keep the type, no new one is admitted. */
  withdrawnAt?: Date | string | null;
}

export interface AdmissionInput {
  category: RecordCategory;
  type: string;
  severity?: Severity | undefined;
  penalty?: PenaltyFacts | undefined;
}

/** A reason against admission at its place in the request body (e.g. `body.penalty.procedure`), in both languages. */
export type AdmissionViolation = FieldWords;

/** Every reason the record may not be admitted from `department`; empty: admitted. */
export function admissionViolations(input: AdmissionInput, item: AdmissionItem | undefined, department: string): AdmissionViolation[] {
  if (!item) {
    return [
      {
        path: 'body.type',
        message: {
          zh: `“${input.type}”不是公共信用信息目录中的事项（第三十二条）；见 GET /v1/public/catalogue`,
          en: `"${input.type}" is not an item of the public credit information catalogue (Art 32); see GET /v1/public/catalogue`,
        },
      },
    ];
  }
  if (item.withdrawnAt) {
    return [
      {
        path: 'body.type',
        message: {
          zh: `“${item.code}”已于 ${withdrawnAt(item.withdrawnAt)} 从公共信用信息目录中撤销：已报送的记录保留，不再接收新记录（第三十二条）`,
          en: `"${item.code}" was withdrawn from the public credit information catalogue on ${withdrawnAt(item.withdrawnAt)}: records already supplied keep it, no new one is admitted (Art 32)`,
        },
      },
    ];
  }
  if (item.recordedBy !== 'department') {
    return [
      {
        path: 'body.type',
        message: {
          zh: `“${item.code}”的记录由本系统的${item.recordedBy === 'listing_procedure' ? '列入程序' : item.recordedBy}自行写入，不由部门报送`,
          en: `records of "${item.code}" are written by the ${item.recordedBy.replace('_', ' ')} itself, not supplied by a department`,
        },
      },
    ];
  }
  if (item.departments.length > 0 && !item.departments.includes(department)) {
    return [
      {
        path: 'body.type',
        message: {
          zh: `目录规定“${item.code}”只能由 ${item.departments.join('、')} 报送，${department} 不能报送`,
          en: `the catalogue lets only ${item.departments.join(', ')} supply "${item.code}", not ${department}`,
        },
      },
    ];
  }
  const violations: AdmissionViolation[] = [];
  if (input.category !== item.category) {
    violations.push({
      path: 'body.category',
      message: {
        zh: `目录事项“${item.code}”属于${CATEGORY_ZH[item.category] ?? item.category}（第${item.article}条）`,
        en: `the catalogue item "${item.code}" is ${item.category} information (Art ${item.article})`,
      },
    });
  }
  if (item.penalty && !input.penalty) {
    violations.push({
      path: 'body.penalty',
      message: {
        zh: `“${item.code}”以行政处罚为依据：请填写处罚程序，以及违法行为是否轻微、是否已主动消除或减轻危害后果（第三十四条第二项）`,
        en: `"${item.code}" rests on an administrative penalty: say its procedure and whether the violation was minor or remedied (Art 34 (二))`,
      },
    });
  }
  if (!item.penalty && input.penalty) {
    violations.push({
      path: 'body.penalty',
      message: { zh: `“${item.code}”不以行政处罚为依据`, en: `"${item.code}" does not rest on an administrative penalty` },
    });
  }
  if (item.penalty && input.penalty && item.category === 'dishonesty') violations.push(...penaltyExclusions(input.penalty));
  if (item.category === 'dishonesty' && !input.severity) {
    violations.push({
      path: 'body.severity',
      message: {
        zh: '失信信息须填写严重程度：它决定公示期限',
        en: 'dishonesty information needs its severity: it decides the publicity period',
      },
    });
  }
  if (item.category !== 'dishonesty' && input.severity) {
    violations.push({
      path: 'body.severity',
      message: { zh: '只有失信信息才有严重程度', en: 'only dishonesty information has a severity' },
    });
  }
  return violations;
}

/** Art 34 (二): which facts of a penalty keep it out of dishonesty information, each with the article's reason. */
export function penaltyExclusions(p: PenaltyFacts): AdmissionViolation[] {
  const out: AdmissionViolation[] = [];
  if (p.procedure !== 'general') {
    out.push({
      path: 'body.penalty.procedure',
      message: {
        zh: '适用简易程序作出的行政处罚不属于失信信息：第三十四条第二项只认可适用普通程序作出的行政处罚',
        en: 'a penalty by summary procedure (简易程序) is not dishonesty information: Art 34 (二) admits only penalties made by general procedure',
      },
    });
  }
  if (p.minor) {
    out.push({
      path: 'body.penalty.minor',
      message: {
        zh: '违法行为轻微的行政处罚不属于失信信息（第三十四条第二项）',
        en: 'a penalty for a minor violation (违法行为轻微) is not dishonesty information (Art 34 (二))',
      },
    });
  }
  if (p.remedied) {
    out.push({
      path: 'body.penalty.remedied',
      message: {
        zh: '当事人主动消除或者减轻违法行为危害后果的行政处罚不属于失信信息（第三十四条第二项）',
        en: 'a penalty whose harm the subject actively removed or reduced (主动消除、减轻违法行为危害后果) is not dishonesty information (Art 34 (二))',
      },
    });
  }
  return out;
}

function withdrawnAt(at: Date | string): string {
  return at instanceof Date ? at.toISOString() : at;
}
