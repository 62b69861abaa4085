import type { WorkbenchItem } from '../../contract/workbench';
import { PROCEDURE, STATE, label } from '../labels';
import { DeadlineTag, Options, dateText, deadlineName, page, type PageContext } from '../ui';

export interface WorkbenchQuery {
  procedure?: string;
  state?: string;
  due?: string;
  q?: string;
}

export interface WorkbenchData {
  items: WorkbenchItem[];
  total: number;
  /** Why the filters gave nothing (the API refused them), or null. */
  refused: string | null;
  /** 1-based. */
  page: number;
  pageSize: number;
}

/** htmx: take only the list from the answer, put it in place of this one, and show the request's URL. */
const SWAP_LIST = { 'hx-target': '#cases', 'hx-select': '#cases', 'hx-swap': 'outerHTML', 'hx-push-url': 'true' };

function Filter({ name, title, options, value }: { name: string; title: string; options: [string, string][]; value: string }) {
  return (
    <div class="field">
      <label for={`f-${name}`}>{title}</label>
      <select id={`f-${name}`} name={name}>
        <Options options={options} value={value} />
      </select>
    </div>
  );
}

/** The URL of the workbench with these filters, on that page (filters left empty stay out). */
function hrefOf(q: WorkbenchQuery, pageNo: number): string {
  const params = new URLSearchParams();
  for (const key of ['q', 'procedure', 'state', 'due'] as const) {
    const value = q[key];
    if (value) params.set(key, value);
  }
  if (pageNo > 1) params.set('page', String(pageNo));
  const s = params.toString();
  return s ? `/console?${s}` : '/console';
}

/** 上一页 / 第N页，共M页 / 下一页; with htmx only the list is fetched and swapped, and the URL still says where one is. */
function Pager({ q, data }: { q: WorkbenchQuery; data: WorkbenchData }) {
  const pages = Math.max(1, Math.ceil(data.total / data.pageSize));
  if (pages <= 1) return null;
  const link = (pageNo: number, text: string, rel: string) => (
    <a href={hrefOf(q, pageNo)} rel={rel} hx-get={hrefOf(q, pageNo)} {...SWAP_LIST}>
      {text}
    </a>
  );
  return (
    <nav class="pager" aria-label="分页">
      {data.page > 1 && link(data.page - 1, '上一页', 'prev')}
      <span>{`第${data.page}页，共${pages}页`}</span>
      {data.page < pages && link(data.page + 1, '下一页', 'next')}
    </nav>
  );
}

/** 下一步: the actions the case offers; a case waiting on the subject says so, what the officer may still record below. */
function NextStep({ c, actions }: { c: WorkbenchItem; actions: string }) {
  if (!c.waitingOnSubject) return <td>{actions || '—'}</td>;
  return (
    <td>
      等待当事人
      {actions && (
        <>
          <br />
          <small>{`可办理：${actions}`}</small>
        </>
      )}
    </td>
  );
}

/**
 * 最近期限 of a case waiting on the subject: the subject's window and the day it ends. A window whose end has passed
 * but which its workflow has not closed yet is 已届满 (a subject's window lapses; only the authority is ever late).
 */
function SubjectWindow({ w, today, now }: { w: NonNullable<WorkbenchItem['waitingOnSubject']>; today: string; now: Date }) {
  return (
    <>
      {`${deadlineName(w.kind)}至${dateText(w.dueDate)}24时 `}
      <DeadlineTag d={w.overdue ? { ...w, status: 'lapsed' } : w} today={today} now={now} />
    </>
  );
}

const DUE: [string, string][] = [
  ['all', '全部'],
  ['overdue', '已超期'],
  ['today', '今日到期'],
  ['week', '7日内到期'],
  ['none', '无进行中期限'],
];

/** The officer's open cases, most urgent first; filters live in the URL so a view can be bookmarked. */
export function workbenchPage(
  ctx: PageContext,
  {
    q,
    data,
    now,
    today,
    actionTitle,
  }: { q: WorkbenchQuery; data: WorkbenchData; now: Date; today: string; actionTitle: (procedure: string, action: string) => string },
): string {
  return page(
    '工作台',
    ctx,
    <>
      <form method="get" action="/console" class="filters" role="search" hx-get="/console" {...SWAP_LIST} hx-trigger="change, submit">
        <div class="field">
          <label for="f-q">案件编号、主体名称或代码</label>
          <input id="f-q" name="q" type="search" value={q.q ?? ''} size={30} placeholder="如 LST-20261201-…" />
        </div>
        <Filter name="procedure" title="程序" options={[['', '全部'], ...Object.entries(PROCEDURE)]} value={q.procedure ?? ''} />
        <Filter name="state" title="状态" options={[['', '全部'], ...Object.entries(STATE)]} value={q.state ?? ''} />
        <Filter name="due" title="期限" options={DUE} value={q.due ?? 'all'} />
        <button type="submit">筛选</button>
      </form>
      <section id="cases" aria-live="polite">
        {data.refused && (
          <p class="notice" role="status">
            {data.refused}
          </p>
        )}
        <p>
          {data.total > data.items.length
            ? `共${data.total}件待办，按最近期限排序；本页第${(data.page - 1) * data.pageSize + 1}至${(data.page - 1) * data.pageSize + data.items.length}件。`
            : `共${data.total}件待办，按最近期限排序。`}
        </p>
        <table>
          <caption class="visually-hidden">待办案件</caption>
          <thead>
            <tr>
              <th scope="col">案件</th>
              <th scope="col">主体</th>
              <th scope="col">程序 · 状态</th>
              <th scope="col">下一步</th>
              <th scope="col">最近期限</th>
            </tr>
          </thead>
          <tbody>
            {data.items.map((c) => (
              <tr>
                <td>
                  <a href={`/console/cases/${encodeURIComponent(c.id)}`}>{c.id}</a>
                </td>
                <td>
                  {c.subject.name}
                  <br />
                  <small>{c.subject.id}</small>
                </td>
                <td>{`${label(PROCEDURE, c.procedure)} · ${label(STATE, c.state)}`}</td>
                <NextStep c={c} actions={c.allowedActions.map((a) => actionTitle(c.procedure, a)).join('、')} />
                <td>
                  {c.nextDeadline ? (
                    <>
                      {deadlineName(c.nextDeadline.kind)}
                      <br />
                      {`${dateText(c.nextDeadline.dueDate)}24时前 `}
                      <DeadlineTag d={c.nextDeadline} today={today} now={now} />
                    </>
                  ) : c.waitingOnSubject ? (
                    <SubjectWindow w={c.waitingOnSubject} today={today} now={now} />
                  ) : (
                    '—'
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {data.items.length === 0 && (
          <p>{data.page > 1 && data.total > 0 ? <a href={hrefOf(q, 1)}>本页没有案件，回到第一页</a> : '没有符合条件的待办案件。'}</p>
        )}
        <Pager q={q} data={data} />
      </section>
    </>,
  );
}
