/** 申请信用修复 (Art 52): eligibility before applying, evidence and the signed credit commitment, check, then progress. */
import type { RepairCaseView } from '../../../workflows/common/case-types';
import { EvidenceField, EvidenceList, evidenceFilesOf, type EvidenceFile } from '../../evidence';
import { STATE, label } from '../../labels';
import { CheckStep, ErrorSummary, Options, dateText, dateTimeText, page, Facts, type PageContext } from '../../ui';
import { DeadlineTable, EvidenceRows, FieldError, TextField, errorAt } from './parts';
import type { FilingError } from './objection';

/** GET /v1/subjects/{id}/repair-eligibility. */
export interface RepairEligibility {
  target: { kind: 'record' | 'listing'; id: string; documentNumber: string; listedFrom: string | null };
  on: string;
  eligible: boolean;
  earliest: string | null;
  reasons: { code: string; text: string }[];
  receivingDepartment: { code: string; name: string };
  decidingDepartment: { code: string; name: string };
  openCaseId: string | null;
  policy: { minimumListing: string | null; exclusionsSource: string };
}

/** A record or listing of mine a repair could be for: `record:REC-…` or `listing:LST-…`, and how it reads. */
export type RepairOption = [value: string, text: string];

export interface RepairFormState {
  values: Record<string, string>;
  error?: FilingError;
}

/** The credit commitment offered to sign (信用承诺书); the applicant may reword it. */
export const COMMITMENT_TEXT =
  '本人（本单位）承诺：所提交的信用修复申请材料真实、合法、有效；已纠正失信行为、履行相关义务；今后将严格遵守法律法规，诚信守法。如有虚假，愿意承担相应法律责任，并同意将本承诺的履行情况纳入信用记录。';

function EligibilityPanel({ e }: { e: RepairEligibility }) {
  return (
    <section class="panel" aria-labelledby="eligibility-title">
      <h2 id="eligibility-title">修复条件</h2>
      <Facts
        rows={[
          ['受理单位', `${e.receivingDepartment.name}（信用修复申请统一受理）`],
          ['决定单位', `${e.decidingDepartment.name}（谁认定、谁修复）`],
          ['文书', e.target.documentNumber],
          ...(e.target.listedFrom ? [['列入日期', dateText(e.target.listedFrom)] as [string, string]] : []),
          ...(e.policy.minimumListing ? [['列入名单最短期限', e.policy.minimumListing] as [string, string]] : []),
          ['最早可申请日期', e.earliest ? dateText(e.earliest) : '现在即可申请'],
          ['判断日期', dateText(e.on)],
        ]}
      />
      {e.eligible ? (
        <p class="notice" role="status">
          符合申请条件，可以申请信用修复。
        </p>
      ) : (
        <>
          <p>目前不能申请，原因如下：</p>
          <ul>
            {e.reasons.map((r) => (
              <li>{r.text}</li>
            ))}
          </ul>
          {e.openCaseId && (
            <p>
              <a href={`/console/me/cases/${encodeURIComponent(e.openCaseId)}`}>{`查看正在办理的申请 ${e.openCaseId}`}</a>
            </p>
          )}
        </>
      )}
      <p class="hint">{`不予修复情形的依据：${e.policy.exclusionsSource}`}</p>
    </section>
  );
}

export function repairFormPage(
  ctx: PageContext,
  {
    options,
    target,
    eligibility,
    state,
    formKey,
  }: {
    options: RepairOption[];
    target: string | undefined;
    eligibility: RepairEligibility | null;
    state: RepairFormState;
    formKey: string;
  },
): string {
  const v = state.values;
  const errors = state.error?.errors;
  return page(
    '申请信用修复',
    ctx,
    <>
      <p>已纠正失信行为、履行相关义务的，可以申请信用修复（第五十二条）：提前结束失信信息的公示，或提前移出严重失信主体名单。</p>
      {options.length === 0 ? (
        <p>您目前没有可以申请信用修复的失信信息或名单。</p>
      ) : (
        <form method="get" action="/console/me/repairs/new" class="panel">
          <div class="field">
            <label for="f-target">申请修复的信息或名单</label>
            <select id="f-target" name="target" required>
              <option value="">请选择</option>
              <Options options={options} value={target} />
            </select>
          </div>
          <button type="submit" class="secondary">
            查看修复条件
          </button>
        </form>
      )}
      {eligibility && <EligibilityPanel e={eligibility} />}
      {eligibility?.eligible && target && (
        <form method="post" action="/console/me/repairs" class="panel" novalidate enctype="multipart/form-data">
          {state.error && <ErrorSummary {...state.error} />}
          <input type="hidden" name="_csrf" value={ctx.csrf} />
          <input type="hidden" name="_key" value={v._key ?? formKey} />
          <input type="hidden" name="target" value={target} />
          <TextField name="statement" title="申请理由（失信行为的纠正和义务履行情况）" values={v} errors={errors} long />
          <EvidenceRows values={v} errors={errors} legend="履行义务的证明材料（至少一项，如缴款凭证、整改报告）" />
          <EvidenceField field="evidenceFiles" files={evidenceFilesOf(v, 'evidenceFiles')} error={errorAt(errors, 'evidenceFiles')} />
          <fieldset class="field" id="f-commitment">
            <legend>信用承诺书</legend>
            <TextField
              name="commitment.text"
              title="承诺内容"
              values={{ ...v, 'commitment.text': v['commitment.text'] ?? COMMITMENT_TEXT }}
              errors={errors}
              long
            />
            <TextField name="commitment.signedOn" title="签署日期" values={v} errors={errors} type="date" />
            <FieldError id="f-commitment.signed" errors={errors} />
            <div class="field checkbox">
              <input
                type="checkbox"
                id="f-commitment.signed"
                name="commitment.signed"
                checked={v['commitment.signed'] === 'on'}
                aria-describedby={errorAt(errors, 'commitment.signed') ? 'f-commitment.signed-error' : undefined}
              />
              <label for="f-commitment.signed">本人已阅读并签署上述信用承诺，承诺内容将公开</label>
            </div>
          </fieldset>
          <button type="submit">继续</button>
        </form>
      )}
    </>,
  );
}

export function repairCheckPage(
  ctx: PageContext,
  { values, answers }: { values: Record<string, string>; answers: [string, string][] },
): string {
  return page(
    '核对：申请信用修复',
    ctx,
    <>
      <p>提交后由受理单位审查，决定单位作出是否准予修复的决定。请核对：</p>
      <CheckStep ctx={ctx} action="/console/me/repairs" values={values} answers={answers} confirmText="确认提交修复申请" />
    </>,
  );
}

/** The application as filed: the case number, where it stands and the periods now running. */
export function repairFiledPage(
  ctx: PageContext,
  { c, today, now }: { c: RepairCaseView & { evidenceFiles?: EvidenceFile[] }; today: string; now: Date },
): string {
  const d = c.details;
  return page(
    '信用修复申请已提交',
    ctx,
    <>
      <p class="notice" role="status">{`您的信用修复申请已提交，案件编号 ${c.id}。`}</p>
      <Facts
        rows={[
          ['案件编号', <a href={`/console/me/cases/${encodeURIComponent(c.id)}`}>{c.id}</a>],
          [
            '申请修复',
            d.target.kind === 'record'
              ? `信用信息 ${d.target.recordId}（${d.target.documentNumber}）`
              : `名单 ${d.target.listingCaseId}（${d.target.decisionNumber}）`,
          ],
          ['当前状态', `${label(STATE, c.state)}${c.closed ? '（已办结）' : ''}`],
          ['申请时间', dateTimeText(c.createdAt)],
          ...(d.decision
            ? [
                ['决定', d.decision.reasons] as [string, string],
                ...(d.decision.reapplyAfter ? [['可重新申请日期', dateText(d.decision.reapplyAfter)] as [string, string]] : []),
              ]
            : []),
        ]}
      />
      <h2>证据文件</h2>
      <EvidenceList caseId={c.id} files={c.evidenceFiles ?? []} />
      <h2>办理期限</h2>
      <DeadlineTable deadlines={c.deadlines} caseDepartment={c.department} today={today} now={now} />
      <p>
        <a href={`/console/me/cases/${encodeURIComponent(c.id)}`}>查看办理进度</a>
      </p>
    </>,
  );
}
