import type { CaseView } from '../../workflows/common/case-types';
import type { ActionDefinition } from '../../workflows/common/action-definitions';
import type { Field } from '../form-fields';
import { EvidenceList, type EvidenceFile } from '../evidence';
import type { ServiceAddressView } from '../../contract/service-addresses';
import { ServicePanel } from './service-addresses';
import { DEADLINE_STATUS, PROCEDURE, ROLE, label } from '../labels';
import {
  CaseFacts,
  CheckStep,
  DeadlineTag,
  ErrorSummary,
  FormField,
  fieldIdOf,
  dateText,
  dateTimeText,
  deadlineName,
  page,
  type PageContext,
} from '../ui';

export interface ActionOffer {
  name: string;
  def: ActionDefinition;
  fields: Field[];
  /** Why it cannot be taken now, or null when it can. */
  unavailable: string | null;
}

export interface FormState {
  action: string;
  values: Record<string, string>;
  error?: { title: string; detail: string; errors?: { path: string; message: string }[] };
}

/** One case, whole: who and what, every deadline with its explanation, the timeline, the documents, and what can be done now. */
export function casePage(
  ctx: PageContext,
  c: CaseView,
  offers: ActionOffer[],
  opts: {
    now: Date;
    today: string;
    /** The case's evidence files (issue 22). */
    files: EvidenceFile[];
    form?: FormState;
    done?: string;
    formKey: () => string;
    actionTitle: (a: string) => string;
    /** Electronic service (issue 24): the subject's consented addresses (null: not read) and the services that failed. */
    service?: { addresses: ServiceAddressView[] | null; canRecord: boolean };
  },
): string {
  return page(
    `${label(PROCEDURE, c.procedure)} ${c.id}`,
    ctx,
    <>
      {opts.done && <p class="notice" role="status">{`已办理：${opts.actionTitle(opts.done)}。`}</p>}
      <CaseFacts c={c} subjectLabel="信用主体" />

      <h2>期限</h2>
      {c.deadlines.length === 0 ? (
        <p>暂无期限。</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">期限</th>
              <th scope="col">届满</th>
              <th scope="col">状态</th>
              <th scope="col">计算说明</th>
            </tr>
          </thead>
          <tbody>
            {c.deadlines.map((d) => (
              <tr>
                <td>
                  {deadlineName(d.kind)}
                  <br />
                  <small>{d.basis}</small>
                </td>
                <td>{`${dateText(d.dueDate)}24时`}</td>
                <td>
                  {label(DEADLINE_STATUS, d.status)} <DeadlineTag d={d} today={opts.today} now={opts.now} />
                </td>
                <td>
                  <details>
                    <summary>{`查看计算说明（日历版本 ${d.calendarVersion}）`}</summary>
                    <ol>
                      {d.explanation.map((e) => (
                        <li>{e}</li>
                      ))}
                    </ol>
                  </details>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      {opts.service && <ServicePanel c={c} {...opts.service} />}

      <h2>可办理事项</h2>
      {offers.filter((o) => !o.unavailable).length === 0 && <p>当前没有可由您办理的事项。</p>}
      {/* A refused form is shown again with its reason and what was typed, even when the case has moved on. */}
      {offers
        .filter((o) => !o.unavailable || opts.form?.action === o.name)
        .map((o) => {
          const form = opts.form?.action === o.name ? opts.form : undefined;
          return (
            <form
              method="post"
              action={`/console/cases/${encodeURIComponent(c.id)}/actions/${o.name}`}
              class="panel action"
              id={`action-${o.name}`}
              {...(o.fields.some((f) => f.kind === 'files') ? { enctype: 'multipart/form-data' } : {})}
            >
              <h3>{o.def.title}</h3>
              {form?.error && <ErrorSummary {...form.error} />}
              <input type="hidden" name="_csrf" value={ctx.csrf} />
              {/* One key per rendered form: a double click or a resubmission is the same action, taken once. */}
              <input type="hidden" name="_key" value={form?.values._key ?? opts.formKey()} />
              {o.fields.map(addressChoice(opts.service?.addresses ?? null)).map((f) => (
                <FormField
                  f={f}
                  values={form?.values ?? {}}
                  idPrefix={`${o.name}-`}
                  error={form?.error?.errors?.find((e) => fieldIdOf(e.path).split('.')[0] === f.name)?.message}
                />
              ))}
              <button type="submit">{o.def.significant ? `${o.def.title}（下一步：核对）` : o.def.title}</button>
            </form>
          );
        })}
      {offers.some((o) => o.unavailable && opts.form?.action !== o.name) && (
        <>
          <h3>当前不可办理</h3>
          <ul>
            {offers
              .filter((o) => o.unavailable && opts.form?.action !== o.name)
              .map((o) => (
                <li>{`${o.def.title}：${o.unavailable}`}</li>
              ))}
          </ul>
        </>
      )}

      <h2>证据文件</h2>
      <EvidenceList caseId={c.id} files={opts.files} />

      <h2>文书</h2>
      {c.documents.length === 0 ? (
        <p>尚未制发文书。</p>
      ) : (
        <ul>
          {c.documents.map((d) => (
            <li>
              <a href={`/console/cases/${encodeURIComponent(c.id)}/documents/${encodeURIComponent(d.id)}`}>{d.title}</a>
              {` ${dateTimeText(d.issuedAt)}`}
            </li>
          ))}
        </ul>
      )}

      <h2>办理记录</h2>
      <ol class="timeline">
        {c.timeline.map((t) => (
          <li>
            <time dateTime={t.at}>{dateTimeText(t.at)}</time>
            {` ${opts.actionTitle(t.action)}（${label(ROLE, t.role)} ${t.actor}）`}
          </li>
        ))}
      </ol>
    </>,
  );
}

/** Check your answers before a legally significant act: confirm, or go back with everything as typed. */
export function checkPage(
  ctx: PageContext,
  { case: c, offer, values, answers }: { case: CaseView; offer: ActionOffer; values: Record<string, string>; answers: [string, string][] },
): string {
  const action = `/console/cases/${encodeURIComponent(c.id)}/actions/${offer.name}`;
  return page(
    `核对：${offer.def.title}`,
    ctx,
    <>
      <p>{`案件 ${c.id}，信用主体 ${c.subject.name}。此事项具有法律效力，提交前请核对：`}</p>
      <CheckStep ctx={ctx} action={action} values={values} answers={answers} confirmText={`确认${offer.def.title}`} />
    </>,
  );
}

/**
 * The service address of an electronic service as a choice among the subject's consented addresses, not an id to type;
 * left empty, the API takes the newest. Without the addresses (not read) the field stays as the action declares it.
 */
function addressChoice(addresses: ServiceAddressView[] | null): (f: Field) => Field {
  return (f) =>
    f.name !== 'addressId' || !addresses?.some((a) => !a.withdrawnAt)
      ? f
      : {
          name: f.name,
          kind: 'choice',
          required: false,
          options: addresses.filter((a) => !a.withdrawnAt).map((a) => a.id),
          labels: Object.fromEntries(addresses.map((a) => [a.id, `${a.channel === 'sms' ? '手机短信' : '电子邮箱'} ${a.address}`])),
          blank: '最新确认的地址（默认）',
        };
}
