import type { RecordView } from '../../contract/records';
import { ErrorSummary, Facts, dateText, dateTimeText, page, type PageContext } from '../ui';
import { RECORD_CATEGORY_LABELS, RECORD_SEVERITY_LABELS } from '../../domain/documents';
import { recordTypeTitle } from '../../domain/record-type-titles';

export type PendingRecord = RecordView & { suppliedBy: string };

export interface ReviewState {
  done?: { id: string; decision: 'release' | 'return' };
  error?: { title: string; detail: string; errors?: { path: string; message: string }[] };
}

const CATEGORY: Record<string, string> = RECORD_CATEGORY_LABELS;
const SEVERITY: Record<string, string> = RECORD_SEVERITY_LABELS;
const PROCEDURE: Record<string, string> = { general: '一般程序', summary: '简易程序' };

function Pending({ ctx, r, me }: { ctx: PageContext; r: PendingRecord; me: string }) {
  const rows: [string, string][] = [
    ['信用主体', `${r.subject.name}（${r.subject.id}）`],
    ['信息类别', `${CATEGORY[r.category] ?? r.category}${r.article ? `（第${r.article}项）` : ''}`],
    ['信息类型', recordTypeTitle(r.type)],
    ...(r.severity ? [['失信程度', SEVERITY[r.severity] ?? r.severity] as [string, string]] : []),
    ...(r.penalty
      ? [
          [
            '行政处罚情况',
            `${PROCEDURE[r.penalty.procedure]}；违法行为轻微：${r.penalty.minor ? '是' : '否'}；主动消除、减轻危害后果：${r.penalty.remedied ? '是' : '否'}`,
          ] as [string, string],
        ]
      : []),
    ['信息内容', r.content],
    ['决定文书', `${r.documentNumber}，${r.issuedBy ?? ''}${dateText(r.decidedOn)}作出`],
    ['公示', r.publicity.explanation.join('')],
    ['报送', `${r.suppliedBy}，${dateTimeText(r.createdAt)}`],
  ];
  const own = r.suppliedBy === me;
  return (
    <section class="panel" aria-labelledby={`h-${r.id}`}>
      <h2 id={`h-${r.id}`}>{r.id}</h2>
      <Facts rows={rows} />
      {own ? (
        <p>此信息由您报送，须由本单位另一名工作人员审核。</p>
      ) : (
        <>
          <form method="post" action={`/console/records/${r.id}/release`} class="inline">
            <input type="hidden" name="_csrf" value={ctx.csrf} />
            <button type="submit">审核通过并发布</button>
          </form>
          <form method="post" action={`/console/records/${r.id}/return`}>
            <input type="hidden" name="_csrf" value={ctx.csrf} />
            <div class="field">
              <label for={`f-reasons-${r.id}`}>退回理由</label>
              <textarea id={`f-reasons-${r.id}`} name="reasons" rows={2} required></textarea>
            </div>
            <button type="submit" class="secondary">
              退回报送人员
            </button>
          </form>
        </>
      )}
    </section>
  );
}

/** 审核信用信息: my department's records awaiting a second officer's release or return (Art 36). */
export function recordReviewPage(ctx: PageContext, me: string, items: PendingRecord[], state: ReviewState): string {
  return page(
    '审核信用信息',
    ctx,
    <>
      {state.done && (
        <p class="notice" role="status">
          {state.done.decision === 'release'
            ? `已发布信用信息 ${state.done.id}，自作出决定之日起计算公示期。`
            : `已退回信用信息 ${state.done.id}，该信息不予公开。`}
        </p>
      )}
      {state.error && <ErrorSummary {...state.error} />}
      <p>本单位报送的信用信息须经另一名工作人员审核，审核发布前不予公开（第三十六条）。</p>
      {items.length === 0 ? <p>暂无待审核的信用信息。</p> : items.map((r) => <Pending ctx={ctx} r={r} me={me} />)}
    </>,
  );
}
