import { CheckStep, ErrorSummary, dateText, dateTimeText, page, type PageContext } from '../../ui';

/** A report as `GET /v1/subjects/{id}/reports` lists it. */
export interface ReportSummary {
  id: string;
  year: number;
  sequence: number;
  free: boolean;
  asOf: string;
  generatedAt: string;
  sha256: string;
  recordIds: string[];
}

/** This calendar year's free reports (Art 50), as the same read gives them. */
export interface ReportQuota {
  year: number;
  used: number;
  of: number;
  remaining: number;
  resetsOn: string;
}

export const reportHref = (id: string) => `/console/me/reports/${encodeURIComponent(id)}`;

/** What the quota allows now, and when a used-up one is renewed. */
function QuotaText({ quota }: { quota: ReportQuota }) {
  return quota.remaining > 0 ? (
    <p>{`${quota.year}年度可免费申请信用报告${quota.of}份，已申请${quota.used}份，剩余${quota.remaining}份。`}</p>
  ) : (
    <p>
      <strong class="tag tag-grey">本年度次数已用完</strong>
      {` ${quota.year}年度的${quota.of}份免费信用报告已全部申请，${dateText(quota.resetsOn)}起可再次申请。`}
    </p>
  );
}

/** 信用报告: the quota, a request (through a check step), and the reports issued before, each printable. */
export function reportsPage(
  ctx: PageContext,
  data: {
    items: ReportSummary[];
    quota: ReportQuota;
    nextCursor: string | null;
    paged: boolean;
    formKey: string;
    done?: string | undefined;
    error?: { title: string; detail: string } | undefined;
  },
): string {
  return page(
    '信用报告',
    ctx,
    <>
      {data.done && (
        <p class="notice" role="status">
          {'已生成信用报告 '}
          <a href={reportHref(data.done)}>{data.done}</a>
          {'，可打开后打印。'}
        </p>
      )}
      {data.error && <ErrorSummary {...data.error} />}
      <p>信用报告载明截至申请之日公示中的您的信用信息和有效期内的严重失信主体名单列入信息，由市信用主管部门出具（第五十条）。</p>
      <section class="panel" aria-labelledby="h-request">
        <h2 id="h-request">申请信用报告</h2>
        <QuotaText quota={data.quota} />
        {data.quota.remaining > 0 && (
          <form method="post" action="/console/me/reports">
            <input type="hidden" name="_csrf" value={ctx.csrf} />
            <input type="hidden" name="_key" value={data.formKey} />
            <button type="submit">申请信用报告（下一步：核对）</button>
          </form>
        )}
      </section>
      <h2>已出具的信用报告</h2>
      {data.items.length === 0 ? (
        <p>{data.paged ? '没有更早的信用报告。' : '您尚未申请过信用报告。'}</p>
      ) : (
        <table>
          <caption class="visually-hidden">已出具的信用报告</caption>
          <thead>
            <tr>
              <th scope="col">报告编号</th>
              <th scope="col">出具时间</th>
              <th scope="col">信息截至</th>
              <th scope="col">年度序号</th>
              <th scope="col">载明信息</th>
            </tr>
          </thead>
          <tbody>
            {data.items.map((r) => (
              <tr>
                <td>
                  <a href={reportHref(r.id)}>{r.id}</a>
                  <br />
                  <small>{`SHA-256 ${r.sha256}`}</small>
                </td>
                <td>{dateTimeText(r.generatedAt)}</td>
                <td>{dateText(r.asOf)}</td>
                <td>{`${r.year}年度第${r.sequence}份${r.free ? '（免费）' : ''}`}</td>
                <td>{`信用信息${r.recordIds.length}条`}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <nav class="pager" aria-label="分页">
        {data.paged && <a href="/console/me/reports">最新的信用报告</a>}
        {data.nextCursor && (
          <a href={`/console/me/reports?cursor=${encodeURIComponent(data.nextCursor)}`} rel="next">
            更早的信用报告
          </a>
        )}
      </nav>
    </>,
  );
}

/** Check your answers before a report is issued: it uses one of the year's free reports. */
export function reportCheckPage(ctx: PageContext, data: { subjectId: string; quota: ReportQuota; values: Record<string, string> }): string {
  const { quota } = data;
  const answers: [string, string][] = [
    ['信用主体', data.subjectId],
    ['报告内容', '截至今日公示中的信用信息（含因异议已标注的信息）和有效期内的严重失信主体名单列入信息'],
    ['本次申请', `${quota.year}年度第${quota.used + 1}份免费信用报告（共${quota.of}份）`],
    ['申请后剩余', `${Math.max(0, quota.remaining - 1)}份，${dateText(quota.resetsOn)}起重新计算`],
  ];
  return page(
    '核对：申请信用报告',
    ctx,
    <>
      <p>出具后不能撤回，并占用本年度的一次免费次数。提交前请核对：</p>
      <CheckStep ctx={ctx} action="/console/me/reports" values={data.values} answers={answers} confirmText="确认申请信用报告" />
    </>,
  );
}
