/**
 * 审计日志: the log searched by case, subject, actor and time, paged by insertion order; the hash chain verified on
 * request: where it breaks, the first entry that does not hold, linked and marked in the list; how many entries wait to
 * be linked; and the last signed checkpoint, against which a chain cut short at its end is found.
 */
import type { AuditEntryViewOf, AuditVerifyResult } from '../../../contract/oversight';
import { ROLE, label } from '../../labels';
import { ErrorSummary, Facts, dateTimeText, page, type PageContext } from '../../ui';

export interface AuditQuery {
  caseId?: string | undefined;
  subjectId?: string | undefined;
  actor?: string | undefined;
  /** `datetime-local` values, Shanghai wall time. */
  after?: string | undefined;
  before?: string | undefined;
  order?: 'asc' | 'desc' | undefined;
  cursor?: string | undefined;
  /** The insertion id of the entry to mark (the first broken entry). */
  highlight?: string | undefined;
}

export interface AuditPageData {
  q: AuditQuery;
  items: AuditEntryViewOf[];
  nextCursor: string | null;
  verify: AuditVerifyResult | null;
  error?: { title: string; detail: string; errors?: { path: string; message: string; label?: string }[] };
}

const FILTERS = ['caseId', 'subjectId', 'actor', 'after', 'before', 'order'] as const;

export function auditHref(q: AuditQuery, extra: { cursor?: string; highlight?: string; verify?: boolean } = {}): string {
  const params = new URLSearchParams();
  for (const k of FILTERS) {
    const v = q[k];
    if (v) params.set(k, v);
  }
  if (extra.cursor !== undefined) params.set('cursor', extra.cursor);
  if (extra.highlight) params.set('highlight', extra.highlight);
  if (extra.verify) params.set('verify', '1');
  const s = params.toString();
  return s ? `/console/supervise/audit?${s}` : '/console/supervise/audit';
}

/** Where the chain breaks: the list in insertion order from that entry (by its id), with it marked. */
export function brokenEntryHref(v: { seq: number; id: number }): string {
  return `${auditHref({ order: 'asc' }, { cursor: String(v.id - 1), highlight: String(v.id) })}#seq-${v.seq}`;
}

const SIGNATURE_TEXT = {
  valid: '签名有效',
  invalid: '签名无效：检查点可能被伪造',
  unverifiable: '无法核验签名：检查点并非由本系统配置的密钥签署',
} as const;

function CheckpointFacts({ v }: { v: AuditVerifyResult }) {
  const cp = v.checkpoint;
  const unlinked = v.unlinked === 0 ? '0（所有记录均已链接）' : `${v.unlinked}条（已写入，等待排序程序链接，通常数秒内完成）`;
  const checkpoint = cp ? (
    <>
      {`第${cp.seq}条记录，${dateTimeText(cp.at)}签署；${SIGNATURE_TEXT[cp.signature]}；`}
      {cp.holds ? '链条仍含该检查点的哈希值。' : v.truncated ? '链条已截断：该检查点之后的记录被删除。' : '链条与该检查点不符。'}
      <br />
      <small>{`密钥标识 ${cp.keyId}`}</small>
    </>
  ) : (
    '尚无签名检查点（未配置签名密钥，或尚无记录）。'
  );
  return (
    <Facts
      rows={[
        ['未链接条数', unlinked],
        ['最近检查点', checkpoint],
      ]}
    />
  );
}

function VerifyResult({ v }: { v: AuditVerifyResult }) {
  if (v.ok) {
    return (
      <div id="verify-result">
        <p class="notice" role="status">
          {`哈希链完整：已逐条校验${v.checked}条记录，未发现改动。`}
        </p>
        <CheckpointFacts v={v} />
      </div>
    );
  }
  const cp = v.checkpoint;
  return (
    <div class="error-summary" role="alert" id="verify-result">
      {v.firstBrokenSeq !== undefined ? (
        <>
          <h2>哈希链在此断开</h2>
          <p>
            {`前${v.checked}条记录完好；第${v.firstBrokenSeq}条记录与链条不符（被改动或被删除），该条及其后的记录不可信。`}
            {v.firstBrokenId !== undefined && (
              <a href={brokenEntryHref({ seq: v.firstBrokenSeq, id: v.firstBrokenId })}>{`查看第${v.firstBrokenSeq}条记录`}</a>
            )}
          </p>
        </>
      ) : v.truncated && cp ? (
        <>
          <h2>哈希链被截断</h2>
          <p>{`链条只到第${v.checked}条记录，而最近的签名检查点记到第${cp.seq}条：末尾${cp.seq - v.checked}条记录已被删除。`}</p>
        </>
      ) : cp && cp.signature !== 'valid' ? (
        <>
          <h2>检查点签名不符</h2>
          <p>{`${v.checked}条记录的链条完好，但最近的检查点${SIGNATURE_TEXT[cp.signature]}。`}</p>
        </>
      ) : (
        <>
          <h2>链条与检查点不符</h2>
          <p>{`${v.checked}条记录的链条本身完好，但第${cp?.seq ?? ''}条记录的哈希值与签名检查点不同：链条在检查点之后被重写。`}</p>
        </>
      )}
      <CheckpointFacts v={v} />
    </div>
  );
}

function Field({
  name,
  title,
  value,
  type = 'text',
  hint,
}: {
  name: string;
  title: string;
  value: string;
  type?: 'text' | 'datetime-local';
  hint?: string;
}) {
  return (
    <div class="field">
      <label for={`f-${name}`}>
        {title}
        {hint && <span class="optional">{hint}</span>}
      </label>
      {type === 'text' ? (
        <input id={`f-${name}`} name={name} type="text" value={value} />
      ) : (
        <input id={`f-${name}`} name={name} type="datetime-local" value={value} />
      )}
    </div>
  );
}

export function auditPage(ctx: PageContext, d: AuditPageData): string {
  const { q } = d;
  const newestFirst = (q.order ?? 'desc') === 'desc';
  return page(
    '审计日志',
    ctx,
    <>
      {d.error && <ErrorSummary {...d.error} />}
      <section aria-labelledby="h-verify">
        <h2 id="h-verify">哈希链校验</h2>
        <p>
          每条审计记录都含有前一条记录的哈希值；任何一条被改动，链条即在该条断开。记录写入后由排序程序在数秒内链接，并定期以签名检查点记下链条末端，删去末尾记录（截断）也能查出。
        </p>
        {d.verify && <VerifyResult v={d.verify} />}
        <form method="get" action="/console/supervise/audit" class="inline">
          {FILTERS.map((k) => {
            const v = q[k];
            return v ? <input type="hidden" name={k} value={v} /> : null;
          })}
          <input type="hidden" name="verify" value="1" />
          <button type="submit">校验哈希链</button>
        </form>
      </section>
      <section aria-labelledby="h-search">
        <h2 id="h-search">查询</h2>
        <form method="get" action="/console/supervise/audit" class="filters" role="search">
          <Field name="caseId" title="案件编号" value={q.caseId ?? ''} />
          <Field name="subjectId" title="信用主体代码或身份证号码" value={q.subjectId ?? ''} />
          <Field name="actor" title="操作人" value={q.actor ?? ''} />
          <Field name="after" title="起始时间" type="datetime-local" value={q.after ?? ''} hint="（北京时间）" />
          <Field name="before" title="截止时间" type="datetime-local" value={q.before ?? ''} hint="（北京时间）" />
          <div class="field">
            <label for="f-order">顺序</label>
            <select id="f-order" name="order">
              <option value="desc" selected={newestFirst}>
                最新在前
              </option>
              <option value="asc" selected={!newestFirst}>
                按记录顺序
              </option>
            </select>
          </div>
          <button type="submit">查询</button>
        </form>
        {d.items.length === 0 ? (
          <p>没有符合条件的审计记录。</p>
        ) : (
          <table id="audit">
            <caption class="visually-hidden">审计记录</caption>
            <thead>
              <tr>
                <th scope="col">序号</th>
                <th scope="col">时间</th>
                <th scope="col">操作人</th>
                <th scope="col">操作</th>
                <th scope="col">对象</th>
                <th scope="col">详情</th>
              </tr>
            </thead>
            <tbody>
              {d.items.map((e) => {
                const marked = q.highlight === String(e.id);
                return (
                  <tr
                    id={e.seq === null ? `entry-${e.id}` : `seq-${e.seq}`}
                    aria-current={marked ? 'true' : undefined}
                    class={marked ? 'marked' : undefined}
                  >
                    <td>
                      {e.seq === null ? <span class="tag">未链接</span> : String(e.seq)}
                      {marked && (
                        <>
                          <br />
                          <strong class="tag tag-red">链条在此断开</strong>
                        </>
                      )}
                    </td>
                    <td>{dateTimeText(e.at)}</td>
                    <td>
                      {e.actor}
                      <br />
                      <small>{label(ROLE, e.role)}</small>
                    </td>
                    <td>{e.action}</td>
                    <td>
                      {e.target}
                      {e.caseId && (
                        <>
                          <br />
                          <a href={`/console/cases/${encodeURIComponent(e.caseId)}`}>{e.caseId}</a>
                        </>
                      )}
                      {e.subjectId && (
                        <>
                          <br />
                          <small>{`主体 ${e.subjectId}`}</small>
                        </>
                      )}
                    </td>
                    <td>
                      <small class="detail">{JSON.stringify(e.detail).slice(0, 300)}</small>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
        {(q.cursor || d.nextCursor) && (
          <nav class="pager" aria-label="分页">
            {q.cursor && <a href={auditHref(q)}>第一页</a>}
            {d.nextCursor && (
              <a href={auditHref(q, { cursor: d.nextCursor })} rel="next">
                下一页
              </a>
            )}
          </nav>
        )}
      </section>
    </>,
  );
}
