/** What the subject's pages share: the words for disclosures and history entries, form fields with their errors, the deadlines a filing starts. */
import { departmentByCode } from '../../../domain/reference-data';
import type { DeadlineView } from '../../../workflows/common/case-types';
import { DEADLINE_STATUS, label } from '../../labels';
import { DeadlineTag, dateText, deadlineName, fieldIdOf } from '../../ui';

export const deptName = (code: string | null | undefined): string => (code ? (departmentByCode(code)?.name ?? code) : '—');

/** 公示状态, as the subject reads it (Art 49). */
export const DISCLOSURE: Record<string, string> = {
  published: '公示中',
  under_objection: '异议处理中',
  publicity_ended: '公示已结束',
  deleted: '已删除',
  pending_review: '待审核发布（未公开）',
  returned: '已退回报送单位（未公开）',
};

export const CATEGORY: Record<string, string> = { basic: '基础信息', dishonesty: '失信信息', other: '其他信息' };

export const LISTING_CATEGORY: Record<string, string> = {
  health_safety: '严重损害人民群众身体健康和生命安全',
  market_order: '严重破坏市场公平竞争秩序和社会正常秩序',
  defy_obligation: '拒不履行法定义务，严重影响司法机关、行政机关公信力',
  national_defense: '拒不履行国防义务',
  other_statutory: '法律、法规规定的其他情形',
};

export const PERSON_ROLE: Record<string, string> = {
  legal_representative: '法定代表人',
  principal: '主要负责人',
  actual_controller: '实际控制人',
  directly_responsible: '其他直接责任人员',
};

export const GROUNDS: [string, string][] = [
  ['error_or_omission', '信息存在错误、遗漏'],
  ['trade_secret', '涉及商业秘密'],
  ['privacy_or_rights', '侵犯个人隐私或者其他合法权益'],
];

/** What each entry of a record's own history says happened (record_events). */
export const HISTORY_ACTION: Record<string, string> = {
  supplied: '报送',
  released: '审核发布',
  returned: '退回报送单位',
  objection_marked: '异议标注',
  objection_mark_released: '解除异议标注',
  corrected: '更正',
  supplemented: '补充',
  deleted: '删除',
  disclosure_stopped: '停止公开',
  publicity_ended: '公示期届满',
  removed_from_list: '移出名单',
  kept: '异议核查后维持',
  objection_declined: '异议不予受理',
  objection_withdrawn: '异议撤回',
  queried: '查询',
  disclosed: '出具信用报告（披露）',
  revoke: '撤销',
};

const WHO: Record<string, string> = { officer: '工作人员', supervisor: '审核人员', subject: '信用主体', system: '系统' };

/** Who did it: the department and the person, or the system. */
export function whoText(e: { actor: string; role: string; department: string | null }): string {
  if (e.role === 'system') return '系统';
  return [e.department ? deptName(e.department) : '', `${label(WHO, e.role)} ${e.actor}`].filter(Boolean).join(' ');
}

/** What a history entry's detail says a reader needs: the stated purpose of a query (Art 49), reasons, the case. */
export function historyDetail(action: string, d: Record<string, unknown>): string {
  const s = (k: string) => (typeof d[k] === 'string' ? d[k] : undefined);
  const parts: string[] = [];
  if (action === 'queried') parts.push(`查询目的：${s('purpose') ?? '未说明'}`);
  if (s('caseId')) parts.push(`案件 ${s('caseId')}`);
  if (s('documentNumber')) parts.push(`文书 ${s('documentNumber')}`);
  if (s('reasons')) parts.push(`理由：${s('reasons')}`);
  if (s('reason') && action !== 'publicity_ended') parts.push(`理由：${s('reason')}`);
  if (s('publicUntil')) parts.push(`公示至${dateText(s('publicUntil') ?? '')}`);
  if (s('reportId')) parts.push(`信用报告 ${s('reportId')}`);
  return parts.join('；');
}

/** An error shown at its field, read out with it (aria-describedby names this id). */
export function FieldError({ id, errors }: { id: string; errors: { path: string; message: string }[] | undefined }) {
  const mine = (errors ?? []).filter((e) => `f-${fieldIdOf(e.path)}` === id || fieldIdOf(e.path).startsWith(`${id.slice(2)}.`));
  if (!mine.length) return null;
  return (
    <p class="id-check id-check-bad" id={`${id}-error`}>
      {mine.map((e) => e.message).join('；')}
    </p>
  );
}

const hasError = (id: string, errors: { path: string; message: string }[] | undefined) =>
  (errors ?? []).some((e) => `f-${fieldIdOf(e.path)}` === id || fieldIdOf(e.path).startsWith(`${id.slice(2)}.`));

/** A labelled text area or input with what was typed and its error. */
export function TextField({
  name,
  title,
  values,
  errors,
  long,
  type = 'text',
  hint,
  required = true,
}: {
  name: string;
  title: string;
  values: Record<string, string>;
  errors: { path: string; message: string }[] | undefined;
  long?: boolean;
  type?: 'text' | 'date';
  hint?: string;
  required?: boolean;
}) {
  const id = `f-${name}`;
  const bad = hasError(id, errors);
  const described = [hint ? `${id}-hint` : '', bad ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div class="field">
      <label for={id}>
        {title}
        {required ? '' : <span class="optional">（选填）</span>}
      </label>
      {hint && (
        <p class="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      <FieldError id={id} errors={errors} />
      {long ? (
        <textarea id={id} name={name} rows={5} required={required} aria-describedby={described} aria-invalid={bad ? 'true' : undefined}>
          {values[name] ?? ''}
        </textarea>
      ) : (
        <input
          id={id}
          name={name}
          // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- preact's input props take one literal type at a time
          type={type as 'text'}
          value={values[name] ?? ''}
          required={required}
          aria-describedby={described}
          aria-invalid={bad ? 'true' : undefined}
        />
      )}
    </div>
  );
}

export const EVIDENCE_ROWS = 3;

/** Evidence as text (a title and what it shows), in rows, as the API's `evidence` takes it. */
export function EvidenceRows({
  values,
  errors,
  legend,
}: {
  values: Record<string, string>;
  errors: { path: string; message: string }[] | undefined;
  legend: string;
}) {
  return (
    <fieldset class="field" id="f-evidence">
      <legend>{legend}</legend>
      <FieldError id="f-evidence" errors={errors} />
      {Array.from({ length: EVIDENCE_ROWS }, (_, i) => (
        <div class="row">
          <span>
            <label for={`f-evidence.${i}.title`}>{`材料名称 ${i + 1}`}</label>
            <input id={`f-evidence.${i}.title`} name={`evidence.${i}.title`} value={values[`evidence.${i}.title`] ?? ''} />
          </span>
          <span>
            <label for={`f-evidence.${i}.description`}>{`证明内容 ${i + 1}`}</label>
            <input
              id={`f-evidence.${i}.description`}
              name={`evidence.${i}.description`}
              value={values[`evidence.${i}.description`] ?? ''}
            />
          </span>
        </div>
      ))}
    </fieldset>
  );
}

/** The evidence rows as the API's body: blank rows left out, a blank half of a row left out for the schema to ask for. */
export function evidenceOf(values: Record<string, string>): { title?: string; description?: string }[] {
  const rows: { title?: string; description?: string }[] = [];
  for (let i = 0; i < EVIDENCE_ROWS; i++) {
    const title = values[`evidence.${i}.title`]?.trim() || undefined;
    const description = values[`evidence.${i}.description`]?.trim() || undefined;
    if (title || description) rows.push({ ...(title ? { title } : {}), ...(description ? { description } : {}) });
  }
  return rows;
}

export const evidenceRowsText = (rows: { title?: string; description?: string }[]): string =>
  rows.map((r) => `${r.title ?? ''}：${r.description ?? ''}`).join('；') || '（未提交）';

/** The periods a case runs, who must act in each and by when, with the tag in words and colour. */
export function DeadlineTable({
  deadlines,
  caseDepartment,
  today,
  now,
  caption,
  empty = '暂无期限。',
}: {
  deadlines: (DeadlineView & { workingDaysLeft?: number })[];
  caseDepartment: string;
  today: string;
  now: Date;
  /** The table's name for a screen reader where no heading says it. */
  caption?: string;
  /** What stands in for an empty table. */
  empty?: string;
}) {
  if (!deadlines.length) return <p>{empty}</p>;
  return (
    <table>
      {caption && <caption class="visually-hidden">{caption}</caption>}
      <thead>
        <tr>
          <th scope="col">期限</th>
          <th scope="col">由谁办理</th>
          <th scope="col">届满</th>
          <th scope="col">状态</th>
        </tr>
      </thead>
      <tbody>
        {deadlines.map((d) => (
          <tr>
            <td>
              {deadlineName(d.kind)}
              <br />
              <small>{d.basis}</small>
            </td>
            <td>{d.party === 'subject' ? '您（当事人）' : deptName(d.department ?? caseDepartment)}</td>
            <td>{`${dateText(d.dueDate)}24时`}</td>
            <td>
              {label(DEADLINE_STATUS, d.status)} <DeadlineTag d={d} today={today} now={now} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The message of the error at `field`, if any (for a field that shows its own, like the evidence files). */
export function errorAt(errors: { path: string; message: string }[] | undefined, field: string): string | undefined {
  const mine = (errors ?? []).filter((e) => fieldIdOf(e.path) === field);
  return mine.length ? mine.map((e) => e.message).join('；') : undefined;
}
