/**
 * 导入 (issue 22, supervisors 6): listings decided before go-live, one by form or many from a CSV file, with a report
 * of every row: imported, imported before (never twice), or refused and why.
 */
import { departments, listingCategories } from '../../../domain/reference-data';
import { IMPORT_COLUMNS, type ColumnKey } from '../../listing-import-csv';
import { CheckStep, ErrorSummary, Options, page, type PageContext } from '../../ui';
import { FieldError } from './approvals';

type FormError = { title: string; detail: string; errors?: { path: string; message: string; label?: string }[] };

export interface ImportFormState {
  values: Record<string, string>;
  formKey: string;
  error?: FormError;
  done?: { caseId: string; before: boolean };
}

export interface RowOutcome {
  line: number;
  subject: string;
  decision: string;
  outcome: 'imported' | 'imported_before' | 'refused';
  caseId?: string;
  reasons: string[];
}

const KINDS: [string, string][] = [
  ['法人', '法人'],
  ['非法人组织', '非法人组织'],
  ['自然人', '自然人'],
];
const OUTCOME: Record<RowOutcome['outcome'], string> = {
  imported: '已导入',
  imported_before: '已导入（此前已导入，未重复导入）',
  refused: '未导入',
};

function Field({ c, values, errors }: { c: (typeof IMPORT_COLUMNS)[number]; values: Record<string, string>; errors: FormError['errors'] }) {
  const id = `f-${c.key}`;
  const v = values[c.key] ?? '';
  const hintId = c.help ? `${id}-hint` : undefined;
  const control = (() => {
    if (c.key === 'subjectKind') {
      return (
        <select id={id} name={c.key} required>
          <option value="">请选择</option>
          <Options options={KINDS} value={v} />
        </select>
      );
    }
    if (c.key === 'category') {
      return (
        <select id={id} name={c.key} required aria-describedby={hintId}>
          <option value="">请选择</option>
          <Options options={listingCategories.map((x) => [x.code, `${x.title}（${x.article}）`] as const)} value={v} />
        </select>
      );
    }
    if (c.key === 'facts') {
      return (
        <textarea id={id} name={c.key} rows={3} required>
          {v}
        </textarea>
      );
    }
    if (c.key === 'department') {
      return (
        <select id={id} name={c.key} aria-describedby={hintId}>
          <option value="">导入人员所在部门</option>
          <Options options={departments.map((d) => [d.code, d.name] as const)} value={v} />
        </select>
      );
    }
    // Dates and the instant of service as the browser's own pickers give them, which the import reads as the file's.
    const type = c.key === 'decisionServedAt' ? 'datetime-local' : c.key.endsWith('IssuedOn') ? 'date' : 'text';
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- preact's input props take one literal type at a time
    return <input id={id} type={type as 'text'} name={c.key} value={v} required={c.required} aria-describedby={hintId} />;
  })();
  return (
    <div class="field">
      <label for={id}>
        {c.header}
        {c.required ? '' : <span class="optional">（选填）</span>}
      </label>
      {c.help && (
        <p class="hint" id={hintId}>
          {c.help}
        </p>
      )}
      <FieldError errors={errors} path={c.key} />
      {control}
    </div>
  );
}

function Columns() {
  return (
    <table>
      <caption>CSV 文件的列（第一行为列名，顺序不限；UTF-8 编码）</caption>
      <thead>
        <tr>
          <th scope="col">列名</th>
          <th scope="col">内容</th>
          <th scope="col">必填</th>
          <th scope="col">示例</th>
        </tr>
      </thead>
      <tbody>
        {IMPORT_COLUMNS.map((c) => (
          <tr>
            <td>{c.header}</td>
            <td>{c.help}</td>
            <td>{c.required ? '是' : '否'}</td>
            <td>{c.example}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The two ways to import, with what a CSV file must hold. */
export function importsPage(
  ctx: PageContext,
  { one, csv }: { one: ImportFormState; csv: { values: Record<string, string>; formKey: string; error?: FormError } },
): string {
  return page(
    '导入上线前作出的认定',
    ctx,
    <>
      <p>
        导入系统上线前已作出并送达的严重失信主体名单认定：自原决定起计算列入期限，期限已满的直接移出。每份认定决定书只导入一次，重复提交时报告“已导入”。
      </p>
      <section aria-labelledby="h-one">
        <h2 id="h-one">逐条导入</h2>
        {one.done && (
          <p class="notice" role="status">
            {one.done.before ? '该认定此前已导入，未重复导入：' : '已导入：'}
            <a href={`/console/cases/${one.done.caseId}`}>{one.done.caseId}</a>
          </p>
        )}
        {one.error && <ErrorSummary {...one.error} />}
        <form method="post" action="/console/supervise/imports/one">
          <input type="hidden" name="_csrf" value={ctx.csrf} />
          <input type="hidden" name="_key" value={one.formKey} />
          {IMPORT_COLUMNS.map((c) => (
            <Field c={c} values={one.values} errors={one.error?.errors} />
          ))}
          <button type="submit">核对</button>
        </form>
      </section>
      <section aria-labelledby="h-csv">
        <h2 id="h-csv">批量导入（CSV 文件）</h2>
        <p>
          <a href="/console/supervise/imports/sample.csv" download="listing-import-sample.csv">
            下载示例文件
          </a>
          （含列名和一行示例，可用电子表格软件编辑后另存为 CSV UTF-8）。
        </p>
        <Columns />
        {csv.error && <ErrorSummary {...csv.error} />}
        <form method="post" action="/console/supervise/imports/csv" enctype="multipart/form-data">
          <input type="hidden" name="_csrf" value={ctx.csrf} />
          <input type="hidden" name="_key" value={csv.formKey} />
          <div class="field">
            <label for="f-file">CSV 文件</label>
            <p class="hint" id="f-file-hint">
              UTF-8 编码（电子表格软件中“另存为 CSV UTF-8”），最大 10 MB，每次最多 200 行。
            </p>
            <FieldError errors={csv.error?.errors} path="file" />
            <input type="file" id="f-file" name="file" accept=".csv,text/csv" aria-describedby="f-file-hint" />
          </div>
          <div class="field">
            <label for="f-csv">
              或粘贴 CSV 内容<span class="optional">（未选择文件时使用）</span>
            </label>
            <FieldError errors={csv.error?.errors} path="csv" />
            <textarea id="f-csv" name="csv" rows={6}>
              {csv.values.csv ?? ''}
            </textarea>
          </div>
          <button type="submit">读取并核对</button>
        </form>
      </section>
    </>,
  );
}

/** The check step of one import. */
export function importCheckPage(ctx: PageContext, { values, answers }: { values: Record<string, string>; answers: [string, string][] }) {
  return page(
    '核对：导入认定',
    ctx,
    <>
      <p class="notice">此事项具有法律效力：导入后该主体按原认定决定列入名单（期限已满的移出），并予公示。</p>
      <CheckStep ctx={ctx} action="/console/supervise/imports/one" values={values} answers={answers} confirmText="确认导入" />
    </>,
  );
}

/** The check step of a file: the rows read, each with what the console already finds wrong with it. */
export function csvCheckPage(
  ctx: PageContext,
  { values, rows }: { values: Record<string, string>; rows: { line: number; subject: string; decision: string; problems: string[] }[] },
) {
  const ok = rows.filter((r) => !r.problems.length).length;
  return page(
    '核对：批量导入认定',
    ctx,
    <>
      <p class="notice">{`此事项具有法律效力：共读取 ${rows.length} 行，其中 ${ok} 行可以提交；有问题的行不会导入。此前已导入的认定不会重复导入。`}</p>
      <table>
        <caption>读取的行</caption>
        <thead>
          <tr>
            <th scope="col">行</th>
            <th scope="col">信用主体</th>
            <th scope="col">认定决定书</th>
            <th scope="col">核对</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr>
              <td>{r.line}</td>
              <td>{r.subject}</td>
              <td>{r.decision}</td>
              <td>{r.problems.length ? r.problems.join('；') : '可以导入'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <CheckStep ctx={ctx} action="/console/supervise/imports/csv" values={values} answers={[]} confirmText={`导入 ${ok} 行`} />
    </>,
  );
}

/** What became of every row of a file. */
export function importReportPage(ctx: PageContext, { outcomes, problems }: { outcomes: RowOutcome[]; problems?: string[] }) {
  const count = (o: RowOutcome['outcome']) => outcomes.filter((r) => r.outcome === o).length;
  return page(
    '导入结果',
    ctx,
    <>
      {problems?.length ? <ErrorSummary title="文件未能导入" detail={problems.join(' ')} /> : null}
      <p role="status">{`共 ${outcomes.length} 行：新导入 ${count('imported')} 行，此前已导入 ${count('imported_before')} 行，未导入 ${count('refused')} 行。`}</p>
      <table id="import-report">
        <caption>逐行结果</caption>
        <thead>
          <tr>
            <th scope="col">行</th>
            <th scope="col">信用主体</th>
            <th scope="col">认定决定书</th>
            <th scope="col">结果</th>
            <th scope="col">案件或原因</th>
          </tr>
        </thead>
        <tbody>
          {outcomes.map((r) => (
            <tr data-outcome={r.outcome}>
              <td>{r.line}</td>
              <td>{r.subject}</td>
              <td>{r.decision}</td>
              <td>
                <strong class={`tag tag-${r.outcome === 'refused' ? 'red' : r.outcome === 'imported' ? 'green' : 'grey'}`}>
                  {OUTCOME[r.outcome]}
                </strong>
              </td>
              <td>{r.caseId ? <a href={`/console/cases/${r.caseId}`}>{r.caseId}</a> : r.reasons.join('；')}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p>
        <a href="/console/supervise/imports">继续导入</a>
      </p>
    </>,
  );
}

export type { ColumnKey };
