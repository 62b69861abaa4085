import { subjectIdWords } from './identity';
import { admissionViolations, type AdmissionItem } from './record-admission';
import type { FieldWords } from '../contract/problem';
import type { RecordCreateBody } from '../contract/records';

/**
 * The domain rules a well-formed credit record must also meet (422 when broken): the subject's identifier by its
 * checksum, a decision already taken, a type of the published catalogue that the caller's department may supply
 * in its category, a penalty Art 34 (二) admits, a severity exactly for dishonesty information (it bounds
 * publicity), and a reviewer other than the supplier (Art 36). `item`: the catalogue item the type names, which the
 * API reads from Postgres and the console through the API.
 */
export function recordRuleViolations(
  body: RecordCreateBody,
  { today, item, department, supplier }: { today: string; item: AdmissionItem | undefined; department: string; supplier: string },
): FieldWords[] {
  const violations: FieldWords[] = [];
  const idProblem = subjectIdWords(body.subject.kind, body.subject.id);
  if (idProblem) violations.push({ path: 'body.subject.id', message: idProblem });
  if (body.decidedOn > today) {
    violations.push({ path: 'body.decidedOn', message: { zh: '日期晚于今天，决定尚未作出', en: 'lies in the future' } });
  }
  violations.push(...admissionViolations(body, item, department));
  if (body.reviewedBy !== undefined && body.reviewedBy === supplier) {
    violations.push({
      path: 'body.reviewedBy',
      message: {
        zh: '审核人员须为报送该记录的工作人员以外的另一名工作人员（第三十六条）',
        en: 'the reviewing officer must be another officer than the one supplying the record (Art 36)',
      },
    });
  }
  return violations;
}
