/**
 * 省平台报送 (issue 24): the exchange with the provincial platform in words and colour: what waits and for how long,
 * what the platform returned and why, with the correction "改正后重新报送" (a form with a reason and a check step),
 * the last delivery and the last daily reconciliation.
 */
import type { ExchangeStatusView, RefusedEntryView } from '../../../contract/exchange';
import { CheckStep, ErrorSummary, Facts, dateText, dateTimeText, page, type PageContext } from '../../ui';
import { RECONCILIATION_STATUS, ageText, exchangeKindText } from '../exchange-words';
import { errorAt, FieldError, invalidProps } from '../../field-errors';

/** Waiting longer than this is shown in red: the platform down or the exchange not running (a day). */
const STALE_SECONDS = 86_400;

function Tag({ text, tone }: { text: string; tone: string }) {
  return <strong class={`tag tag-${tone}`}>{text}</strong>;
}

export function resendHref(id: string): string {
  return `/console/supervise/exchange/entries/${encodeURIComponent(id)}/resend`;
}

/** The state of the exchange in one line of words and colour. */
function Headline({ s }: { s: ExchangeStatusView }) {
  if (s.refused > 0) return <Tag text={`有 ${s.refused} 条被省平台退回，需改正后重新报送`} tone="red" />;
  if (s.pending > 0) {
    const stale = (s.oldestUnsent?.ageSeconds ?? 0) > STALE_SECONDS;
    return <Tag text={`${s.pending} 条等待报送${stale ? '，已积压超过一天' : ''}`} tone={stale ? 'red' : 'orange'} />;
  }
  return <Tag text="全部已报送，无积压" tone="green" />;
}

function subjectOf(e: RefusedEntryView): string {
  return e.recordId ? `${e.subjectId}（记录 ${e.recordId}）` : e.subjectId;
}

export function exchangePage(ctx: PageContext, { s, done }: { s: ExchangeStatusView; done?: string | undefined }): string {
  const rec = s.lastReconciliation;
  const [recText, recTone] = rec ? (RECONCILIATION_STATUS[rec.status] ?? [rec.status, 'grey']) : ['尚未核对', 'grey'];
  return page(
    '省平台报送',
    ctx,
    <>
      {done && (
        <p class="notice" role="status">
          {`已重新报送：条目 ${done} 已回到等待报送队列，将按顺序报送省平台。`}
        </p>
      )}
      <h2>报送状态</h2>
      <p>
        <Headline s={s} />
      </p>
      <Facts
        rows={[
          ['等待报送', `${s.pending} 条`],
          ['被省平台退回', `${s.refused} 条`],
          [
            '最早一条未报送',
            s.oldestUnsent
              ? `${exchangeKindText(s.oldestUnsent.kind)}，发生于 ${dateTimeText(s.oldestUnsent.occurredAt)}，已等待 ${ageText(s.oldestUnsent.ageSeconds)}${
                  s.oldestUnsent.lastError ? `（上次未成功：${s.oldestUnsent.lastError}）` : ''
                }`
              : '无',
          ],
          [
            '最近一次报送成功',
            s.lastDelivery
              ? `${dateTimeText(s.lastDelivery.deliveredAt)}：${exchangeKindText(s.lastDelivery.kind)}${s.lastDelivery.status === 'held' ? '（省平台已有此条）' : ''}`
              : '尚无',
          ],
          ['状态时间', dateTimeText(s.asOf)],
        ]}
      />

      <h2>被省平台退回的条目</h2>
      {s.refusedEntries.length === 0 ? (
        <p>没有被退回的条目。</p>
      ) : (
        <table>
          <caption>{`共 ${s.refused} 条${s.refused > s.refusedEntries.length ? `，显示最早的 ${s.refusedEntries.length} 条` : ''}；请先改正信息，再重新报送。`}</caption>
          <thead>
            <tr>
              <th scope="col">报送事项</th>
              <th scope="col">信用主体</th>
              <th scope="col">省平台退回原因</th>
              <th scope="col">退回时间</th>
              <th scope="col">操作</th>
            </tr>
          </thead>
          <tbody>
            {s.refusedEntries.map((e) => (
              <tr>
                <td>
                  {exchangeKindText(e.kind)}
                  <br />
                  <small>{e.id}</small>
                </td>
                <td>{subjectOf(e)}</td>
                <td>
                  <Tag text="已退回" tone="red" />
                  {e.platformStatus ? `${e.reason}（${e.platformStatus}）` : e.reason}
                </td>
                <td>{e.refusedAt ? dateTimeText(e.refusedAt) : '—'}</td>
                <td>
                  <a href={resendHref(e.id)}>改正后重新报送</a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <h2>最近一次核对</h2>
      {rec ? (
        <>
          <p>
            <Tag text={recText} tone={recTone} />
          </p>
          <Facts
            rows={[
              ['核对日期', dateText(rec.day)],
              ['核对时间', dateTimeText(rec.ranAt)],
              ['本系统条数', `${rec.localCount}`],
              ['省平台条数', rec.platformCount === null ? '未取得' : `${rec.platformCount}`],
              ['重新报送', rec.resent.length ? `${rec.resent.length} 条：${rec.resent.join('、')}` : '无'],
            ]}
          />
        </>
      ) : (
        <p>尚未与省平台核对。</p>
      )}
    </>,
  );
}

export interface ResendFormState {
  entry: RefusedEntryView;
  values: Record<string, string>;
  formKey: string;
  error?: { title: string; detail: string; errors?: { path: string; message: string; label?: string }[] };
}

function EntryFacts({ e }: { e: RefusedEntryView }) {
  return (
    <Facts
      rows={[
        ['报送事项', exchangeKindText(e.kind)],
        ['条目', e.id],
        ['信用主体', subjectOf(e)],
        ['发生时间', dateTimeText(e.occurredAt)],
        ['省平台退回原因', e.platformStatus ? `${e.reason}（${e.platformStatus}）` : e.reason],
        ['退回时间', e.refusedAt ? dateTimeText(e.refusedAt) : '—'],
      ]}
    />
  );
}

/** The correction's form: the refusal, what to check first, and the reason. */
export function resendFormPage(ctx: PageContext, st: ResendFormState): string {
  const fieldError = errorAt(st.error?.errors, 'reason');
  return page(
    '改正后重新报送',
    ctx,
    <>
      {st.error && <ErrorSummary title={st.error.title} detail={st.error.detail} errors={st.error.errors} />}
      <EntryFacts e={st.entry} />
      <p class="notice">
        请先按省平台的退回原因改正该信息（如更正记录），再重新报送。重新报送时，系统按信息的当前内容重新生成报送内容；退回原因记入审计日志。
      </p>
      <form method="post" action={resendHref(st.entry.id)}>
        <input type="hidden" name="_csrf" value={ctx.csrf} />
        <input type="hidden" name="_key" value={st.formKey} />
        <div class={fieldError ? 'field field-invalid' : 'field'}>
          <label for="f-reason">改正情况及重新报送理由</label>
          <FieldError id="reason" message={fieldError} />
          <textarea id="f-reason" name="reason" rows={4} maxLength={2000} required {...invalidProps('reason', fieldError)}>
            {st.values.reason ?? ''}
          </textarea>
        </div>
        <button type="submit">继续</button>
      </form>
      <p>
        <a href="/console/supervise/exchange">返回省平台报送</a>
      </p>
    </>,
  );
}

/** The check step before the entry is sent again. */
export function resendCheckPage(ctx: PageContext, st: ResendFormState): string {
  return page(
    '请确认重新报送',
    ctx,
    <>
      <EntryFacts e={st.entry} />
      <CheckStep
        ctx={ctx}
        action={resendHref(st.entry.id)}
        values={{ ...st.values, _key: st.formKey }}
        answers={[['改正情况及重新报送理由', st.values.reason ?? '']]}
        confirmText="确认重新报送"
      />
    </>,
  );
}
