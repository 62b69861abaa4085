import type { WorkbenchItem } from '../../contract/workbench';
import { CREDIT_AGENCY_CODE } from '../../domain/reference-data';
import { STATE, label } from '../labels';
import { DeadlineTag, dateText, deadlineName, page, type PageContext } from '../ui';

export interface QueueSpec {
  procedure: 'objection' | 'repair';
  state: string;
  title: string;
}

/** The agency receives, asks for supplements, verifies or forwards; a supplying department verifies what was forwarded and decides repairs. */
export function queuesOf(dept: string): QueueSpec[] {
  return dept === CREDIT_AGENCY_CODE
    ? [
        { procedure: 'objection', state: 'submitted', title: '待受理' },
        { procedure: 'objection', state: 'awaiting_supplement', title: '待申请人补正' },
        { procedure: 'objection', state: 'verifying', title: '待核查或转送' },
        { procedure: 'repair', state: 'submitted', title: '待受理' },
      ]
    : [
        { procedure: 'objection', state: 'forwarded', title: '待信息提供单位核查答复' },
        { procedure: 'repair', state: 'under_review', title: '待作出修复决定' },
      ];
}

type Queue = QueueSpec & { items: WorkbenchItem[]; total: number };

function QueueList({ q, now, today }: { q: Queue; now: Date; today: string }) {
  const id = `q-${q.procedure}-${q.state}`;
  return (
    <section aria-labelledby={id}>
      <h3 id={id}>{`${q.title}（${q.total}）`}</h3>
      {q.items.length === 0 ? (
        <p>暂无。</p>
      ) : (
        <ul>
          {q.items.map((c) => (
            <li>
              <a href={`/console/cases/${encodeURIComponent(c.id)}`}>{c.id}</a>
              {` ${c.subject.name} · ${label(STATE, c.state)} `}
              {c.nextDeadline && (
                <>
                  {`${deadlineName(c.nextDeadline.kind)} ${dateText(c.nextDeadline.dueDate)} `}
                  <DeadlineTag d={c.nextDeadline} today={today} now={now} />
                </>
              )}
            </li>
          ))}
        </ul>
      )}
      {q.total > q.items.length && (
        <p>
          {`此处显示最紧急的${q.items.length}件，`}
          <a href={`/console?procedure=${q.procedure}&state=${q.state}`}>在工作台查看全部</a>
        </p>
      )}
    </section>
  );
}

/**
 * The credit agency's queues: objections and repair applications by the step they wait for; a supplying
 * department sees the objections forwarded to it and the repairs it decides.
 */
export function queuesPage(ctx: PageContext, queues: Queue[], now: Date, today: string): string {
  const of = (procedure: Queue['procedure']) =>
    queues.filter((q) => q.procedure === procedure).map((q) => <QueueList q={q} now={now} today={today} />);
  return page(
    '受理队列',
    ctx,
    <>
      <h2>信用信息异议</h2>
      {of('objection')}
      <h2>信用修复申请</h2>
      {of('repair')}
    </>,
  );
}
