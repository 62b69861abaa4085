/**
 * What may be admitted as a credit record (Art 32-34): only an item of the published catalogue, supplied by a
 * department the item names, in the item's category; and an administrative penalty is dishonesty information
 * only when made by general procedure, and not when the violation was minor or its harm was actively removed
 * or reduced (Art 34 (二)). Pure: the caller finds the catalogue item (it lives in Postgres, where
 * supplements are added) and turns the violations into its own errors.
 */
import type { RecordCategory, Severity } from './records';

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

export interface AdmissionViolation {
  /** Where in the request body, e.g. `body.penalty.procedure`. */
  path: string;
  message: string;
}

/** Every reason the record may not be admitted from `department`; empty: admitted. */
export function admissionViolations(input: AdmissionInput, item: AdmissionItem | undefined, department: string): AdmissionViolation[] {
  if (!item) {
    return [
      {
        path: 'body.type',
        message: `"${input.type}" is not an item of the public credit information catalogue (Art 32); see GET /v1/public/catalogue`,
      },
    ];
  }
  if (item.withdrawnAt) {
    return [
      {
        path: 'body.type',
        message: `"${item.code}" was withdrawn from the public credit information catalogue on ${item.withdrawnAt instanceof Date ? item.withdrawnAt.toISOString() : item.withdrawnAt}: records already supplied keep it, no new one is admitted (Art 32)`,
      },
    ];
  }
  if (item.recordedBy !== 'department') {
    return [
      {
        path: 'body.type',
        message: `records of "${item.code}" are written by the ${item.recordedBy.replace('_', ' ')} itself, not supplied by a department`,
      },
    ];
  }
  if (item.departments.length > 0 && !item.departments.includes(department)) {
    return [
      {
        path: 'body.type',
        message: `the catalogue lets only ${item.departments.join(', ')} supply "${item.code}", not ${department}`,
      },
    ];
  }
  const violations: AdmissionViolation[] = [];
  if (input.category !== item.category) {
    violations.push({
      path: 'body.category',
      message: `the catalogue item "${item.code}" is ${item.category} information (Art ${item.article})`,
    });
  }
  if (item.penalty && !input.penalty) {
    violations.push({
      path: 'body.penalty',
      message: `"${item.code}" rests on an administrative penalty: say its procedure and whether the violation was minor or remedied (Art 34 (二))`,
    });
  }
  if (!item.penalty && input.penalty) {
    violations.push({ path: 'body.penalty', message: `"${item.code}" does not rest on an administrative penalty` });
  }
  if (item.penalty && input.penalty && item.category === 'dishonesty') violations.push(...penaltyExclusions(input.penalty));
  if (item.category === 'dishonesty' && !input.severity) {
    violations.push({
      path: 'body.severity',
      message: 'dishonesty information needs its severity: it decides the publicity period',
    });
  }
  if (item.category !== 'dishonesty' && input.severity) {
    violations.push({ path: 'body.severity', message: 'only dishonesty information has a severity' });
  }
  return violations;
}

/** Art 34 (二): which facts of a penalty keep it out of dishonesty information, each with the article's reason. */
export function penaltyExclusions(p: PenaltyFacts): AdmissionViolation[] {
  const out: AdmissionViolation[] = [];
  if (p.procedure !== 'general') {
    out.push({
      path: 'body.penalty.procedure',
      message:
        'a penalty by summary procedure (简易程序) is not dishonesty information: Art 34 (二) admits only penalties made by general procedure',
    });
  }
  if (p.minor) {
    out.push({
      path: 'body.penalty.minor',
      message: 'a penalty for a minor violation (违法行为轻微) is not dishonesty information (Art 34 (二))',
    });
  }
  if (p.remedied) {
    out.push({
      path: 'body.penalty.remedied',
      message:
        'a penalty whose harm the subject actively removed or reduced (主动消除、减轻违法行为危害后果) is not dishonesty information (Art 34 (二))',
    });
  }
  return out;
}
