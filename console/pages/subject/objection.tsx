/** 提出异议 (Art 51): pick a record of mine, the grounds, a statement and evidence; check; the case it opened. */
import type { RecordView } from '../../../contract/records';
import type { ObjectionCaseView } from '../../../workflows/common/case-types';
import { EvidenceField, EvidenceList, evidenceFilesOf, type EvidenceFile } from '../../evidence';
import { label } from '../../labels';
import { CheckStep, ErrorSummary, Options, dateText, dateTimeText, page, Facts, type PageContext } from '../../ui';
import { DeadlineTable, DISCLOSURE, EvidenceRows, FieldError, GROUNDS, TextField, deptName, errorAt } from './parts';
import { recordTitle } from './records';

export interface FilingError {
  title: string;
  detail: string;
  errors?: { path: string; message: string; label?: string }[];
}

export interface ObjectionFormState {
  values: Record<string, string>;
  error?: FilingError;
}

const recordOption = (r: RecordView): [string, string] => [
  r.id,
  `${recordTitle(r)}，${r.documentNumber}，${dateText(r.decidedOn)}（${label(DISCLOSURE, r.disclosure)}）`,
];

export function objectionFormPage(
  ctx: PageContext,
  { records, state, formKey }: { records: RecordView[]; state: ObjectionFormState; formKey: string },
): string {
  const v = state.values;
  const errors = state.error?.errors;
  return page(
    '提出异议',
    ctx,
    <>
      <p>
        认为关于您的信用信息存在错误、遗漏，或者侵犯商业秘密、个人隐私等合法权益的，可以提出异议（第五十一条）。提交后该信息即标注为“异议处理中”，直至异议处理完毕。
      </p>
      {state.error && <ErrorSummary {...state.error} />}
      {records.length === 0 ? (
        <p>您目前没有可以提出异议的信用信息（正在异议处理中、已删除或尚未发布的信息不能提出异议）。</p>
      ) : (
        <form method="post" action="/console/me/objections" class="panel" novalidate enctype="multipart/form-data">
          <input type="hidden" name="_csrf" value={ctx.csrf} />
          <input type="hidden" name="_key" value={v._key ?? formKey} />
          <div class="field">
            <label for="f-recordId">异议的信息</label>
            <FieldError id="f-recordId" errors={errors} />
            <select id="f-recordId" name="recordId" required>
              <option value="">请选择</option>
              <Options options={records.map(recordOption)} value={v.recordId} />
            </select>
          </div>
          <fieldset class="field" id="f-grounds">
            <legend>异议理由</legend>
            <FieldError id="f-grounds" errors={errors} />
            {GROUNDS.map(([code, text]) => (
              <div class="field checkbox">
                <input type="radio" id={`f-grounds-${code}`} name="grounds" value={code} checked={v.grounds === code} required />
                <label for={`f-grounds-${code}`}>{text}</label>
              </div>
            ))}
          </fieldset>
          <TextField name="statement" title="异议陈述（哪里有误，应当如何）" values={v} errors={errors} long />
          <EvidenceRows values={v} errors={errors} legend="证据材料（选填；可说明材料名称及其证明的内容）" />
          <EvidenceField field="evidenceFiles" files={evidenceFilesOf(v, 'evidenceFiles')} error={errorAt(errors, 'evidenceFiles')} />
          <button type="submit">继续</button>
        </form>
      )}
    </>,
  );
}

export function objectionCheckPage(
  ctx: PageContext,
  { values, answers }: { values: Record<string, string>; answers: [string, string][] },
): string {
  return page(
    '核对：提出异议',
    ctx,
    <>
      <p>提交后将启动异议处理程序，该信息即标注为“异议处理中”。请核对：</p>
      <CheckStep ctx={ctx} action="/console/me/objections" values={values} answers={answers} confirmText="确认提交异议" />
    </>,
  );
}

/** What the filing did: the case number, the record now marked, and the dates by which each body must act. */
export function objectionFiledPage(
  ctx: PageContext,
  {
    c,
    record,
    today,
    now,
  }: { c: ObjectionCaseView & { evidenceFiles?: EvidenceFile[] }; record: RecordView | null; today: string; now: Date },
): string {
  const supplier = c.details.record.department;
  return page(
    '异议已提交',
    ctx,
    <>
      <p class="notice" role="status">{`您的异议已提交，案件编号 ${c.id}。`}</p>
      <Facts
        rows={[
          ['案件编号', <a href={`/console/me/cases/${encodeURIComponent(c.id)}`}>{c.id}</a>],
          ['异议的信息', record ? recordTitle(record) : c.details.record.id],
          [
            '异议标注',
            record?.disclosure === 'under_objection'
              ? `该信息自${dateTimeText(record.objection?.since ?? c.details.markedAt)}起标注为“异议处理中”，在每次公开和查询时一并显示，直至异议处理完毕。`
              : `该信息的公示状态：${label(DISCLOSURE, record?.disclosure ?? '')}`,
          ],
          ['受理机构', deptName(c.department)],
          ['信息提供单位', deptName(supplier)],
        ]}
      />
      <h2>证据文件</h2>
      <EvidenceList caseId={c.id} files={c.evidenceFiles ?? []} />
      <h2>办理期限</h2>
      <DeadlineTable deadlines={c.deadlines} caseDepartment={c.department} today={today} now={now} />
      <p>{`${deptName(c.department)}应当在上表的期限内受理，并自行核查或转送${deptName(supplier)}；转送的，${deptName(supplier)}核查答复的期限自其收到之日起计算，届时显示在案件进度中（经审核人员批准可延长一次）。处理结果将以电子方式送达，并告知作出决定的单位。`}</p>
      <p>
        <a href={`/console/me/cases/${encodeURIComponent(c.id)}`}>查看案件进度</a>
        {'　'}
        <a href={`/console/me/records/${encodeURIComponent(c.details.record.id)}`}>查看该信息</a>
      </p>
    </>,
  );
}
