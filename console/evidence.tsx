/**
 * Evidence as files in console forms (issue 22): a form with an `EvidenceField` is sent as `multipart/form-data`
 * (console/multipart.ts parses it before the CSRF hook, so `request.body` holds the text fields as usual);
 * `evidenceOf` uploads the files just chosen through `POST /v1/files` as the signed-in user and answers the form's
 * files: those uploaded on an earlier render (kept in one hidden input, `<field>.kept`, as JSON) plus the new ones,
 * less those ticked "移除". A refused file (type judged by content, past 10 MB, past 20 files) is a field problem in
 * Chinese and nothing of that batch is stored. The upload's Idempotency-Key follows from the form's `_key` and the
 * files' content, so a double submit answers the same uploads; the filing then names them by id
 * (`evidenceFiles`) under the form's own key, so it is one filing.
 *
 * A route (here an objection form with a check step):
 *
 *   app.post('/objection', { schema: { hide: true, body: formBody } }, async (request, reply) => {
 *     const user = signedInUser(request);
 *     const form = request.body;                    // text fields, multipart or not
 *     const key = formKeyOf(form._key);
 *     const evidence = await evidenceOf(k, request, { user, field: 'evidenceFiles', formKey: key });
 *     const values = withEvidence(keptValues(form), 'evidenceFiles', evidence.files);
 *     if (evidence.problem) return again({ title: '请更正以下内容', detail: '', errors: [evidence.problem] }, 400);
 *     if (form._confirm !== 'yes') return checkPage(values, evidenceText(evidence.files)); // CheckStep keeps values
 *     const r = await k.api(user, 'POST', '/v1/cases', {
 *       payload: { ...body, ...evidenceBody(evidence.files) },
 *       headers: { 'idempotency-key': key },
 *     });
 *     …
 *   });
 *
 * and its page:
 *
 *   <form method="post" action="/console/…" enctype="multipart/form-data">
 *     <input type="hidden" name="_csrf" value={ctx.csrf} />   // first, so it is read even if a file is cut off
 *     …
 *     <EvidenceField field="evidenceFiles" files={evidenceFilesOf(values, 'evidenceFiles')} error={errorAt('evidenceFiles')} />
 *   </form>
 *
 * Call `evidenceOf` on every post of the form (also `_confirm` = 'change' or 'yes': with no new file it answers the kept
 * ones), so the files survive every re-render. The API's refusal of a filing's files is a 422 at
 * `body.evidenceFiles.<n>` ("no upload of yours has this id", "already evidence of another filing").
 *
 * A case's files are `evidenceFiles` of `GET /v1/cases/{id}`: `<EvidenceList caseId={id} files={view.evidenceFiles ?? []} />`
 * links each to `/console/cases/:id/files/:fileId` (console/routes/cases.tsx), which passes the API's download through.
 * The case page's generated action forms (console/form-fields.ts, kind 'files') do all this already for an action
 * whose body takes `evidenceFiles` (submit_supplement, submit_statement).
 */
import { createHash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Principal } from '../contract/principal';
import type { FieldProblem } from '../contract/problem';
import { FILE_REFUSALS, MAX_FILES, evidenceFileView, fileTypeOf, type EvidenceFile } from '../contract/files';
import type { Problem } from './api-client';
import type { ConsoleKit } from './kit';
import { multipartPayload } from './multipart';

export type { EvidenceFile } from '../contract/files';

/** The hidden input holding a form's already-uploaded files (JSON of EvidenceFile[]). */
export const keptFieldName = (field: string): string => `${field}.kept`;
/** The checkboxes that take a kept file off the form (value: the upload id). */
export const removeFieldName = (field: string): string => `${field}.remove`;

export interface EvidenceAnswer {
  /** The form's files now: kept ones and, unless refused, the ones just uploaded. */
  files: EvidenceFile[];
  /** Why the files just chosen were refused (none of them stored), at the field. */
  problem?: FieldProblem;
}

const keptSchema = z.array(evidenceFileView).max(MAX_FILES);

/** The files a form's values keep (its hidden `<field>.kept`); none when absent or not of that shape. */
export function evidenceFilesOf(values: Record<string, string | string[] | undefined>, field: string): EvidenceFile[] {
  const raw = values[keptFieldName(field)];
  const text = Array.isArray(raw) ? raw[0] : raw;
  if (!text) return [];
  try {
    const parsed = keptSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : [];
  } catch {
    return [];
  }
}

/** The form's values with its files kept (for showing it again or for the check step's hidden inputs). */
export function withEvidence(values: Record<string, string>, field: string, files: EvidenceFile[]): Record<string, string> {
  const drop = new Set([removeFieldName(field), field, keptFieldName(field)]);
  const out = Object.fromEntries(Object.entries(values).filter(([key]) => !drop.has(key)));
  if (files.length) out[keptFieldName(field)] = JSON.stringify(files);
  return out;
}

/** What a filing's body carries for its files: `evidenceFiles` (upload ids), left out when there are none. */
export function evidenceBody(files: EvidenceFile[]): { evidenceFiles?: string[] } {
  return files.length ? { evidenceFiles: files.map((f) => f.id) } : {};
}

/** The files as a check step states them. */
export function evidenceText(files: EvidenceFile[]): string {
  return files.length ? files.map((f) => `${f.name}（${sizeText(f.size)}）`).join('；') : '（未上传）';
}

/** A size as people read it: 字节, KB or MB. */
export function sizeText(bytes: number): string {
  if (bytes < 1024) return `${bytes} 字节`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/**
 * The form's files: the kept ones less those ticked off, plus the ones just chosen in `field`, uploaded through the
 * API as `user`. A refusal (ours before sending, or the API's) is a problem at `field`, with the kept files unchanged.
 */
export async function evidenceOf(
  k: ConsoleKit,
  request: FastifyRequest,
  { user, field, formKey }: { user: Principal; field: string; formKey: string },
): Promise<EvidenceAnswer> {
  const form = (request.body ?? {}) as Record<string, string | string[] | undefined>;
  const removed = new Set([form[removeFieldName(field)] ?? []].flat());
  const kept = evidenceFilesOf(form, field).filter((f) => !removed.has(f.id));
  const chosen = (request.postedFiles ?? []).filter((f) => f.field === field);
  const refuse = (message: string): EvidenceAnswer => ({ files: kept, problem: { path: field, message } });

  if (request.excessFiles > 0 || kept.length + chosen.length > MAX_FILES) return refuse(FILE_REFUSALS.count);
  const large = chosen.find((f) => f.tooLarge);
  if (large) return refuse(`${large.name}：${FILE_REFUSALS.size}`);
  const empty = chosen.find((f) => f.bytes.length === 0);
  if (empty) return refuse(`${empty.name}：${FILE_REFUSALS.empty}`);
  const untyped = chosen.find((f) => !fileTypeOf(f.bytes));
  if (untyped) return refuse(`${untyped.name}：${FILE_REFUSALS.type}`);
  if (!chosen.length) return { files: kept };

  const { payload, contentType } = multipartPayload(chosen.map((f) => ({ field: 'file', name: f.name, bytes: f.bytes })));
  // One key per form and batch of files: the same files sent twice answer the same uploads.
  const batch = createHash('sha256').update(formKey);
  for (const f of chosen) batch.update(`\n${f.name}\n`).update(f.bytes);
  const r = await k.api<{ files: EvidenceFile[] } & Partial<Problem>>(user, 'POST', '/v1/files', {
    payload,
    headers: { 'content-type': contentType, 'idempotency-key': `console-files-${batch.digest('hex')}` },
  });
  if (r.status === 201 || r.status === 200) {
    const ids = new Set(kept.map((f) => f.id));
    return { files: [...kept, ...r.body.files.filter((f) => !ids.has(f.id))] };
  }
  if (r.status >= 500) throw new Error(`the files could not be uploaded (${r.status})`);
  const message =
    r.status === 415 ? FILE_REFUSALS.type : r.status === 413 ? FILE_REFUSALS.size : (r.body.errors?.[0]?.message ?? r.body.detail ?? '');
  return refuse(message || '文件未能上传');
}

const ACCEPT = '.pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png';

/**
 * The form's file input (multiple), its kept files listed with name and size (each with a "移除" box) and carried in
 * the hidden `<field>.kept`, and its error at the field. The form must be `enctype="multipart/form-data"`.
 */
export function EvidenceField({
  field,
  files,
  error,
  title = '证据文件',
  idPrefix = '',
}: {
  field: string;
  files: EvidenceFile[];
  error?: string | undefined;
  title?: string;
  /** Put before the input's id when a page has several forms (as FormField's). */
  idPrefix?: string;
}) {
  const id = `${idPrefix}f-${field}`;
  return (
    <div class={error ? 'field field-invalid' : 'field'}>
      <label for={id}>
        {title}
        <span class="optional">（选填）</span>
      </label>
      <span class="hint" id={`${id}-hint`}>
        PDF、JPEG 或 PNG 文件（按文件内容判断类型），每个不超过 10 MB，最多 {MAX_FILES} 个。
      </span>
      {error && (
        <span class="field-error" id={`${id}-error`}>
          <span class="visually-hidden">错误：</span>
          {error}
        </span>
      )}
      {files.length > 0 && (
        <ul class="files" aria-label="已上传的文件">
          {files.map((f) => (
            <li>
              {`${f.name}（${sizeText(f.size)}）`}{' '}
              <input type="checkbox" id={`${id}-remove-${f.id}`} name={removeFieldName(field)} value={f.id} />
              <label for={`${id}-remove-${f.id}`} class="optional">
                移除
              </label>
            </li>
          ))}
        </ul>
      )}
      {files.length > 0 && <input type="hidden" name={keptFieldName(field)} value={JSON.stringify(files)} />}
      <input type="file" id={id} name={field} multiple accept={ACCEPT} aria-describedby={error ? `${id}-hint ${id}-error` : `${id}-hint`} />
    </div>
  );
}

/** A case's files: name, size, SHA-256 and a download link through the console (`/console/cases/:id/files/:fileId`). */
export function EvidenceList({ caseId, files }: { caseId: string; files: EvidenceFile[] }) {
  if (!files.length) return <p>本案没有证据文件。</p>;
  return (
    <table class="files">
      <caption class="visually-hidden">证据文件</caption>
      <thead>
        <tr>
          <th scope="col">文件名</th>
          <th scope="col">大小</th>
          <th scope="col">SHA-256</th>
          <th scope="col">下载</th>
        </tr>
      </thead>
      <tbody>
        {files.map((f) => (
          <tr>
            <td>{f.name}</td>
            <td>{sizeText(f.size)}</td>
            <td>
              <code class="hash">{f.sha256}</code>
            </td>
            <td>
              <a href={`/console/cases/${caseId}/files/${f.id}`} download={f.name}>
                下载<span class="visually-hidden">{f.name}</span>
              </a>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
