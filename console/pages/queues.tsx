import type { WorkbenchItem } from '../../api/workbench';
import { CREDIT_AGENCY_CODE } from '../../domain/reference-data';
import { STATE, label } from '../labels';
import { DeadlineTag, dateText, deadlineName, page, type PageContext } from '../ui';

const OBJECTION_STEPS: [string, string][] = [
  ['submitted', '待受理'],
  ['awaiting_supplement', '待申请人补正'],
  ['verifying', '待核查或转送'],
  ['forwarded', '待信息提供单位核查答复'],
];
const REPAIR_STEPS: [string, string][] = [
  ['submitted', '待受理'],
  ['under_review', '待作出修复决定'],
];

function Queue({ title, items, now, today }: { title: string; items: WorkbenchItem[]; now: Date; today: string }) {
  const id = `q-${title}`;
  return (
    <section aria-labelledby={id}>
      <h3 id={id}>{`${title}（${items.length}）`}</h3>
      {items.length === 0 ? <p>暂无。</p> : (
        <ul>
          {items.map((c) => (
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
    </section>
  );
}

/**
 * The credit agency's queues: objections and repair applications by the step they wait for; a supplying
 * department sees the objections forwarded to it and the repairs it decides.
 */
export function queuesPage(ctx: PageContext, dept: string, data: { objections: WorkbenchItem[]; repairs: WorkbenchItem[] }, now: Date, today: string): string {
  const agency = dept === CREDIT_AGENCY_CODE;
  const steps = (items: WorkbenchItem[], list: [string, string][]) => list.map(([state, title]) => ({ title, items: items.filter((c) => c.state === state) }));
  const objectionQueues = agency ? steps(data.objections, OBJECTION_STEPS.slice(0, 3)) : steps(data.objections, OBJECTION_STEPS.slice(3));
  const repairQueues = agency ? steps(data.repairs, REPAIR_STEPS.slice(0, 1)) : steps(data.repairs, REPAIR_STEPS.slice(1));
  return page('受理队列', ctx, (
    <>
      <h2>信用信息异议</h2>
      {objectionQueues.map((q) => <Queue title={q.title} items={q.items} now={now} today={today} />)}
      <h2>信用修复申请</h2>
      {repairQueues.map((q) => <Queue title={q.title} items={q.items} now={now} today={today} />)}
    </>
  ));
}
