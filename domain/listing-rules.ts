import { residentIdWords, subjectIdWords } from './identity';
import type { FieldWords } from '../contract/problem';
import type { ListingCreateBody } from '../contract/listing';
import type { Policy } from './calendar';

/** What the rules need of a catalogue measure: its code, and how many years it may apply at most (null: no limit). */
export interface MeasureLimit {
  code: string;
  maxYears: number | null;
}

/**
 * The domain rules a well-formed listing request must also meet (422 when broken): valid identity
 * checksums, responsible persons for organisations (Art 48), measures only from the catalogue and no
 * longer than it allows (Art 43, 44 last paragraph), basis documents already issued (Art 34).
 * `catalogue`: the measures the request names that the catalogue holds (the API reads them from Postgres, the console
 * through the API); `defaultPeriod`: the department's policy period, which the case takes when the request names none.
 * Each problem in both languages: the API answers in the request's, the console shows the Chinese.
 */
export function listingRuleViolations(
  body: ListingCreateBody,
  today: string,
  defaultPeriod: { years?: number; months?: number },
  catalogue: readonly MeasureLimit[],
): FieldWords[] {
  const errors: FieldWords[] = [];
  const subjectProblem = subjectIdWords(body.subject.kind, body.subject.id);
  if (subjectProblem) errors.push({ path: 'body.subject.id', message: subjectProblem });

  const persons = body.responsiblePersons ?? [];
  if (body.subject.kind !== 'natural_person' && persons.length === 0) {
    errors.push({
      path: 'body.responsiblePersons',
      message: {
        zh: '法人或其他组织须列明其法定代表人、主要负责人等责任人（第四十八条）',
        en: 'a legal person or other organisation needs its responsible persons (Art 48)',
      },
    });
  }
  persons.forEach((p, i) => {
    const problem = residentIdWords(p.idNumber);
    if (problem) errors.push({ path: `body.responsiblePersons.${i}.idNumber`, message: problem });
  });

  body.basisDocuments.forEach((d, i) => {
    if (d.issuedOn > today) {
      errors.push({ path: `body.basisDocuments.${i}.issuedOn`, message: { zh: '日期晚于今天，文书尚未作出', en: 'lies in the future' } });
    }
  });

  const codes = new Set(body.proposedMeasures);
  const known = catalogue.filter((m) => codes.has(m.code));
  const byCode = new Map(known.map((m) => [m.code, m]));
  body.proposedMeasures.forEach((code, i) => {
    if (!byCode.has(code)) {
      errors.push({
        path: `body.proposedMeasures.${i}`,
        message: { zh: `惩戒措施 ${code} 不在措施清单中（第四十三条）`, en: `measure ${code} is not in the catalogue (Art 43)` },
      });
    }
  });
  const period = body.listingPeriod ?? defaultPeriod;
  const months = (period.years ?? 0) * 12 + (period.months ?? 0);
  for (const m of byCode.values()) {
    if (m.maxYears !== null && months > m.maxYears * 12) {
      errors.push({
        path: 'body.listingPeriod',
        message: {
          zh: `惩戒措施 ${m.code} 最长适用${m.maxYears}年；所填期限超过措施清单的规定（第四十四条）`,
          en: `measure ${m.code} may apply for at most ${m.maxYears} years; the period is heavier than the catalogue allows (Art 44)`,
        },
      });
    }
  }
  return errors;
}

/** The department's listing period when the officer names none (policy `listing_period`, 3 years by default). */
export function policyListingPeriod(policy: Policy): { years?: number; months?: number } {
  const p = policy.listing_period;
  return p.unit === 'months' ? { months: p.amount } : p.unit === 'years' ? { years: p.amount } : { years: 3 };
}
