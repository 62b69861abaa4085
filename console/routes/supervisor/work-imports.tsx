/**
 * 导入 of the supervisors' work (routes registered by work.tsx): each listing through `POST /v1/imports/listings` as
 * the signed-in supervisor, under an Idempotency-Key derived from its decision (console/listing-import-csv.ts), so
 * a decision sent again is answered with its first import and is never imported twice.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { listingImportBody } from '../../../contract/listing';
import type { Principal } from '../../../contract/principal';
import { refusalOf, type Problem } from '../../api-client';
import { formBody, keptValues, parseZh } from '../../form-fields';
import type { ConsoleKit } from '../../kit';
import {
  IMPORT_COLUMNS,
  columnOfPath,
  headerOf,
  importBodyOf,
  importKeyOf,
  readImportFile,
  sampleCsv,
  type ColumnKey,
} from '../../listing-import-csv';
import {
  csvCheckPage,
  importCheckPage,
  importReportPage,
  importsPage,
  type ImportFormState,
  type RowOutcome,
} from '../../pages/supervisor/imports';
import { formKeyOf } from '../records';
import { firstPerField, identityProblemsZh } from '../../identity-problems';
import { shanghaiDate } from '../../time';
import { signedInSupervisor } from '../../guards';

type Cells = Partial<Record<ColumnKey, string>>;

/** The most rows one file may hold: each is a workflow started while the supervisor waits. */
const MAX_ROWS = 200;

/** The problems the console finds in a row before asking the API: identifiers' checksums and its schema, in Chinese, at its columns. */
function rowProblems(cells: Cells, today: string): { path: string; message: string; label: string }[] {
  const body = importBodyOf(cells);
  const { problems } = parseZh(listingImportBody, body);
  return firstPerField([...identityProblemsZh(body, today), ...(problems ?? [])]).map((p) => {
    const col = columnOfPath(p.path) ?? 'facts';
    return { path: col, message: p.message, label: headerOf(col) };
  });
}

/** One row imported, or why not; a repeated decision is the API's replay of its first import. */
async function importRow(
  k: ConsoleKit,
  user: Principal,
  cells: Cells,
): Promise<Omit<RowOutcome, 'line' | 'subject' | 'decision'> & { problems: { path: string; message: string; label: string }[] }> {
  const local = rowProblems(cells, shanghaiDate(k.o.clock()));
  if (local.length) return { outcome: 'refused', reasons: local.map((p) => `${p.label}：${p.message}`), problems: local };
  const r = await k.api<Problem & { id: string; caseId?: string }>(user, 'POST', '/v1/imports/listings', {
    payload: importBodyOf(cells),
    headers: { 'idempotency-key': importKeyOf(cells) },
  });
  if (r.status === 201) return { outcome: r.replayed ? 'imported_before' : 'imported', caseId: r.body.id, reasons: [], problems: [] };
  // Imported before by another supervisor (or decided here): the API names the case.
  const earlier = (r.body as { caseId?: unknown }).caseId;
  if (r.status === 409 && typeof earlier === 'string') return { outcome: 'imported_before', caseId: earlier, reasons: [], problems: [] };
  const { error } = refusalOf(r, '未能导入');
  if (error.errors?.some((e) => e.path === 'headers.idempotency-key')) {
    const reason = '该认定决定书此前已导入，本行内容与当时导入的不同，未再导入';
    return {
      outcome: 'refused',
      reasons: [reason],
      problems: [{ path: 'decisionNumber', message: reason, label: headerOf('decisionNumber') }],
    };
  }
  const problems = (error.errors ?? []).map((e) => {
    const col = columnOfPath(e.path);
    return { path: col ?? 'facts', message: e.message, label: col ? headerOf(col) : '本行' };
  });
  const reasons = problems.length ? problems.map((p) => `${p.label}：${p.message}`) : [error.detail || error.title];
  return { outcome: 'refused', reasons, problems };
}

const describe = (cells: Cells) => ({
  subject: `${cells.subjectName ?? ''}（${cells.subjectId ?? ''}）`,
  decision: cells.decisionNumber ?? '',
});

/** The CSV file of a multipart form as text; none when no file was chosen; a problem when it cannot be read as UTF-8. */
function postedCsv(request: FastifyRequest): { text?: string } | { problem: string } {
  const f = request.postedFiles?.find((x) => x.field === 'file');
  if (!f) return {};
  if (f.tooLarge) return { problem: '文件超过 10 MB，请分批导入' };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(f.bytes) };
  } catch {
    return { problem: '文件不是 UTF-8 编码：请在电子表格软件中“另存为 CSV UTF-8”后重新上传' };
  }
}

export function importRoutes(scope: FastifyInstance, k: ConsoleKit): void {
  const app = scope.withTypeProvider<ZodTypeProvider>();
  const show = (
    request: FastifyRequest,
    reply: FastifyReply,
    { one, csv, status = 200 }: { one?: Partial<ImportFormState>; csv?: Parameters<typeof importsPage>[1]['csv']; status?: number },
  ) =>
    k.html(
      reply,
      importsPage(k.ctxOf(request, reply), {
        one: { values: {}, formKey: randomUUID(), ...one },
        csv: csv ?? { values: {}, formKey: randomUUID() },
      }),
      status,
    );

  app.get('/imports', { schema: { hide: true } }, async (request, reply) => {
    signedInSupervisor(request);
    return show(request, reply, {});
  });

  app.get('/imports/sample.csv', { schema: { hide: true } }, async (request, reply) => {
    signedInSupervisor(request);
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', 'attachment; filename="listing-import-sample.csv"')
      .send(sampleCsv());
  });

  app.post('/imports/one', { schema: { hide: true, body: formBody } }, async (request, reply) => {
    const user = signedInSupervisor(request);
    const form = request.body;
    const values = keptValues(form);
    const key = formKeyOf(form._key);
    const cells: Cells = Object.fromEntries(IMPORT_COLUMNS.map((c) => [c.key, values[c.key] ?? '']));
    const again = (error: ImportFormState['error'], status: number) =>
      show(request, reply, { one: { values, formKey: key, ...(error ? { error } : {}) }, status });
    if (form._confirm === 'change') return again(undefined, 200);
    if (form._confirm !== 'yes') {
      const problems = rowProblems(cells, shanghaiDate(k.o.clock()));
      if (problems.length) return again({ title: '请更正以下内容', detail: '', errors: problems }, 400);
      return k.html(
        reply,
        importCheckPage(k.ctxOf(request, reply), {
          values: { ...values, _key: key },
          answers: IMPORT_COLUMNS.filter((c) => cells[c.key]).map((c) => [c.header, cells[c.key] ?? '']),
        }),
      );
    }
    const r = await importRow(k, user, cells);
    if (r.outcome !== 'refused' && r.caseId) {
      return show(request, reply, { one: { done: { caseId: r.caseId, before: r.outcome === 'imported_before' } } });
    }
    return again({ title: '未能导入', detail: r.problems.length ? '' : r.reasons.join('；'), errors: r.problems }, 422);
  });

  app.post('/imports/csv', { schema: { hide: true, body: formBody } }, async (request, reply) => {
    const user = signedInSupervisor(request);
    const form = request.body;
    const values = keptValues(form);
    const key = formKeyOf(form._key);
    const posted = postedCsv(request);
    if ('problem' in posted) {
      return show(request, reply, {
        csv: {
          values,
          formKey: key,
          error: { title: '文件未能读取', detail: '', errors: [{ path: 'file', message: posted.problem, label: 'CSV 文件' }] },
        },
        status: 400,
      });
    }
    const text = posted.text ?? values.csv ?? '';
    // The file's text travels on in the check step's hidden field, as if it had been pasted.
    if (posted.text !== undefined) values.csv = posted.text;
    const file = readImportFile(text, { maxRows: MAX_ROWS });
    if (form._confirm === 'change' || file.problems.length) {
      const error = file.problems.length
        ? {
            title: '文件未能读取',
            detail: '',
            errors: file.problems.map((message) => ({ path: posted.text !== undefined ? 'file' : 'csv', message, label: 'CSV 内容' })),
          }
        : undefined;
      return show(request, reply, {
        csv: { values, formKey: key, ...(error && form._confirm !== 'change' ? { error } : {}) },
        status: error && form._confirm !== 'change' ? 400 : 200,
      });
    }
    if (form._confirm !== 'yes') {
      return k.html(
        reply,
        csvCheckPage(k.ctxOf(request, reply), {
          values: { ...values, _key: key },
          rows: file.rows.map((r) => ({
            line: r.line,
            ...describe(r.cells),
            problems: rowProblems(r.cells, shanghaiDate(k.o.clock())).map((p) => `${p.label}：${p.message}`),
          })),
        }),
      );
    }
    // One row after another: a decision repeated within the file is then the replay of the row that imported it.
    const outcomes: RowOutcome[] = [];
    for (const row of file.rows) {
      const { problems: _problems, ...r } = await importRow(k, user, row.cells);
      outcomes.push({ line: row.line, ...describe(row.cells), ...r });
    }
    request.log.info(
      { rows: outcomes.length, imported: outcomes.filter((o) => o.outcome === 'imported').length },
      'listings imported from a file',
    );
    return k.html(reply, importReportPage(k.ctxOf(request, reply), { outcomes }));
  });
}
