/**
 * 期限看板: per department, the deadlines running now (open, due soon, overdue) and those closed in a chosen period
 * (met on time, met late, breached, the median working days to act), each as a chart drawn on the server with the
 * same figures as a table under it; every figure links to the deadlines behind it.
 */
import type { DeadlineSummary, DeadlineSummaryItem } from '../../../contract/oversight';
import { departmentByCode } from '../../../domain/reference-data';
import { shanghaiDate } from '../../time';
import { ErrorSummary, dateText, page, type PageContext } from '../../ui';
import { barChartSvg } from './chart-svg';

export interface DashboardState {
  from: string;
  to: string;
  summary: DeadlineSummary | null;
  error?: { title: string; detail: string; errors?: { path: string; message: string; label?: string }[] };
}

export const departmentName = (code: string): string => departmentByCode(code)?.name ?? code;

/** The list of the deadlines behind a figure: a department's (or every one's) in a status, closed in the period or not. */
export function deadlinesHref(q: { status: string; department?: string | undefined; from?: string; to?: string }): string {
  const params = new URLSearchParams({ status: q.status });
  if (q.department) params.set('department', q.department);
  if (q.from) params.set('closedFrom', q.from);
  if (q.to) params.set('closedTo', q.to);
  return `/console/supervise/deadlines/list?${params.toString()}`;
}

type Count = 'open' | 'dueSoon' | 'overdue' | 'metOnTime' | 'metLate' | 'breached';
interface Column {
  key: Count;
  title: string;
  status: string;
  inPeriod: boolean;
  color: string;
}

const NOW: Column[] = [
  { key: 'open', title: '进行中', status: 'open', inPeriod: false, color: '#1d70b8' },
  { key: 'dueSoon', title: '两个工作日内到期', status: 'due_soon', inPeriod: false, color: '#b35c00' },
  { key: 'overdue', title: '已过期未办', status: 'overdue', inPeriod: false, color: '#c0282d' },
];
const PERIOD: Column[] = [
  { key: 'metOnTime', title: '按期办结', status: 'met_on_time', inPeriod: true, color: '#00703c' },
  { key: 'metLate', title: '逾期办结', status: 'met_late', inPeriod: true, color: '#6f4e9c' },
  { key: 'breached', title: '超期', status: 'breached', inPeriod: true, color: '#c0282d' },
];

function totals(items: DeadlineSummaryItem[]): Record<Count, number> {
  const t = { open: 0, dueSoon: 0, overdue: 0, metOnTime: 0, metLate: 0, breached: 0 };
  for (const i of items) for (const k of Object.keys(t) as Count[]) t[k] += i[k];
  return t;
}

/** A figure as a link to its deadlines (a zero is plain text: there is nothing behind it). */
function Figure({ n, href, label }: { n: number; href: string; label: string }) {
  return (
    <td class="num">
      {n === 0 ? (
        '0'
      ) : (
        <a href={href} aria-label={`${label}：${n}件，查看明细`}>
          {n}
        </a>
      )}
    </td>
  );
}

function CountTable({
  id,
  caption,
  cols,
  s,
}: {
  id: string;
  caption: string;
  cols: Column[];
  s: DashboardState & { summary: DeadlineSummary };
}) {
  const period = (c: Column) => (c.inPeriod ? { from: s.from, to: s.to } : {});
  const sum = totals(s.summary.items);
  return (
    <table id={id}>
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">部门</th>
          {cols.map((c) => (
            <th scope="col">{c.title}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {s.summary.items.map((i) => (
          <tr data-department={i.department}>
            <th scope="row">{departmentName(i.department)}</th>
            {cols.map((c) => (
              <Figure
                n={i[c.key]}
                href={deadlinesHref({ status: c.status, department: i.department, ...period(c) })}
                label={`${departmentName(i.department)}${c.title}`}
              />
            ))}
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr>
          <th scope="row">合计</th>
          {cols.map((c) => (
            <Figure n={sum[c.key]} href={deadlinesHref({ status: c.status, ...period(c) })} label={`全部部门${c.title}`} />
          ))}
        </tr>
      </tfoot>
    </table>
  );
}

function Chart({ svg }: { svg: string }) {
  // The SVG is ECharts' own output with its styles made attributes (chart-svg.ts); every text in it was escaped there.
  return <div class="chart" dangerouslySetInnerHTML={{ __html: svg }} />;
}

const days = (n: number | null) => (n === null ? '—' : String(n));

export function dashboardPage(ctx: PageContext, s: DashboardState): string {
  const summary = s.summary;
  const names = summary?.items.map((i) => departmentName(i.department)) ?? [];
  const periodText = `${dateText(s.from)}至${dateText(s.to)}`;
  return page(
    '期限看板',
    ctx,
    <>
      {s.error && <ErrorSummary {...s.error} />}
      <form method="get" action="/console/supervise/deadlines" class="filters">
        <div class="field">
          <label for="f-from">统计期间自</label>
          <input id="f-from" name="from" type="date" value={s.from} required />
        </div>
        <div class="field">
          <label for="f-to">至</label>
          <input id="f-to" name="to" type="date" value={s.to} required />
        </div>
        <button type="submit">统计</button>
      </form>
      <p>
        <a href="/console/supervise/reminders">部门提醒邮件：各部门的收件地址和最近一次提醒</a>
      </p>
      {summary && (
        <>
          <section aria-labelledby="h-now">
            <h2 id="h-now">当前期限</h2>
            <p>
              {`截至现在各部门进行中的期限；“两个工作日内到期”指在${dateText(shanghaiDate(new Date(Date.parse(summary.dueSoonCutoff.dueAt) - 1)))}24时前到期`}
              {summary.dueSoonCutoff.provisional ? '（该日期所在年度节假日安排尚未公布，暂按法定节假日计算）' : ''}。
            </p>
            {summary.items.length === 0 ? (
              <p>没有期限记录。</p>
            ) : (
              <>
                <Chart
                  svg={barChartSvg({
                    id: 'chart-now',
                    title: '各部门当前期限：进行中、两个工作日内到期、已过期未办（件）',
                    categories: names,
                    series: NOW.map((c) => ({ name: c.title, color: c.color, values: summary.items.map((i) => i[c.key]) })),
                  })}
                />
                <CountTable id="table-now" caption="各部门当前期限（件）" cols={NOW} s={{ ...s, summary }} />
              </>
            )}
          </section>
          <section aria-labelledby="h-period">
            <h2 id="h-period">{`${periodText}办结情况`}</h2>
            <p>统计期间内办结或超期的行政机关期限：在期限届满前办结为按期办结，届满后仍未办理的为超期。</p>
            {summary.items.length === 0 ? (
              <p>没有期限记录。</p>
            ) : (
              <>
                <Chart
                  svg={barChartSvg({
                    id: 'chart-period',
                    title: `各部门${periodText}期限办结情况：按期办结、逾期办结、超期（件）`,
                    categories: names,
                    series: PERIOD.map((c) => ({ name: c.title, color: c.color, values: summary.items.map((i) => i[c.key]) })),
                    stacked: true,
                  })}
                />
                <CountTable id="table-period" caption={`各部门${periodText}办结情况（件）`} cols={PERIOD} s={{ ...s, summary }} />
              </>
            )}
          </section>
          <section aria-labelledby="h-median">
            <h2 id="h-median">办理用时</h2>
            <p>统计期间内办结的期限，自期限起算到办理所用时间的中位数（工作日不计起算当日，按法定节假日安排计算）。</p>
            {summary.items.length === 0 ? (
              <p>没有期限记录。</p>
            ) : (
              <>
                <Chart
                  svg={barChartSvg({
                    id: 'chart-median',
                    title: `各部门${periodText}办理用时中位数（工作日）`,
                    categories: names,
                    series: [{ name: '中位用时（工作日）', color: '#1d70b8', values: summary.items.map((i) => i.medianWorkingDaysToAct) }],
                  })}
                />
                <table id="table-median">
                  <caption>{`各部门${periodText}办理用时中位数`}</caption>
                  <thead>
                    <tr>
                      <th scope="col">部门</th>
                      <th scope="col">中位用时（工作日）</th>
                      <th scope="col">中位用时（自然日）</th>
                      <th scope="col">办结件数</th>
                    </tr>
                  </thead>
                  <tbody>
                    {summary.items.map((i) => (
                      <tr data-department={i.department}>
                        <th scope="row">{departmentName(i.department)}</th>
                        <td class="num">{days(i.medianWorkingDaysToAct)}</td>
                        <td class="num">{days(i.medianDaysToAct)}</td>
                        <Figure
                          n={i.metOnTime + i.metLate}
                          href={deadlinesHref({ status: 'met', department: i.department, from: s.from, to: s.to })}
                          label={`${departmentName(i.department)}办结`}
                        />
                      </tr>
                    ))}
                  </tbody>
                </table>
              </>
            )}
          </section>
        </>
      )}
    </>,
  );
}
