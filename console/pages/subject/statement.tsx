/** 陈述申辩 on a listing case of mine: while the window is open, the days left and the hearing request; after, when it closed. */
import type { ComponentChildren } from 'preact';
import type { DeadlineView, ListingCaseView } from '../../../workflows/common/case-types';
import type { Field } from '../../form-fields';
import { EvidenceField, evidenceFilesOf } from '../../evidence';
import { CheckStep, DeadlineTag, ErrorSummary, FormField, dateText, dateTimeText, page, Facts, type PageContext } from '../../ui';
import { FieldError, deptName, errorAt } from './parts';
import type { FilingError } from './objection';

export interface StatementState {
  values: Record<string, string>;
  error?: FilingError;
}

const caseHref = (id: string) => `/console/me/cases/${encodeURIComponent(id)}`;

export function statementPage(
  ctx: PageContext,
  opts: {
    c: ListingCaseView;
    window: (DeadlineView & { workingDaysLeft?: number }) | undefined;
    /** Why a statement cannot be submitted now; null while it can. */
    unavailable: string | null;
    fields: Field[];
    state: StatementState;
    formKey: string;
    today: string;
    now: Date;
    done: boolean;
  },
): string {
  const { c, window: w, state } = opts;
  const notice = c.documents.find((d) => d.kind === 'pre_listing_notice') ?? c.documents[0];
  const stated = c.details.statement;
  return page(
    `陈述申辩 ${c.id}`,
    ctx,
    <>
      {opts.done && stated && (
        <p
          class="notice"
          role="status"
        >{`您的陈述申辩已于${dateTimeText(stated.submittedAt)}提交${stated.requestHearing ? '，并申请了听证' : ''}。`}</p>
      )}
      <Facts
        rows={[
          ['案件', <a href={caseHref(c.id)}>{c.id}</a>],
          ['认定单位', deptName(c.department)],
          ...(notice
            ? [
                [
                  '拟列入告知书',
                  <a href={`/console/cases/${encodeURIComponent(c.id)}/documents/${encodeURIComponent(notice.id)}`}>{notice.title}</a>,
                ] as [string, ComponentChildren],
              ]
            : []),
          ...(w
            ? [
                [
                  '陈述申辩、申请听证期限',
                  <>
                    {`${dateText(w.dueDate)}24时届满 `}
                    <DeadlineTag d={w} today={opts.today} now={opts.now} />
                  </>,
                ] as [string, ComponentChildren],
              ]
            : []),
        ]}
      />
      {stated && (
        <>
          <h2>已提交的陈述申辩</h2>
          <p>{stated.text}</p>
          <p>{stated.requestHearing ? '已申请听证。' : '未申请听证。'}</p>
        </>
      )}
      {opts.unavailable ? (
        <p class="notice" role="status">{`当前不能提交陈述申辩：${opts.unavailable}。`}</p>
      ) : (
        <form method="post" action={`${caseHref(c.id)}/statement`} class="panel" novalidate enctype="multipart/form-data">
          {state.error && <ErrorSummary {...state.error} />}
          <p>
            {w
              ? `请在${dateText(w.dueDate)}24时前提交${w.workingDaysLeft !== undefined ? `（还剩${w.workingDaysLeft}个工作日）` : ''}。期限届满未提交的，视为放弃陈述申辩和听证的权利，案件将进入审查。`
              : '请在陈述申辩期限内提交。'}
          </p>
          <input type="hidden" name="_csrf" value={ctx.csrf} />
          <input type="hidden" name="_key" value={state.values._key ?? opts.formKey} />
          {opts.fields.map((f) =>
            f.kind === 'files' ? (
              <EvidenceField
                field={f.name}
                files={evidenceFilesOf(state.values, f.name)}
                error={errorAt(state.error?.errors, f.name)}
                title="证据文件"
              />
            ) : (
              <>
                <FieldError id={`f-${f.name}`} errors={state.error?.errors} />
                <FormField f={f} values={state.values} />
              </>
            ),
          )}
          <p class="hint">申请听证的，认定单位将提前通知举行听证的时间和地点。</p>
          <button type="submit">继续</button>
        </form>
      )}
      <p>
        <a href={caseHref(c.id)}>返回案件</a>
      </p>
    </>,
  );
}

export function statementCheckPage(
  ctx: PageContext,
  { c, values, answers }: { c: ListingCaseView; values: Record<string, string>; answers: [string, string][] },
): string {
  return page(
    '核对：提交陈述申辩',
    ctx,
    <>
      <p>{`案件 ${c.id}。陈述申辩提交后不能修改，请核对：`}</p>
      <CheckStep ctx={ctx} action={`${caseHref(c.id)}/statement`} values={values} answers={answers} confirmText="确认提交陈述申辩" />
    </>,
  );
}
