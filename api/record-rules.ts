import { subjectIdProblem } from '../domain/identity';
import type { FieldError } from './problem';
import type { RecordCreateBody } from './schemas/records';

/**
 * The domain rules a well-formed credit record must also meet (422 when broken): the subject's identifier by its
 * checksum, a decision already taken, and a severity exactly for dishonesty information (it bounds publicity).
 */
export function recordRuleViolations(body: RecordCreateBody, today: string): FieldError[] {
  const violations: FieldError[] = [];
  const idProblem = subjectIdProblem(body.subject.kind, body.subject.id);
  if (idProblem) violations.push({ path: 'body.subject.id', message: idProblem });
  if (body.decidedOn > today) violations.push({ path: 'body.decidedOn', message: 'lies in the future' });
  if (body.category === 'dishonesty' && !body.severity) {
    violations.push({ path: 'body.severity', message: 'dishonesty information needs its severity: it decides the publicity period' });
  }
  if (body.category !== 'dishonesty' && body.severity) {
    violations.push({ path: 'body.severity', message: 'only dishonesty information has a severity' });
  }
  return violations;
}
