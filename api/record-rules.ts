import { subjectIdProblem } from '../domain/identity';
import { admissionViolations, type AdmissionItem } from '../domain/record-admission';
import type { Db } from '../db/client';
import type { FieldError } from './problem';
import type { RecordCreateBody } from './schemas/records';

/**
 * The domain rules a well-formed credit record must also meet (422 when broken): the subject's identifier by its
 * checksum, a decision already taken, a type of the published catalogue that the caller's department may supply
 * in its category, a penalty Art 34 (二) admits, a severity exactly for dishonesty information (it bounds
 * publicity), and a reviewer other than the supplier (Art 36).
 */
export function recordRuleViolations(
  body: RecordCreateBody,
  today: string,
  item: AdmissionItem | undefined,
  department: string,
  supplier: string,
): FieldError[] {
  const violations: FieldError[] = [];
  const idProblem = subjectIdProblem(body.subject.kind, body.subject.id);
  if (idProblem) violations.push({ path: 'body.subject.id', message: idProblem });
  if (body.decidedOn > today) violations.push({ path: 'body.decidedOn', message: 'lies in the future' });
  violations.push(...admissionViolations(body, item, department));
  if (body.reviewedBy !== undefined && body.reviewedBy === supplier) {
    violations.push({
      path: 'body.reviewedBy',
      message: 'the reviewing officer must be another officer than the one supplying the record (Art 36)',
    });
  }
  return violations;
}

/** The catalogue item a record's type names, as loaded into Postgres (supplements included), with the catalogue version it came in. */
export async function catalogueItemOf(db: Db, code: string): Promise<(AdmissionItem & { version: string }) | undefined> {
  return (await db.catalogueItem.findUnique({ where: { code } })) ?? undefined;
}
