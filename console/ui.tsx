/** The console's shared pieces: the page frame, deadline tags, the error summary and the generated action forms. */
import type { ComponentChildren } from 'preact';
import { renderToString } from 'preact-render-to-string';
import type { Principal } from '../contract/principal';
import type { CaseView } from '../workflows/common/case-types';
import { departmentByCode } from '../domain/reference-data';
import type { Field } from './form-fields';
import { DEADLINE_KIND, FIELD, ROLE, STATE, VALUE, label } from './labels';
import { dateText, dateTimeText, localInputValue } from './time';
import { EvidenceField, evidenceFilesOf, evidenceText } from './evidence';

export interface PageContext {
  user: Principal | null;
  csrf: string;
  /** The path of the page, for the navigation's current item. */
  path: string;
}

/** A whole page as a string: preact escapes every value, so no text a user typed can become markup. */
export function page(title: string, ctx: PageContext, body: ComponentChildren, opts: { refreshTo?: string } = {}): string {
  return (
    '<!doctype html>' +
    renderToString(
      <Layout title={title} ctx={ctx} refreshTo={opts.refreshTo}>
        {body}
      </Layout>,
    )
  );
}

/** Each user group's navigation; a signed-out visitor sees the public pages (信用信息公示). */
const NAV: Record<Principal['role'] | 'public', [href: string, text: string][]> = {
  officer: [
    ['/console', '工作台'],
    ['/console/queues', '受理队列'],
    ['/console/cases/new', '立案'],
    ['/console/records/new', '报送信用信息'],
    ['/console/records/review', '审核信用信息'],
  ],
  subject: [
    ['/console/me/records', '我的信用记录'],
    ['/console/me/cases', '我的案件'],
    ['/console/me/notices', '我的文书'],
    ['/console/me/reports', '信用报告'],
    ['/console/me/service-addresses', '电子送达地址'],
    ['/console/me/objections/new', '提出异议'],
    ['/console/me/repairs/new', '申请信用修复'],
  ],
  supervisor: [
    ['/console/supervise/approvals', '待审批'],
    ['/console/supervise/deadlines', '期限看板'],
    ['/console/supervise/escalations', '超期与督办'],
    ['/console/supervise/audit', '审计日志'],
    ['/console/supervise/settings', '日历与时限'],
    ['/console/supervise/imports', '导入'],
    ['/console/supervise/cases', '案件查询'],
    ['/console/supervise/exchange', '省平台报送'],
  ],
  public: [
    ['/console/public/listings', '严重失信主体名单'],
    ['/console/public/catalogue', '公共信用信息目录'],
    ['/console/public/measures', '惩戒措施清单'],
  ],
};

/** The header's user: the name the identity provider gives (a clerk knows no UUID), else the stable id. */
function who(u: Principal): string {
  if (u.role === 'subject') return `${ROLE.subject} ${u.name ?? u.subjectId}`;
  return `${departmentByCode(u.dept)?.name ?? u.dept} · ${label(ROLE, u.role)} ${u.name ?? u.sub}`;
}

/** `refreshTo`: a same-origin page to go on to at once (a navigation the page itself starts, so it is same-site). */
function Layout({
  title,
  ctx,
  refreshTo,
  children,
}: {
  title: string;
  ctx: PageContext;
  refreshTo?: string | undefined;
  children: ComponentChildren;
}) {
  const nav = NAV[ctx.user?.role ?? 'public'];
  return (
    <html lang="zh-CN">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        {refreshTo && <meta http-equiv="refresh" content={`0; url=${refreshTo}`} />}
        <title>{`${title} - 社会信用案件办理系统`}</title>
        <link rel="stylesheet" href="/console/assets/console.css" />
        <script src="/console/assets/htmx.min.js" defer></script>
        <script src="/console/assets/console.js" defer></script>
      </head>
      <body>
        <a class="skip" href="#main">
          跳到正文
        </a>
        <header class="top">
          <span class="brand">张掖市社会信用案件办理系统</span>
          {nav.length > 0 && (
            <nav aria-label="主导航">
              <ul>
                {nav.map(([href, text]) => (
                  <li>
                    <a href={href} aria-current={ctx.path === href ? 'page' : undefined}>
                      {text}
                    </a>
                  </li>
                ))}
              </ul>
            </nav>
          )}
          {ctx.user && (
            <form method="post" action="/console/sign-out" class="signout">
              <span>{who(ctx.user)}</span>
              <input type="hidden" name="_csrf" value={ctx.csrf} />
              <button type="submit" class="link">
                退出
              </button>
            </form>
          )}
        </header>
        <main id="main">
          <h1>{title}</h1>
          {children}
        </main>
      </body>
    </html>
  );
}

export interface DeadlineLike {
  kind: string;
  dueAt: string;
  dueDate: string;
  provisional: boolean;
  status?: string;
  workingDaysLeft?: number;
  overdue?: boolean;
}

/** A deadline's tag in words and colour, never colour alone: 已超期 / 今日到期 / 剩余N个工作日 / 暂定. */
export function DeadlineTag({ d, today, now }: { d: DeadlineLike; today: string; now: Date }) {
  const closed = d.status && d.status !== 'open';
  let text: string;
  let tone: string;
  if (d.status === 'breached' || (!closed && (d.overdue ?? Date.parse(d.dueAt) < now.getTime()))) {
    text = '已超期';
    tone = 'red';
  } else if (closed) {
    text = label({ met: '已按期办结', lapsed: '已届满', cancelled: '已取消', suspended: '已中止' }, d.status ?? '');
    tone = d.status === 'suspended' ? 'grey' : 'green';
  } else if (d.dueDate === today) {
    text = '今日到期';
    tone = 'orange';
  } else {
    text = d.workingDaysLeft !== undefined ? `剩余${d.workingDaysLeft}个工作日` : `${dateText(d.dueDate)}到期`;
    tone = d.workingDaysLeft !== undefined && d.workingDaysLeft <= 2 ? 'orange' : 'blue';
  }
  return (
    <span class="tags">
      <strong class={`tag tag-${tone}`}>{text}</strong>
      {d.provisional && (
        <strong class="tag tag-purple" title="所需年度的节假日安排尚未公布，暂按法定节假日计算">
          暂定
        </strong>
      )}
    </span>
  );
}

export const deadlineName = (kind: string) => label(DEADLINE_KIND, kind);
export { dateText, dateTimeText };

/** GOV.UK's error summary: what is wrong, each item linking to its field. */
export function ErrorSummary({
  title,
  detail,
  errors,
}: {
  title: string;
  detail?: string;
  errors?: { path: string; message: string; label?: string }[];
}) {
  return (
    <div class="error-summary" role="alert" tabindex={-1} id="error-summary">
      <h2>{title}</h2>
      {detail && <p>{detail}</p>}
      {errors && errors.length > 0 && (
        <ul>
          {errors.map((e) => (
            <li>
              <a href={`#f-${fieldIdOf(e.path)}`}>{`${e.label ?? label(FIELD, fieldIdOf(e.path).split('.')[0] ?? '')}：${e.message}`}</a>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** `body.servedAt` → `servedAt`; `body.evidence.0.title` → `evidence.0.title`. */
export function fieldIdOf(path: string): string {
  return path.replace(/^body\./, '');
}

/** A select's options as `[value, text]`, the one equal to `value` selected. */
export function Options({ options, value }: { options: readonly (readonly [string, string])[]; value: string | undefined }) {
  return (
    <>
      {options.map(([v, t]) => (
        <option value={v} selected={value === v}>
          {t}
        </option>
      ))}
    </>
  );
}

/** One generated field, with what was typed kept (and, for files, the error at the field). */
export function FormField({
  f,
  values,
  idPrefix = '',
  error,
}: {
  f: Field;
  values: Record<string, string>;
  idPrefix?: string;
  error?: string | undefined;
}) {
  const id = `${idPrefix}f-${f.name}`;
  const title = label(FIELD, f.name);
  const v = values[f.name] ?? '';
  const hint = f.required ? null : <span class="optional">（选填）</span>;
  const titled = (
    <label for={id}>
      {title}
      {hint}
    </label>
  );
  switch (f.kind) {
    case 'files':
      return <EvidenceField field={f.name} files={evidenceFilesOf(values, f.name)} title={title} idPrefix={idPrefix} error={error} />;
    case 'choice':
      return (
        <div class="field">
          {titled}
          <select id={id} name={f.name} required={f.required}>
            <option value="">{f.blank ?? '请选择'}</option>
            {f.options.map((o) => (
              <option value={o} selected={v === o}>
                {f.labels?.[o] ?? label(VALUE, o)}
              </option>
            ))}
          </select>
        </div>
      );
    case 'checkbox':
      return (
        <div class="field checkbox">
          <input type="checkbox" id={id} name={f.name} checked={v === 'on' || v === 'true'} />
          <label for={id}>{title}</label>
        </div>
      );
    case 'rows':
      return (
        <fieldset class="field" id={id}>
          <legend>
            {title}
            {hint}
          </legend>
          {Array.from({ length: f.rows }, (_, i) => (
            <div class="row">
              {f.columns.map((c) => (
                <span>
                  <label for={`${id}.${i}.${c}`}>{`${label(FIELD, c)} ${i + 1}`}</label>
                  <input id={`${id}.${i}.${c}`} name={`${f.name}.${i}.${c}`} value={values[`${f.name}.${i}.${c}`] ?? ''} />
                </span>
              ))}
            </div>
          ))}
        </fieldset>
      );
    case 'textarea':
    case 'lines':
      return (
        <div class="field">
          {titled}
          <textarea id={id} name={f.name} rows={4} required={f.required} maxLength={f.kind === 'textarea' ? f.maxLength : undefined}>
            {v}
          </textarea>
        </div>
      );
    default: {
      const type = (
        f.kind === 'datetime' ? 'datetime-local' : f.kind === 'date' ? 'date' : f.kind === 'number' ? 'number' : 'text'
      ) as 'text';
      const shown = f.kind === 'datetime' && /[zZ]|[+-]\d\d:\d\d$/.test(v) ? localInputValue(v) : v;
      return (
        <div class="field">
          <label for={id}>
            {title}
            {f.kind === 'datetime' ? '（北京时间）' : ''}
            {hint}
          </label>
          <input
            id={id}
            type={type}
            name={f.name}
            value={shown}
            required={f.required}
            maxLength={f.kind === 'text' ? f.maxLength : undefined}
          />
        </div>
      );
    }
  }
}

/**
 * A check-your-answers page's body: the answers, then "confirm" and "change", each a form that posts everything that
 * was typed again (hidden) to `action` with `_confirm` = yes or change.
 */
export function CheckStep({
  ctx,
  action,
  values,
  answers,
  confirmText,
}: {
  ctx: PageContext;
  action: string;
  values: Record<string, string>;
  answers: [string, string][];
  confirmText: string;
}) {
  const hidden = Object.entries(values).filter(([key]) => key !== '_csrf' && key !== '_confirm' && key !== '_add');
  const button = (confirm: 'yes' | 'change', text: string, cls?: string) => (
    <form method="post" action={action} class="inline">
      <input type="hidden" name="_csrf" value={ctx.csrf} />
      {hidden.map(([key, val]) => (
        <input type="hidden" name={key} value={val} />
      ))}
      <input type="hidden" name="_confirm" value={confirm} />
      <button type="submit" class={cls}>
        {text}
      </button>
    </form>
  );
  return (
    <>
      <Facts rows={answers} />
      {button('yes', confirmText)}
      {button('change', '返回修改', 'secondary')}
    </>
  );
}

/** How a value reads on the check-your-answers page. */
export function answerText(f: Field, values: Record<string, string>): string {
  if (f.kind === 'rows') {
    const rows: string[] = [];
    for (let i = 0; i < f.rows; i++) {
      const cells = f.columns.map((c) => values[`${f.name}.${i}.${c}`]?.trim() ?? '').filter(Boolean);
      if (cells.length) rows.push(cells.join('：'));
    }
    return rows.join('；') || '（未填写）';
  }
  if (f.kind === 'files') return evidenceText(evidenceFilesOf(values, f.name));
  const v = values[f.name]?.trim() ?? '';
  if (f.kind === 'checkbox') return v === 'on' || v === 'true' ? '是' : '否';
  if (!v) return '（未填写）';
  if (f.kind === 'choice') return label(VALUE, v);
  if (f.kind === 'datetime') return dateTimeText(/[zZ]|[+-]\d\d:\d\d$/.test(v) ? v : `${v}:00+08:00`);
  return v;
}

/**
 * What a case is, as its page opens: the subject, the state, the handling and (where another) deciding department,
 * and when it was opened. `subjectLabel` names the subject as the reader knows them (信用主体 for officials, 当事人 for
 * the subject themself).
 */
export function CaseFacts({ c, subjectLabel }: { c: CaseView; subjectLabel: string }) {
  const deciding = c.procedure === 'listing' ? undefined : c.details.decidingDepartment;
  const deptName = (code: string) => departmentByCode(code)?.name ?? code;
  return (
    <dl class="summary">
      <dt>{subjectLabel}</dt>
      <dd>{`${c.subject.name}（${c.subject.id}）`}</dd>
      <dt>状态</dt>
      <dd>{`${label(STATE, c.state)}${c.closed ? '（已办结）' : ''}`}</dd>
      <dt>承办单位</dt>
      <dd>{deptName(c.department)}</dd>
      {deciding && deciding !== c.department && (
        <>
          <dt>决定单位</dt>
          <dd>{deptName(deciding)}</dd>
        </>
      )}
      <dt>立案时间</dt>
      <dd>{dateTimeText(c.createdAt)}</dd>
    </dl>
  );
}

/** A panel of facts as a description list. */
export function Facts({ rows }: { rows: [string, ComponentChildren][] }) {
  return (
    <dl class="summary">
      {rows.map(([k, v]) => (
        <>
          <dt>{k}</dt>
          <dd>{v}</dd>
        </>
      ))}
    </dl>
  );
}
