/** 案件查询 (issue 22, supervisors 7): every department's cases, read only, each linking to its case page. */
import { departments } from '../../../domain/reference-data';
import { PROCEDURE, STATE, label } from '../../labels';
import { Options, dateTimeText, page, type PageContext } from '../../ui';

export interface CaseRow {
  id: string;
  procedure: string;
  state: string;
  closed: boolean;
  subject: { id: string; name: string };
  department: string;
  createdAt: string;
  updatedAt: string;
}

export interface CaseQuery {
  procedure?: string | undefined;
  state?: string | undefined;
  subjectId?: string | undefined;
  department?: string | undefined;
  cursor?: string | undefined;
}

export function caseSearchPage(
  ctx: PageContext,
  { q, items, nextCursor, error }: { q: CaseQuery; items: CaseRow[]; nextCursor: string | null; error?: string },
): string {
  const next = nextCursor
    ? `/console/supervise/cases?${new URLSearchParams(
        Object.entries({ ...q, cursor: nextCursor }).filter((e): e is [string, string] => typeof e[1] === 'string' && e[1] !== ''),
      ).toString()}`
    : null;
  return page(
    '案件查询',
    ctx,
    <>
      <p>各部门的案件，只读；办理请到案件页。</p>
      <form method="get" action="/console/supervise/cases" class="filters">
        <div class="field">
          <label for="f-procedure">程序</label>
          <select id="f-procedure" name="procedure">
            <option value="">全部</option>
            <Options options={Object.entries(PROCEDURE)} value={q.procedure} />
          </select>
        </div>
        <div class="field">
          <label for="f-state">状态</label>
          <select id="f-state" name="state">
            <option value="">全部</option>
            <Options options={Object.entries(STATE)} value={q.state} />
          </select>
        </div>
        <div class="field">
          <label for="f-department">部门</label>
          <select id="f-department" name="department">
            <option value="">全部</option>
            <Options options={departments.map((d) => [d.code, d.name] as const)} value={q.department} />
          </select>
        </div>
        <div class="field">
          <label for="f-subjectId">主体代码</label>
          <input id="f-subjectId" name="subjectId" value={q.subjectId ?? ''} maxLength={32} autocomplete="off" />
        </div>
        <button type="submit" class="secondary">
          查询
        </button>
      </form>
      {error && (
        <div class="error-summary" role="alert">
          <h2>查询条件有误</h2>
          <p>{error}</p>
        </div>
      )}
      {items.length === 0 ? (
        <p>没有符合条件的案件。</p>
      ) : (
        <table>
          <caption>{`查询结果（本页 ${items.length} 件，按立案时间由近及远）`}</caption>
          <thead>
            <tr>
              <th scope="col">案件</th>
              <th scope="col">程序</th>
              <th scope="col">状态</th>
              <th scope="col">信用主体</th>
              <th scope="col">部门</th>
              <th scope="col">立案时间</th>
            </tr>
          </thead>
          <tbody>
            {items.map((c) => (
              <tr>
                <td>
                  <a href={`/console/cases/${c.id}`}>{c.id}</a>
                </td>
                <td>{label(PROCEDURE, c.procedure)}</td>
                <td>{`${label(STATE, c.state)}${c.closed ? '（已办结）' : ''}`}</td>
                <td>{`${c.subject.name}（${c.subject.id}）`}</td>
                <td>{departments.find((d) => d.code === c.department)?.name ?? c.department}</td>
                <td>{dateTimeText(c.createdAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {next && (
        <p class="pager">
          <a href={next}>下一页</a>
        </p>
      )}
    </>,
  );
}
