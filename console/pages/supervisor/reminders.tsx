/**
 * 部门提醒邮件: where each department's daily digest of deadlines and breaches goes and when the last one went (from
 * the messages the system sent), and the form that sets a department's address, with its check-your-answers step.
 */
import type { DepartmentContactView } from '../../../contract/department-contacts';
import { errorAt, FieldError, invalidProps } from '../../field-errors';
import { CheckStep, ErrorSummary, dateTimeText, page, type PageContext } from '../../ui';

const STATUS_ZH: Record<string, string> = { sent: '已送达邮件服务器', failed: '被拒收', sending: '发送中' };

export interface ContactFormState {
  dept: DepartmentContactView;
  values: Record<string, string>;
  formKey: string;
  error?: { title: string; detail: string; errors?: { path: string; message: string; label?: string }[] };
}

export const contactAction = (code: string): string => `/console/supervise/reminders/${encodeURIComponent(code)}/contact`;

function LastDigest({ d }: { d: DepartmentContactView }) {
  const last = d.lastDigest;
  if (!last) return <>尚未发送</>;
  return (
    <>
      {`${dateTimeText(last.at)} 发往 ${last.to}`}
      <br />
      <span class={last.status === 'failed' ? 'tag tag-red' : undefined}>{STATUS_ZH[last.status] ?? last.status}</span>
      {last.answer ? <span class="hint">{`（${last.answer}）`}</span> : null}
    </>
  );
}

export function remindersPage(ctx: PageContext, s: { items: DepartmentContactView[]; done?: DepartmentContactView | undefined }): string {
  return page(
    '部门提醒邮件',
    ctx,
    <>
      {s.done && (
        <div class="notice" role="status">
          <p>{`已保存：${s.done.name}的提醒邮件${s.done.email ? `今后发往 ${s.done.email}` : '已停止发送'}。`}</p>
        </div>
      )}
      <p>
        每个工作日（按国务院放假安排，含调休上班日）北京时间8时30分，系统向各部门的收件地址发送一封提醒邮件，列明两个工作日内到期的期限和已超期未办结的期限、尚未督办的事项。当天没有需要提醒的事项的部门不发送邮件，以免提醒被忽视。未设置收件地址的部门不发送。
      </p>
      <p>
        <a href="/console/supervise/deadlines">返回期限看板</a>
      </p>
      <table>
        <caption>各部门的收件地址和最近一次提醒</caption>
        <thead>
          <tr>
            <th scope="col">部门</th>
            <th scope="col">收件地址</th>
            <th scope="col">最近一次提醒</th>
            <th scope="col">操作</th>
          </tr>
        </thead>
        <tbody>
          {s.items.map((d) => (
            <tr>
              <th scope="row">{d.name}</th>
              <td>{d.email ?? '未设置（不发送）'}</td>
              <td>
                <LastDigest d={d} />
              </td>
              <td>
                <a href={contactAction(d.code)}>
                  设置收件地址<span class="visually-hidden">{`（${d.name}）`}</span>
                </a>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>,
  );
}

export function contactFormPage(ctx: PageContext, s: ContactFormState): string {
  const fieldError = errorAt(s.error?.errors, 'email');
  return page(
    `设置${s.dept.name}的提醒收件地址`,
    ctx,
    <>
      {s.error && <ErrorSummary {...s.error} />}
      <form method="post" action={contactAction(s.dept.code)} novalidate>
        <input type="hidden" name="_csrf" value={ctx.csrf} />
        <input type="hidden" name="_key" value={s.formKey} />
        <div class={fieldError ? 'field field-invalid' : 'field'}>
          <label for="f-email">
            收件地址（电子邮箱）<span class="optional">（选填）</span>
          </label>
          <p class="hint" id="f-email-hint">
            {`现为：${s.dept.email ?? '未设置'}。留空则停止向该部门发送提醒邮件。`}
          </p>
          <FieldError id="email" message={fieldError} />
          <input
            id="f-email"
            name="email"
            type="email"
            maxLength={254}
            value={s.values.email ?? ''}
            {...invalidProps('email', fieldError, 'f-email-hint')}
          />
        </div>
        <button type="submit">继续</button>
      </form>
      <p>
        <a href="/console/supervise/reminders">取消，返回部门提醒邮件</a>
      </p>
    </>,
  );
}

export function contactCheckPage(ctx: PageContext, s: { dept: DepartmentContactView; values: Record<string, string> }): string {
  const email = s.values.email?.trim() ?? '';
  return page(
    '请核对收件地址',
    ctx,
    <>
      <p>保存后，自下一个工作日起的提醒邮件按此发送。此项修改记入审计日志。</p>
      <CheckStep
        ctx={ctx}
        action={contactAction(s.dept.code)}
        values={s.values}
        answers={[
          ['部门', s.dept.name],
          ['原收件地址', s.dept.email ?? '未设置'],
          ['新收件地址', email || '不设置（停止发送提醒邮件）'],
        ]}
        confirmText="确认保存"
      />
    </>,
  );
}
