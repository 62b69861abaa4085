import { departmentByCode } from '../../../domain/reference-data';
import type { CaseView, DeadlineView } from '../../../workflows/common/case-types';
import { PROCEDURE, ROLE, STATE, label } from '../../labels';
import { CaseFacts, dateText, dateTimeText, page, type PageContext } from '../../ui';
import { ReadTag, noticeHref, type NoticeItem } from './notices';
import { DeadlineTable } from './parts';

/** A case as `GET /v1/cases` lists it. */
export interface CaseSummary {
  id: string;
  procedure: string;
  state: string;
  closed: boolean;
  department: string;
  createdAt: string;
  updatedAt: string;
}

const deptName = (code: string) => departmentByCode(code)?.name ?? code;
export const myCaseHref = (id: string) => `/console/me/cases/${encodeURIComponent(id)}`;

/** 我的案件: every case where the subject is the party, newest first. */
export function myCasesPage(ctx: PageContext, data: { items: CaseSummary[]; nextCursor: string | null; paged: boolean }): string {
  return page(
    '我的案件',
    ctx,
    <>
      <p>您作为当事人的严重失信主体名单认定、信用信息异议和信用修复案件。打开案件可查看办理进度和尚未届满的期限。</p>
      {data.items.length === 0 ? (
        <p>{data.paged ? '没有更早的案件。' : '您目前没有案件。'}</p>
      ) : (
        <table>
          <caption class="visually-hidden">我的案件</caption>
          <thead>
            <tr>
              <th scope="col">案件编号</th>
              <th scope="col">程序</th>
              <th scope="col">状态</th>
              <th scope="col">承办单位</th>
              <th scope="col">立案时间</th>
              <th scope="col">最近办理</th>
            </tr>
          </thead>
          <tbody>
            {data.items.map((c) => (
              <tr>
                <td>
                  <a href={myCaseHref(c.id)}>{c.id}</a>
                </td>
                <td>{label(PROCEDURE, c.procedure)}</td>
                <td>{`${label(STATE, c.state)}${c.closed ? '（已办结）' : ''}`}</td>
                <td>{deptName(c.department)}</td>
                <td>{dateTimeText(c.createdAt)}</td>
                <td>{dateTimeText(c.updatedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <nav class="pager" aria-label="分页">
        {data.paged && <a href="/console/me/cases">最新的案件</a>}
        {data.nextCursor && (
          <a href={`/console/me/cases?cursor=${encodeURIComponent(data.nextCursor)}`} rel="next">
            更早的案件
          </a>
        )}
      </nav>
    </>,
  );
}

/** The subject's statement on a listing case: a link while the window is open, else what closed it and when. */
export type StatementOffer = { open: true; due: DeadlineView | undefined } | { open: false; reason: string };

/** Who must act by a deadline, as the subject reads it. */

/** One of the subject's cases: what it is, the dates still to come, the statement, the timeline, the documents served. */
export function myCasePage(
  ctx: PageContext,
  c: CaseView,
  opts: {
    now: Date;
    today: string;
    /** The documents of this case served on the subject electronically. */
    notices: NoticeItem[];
    statement: StatementOffer | null;
    actionTitle: (action: string) => string;
  },
): string {
  const coming = c.deadlines.filter((d) => d.status === 'open' || d.status === 'suspended');
  const served = new Map(opts.notices.map((n) => [n.id, n]));
  return page(
    `${label(PROCEDURE, c.procedure)} ${c.id}`,
    ctx,
    <>
      <CaseFacts c={c} subjectLabel="当事人" />

      {opts.statement && (
        <section class="panel" aria-labelledby="h-statement">
          <h2 id="h-statement">陈述申辩</h2>
          {opts.statement.open ? (
            <p>
              {opts.statement.due
                ? `您可在${dateText(opts.statement.due.dueDate)}24时前提交陈述、申辩意见，并可申请听证。 `
                : '您可提交陈述、申辩意见，并可申请听证。 '}
              <a class="button" href={`${myCaseHref(c.id)}/statement`}>
                提交陈述申辩
              </a>
            </p>
          ) : (
            <p>{opts.statement.reason}</p>
          )}
        </section>
      )}

      <h2>尚未届满的期限</h2>
      <DeadlineTable
        deadlines={coming}
        caseDepartment={c.department}
        today={opts.today}
        now={opts.now}
        caption="尚未届满的期限"
        empty={c.closed ? '案件已办结，没有尚未届满的期限。' : '当前没有进行中的期限。'}
      />

      <h2>办理进度</h2>
      <ol class="timeline">
        {c.timeline.map((t) => (
          <li>
            <time dateTime={t.at}>{dateTimeText(t.at)}</time>
            {` ${opts.actionTitle(t.action)}（${label(ROLE, t.role)}）`}
          </li>
        ))}
      </ol>

      <h2>文书</h2>
      {c.documents.length === 0 ? (
        <p>尚未制发文书。</p>
      ) : (
        <ul>
          {c.documents.map((d) => {
            const n = served.get(d.id);
            return (
              <li>
                {n ? <a href={noticeHref(d.id)}>{d.title}</a> : d.title}
                {` ${dateTimeText(d.issuedAt)} `}
                {n ? <ReadTag n={n} /> : <small>未以电子方式向您送达</small>}
              </li>
            );
          })}
        </ul>
      )}
    </>,
  );
}
