/**
 * A policy table tried before it is stored: every period computed on the calendar from a sample day, the publicity
 * of each severity, and the listing documents that print periods rendered with it, as activities will. An entry
 * the activities cannot run is retried by Temporal without end and stops the procedure (a statement window in
 * calendar days hung every serve_notice of its department), so such a table is refused at the door instead.
 */
import { compute, periodKeys, periodOf, type Policy, type StatutoryCalendar } from './calendar';
import { documentTermsFromPolicy, renderPreListingNotice, renderRecognitionDocument } from './documents';
import { publicityOf, severities } from './records';
import { makeResidentId, makeUscc } from './identity';
import type { BoundProblem } from './calendar/policy-bounds';

const SAMPLE_ORG = { kind: 'legal_person' as const, id: makeUscc('91620700MA7100001'), name: '试算用企业' };
const SAMPLE_PERSON = {
  role: 'legal_representative' as const,
  name: '试算',
  idNumber: makeResidentId('620702', '19800101', '001'),
};
const SAMPLE_MEASURE = { code: 'N-01', title: '试算措施', level: 'serious' as const, basis: '试算依据' };

/** Which entry a RangeError of the documents or the calendar speaks of (`policy statement_window is in days…`). */
function entryOf(err: unknown, fallback: string): string {
  const m = /policy (\w+)/.exec(err instanceof Error ? err.message : '');
  return m?.[1] ?? fallback;
}

/**
 * The problems the clocks and documents would meet with `policy`, counted from `on` (an Asia/Shanghai date).
 * Each names the entry (`statement_window`) it comes from; empty when the table can run.
 */
export function policyTrialProblems(policy: Policy, calendar: StatutoryCalendar, on: string): BoundProblem[] {
  const out: BoundProblem[] = [];
  for (const k of periodKeys) {
    try {
      compute(calendar, on, periodOf(policy[k]));
      const min = policy[k].min;
      if (min && min.amount > 0) compute(calendar, on, periodOf(min));
    } catch (err) {
      out.push({
        path: k,
        message: {
          zh: `${k}：日历无法自 ${on} 起计算 ${policy[k].amount} ${policy[k].unit}（${(err as Error).message}）`,
          en: `${k}: the calendar cannot count ${policy[k].amount} ${policy[k].unit} from ${on}: ${(err as Error).message}`,
        },
      });
    }
  }
  for (const s of severities) {
    try {
      publicityOf('dishonesty', s, on, policy);
    } catch (err) {
      out.push({
        path: `publicity_${s}`,
        message: {
          zh: `publicity_${s}：无法据此确定记录的公示期限（${(err as Error).message}）`,
          en: `publicity_${s}: a record's publicity cannot be set: ${(err as Error).message}`,
        },
      });
    }
  }
  let terms: ReturnType<typeof documentTermsFromPolicy>;
  try {
    terms = documentTermsFromPolicy(policy);
  } catch (err) {
    const key = entryOf(err, 'policy');
    out.push({
      path: key,
      message: {
        zh: `${key}：列入文书无法载明该值（${(err as Error).message}）`,
        en: `${key}: the listing documents cannot print it: ${(err as Error).message}`,
      },
    });
    return out;
  }
  const base = {
    caseId: 'TRIAL',
    issuedAt: `${on}T02:00:00Z`,
    department: { code: 'TRIAL', name: '试算部门' },
    subject: SAMPLE_ORG,
    category: 'health_safety' as const,
    facts: '试算',
    basisDocuments: [{ title: '行政处罚决定书', number: '试〔2026〕1号', issuedOn: on }],
    listingPeriod: terms.listingPeriod,
    responsiblePersons: [SAMPLE_PERSON],
  };
  try {
    renderPreListingNotice({
      ...base,
      documentId: 'TRIAL-D1',
      proposedMeasures: [SAMPLE_MEASURE],
      statementWindow: { workingDays: terms.statementWorkingDays, dueDate: on },
      hearingRight: true,
      hearingNoticeWorkingDays: terms.hearingNoticeWorkingDays,
      serviceMethod: 'in_person',
    });
    renderRecognitionDocument({
      ...base,
      documentId: 'TRIAL-D2',
      decision: { number: '试〔2026〕2号', decidedAt: `${on}T02:00:00Z`, approvedBy: 'trial', reasons: '试算' },
      measures: [SAMPLE_MEASURE],
      removal: {
        earliestRepairAfter: terms.earliestRepairAfter,
        revokeWithinWorkingDays: terms.revokeWithinWorkingDays,
      },
      remedies: {
        reconsiderationDays: terms.reconsiderationDays,
        reconsiderationBody: '试算',
        litigationMonths: terms.litigationMonths,
        court: '试算',
      },
      priorProcedure: { statementSubmitted: false },
    });
  } catch (err) {
    const key = entryOf(err, 'policy');
    out.push({
      path: key,
      message: {
        zh: `${key}：以该值无法生成列入文书（${(err as Error).message}）`,
        en: `${key}: the listing documents cannot be rendered with it: ${(err as Error).message}`,
      },
    });
  }
  return out;
}
