/** Electronic service addresses and their consent (行政处罚法 Art 61, 送达地址确认书): the officer's and the subject's pages. */
import type { ServiceAddressView } from '../../contract/service-addresses';
import { SUBJECT_CONSENT_DOCUMENT } from '../../contract/service-addresses';
import type { CaseView } from '../../workflows/common/case-types';
import { errorAt, FieldError, invalidProps } from '../field-errors';
import { shanghaiDate } from '../time';
import { CheckStep, ErrorSummary, Facts, Options, dateText, dateTimeText, page, type PageContext } from '../ui';

export interface AddressFormState {
  values: Record<string, string>;
  error?: { title: string; detail: string; errors?: { path: string; message: string }[] };
}

const CHANNELS: [string, string][] = [
  ['email', '电子邮箱'],
  ['sms', '手机号码（短信）'],
];
const channelText = (c: string) => (c === 'sms' ? '手机号码（短信）' : '电子邮箱');

/** What the subject agrees to on the console's own confirmation page: the document of their consent. */
export const CONSENT_TEXT = [
  '本人同意信用信息平台及各承办单位以电子方式向本人送达行政处罚、严重失信主体名单认定等程序中的文书（行政处罚法第六十一条）。',
  '本人确认下列电子邮箱或手机号码为本人的电子送达地址；文书发送至该地址、经邮件服务器或短信网关接收之时，即为送达之时。',
  '地址变更或不再同意电子送达的，本人将在“电子送达地址”页面撤回；撤回前已送达的文书仍然有效。',
];

/** The consented addresses of a case's subject, and the electronic services that did not reach them: on the case page. */
export function ServicePanel({ c, addresses, canRecord }: { c: CaseView; addresses: ServiceAddressView[] | null; canRecord: boolean }) {
  const failures = c.timeline.filter((t) => t.action === 'electronic_service_failed');
  const consented = (addresses ?? []).filter((a) => !a.withdrawnAt);
  return (
    <section aria-labelledby="h-service">
      <h2 id="h-service">电子送达</h2>
      {failures.length > 0 && (
        <div class="error-summary" role="status" id="service-failures">
          <h3>电子送达未成功</h3>
          <p>以下文书未能送达到当事人的电子送达地址，不计为已送达，案件未推进。可改用直接送达或邮寄送达，或核实地址后再次电子送达。</p>
          <ul>
            {failures.map((t) => {
              const d = t.detail as { to?: string; answer?: string; documentId?: string };
              return <li>{`${dateTimeText(t.at)} 文书 ${d.documentId ?? ''} 发往 ${d.to ?? ''}：${d.answer ?? ''}`}</li>;
            })}
          </ul>
        </div>
      )}
      {addresses === null ? null : consented.length === 0 ? (
        <p>当事人尚未确认电子送达地址，不能电子送达（行政处罚法第六十一条）。</p>
      ) : (
        <table>
          <caption>当事人确认的电子送达地址（最新的为默认地址）</caption>
          <thead>
            <tr>
              <th scope="col">地址</th>
              <th scope="col">编号</th>
              <th scope="col">同意日期</th>
              <th scope="col">确认文书</th>
            </tr>
          </thead>
          <tbody>
            {consented.map((a) => (
              <tr>
                <td>{`${channelText(a.channel)} ${a.address}`}</td>
                <td>{a.id}</td>
                <td>{dateText(shanghaiDate(a.consentedAt))}</td>
                <td>{a.consentDocument}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {canRecord && (
        <p>
          <a href={`/console/cases/${encodeURIComponent(c.id)}/service-address`}>登记当事人确认的电子送达地址</a>
        </p>
      )}
    </section>
  );
}

function AddressFields({
  values,
  errors,
  officer,
}: {
  values: Record<string, string>;
  errors: AddressFormState['error'] | undefined;
  officer: boolean;
}) {
  const e = errors?.errors;
  const channelError = errorAt(e, 'channel');
  const addressError = errorAt(e, 'address');
  const dateError = errorAt(e, 'consentedOn');
  const docError = errorAt(e, 'consentDocument');
  return (
    <>
      <div class="field">
        <label for="f-channel">送达方式</label>
        <FieldError id="channel" message={channelError} />
        <select id="f-channel" name="channel" required {...invalidProps('channel', channelError)}>
          <option value="">请选择</option>
          <Options options={CHANNELS} value={values.channel} />
        </select>
      </div>
      <div class="field">
        <label for="f-address">电子邮箱或手机号码</label>
        <p class="hint" id="f-address-hint">
          手机号码为11位，以13至19开头。
        </p>
        <FieldError id="address" message={addressError} />
        <input
          id="f-address"
          name="address"
          value={values.address ?? ''}
          required
          maxLength={254}
          {...invalidProps('address', addressError, 'f-address-hint')}
        />
      </div>
      {officer && (
        <>
          <div class="field">
            <label for="f-consentedOn">同意日期</label>
            <FieldError id="consentedOn" message={dateError} />
            <input
              id="f-consentedOn"
              type="date"
              name="consentedOn"
              value={values.consentedOn ?? ''}
              required
              {...invalidProps('consentedOn', dateError)}
            />
          </div>
          <div class="field">
            <label for="f-consentDocument">确认文书（编号或名称）</label>
            <p class="hint" id="f-consentDocument-hint">
              载有当事人同意电子送达及其地址的文书，如《送达地址确认书》及其编号。
            </p>
            <FieldError id="consentDocument" message={docError} />
            <input
              id="f-consentDocument"
              name="consentDocument"
              value={values.consentDocument ?? ''}
              required
              maxLength={300}
              {...invalidProps('consentDocument', docError, 'f-consentDocument-hint')}
            />
          </div>
        </>
      )}
    </>
  );
}

/** The officer's form: an address the subject of the case consented to, with the document that gave it. */
export function officerAddressPage(
  ctx: PageContext,
  { c, state, formKey }: { c: CaseView; state: AddressFormState; formKey: string },
): string {
  const action = `/console/cases/${encodeURIComponent(c.id)}/service-address`;
  return page(
    '登记电子送达地址',
    ctx,
    <>
      <p>{`案件 ${c.id}，信用主体 ${c.subject.name}（${c.subject.id}）。登记当事人在送达地址确认书中确认的电子送达地址；登记后方可电子送达。`}</p>
      {state.error && <ErrorSummary {...state.error} />}
      <form method="post" action={action} class="panel" novalidate>
        <input type="hidden" name="_csrf" value={ctx.csrf} />
        <input type="hidden" name="_key" value={formKey} />
        <AddressFields values={state.values} errors={state.error} officer />
        <button type="submit">下一步：核对</button>
      </form>
      <p>
        <a href={`/console/cases/${encodeURIComponent(c.id)}`}>返回案件</a>
      </p>
    </>,
  );
}

export function officerAddressCheckPage(ctx: PageContext, { c, values }: { c: CaseView; values: Record<string, string> }): string {
  return page(
    '核对：登记电子送达地址',
    ctx,
    <>
      <p>{`信用主体 ${c.subject.name}（${c.subject.id}）。登记后，文书可电子送达至此地址，以服务器接收之时为送达之时。请核对：`}</p>
      <CheckStep
        ctx={ctx}
        action={`/console/cases/${encodeURIComponent(c.id)}/service-address`}
        values={values}
        answers={[
          ['送达方式', channelText(values.channel ?? '')],
          ['电子邮箱或手机号码', values.address ?? ''],
          ['同意日期', values.consentedOn ? dateText(values.consentedOn) : ''],
          ['确认文书', values.consentDocument ?? ''],
        ]}
        confirmText="确认登记"
      />
    </>,
  );
}

/** 电子送达地址: the subject's own addresses, a form to give one, and withdrawal. */
export function myAddressesPage(
  ctx: PageContext,
  { items, state, formKey, done }: { items: ServiceAddressView[]; state: AddressFormState; formKey: string; done?: string | undefined },
): string {
  return page(
    '电子送达地址',
    ctx,
    <>
      {done && (
        <p class="notice" role="status">
          {done}
        </p>
      )}
      <p>经您同意，行政机关可将文书发送到您确认的电子邮箱或手机号码，发送成功即为送达（行政处罚法第六十一条）。您可以随时撤回同意。</p>
      <h2>我的电子送达地址</h2>
      {items.length === 0 ? (
        <p>您尚未确认电子送达地址。</p>
      ) : (
        <table>
          <caption class="visually-hidden">我的电子送达地址</caption>
          <thead>
            <tr>
              <th scope="col">地址</th>
              <th scope="col">同意时间</th>
              <th scope="col">确认文书</th>
              <th scope="col">状态</th>
            </tr>
          </thead>
          <tbody>
            {items.map((a) => (
              <tr>
                <td>{`${channelText(a.channel)} ${a.address}`}</td>
                <td>{dateTimeText(a.consentedAt)}</td>
                <td>{a.consentDocument}</td>
                <td>
                  {a.withdrawnAt ? (
                    `已于${dateTimeText(a.withdrawnAt)}撤回`
                  ) : (
                    <form method="post" action={`/console/me/service-addresses/${encodeURIComponent(a.id)}/withdraw`} class="inline">
                      <input type="hidden" name="_csrf" value={ctx.csrf} />
                      <button type="submit" class="secondary" aria-label={`撤回同意：${a.address}`}>
                        撤回同意
                      </button>
                    </form>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>确认新的电子送达地址</h2>
      {state.error && <ErrorSummary {...state.error} />}
      <form method="post" action="/console/me/service-addresses" class="panel" novalidate>
        <input type="hidden" name="_csrf" value={ctx.csrf} />
        <input type="hidden" name="_key" value={formKey} />
        <AddressFields values={state.values} errors={state.error} officer={false} />
        <button type="submit">下一步：阅读并确认</button>
      </form>
    </>,
  );
}

/** The confirmation page the subject agrees to: it is the document of their consent (SUBJECT_CONSENT_DOCUMENT). */
export function myAddressCheckPage(ctx: PageContext, { values }: { values: Record<string, string> }): string {
  return page(
    '电子送达地址确认书',
    ctx,
    <>
      <h2>{SUBJECT_CONSENT_DOCUMENT}</h2>
      {CONSENT_TEXT.map((t) => (
        <p>{t}</p>
      ))}
      <CheckStep
        ctx={ctx}
        action="/console/me/service-addresses"
        values={values}
        answers={[
          ['送达方式', channelText(values.channel ?? '')],
          ['电子送达地址', values.address ?? ''],
        ]}
        confirmText="我同意，确认此地址"
      />
    </>,
  );
}

/** Withdrawal asks once more: documents are no longer served there. */
export function myWithdrawCheckPage(ctx: PageContext, { a }: { a: ServiceAddressView }): string {
  return page(
    '撤回电子送达同意',
    ctx,
    <>
      <p>撤回后，文书不再发送到此地址；撤回前已送达的文书仍然有效。</p>
      <Facts rows={[['电子送达地址', `${channelText(a.channel)} ${a.address}`]]} />
      <CheckStep
        ctx={ctx}
        action={`/console/me/service-addresses/${encodeURIComponent(a.id)}/withdraw`}
        values={{}}
        answers={[]}
        confirmText="确认撤回"
      />
    </>,
  );
}
