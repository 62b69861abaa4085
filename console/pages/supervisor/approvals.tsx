/**
 * 待审批: everything waiting for a second person, across departments (issue 22, supervisors 1): the city's legal
 * settings proposed by a supervisor (calendar years with their dry run, policy overrides, catalogue items) and the
 * listing decisions proposed by an officer. One's own proposal is listed with why it is not one's to approve.
 */
import { departmentByCode } from '../../../domain/reference-data';
import { DEADLINE_KIND, PROCEDURE, label } from '../../labels';
import { CheckStep, ErrorSummary, Facts, dateText, dateTimeText, page, type PageContext } from '../../ui';

/** A settings proposal as `GET /v1/settings/proposals` gives it. */
export interface ProposalView {
  id: string;
  kind: 'calendar_year' | 'policy_override' | 'catalogue_item';
  status: 'proposed' | 'approved' | 'rejected';
  proposedBy: string;
  proposedAt: string;
  payload: unknown;
  preview: unknown;
  decidedBy: string | null;
  decidedAt: string | null;
  reasons: string[] | null;
  result: unknown;
}

/** A listing case awaiting approval of its decision, as `GET /v1/cases` lists it. */
export interface DecisionRow {
  id: string;
  subject: { id: string; name: string };
  department: string;
  updatedAt: string;
  allowedActions: string[];
}

/** A deadline a calendar year would move (the dry run of `PUT /v1/calendar/years/{year}`). */
export interface MovedDeadline {
  deadlineId: string;
  caseId: string;
  kind: string;
  party: 'authority' | 'subject';
  from: string;
  to: string;
  rule: string;
}

export const KIND_TITLE: Record<ProposalView['kind'], string> = {
  calendar_year: '年度节假日安排载入',
  policy_override: '时限政策调整',
  catalogue_item: '公共信用信息目录变更',
};
const STATUS: Record<string, string> = { proposed: '待审批', approved: '已批准', rejected: '已退回' };
const RULE: Record<string, string> = {
  official: '按正式节假日安排重新计算',
  reliance: '保留原较晚期限（当事人信赖利益）',
  loading_day: '不早于载入之日',
  reopened: '当事人期限已届满，按正式安排重新开放',
  cut_short: '当事人期限按正式安排已提前届满，无法重新开放，已报审核人员',
};
const PARTY: Record<string, string> = { authority: '机关', subject: '当事人' };

const deptName = (code: string | undefined) => (code ? (departmentByCode(code)?.name ?? code) : '全部部门');
const own = (p: ProposalView, me: string) => p.proposedBy === me;
export const OWN_REASON = '此事项由您提出，须由另一名审核人员批准（四眼原则）；您可以退回以撤回。';

/** Every deadline a calendar year would move: case, deadline, from, to and why. */
export function MovedTable({ moved, caption }: { moved: MovedDeadline[]; caption: string }) {
  if (!moved.length) return <p>没有期限会因此变动。</p>;
  return (
    <table>
      <caption>{`${caption}（共 ${moved.length} 项）`}</caption>
      <thead>
        <tr>
          <th scope="col">案件</th>
          <th scope="col">期限</th>
          <th scope="col">应作为方</th>
          <th scope="col">原到期日</th>
          <th scope="col">新到期日</th>
          <th scope="col">依据</th>
        </tr>
      </thead>
      <tbody>
        {moved.map((m) => (
          <tr>
            <td>
              <a href={`/console/cases/${m.caseId}`}>{m.caseId}</a>
            </td>
            <td>{label(DEADLINE_KIND, m.kind)}</td>
            <td>{label(PARTY, m.party)}</td>
            <td>{dateText(m.from)}</td>
            <td>{dateText(m.to)}</td>
            <td>{label(RULE, m.rule)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

interface CalendarPayload {
  year: number;
  source: string;
  holidays: string[];
  workdays: string[];
}

/** What a proposal would change, in a line. */
export function proposalSummary(p: ProposalView): string {
  const pl = p.payload as Record<string, unknown>;
  switch (p.kind) {
    case 'calendar_year': {
      const c = pl as unknown as CalendarPayload;
      const moved = ((p.preview as { moved?: unknown[] } | null)?.moved ?? []).length;
      return `${c.year}年：放假 ${c.holidays.length} 天，调休上班 ${c.workdays.length} 天；将变动 ${moved} 个期限`;
    }
    case 'policy_override': {
      const keys = Object.keys((pl.values as Record<string, unknown> | undefined) ?? {});
      const scope = `${typeof pl.procedure === 'string' ? label(PROCEDURE, pl.procedure) : '全部程序'}，${deptName(pl.department as string | undefined)}`;
      return `${scope}：调整${keys.map((key) => label(DEADLINE_KIND, key)).join('、')}`;
    }
    case 'catalogue_item': {
      const action = (p.preview as { action?: string } | null)?.action;
      const verb = action === 'withdraw' ? '撤销' : action === 'add' ? '新增' : '修改';
      return `${verb}目录项 ${String(pl.code)}${typeof pl.title === 'string' ? `（${pl.title}）` : ''}`;
    }
  }
}

function Row({ p, me }: { p: ProposalView; me: string }) {
  return (
    <tr>
      <td>
        <a href={`/console/supervise/approvals/${p.id}`}>{proposalSummary(p)}</a>
      </td>
      <td>{p.proposedBy}</td>
      <td>{dateTimeText(p.proposedAt)}</td>
      <td>{own(p, me) ? OWN_REASON : '可审批'}</td>
    </tr>
  );
}

/** The list: the settings proposals by kind, then the listing decisions of every department. */
export function approvalsPage(
  ctx: PageContext,
  { me, proposals, decisions }: { me: string; proposals: ProposalView[]; decisions: DecisionRow[] },
): string {
  const kinds = Object.keys(KIND_TITLE) as ProposalView['kind'][];
  return page(
    '待审批',
    ctx,
    <>
      <p>以下事项须由第二人审批后生效。您本人提出的事项列出但不能由您批准。</p>
      {kinds.map((kind) => {
        const items = proposals.filter((p) => p.kind === kind);
        return (
          <section aria-labelledby={`h-${kind}`}>
            <h2 id={`h-${kind}`}>{`${KIND_TITLE[kind]}（${items.length}）`}</h2>
            {items.length === 0 ? (
              <p>暂无待审批事项。</p>
            ) : (
              <table>
                <thead>
                  <tr>
                    <th scope="col">事项</th>
                    <th scope="col">提出人</th>
                    <th scope="col">提出时间</th>
                    <th scope="col">审批</th>
                  </tr>
                </thead>
                <tbody>
                  {items.map((p) => (
                    <Row p={p} me={me} />
                  ))}
                </tbody>
              </table>
            )}
          </section>
        );
      })}
      <section aria-labelledby="h-decisions">
        <h2 id="h-decisions">{`严重失信主体名单认定处理意见（${decisions.length}）`}</h2>
        <p>经办人员提出的处理意见，由审核人员在案件页批准或退回（经办人员不得自行批准）。</p>
        {decisions.length === 0 ? (
          <p>暂无待审批的处理意见。</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">案件</th>
                <th scope="col">信用主体</th>
                <th scope="col">认定部门</th>
                <th scope="col">提出时间</th>
                <th scope="col">审批</th>
              </tr>
            </thead>
            <tbody>
              {decisions.map((d) => (
                <tr>
                  <td>
                    <a href={`/console/cases/${d.id}`}>{d.id}</a>
                  </td>
                  <td>{`${d.subject.name}（${d.subject.id}）`}</td>
                  <td>{deptName(d.department)}</td>
                  <td>{dateTimeText(d.updatedAt)}</td>
                  <td>
                    {d.allowedActions.includes('approve_decision')
                      ? '可在案件页批准或退回'
                      : '陈述申辩期限已重新开放，届满或当事人陈述申辩后方可审批（详见案件页）'}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>,
  );
}

/** The error of one field, shown at it (the summary above links here). */
export function FieldError({ errors, path }: { errors: { path: string; message: string }[] | undefined; path: string }) {
  const e = errors?.find((x) => x.path === path);
  return e ? (
    <p class="hint" id={`f-${path}-error`}>
      <strong>{`错误：${e.message}`}</strong>
    </p>
  ) : null;
}

const json = (v: unknown) => (v === undefined || v === null ? '（无）' : JSON.stringify(v, null, 1));

const UNIT: Record<string, string> = { working_days: '个工作日', days: '日', months: '个月', years: '年', count: '次' };

/** A policy value in words (`5个工作日`, `3年（最短1年）`); anything else as its JSON. */
export function periodText(v: unknown): string {
  if (!v || typeof v !== 'object') return json(v);
  const e = v as Record<string, unknown>;
  if (typeof e.amount === 'number' && typeof e.unit === 'string') {
    const min = e.min as { amount?: number; unit?: string } | undefined;
    return `${e.amount}${label(UNIT, e.unit)}${min?.amount !== undefined && min.unit ? `（最短${min.amount}${label(UNIT, min.unit)}）` : ''}`;
  }
  if (typeof e.amount === 'number') return String(e.amount);
  if (typeof e.month === 'number' && typeof e.day === 'number') return `每年${e.month}月${e.day}日`;
  if (Array.isArray(e.items)) return e.items.length ? `${e.items.length} 项` : '无';
  return json(v);
}

/** What the proposal changes, in full: a year's days and its dry run, an override's entries, an item before and after. */
function Details({ p }: { p: ProposalView }) {
  const pl = p.payload as Record<string, unknown>;
  switch (p.kind) {
    case 'calendar_year': {
      const c = pl as unknown as CalendarPayload;
      const moved = (p.preview as { moved?: MovedDeadline[] } | null)?.moved ?? [];
      return (
        <>
          <Facts
            rows={[
              ['年度', `${c.year}年`],
              ['依据', c.source],
              ['放假日期', c.holidays.map((d) => dateText(d)).join('、')],
              ['调休上班日期', c.workdays.length ? c.workdays.map((d) => dateText(d)).join('、') : '（无）'],
            ]}
          />
          <h2>试算：批准后将变动的期限</h2>
          <p>按各案件当前的期限重新试算；批准时还将按届时的设置再次核验。</p>
          <MovedTable moved={moved} caption="将变动的期限" />
        </>
      );
    }
    case 'policy_override': {
      const changes = (
        p.preview as { changes?: { procedure: string; department: string; key: string; from: unknown; to: unknown }[] } | null
      )?.changes;
      return (
        <>
          <Facts
            rows={[
              ['适用程序', typeof pl.procedure === 'string' ? label(PROCEDURE, pl.procedure) : '全部程序'],
              ['适用部门', deptName(pl.department as string | undefined)],
              ['依据', typeof pl.source === 'string' ? pl.source : '（未注明，置信度为“未核实”）'],
            ]}
          />
          <h2>将调整的条目</h2>
          {changes?.length ? (
            <table>
              <thead>
                <tr>
                  <th scope="col">程序</th>
                  <th scope="col">部门</th>
                  <th scope="col">条目</th>
                  <th scope="col">调整前</th>
                  <th scope="col">调整后</th>
                </tr>
              </thead>
              <tbody>
                {changes.map((c) => (
                  <tr>
                    <td>{label(PROCEDURE, c.procedure)}</td>
                    <td>{c.department === '*' ? '全部部门' : deptName(c.department)}</td>
                    <td>{label(DEADLINE_KIND, c.key)}</td>
                    <td>{periodText(c.from)}</td>
                    <td>{periodText(c.to)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <p>没有条目的取值会改变。</p>
          )}
        </>
      );
    }
    case 'catalogue_item': {
      const pv = (p.preview ?? {}) as { before?: unknown; after?: unknown; recordsUsing?: number };
      return (
        <Facts
          rows={[
            ['目录项', String(pl.code)],
            ['依据', typeof pl.source === 'string' ? pl.source : ''],
            ['变更前', json(pv.before)],
            ['变更后', json(pv.after)],
            ['已报送的该类信息', `${pv.recordsUsing ?? 0} 条（保留原类型）`],
          ]}
        />
      );
    }
  }
}

export interface ProposalState {
  /** The form's Idempotency-Keys, one per decision. */
  approveKey: string;
  rejectKey: string;
  reasons?: string;
  done?: 'approved' | 'rejected';
  error?: { title: string; detail: string; errors?: { path: string; message: string; label?: string }[] };
}

/** One proposal: what it changes, its dry run, and approve or send back (or why the viewer may not). */
export function proposalPage(ctx: PageContext, { p, me, state }: { p: ProposalView; me: string; state: ProposalState }): string {
  const decided = p.status !== 'proposed';
  return page(
    `${KIND_TITLE[p.kind]} ${p.id}`,
    ctx,
    <>
      {state.done && (
        <p class="notice" role="status">
          {state.done === 'approved' ? '已批准，变更已生效。' : '已退回，设置未作任何变更。'}
        </p>
      )}
      {state.error && <ErrorSummary {...state.error} />}
      <Facts
        rows={[
          ['状态', label(STATUS, p.status)],
          ['提出人', p.proposedBy],
          ['提出时间', dateTimeText(p.proposedAt)],
          ...(decided
            ? ([
                [p.status === 'approved' ? '批准人' : '退回人', `${p.decidedBy ?? ''}，${p.decidedAt ? dateTimeText(p.decidedAt) : ''}`],
              ] as [string, string][])
            : []),
          ...(p.reasons?.length ? ([['退回理由', p.reasons.join('；')]] as [string, string][]) : []),
        ]}
      />
      <Details p={p} />
      {!decided && (
        <section aria-labelledby="h-decide">
          <h2 id="h-decide">审批</h2>
          {own(p, me) ? (
            <p>{OWN_REASON}</p>
          ) : (
            <form method="post" action={`/console/supervise/approvals/${p.id}/approve`}>
              <input type="hidden" name="_csrf" value={ctx.csrf} />
              <input type="hidden" name="_key" value={state.approveKey} />
              <button type="submit">批准</button>
            </form>
          )}
          <form method="post" action={`/console/supervise/approvals/${p.id}/reject`}>
            <input type="hidden" name="_csrf" value={ctx.csrf} />
            <input type="hidden" name="_key" value={state.rejectKey} />
            <div class="field">
              <label for="f-reasons">{own(p, me) ? '撤回理由' : '退回意见'}</label>
              <FieldError errors={state.error?.errors} path="reasons" />
              <textarea id="f-reasons" name="reasons" rows={3} maxLength={1000}>
                {state.reasons ?? ''}
              </textarea>
            </div>
            <button type="submit" class="secondary">
              {own(p, me) ? '撤回' : '退回'}
            </button>
          </form>
        </section>
      )}
      <p>
        <a href="/console/supervise/approvals">返回待审批列表</a>
      </p>
    </>,
  );
}

/** The check-your-answers page before approving or sending back. */
export function proposalCheckPage(
  ctx: PageContext,
  { p, decision, values }: { p: ProposalView; decision: 'approve' | 'reject'; values: Record<string, string> },
): string {
  const moved = p.kind === 'calendar_year' ? ((p.preview as { moved?: unknown[] } | null)?.moved ?? []).length : undefined;
  const answers: [string, string][] = [
    ['事项', `${KIND_TITLE[p.kind]}：${proposalSummary(p)}`],
    ['提出人', `${p.proposedBy}，${dateTimeText(p.proposedAt)}`],
    ['审批', decision === 'approve' ? '批准' : '退回'],
    ...(decision === 'reject' ? ([['退回意见', values.reasons ?? '']] as [string, string][]) : []),
  ];
  return page(
    decision === 'approve' ? '确认批准' : '确认退回',
    ctx,
    <>
      <p class="notice">
        {decision === 'approve'
          ? `此事项具有法律效力：批准后立即生效${moved !== undefined ? `，${moved} 个期限将按试算变动` : ''}；批准前将按当前设置再次核验。`
          : '退回后设置不作任何变更，提出人可重新提出。'}
      </p>
      <CheckStep
        ctx={ctx}
        action={`/console/supervise/approvals/${p.id}/${decision}`}
        values={values}
        answers={answers}
        confirmText={decision === 'approve' ? '确认批准' : '确认退回'}
      />
    </>,
  );
}
