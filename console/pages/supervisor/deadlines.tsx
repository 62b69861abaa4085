/** The deadlines behind a figure of the dashboard, each with its case, in due order, 50 to a page. */
import type { DeadlineView } from '../../../workflows/common/case-types';
import { DEADLINE_STATUS, PROCEDURE, label } from '../../labels';
import { DeadlineTag, dateText, dateTimeText, deadlineName, page, type PageContext } from '../../ui';
import { departmentName } from './dashboard';

export type ListedDeadline = DeadlineView & { procedure: string; department: string };

export interface DeadlineListQuery {
  status: string;
  department?: string | undefined;
  closedFrom?: string | undefined;
  closedTo?: string | undefined;
  cursor?: string | undefined;
}

const STATUS_TITLE: Record<string, string> = {
  open: '进行中的期限',
  due_soon: '两个工作日内到期的期限',
  overdue: '已过期未办的期限',
  met: '已办结的期限',
  met_on_time: '按期办结的期限',
  met_late: '逾期办结的期限',
  breached: '超期的期限',
};

export function deadlineListTitle(q: DeadlineListQuery): string {
  const who = q.department ? departmentName(q.department) : '全部部门';
  const when = q.closedFrom && q.closedTo ? `${dateText(q.closedFrom)}至${dateText(q.closedTo)}` : '';
  return `${who}${when}${STATUS_TITLE[q.status] ?? '期限'}`;
}

/** A closed deadline in words and colour: met on time or late, breached, lapsed, suspended, cancelled. */
function ClosedTag({ d }: { d: ListedDeadline }) {
  const late = d.status === 'met' && d.metAt !== undefined && Date.parse(d.metAt) > Date.parse(d.dueAt);
  const [text, tone] =
    d.status === 'met'
      ? late
        ? ['逾期办结', 'orange']
        : ['按期办结', 'green']
      : d.status === 'breached'
        ? ['超期', 'red']
        : [label(DEADLINE_STATUS, d.status), 'grey'];
  return <strong class={`tag tag-${tone}`}>{text}</strong>;
}

function hrefOf(q: DeadlineListQuery, cursor: string): string {
  const params = new URLSearchParams({ status: q.status });
  if (q.department) params.set('department', q.department);
  if (q.closedFrom) params.set('closedFrom', q.closedFrom);
  if (q.closedTo) params.set('closedTo', q.closedTo);
  params.set('cursor', cursor);
  return `/console/supervise/deadlines/list?${params.toString()}`;
}

export function deadlineListPage(
  ctx: PageContext,
  {
    q,
    items,
    nextCursor,
    now,
    today,
  }: { q: DeadlineListQuery; items: ListedDeadline[]; nextCursor: string | null; now: Date; today: string },
): string {
  return page(
    deadlineListTitle(q),
    ctx,
    <>
      <p>
        <a href="/console/supervise/deadlines">返回期限看板</a>
      </p>
      {items.length === 0 ? (
        <p>没有符合条件的期限。</p>
      ) : (
        <table id="deadlines">
          <caption class="visually-hidden">{deadlineListTitle(q)}</caption>
          <thead>
            <tr>
              <th scope="col">案件</th>
              <th scope="col">部门</th>
              <th scope="col">期限</th>
              <th scope="col">起算</th>
              <th scope="col">届满</th>
              <th scope="col">状态</th>
              <th scope="col">办结或关闭</th>
            </tr>
          </thead>
          <tbody>
            {items.map((d) => (
              <tr data-deadline={d.id}>
                <td>
                  <a href={`/console/cases/${encodeURIComponent(d.caseId)}`}>{d.caseId}</a>
                  <br />
                  <small>{label(PROCEDURE, d.procedure)}</small>
                </td>
                <td>{departmentName(d.department)}</td>
                <td>{deadlineName(d.kind)}</td>
                <td>{dateTimeText(d.startsAt)}</td>
                <td>{`${dateText(d.dueDate)}24时`}</td>
                <td>{d.status === 'open' ? <DeadlineTag d={d} today={today} now={now} /> : <ClosedTag d={d} />}</td>
                <td>{d.metAt ? dateTimeText(d.metAt) : d.closedAt ? dateTimeText(d.closedAt) : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {(q.cursor || nextCursor) && (
        <nav class="pager" aria-label="分页">
          {q.cursor && <a href={hrefOf({ ...q, cursor: undefined }, '').replace(/&cursor=$/, '')}>第一页</a>}
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
