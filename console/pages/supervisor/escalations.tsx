/**
 * 超期与督办: breaches and the other escalations, newest first, each with the department that had to act, its state
 * (未确认 / 已确认 / 已督办), who acknowledged it and when, its follow-up notes, and the form for the next step.
 */
import type { EscalationState, EscalationView } from '../../../contract/oversight';
import { Options, ErrorSummary, dateText, dateTimeText, deadlineName, page, type PageContext } from '../../ui';
import { departmentName } from './dashboard';

export interface EscalationQuery {
  state?: string | undefined;
  department?: string | undefined;
  cursor?: string | undefined;
}

export interface EscalationPageState {
  done?: { id: string; what: 'acknowledge' | 'follow_up' };
  /** A refused action: the escalation it concerned, what the API said, and the note as typed. */
  error?: { id: string; title: string; detail: string; note?: string };
}

export const STATE_TEXT: Record<EscalationState, [text: string, tone: string]> = {
  unacknowledged: ['未确认', 'red'],
  acknowledged: ['已确认', 'orange'],
  followed_up: ['已督办', 'green'],
};

const KIND_TEXT: Record<string, string> = {
  breach: '期限超期',
  blocked: '期限无法计算',
  calendar_missing: '节假日安排未载入',
  incident: '办理步骤无法完成',
  window_cut_short: '当事人期限被缩短',
};

/** What happened, in a sentence, from the escalation's detail. */
function whatHappened(e: EscalationView): string {
  const d = (e.detail ?? {}) as Record<string, unknown>;
  const s = (k: string) => (typeof d[k] === 'string' ? d[k] : undefined);
  const when = (k: string, f: (v: string) => string) => {
    const v = s(k);
    return v ? f(v) : '—';
  };
  switch (e.kind) {
    case 'breach':
      return `${deadlineName(s('deadlineKind') ?? '')}${when('dueAt', (v) => `于${dateTimeText(v)}届满`)}，未按期办理`;
    case 'calendar_missing':
      return s('message') ?? '节假日安排尚未载入';
    case 'window_cut_short':
      return `当事人期限告知至${when('toldDueDate', dateText)}，正式安排应至${when('officialDueDate', dateText)}`;
    default:
      return s('reason') ?? s('cause') ?? s('message') ?? '';
  }
}

function hrefOf(q: EscalationQuery, cursor?: string): string {
  const params = new URLSearchParams();
  if (q.state) params.set('state', q.state);
  if (q.department) params.set('department', q.department);
  if (cursor) params.set('cursor', cursor);
  const s = params.toString();
  return s ? `/console/supervise/escalations?${s}` : '/console/supervise/escalations';
}

function Actions({
  ctx,
  e,
  i,
  st,
  formKey,
}: {
  ctx: PageContext;
  e: EscalationView;
  i: number;
  st: EscalationPageState;
  formKey: () => string;
}) {
  const base = `/console/supervise/escalations/${encodeURIComponent(e.id)}`;
  if (e.state === 'unacknowledged') {
    return (
      <form method="post" action={`${base}/acknowledge`} class="inline">
        <input type="hidden" name="_csrf" value={ctx.csrf} />
        <input type="hidden" name="_key" value={formKey()} />
        <button type="submit" aria-label={`确认 ${e.id}`}>
          确认
        </button>
      </form>
    );
  }
  const typed = st.error?.id === e.id ? (st.error.note ?? '') : '';
  return (
    <form method="post" action={`${base}/follow-ups`}>
      <input type="hidden" name="_csrf" value={ctx.csrf} />
      <input type="hidden" name="_key" value={formKey()} />
      <div class="field">
        <label for={`f-note-${i}`}>督办情况</label>
        <textarea id={`f-note-${i}`} name="note" rows={2} maxLength={2000} required>
          {typed}
        </textarea>
      </div>
      <button type="submit" class="secondary">
        记录督办
      </button>
    </form>
  );
}

export function escalationsPage(
  ctx: PageContext,
  {
    q,
    items,
    nextCursor,
    departments,
    state,
    formKey,
  }: {
    q: EscalationQuery;
    items: EscalationView[];
    nextCursor: string | null;
    departments: [string, string][];
    state: EscalationPageState;
    formKey: () => string;
  },
): string {
  const errorIndex = state.error ? items.findIndex((e) => e.id === state.error?.id) : -1;
  return page(
    '超期与督办',
    ctx,
    <>
      {state.done && (
        <p class="notice" role="status">
          {state.done.what === 'acknowledge' ? `已确认 ${state.done.id}。` : `已记录对 ${state.done.id} 的督办情况。`}
        </p>
      )}
      {state.error && (
        <ErrorSummary
          title={state.error.title}
          detail={`${state.error.id}：${state.error.detail}`}
          {...(errorIndex >= 0 && state.error.note !== undefined
            ? { errors: [{ path: `note-${errorIndex}`, message: state.error.detail || '请填写督办情况', label: '督办情况' }] }
            : {})}
        />
      )}
      <form method="get" action="/console/supervise/escalations" class="filters">
        <div class="field">
          <label for="f-state">状态</label>
          <select id="f-state" name="state">
            <Options
              options={[['', '全部'], ...Object.entries(STATE_TEXT).map(([k, [t]]): [string, string] => [k, t])]}
              value={q.state ?? ''}
            />
          </select>
        </div>
        <div class="field">
          <label for="f-department">应办理部门</label>
          <select id="f-department" name="department">
            <Options options={[['', '全部'], ...departments]} value={q.department ?? ''} />
          </select>
        </div>
        <button type="submit">筛选</button>
      </form>
      {items.length === 0 ? (
        <p>没有符合条件的超期或督办事项。</p>
      ) : (
        <table id="escalations">
          <caption class="visually-hidden">超期与督办事项</caption>
          <thead>
            <tr>
              <th scope="col">发生时间</th>
              <th scope="col">事项</th>
              <th scope="col">应办理部门</th>
              <th scope="col">案件</th>
              <th scope="col">状态</th>
              <th scope="col">办理</th>
            </tr>
          </thead>
          <tbody>
            {items.map((e, i) => {
              const [text, tone] = STATE_TEXT[e.state];
              return (
                <tr id={`e-${i}`} data-escalation={e.id}>
                  <td>{dateTimeText(e.at)}</td>
                  <td>
                    <strong>{KIND_TEXT[e.kind] ?? e.kind}</strong>
                    <br />
                    {whatHappened(e)}
                  </td>
                  <td>{departmentName(e.department)}</td>
                  <td>{e.caseId ? <a href={`/console/cases/${encodeURIComponent(e.caseId)}`}>{e.caseId}</a> : '—'}</td>
                  <td>
                    <strong class={`tag tag-${tone}`}>{text}</strong>
                    {e.acknowledgedAt && (
                      <>
                        <br />
                        <small>{`${e.acknowledgedBy ?? ''}于${dateTimeText(e.acknowledgedAt)}确认`}</small>
                      </>
                    )}
                    {e.followUps.length > 0 && (
                      <ul class="follow-ups">
                        {e.followUps.map((f) => (
                          <li>
                            <small>{`${dateTimeText(f.at)} ${f.actor}：`}</small>
                            {f.note}
                          </li>
                        ))}
                      </ul>
                    )}
                  </td>
                  <td>
                    <Actions ctx={ctx} e={e} i={i} st={state} formKey={formKey} />
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {(q.cursor || nextCursor) && (
        <nav class="pager" aria-label="分页">
          {q.cursor && <a href={hrefOf({ ...q, cursor: undefined })}>第一页</a>}
          {nextCursor && (
            <a href={hrefOf(q, nextCursor)} rel="next">
              下一页
            </a>
          )}
        </nav>
      )}
    </>,
  );
}
