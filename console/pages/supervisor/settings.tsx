/**
 * 日历与时限 (issue 22, supervisors 5): the holiday notices loaded, with source and version; the year-change status and
 * its warning; the periods in force for a procedure and department on a day, each with its source and confidence,
 * and the overrides; and the form to propose loading a year, with its dry run before it is proposed.
 */
import { departments } from '../../../domain/reference-data';
import { PROCEDURE, label } from '../../labels';
import { CheckStep, ErrorSummary, Options, dateText, dateTimeText, page, type PageContext } from '../../ui';
import { FieldError, MovedTable, periodText, type MovedDeadline } from './approvals';

export interface CalendarYearView {
  year: number;
  source: string;
  version: string;
  holidays: string[];
  workdays: string[];
  loadedAt: string;
  loadedBy: string;
}

export interface CalendarStatus {
  today: string;
  publishedThrough: number | null;
  missing: { year: number; provisionalDeadlines: number; warnFrom: string; warning: boolean }[];
}

export type PolicyEntry = Record<string, unknown> & {
  key?: string;
  label: string;
  source: string;
  confidence: 'text' | 'practice' | 'unverified';
  note?: string;
  overriddenBy?: string[];
};

export interface PolicyQuery {
  procedure: 'listing' | 'objection' | 'repair';
  department: string;
  on: string;
}

export interface CalendarFormState {
  values: Record<string, string>;
  formKey: string;
  error?: { title: string; detail: string; errors?: { path: string; message: string; label?: string }[] };
  proposed?: { id: string };
}

const CONFIDENCE: Record<string, string> = { text: '已核对法律原文', practice: '参照实践或二手资料', unverified: '未核实，上线前须确认' };
/** What an entry holds besides its provenance and labels. */
const PROVENANCE = new Set(['key', 'label', 'source', 'confidence', 'note', 'overriddenBy', 'legalBounds', 'countedFrom', 'party']);

/** An entry's value in words: `5个工作日`, else what it holds. */
function valueText(e: PolicyEntry): string {
  const rest = Object.fromEntries(Object.entries(e).filter(([k]) => !PROVENANCE.has(k)));
  return periodText(rest);
}

function Years({ years }: { years: CalendarYearView[] }) {
  return (
    <table>
      <caption>已载入的年度节假日安排</caption>
      <thead>
        <tr>
          <th scope="col">年度</th>
          <th scope="col">依据</th>
          <th scope="col">版本</th>
          <th scope="col">放假 / 调休上班</th>
          <th scope="col">载入</th>
        </tr>
      </thead>
      <tbody>
        {years.map((y) => (
          <tr>
            <td>{`${y.year}年`}</td>
            <td>{y.source}</td>
            <td>
              <code>{y.version}</code>
            </td>
            <td>{`${y.holidays.length} 天 / ${y.workdays.length} 天`}</td>
            <td>{`${y.loadedBy}，${dateTimeText(y.loadedAt)}`}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Status({ status }: { status: CalendarStatus }) {
  return (
    <>
      <p>{`已公布至：${status.publishedThrough !== null ? `${status.publishedThrough}年` : '无'}（今日 ${dateText(status.today)}）`}</p>
      {status.missing.length === 0 ? (
        <p>进行中和即将开始的期限所需年度的节假日安排均已载入。</p>
      ) : (
        <ul>
          {status.missing.map((m) => (
            <li>
              {m.warning ? (
                <strong class="tag tag-orange">{`警告：${m.year}年节假日安排尚未载入`}</strong>
              ) : (
                <span>{`${m.year}年节假日安排尚未载入`}</span>
              )}
              {`；${m.provisionalDeadlines} 个期限暂按法定节假日计算（暂定）；自${dateText(m.warnFrom)}起提醒审核人员。`}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

function PolicyTable({ policy, q, today }: { policy: Record<string, PolicyEntry>; q: PolicyQuery; today: string }) {
  return (
    <>
      <form method="get" action="/console/supervise/settings" class="filters">
        <div class="field">
          <label for="f-procedure">程序</label>
          <select id="f-procedure" name="procedure">
            <Options options={Object.entries(PROCEDURE)} value={q.procedure} />
          </select>
        </div>
        <div class="field">
          <label for="f-department">部门</label>
          <select id="f-department" name="department">
            <Options options={departments.map((d) => [d.code, d.name] as const)} value={q.department} />
          </select>
        </div>
        <div class="field">
          <label for="f-on">日期</label>
          <input id="f-on" type="date" name="on" value={q.on} />
        </div>
        <button type="submit" class="secondary">
          查看
        </button>
      </form>
      <table>
        <caption>{`${label(PROCEDURE, q.procedure)}，${departments.find((d) => d.code === q.department)?.name ?? q.department}，${q.on === today ? '今日' : dateText(q.on)}施行的时限`}</caption>
        <thead>
          <tr>
            <th scope="col">条目</th>
            <th scope="col">取值</th>
            <th scope="col">依据</th>
            <th scope="col">可信程度</th>
          </tr>
        </thead>
        <tbody>
          {Object.entries(policy).map(([key, e]) => (
            <tr>
              <td>
                {e.label}
                <br />
                <code>{key}</code>
              </td>
              <td>{valueText(e)}</td>
              <td>
                {e.source}
                {e.note ? <p class="hint">{e.note}</p> : null}
                {e.overriddenBy?.length ? <p class="hint">{`经调整：${e.overriddenBy.join('、')}`}</p> : null}
              </td>
              <td>
                <span class={`tag tag-${e.confidence === 'text' ? 'green' : e.confidence === 'practice' ? 'blue' : 'orange'}`}>
                  {label(CONFIDENCE, e.confidence)}
                </span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

function Overrides({ overrides }: { overrides: Record<string, unknown>[] }) {
  if (!overrides.length) return <p>尚无已生效的时限调整。</p>;
  return (
    <table>
      <caption>已生效的时限调整</caption>
      <thead>
        <tr>
          <th scope="col">编号</th>
          <th scope="col">程序</th>
          <th scope="col">部门</th>
          <th scope="col">内容</th>
          <th scope="col">生效</th>
        </tr>
      </thead>
      <tbody>
        {overrides.map((o) => {
          const { id, procedure, department, createdBy, createdAt, ...rest } = o;
          return (
            <tr>
              <td>{String(id)}</td>
              <td>{typeof procedure === 'string' ? label(PROCEDURE, procedure) : '全部程序'}</td>
              <td>{typeof department === 'string' ? (departments.find((d) => d.code === department)?.name ?? department) : '全部部门'}</td>
              <td>
                <code>{JSON.stringify(rest)}</code>
              </td>
              <td>{`${String(createdBy)}，${typeof createdAt === 'string' ? dateTimeText(createdAt) : ''}`}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/** The form to propose loading a year: its days as dates or ranges, one a line. */
function CalendarForm({ ctx, state }: { ctx: PageContext; state: CalendarFormState }) {
  const v = state.values;
  const errors = state.error?.errors;
  return (
    <form method="post" action="/console/supervise/settings/calendar" id="calendar-form">
      <input type="hidden" name="_csrf" value={ctx.csrf} />
      <input type="hidden" name="_key" value={state.formKey} />
      <div class="field">
        <label for="f-year">年度</label>
        <FieldError errors={errors} path="year" />
        <input id="f-year" name="year" inputmode="numeric" value={v.year ?? ''} required />
      </div>
      <div class="field">
        <label for="f-source">依据（国务院办公厅关于该年部分节假日安排的通知）</label>
        <FieldError errors={errors} path="source" />
        <input id="f-source" name="source" value={v.source ?? ''} maxLength={500} required />
      </div>
      <div class="field">
        <label for="f-holidays">放假日期</label>
        <p class="hint" id="f-holidays-hint">
          每行一个日期或一段日期，如 2027-10-01 或 2027-10-01至2027-10-07。
        </p>
        <FieldError errors={errors} path="holidays" />
        <textarea id="f-holidays" name="holidays" rows={8} aria-describedby="f-holidays-hint" required>
          {v.holidays ?? ''}
        </textarea>
      </div>
      <div class="field">
        <label for="f-workdays">
          调休上班日期<span class="optional">（选填）</span>
        </label>
        <FieldError errors={errors} path="workdays" />
        <textarea id="f-workdays" name="workdays" rows={3}>
          {v.workdays ?? ''}
        </textarea>
      </div>
      <button type="submit">试算并核对</button>
    </form>
  );
}

export function settingsPage(
  ctx: PageContext,
  {
    years,
    status,
    policy,
    overrides,
    q,
    today,
    form,
  }: {
    years: CalendarYearView[];
    status: CalendarStatus;
    policy: Record<string, PolicyEntry> | null;
    overrides: Record<string, unknown>[];
    q: PolicyQuery;
    today: string;
    form: CalendarFormState;
  },
): string {
  return page(
    '日历与时限',
    ctx,
    <>
      {form.proposed && (
        <p class="notice" role="status">
          {'已提出载入申请，须由另一名审核人员批准后生效：'}
          <a href={`/console/supervise/approvals/${form.proposed.id}`}>{form.proposed.id}</a>
        </p>
      )}
      <section aria-labelledby="h-years">
        <h2 id="h-years">节假日安排</h2>
        <Status status={status} />
        <Years years={years} />
      </section>
      <section aria-labelledby="h-load">
        <h2 id="h-load">载入年度节假日安排</h2>
        <p>提交前先试算：列出每一个将因此变动的期限。载入须由另一名审核人员批准。</p>
        {form.error && <ErrorSummary {...form.error} />}
        <CalendarForm ctx={ctx} state={form} />
      </section>
      <section aria-labelledby="h-policy">
        <h2 id="h-policy">施行中的时限</h2>
        {policy ? <PolicyTable policy={policy} q={q} today={today} /> : <p>无法读取该部门的时限，请检查部门与日期。</p>}
        <h3>时限调整</h3>
        <Overrides overrides={overrides} />
      </section>
    </>,
  );
}

/** The dry run of a year's load, every deadline it would move, before it is proposed. */
export function calendarCheckPage(
  ctx: PageContext,
  {
    values,
    holidays,
    workdays,
    moved,
    version,
  }: {
    values: Record<string, string>;
    holidays: string[];
    workdays: string[];
    moved: MovedDeadline[];
    version: string;
  },
): string {
  return page(
    '核对：载入年度节假日安排',
    ctx,
    <>
      <p class="notice">此事项具有法律效力：经另一名审核人员批准后，下列期限将按此安排重新计算。</p>
      <h2>试算结果</h2>
      <MovedTable moved={moved} caption="将变动的期限" />
      <h2>载入内容</h2>
      <CheckStep
        ctx={ctx}
        action="/console/supervise/settings/calendar"
        values={values}
        answers={[
          ['年度', `${values.year ?? ''}年`],
          ['依据', values.source ?? ''],
          ['放假日期', `${holidays.length} 天：${holidays.map((d) => dateText(d)).join('、')}`],
          ['调休上班日期', workdays.length ? `${workdays.length} 天：${workdays.map((d) => dateText(d)).join('、')}` : '（无）'],
          ['版本', version],
          ['将变动的期限', `${moved.length} 项`],
        ]}
        confirmText="提交审批"
      />
    </>,
  );
}
