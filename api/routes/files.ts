import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { validatorCompiler } from 'fastify-type-provider-zod';
import multipart from '@fastify/multipart';
import type { AppDeps } from '../app';
import { principalOf, requireRole } from '../plugins/auth';
import { maySeeRow } from '../case-reads';
import { badRequest, notFound, Problem } from '../problem';
import type { Words } from '../../contract/problem';
import { idempotent } from '../idempotency';
import { audit } from '../../db/audit';
import { evidenceFileView, fileTypeOf, MAX_FILE_BYTES, MAX_FILES } from '../../contract/files';
import { caseFile, cleanFileName, sha256Of, storeUploads, type ReceivedFile } from '../evidence-files';
import { problemSchema } from '../schemas/common';

const caseIdParam = z.object({ id: z.string().regex(/^[A-Z]{3}-\d{8}-[0-9A-Z]{10}$/, 'is not a case id') });
const fileParams = caseIdParam.extend({ fileId: z.string().regex(/^UPL-\d{8}-[0-9A-Z]{10}$/, 'is not a file id') });
const binary = z.string().meta({ format: 'binary' });

const tooLarge = (detail: Words) => new Problem(413, detail, { errors: [{ path: 'body.file', message: detail }] });
const notAFileType = (detail: Words) => new Problem(415, detail, { errors: [{ path: 'body.file', message: detail }] });

/** `filename*` (RFC 8187) for any name, and a plain ASCII `filename` for old clients. */
function attachment(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`;
}

/**
 * Evidence files (issue 22): uploaded with `POST /v1/files`, then named by a filing (`evidenceFiles`), listed on the
 * case (`evidenceFiles` of GET /v1/cases/{id}) and downloaded by those who may see the case. The type is judged by
 * the content; a refused request stores nothing.
 */
export const fileRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, { db, clock = () => new Date() }) => {
  // Only this scope reads multipart bodies; a file is cut off past the limit and refused whole (413).
  await app.register(multipart, {
    throwFileSizeLimit: false,
    limits: { fileSize: MAX_FILE_BYTES, files: MAX_FILES, fields: 20, fieldSize: 10_000, parts: MAX_FILES + 20 },
  });

  app.post(
    '/v1/files',
    {
      preValidation: requireRole('officer', 'subject'),
      // The body is read as a stream in the handler; the schema below is what the OpenAPI document says of it.
      validatorCompiler: (req) =>
        req.httpPart === 'body'
          ? (data: unknown) => ({ value: data })
          : validatorCompiler(req as unknown as Parameters<typeof validatorCompiler>[0]),
      schema: {
        tags: ['files'],
        summary: 'Upload evidence files (PDF, JPEG or PNG, judged by content; at most 10 MB each and 20 a request)',
        description:
          'multipart/form-data with one or more parts named `file`. The type is judged by the first bytes (PDF `%PDF-`, JPEG FF D8 FF, PNG 89 50 4E 47 0D 0A 1A 0A), never the name: anything else is a 415; a file over 10 MB or more than 20 files is a 413; either way nothing is stored. Each content is stored once (by SHA-256). A filing then names the uploads in `evidenceFiles`. Officers and subjects only; an Idempotency-Key answers a retry with the same uploads.',
        security: [{ bearer: [] }],
        consumes: ['multipart/form-data'],
        headers: z.object({ 'idempotency-key': z.string().min(1).max(200).optional() }).loose(),
        body: z.object({ file: z.array(z.file()).min(1).max(MAX_FILES) }),
        response: {
          201: z.object({ files: z.array(evidenceFileView) }),
          400: problemSchema,
          401: problemSchema,
          403: problemSchema,
          413: problemSchema,
          415: problemSchema,
          422: problemSchema,
        },
      },
    },
    async (request, reply) => {
      if (!request.isMultipart())
        throw notAFileType({
          zh: '请求体须为 multipart/form-data，文件部分名为 file',
          en: 'the body must be multipart/form-data with parts named file',
        });
      const files: ReceivedFile[] = [];
      try {
        for await (const part of request.parts()) {
          // A part named file but sent as a text field (no file name) carries no file: refused like any other type.
          if (part.type === 'field') {
            if (part.fieldname === 'file')
              throw notAFileType({
                zh: '名为 file 的部分须为文件（带文件名），不能是文本字段',
                en: 'a part named file must be a file (with a file name), not a text field',
              });
            continue;
          }
          const bytes = await part.toBuffer();
          if (part.fieldname !== 'file')
            throw badRequest({
              zh: `文件部分须命名为 file，而不是 ${part.fieldname}`,
              en: `a file part must be named file, not ${part.fieldname}`,
            });
          if (part.file.truncated)
            throw tooLarge({ zh: `${part.filename || '文件'}超过 10 MB`, en: `${part.filename || 'a file'} is larger than 10 MB` });
          const contentType = fileTypeOf(bytes);
          if (!contentType)
            throw notAFileType({
              zh: `${part.filename || '文件'}不是 PDF、JPEG 或 PNG 文件（按文件内容判断）`,
              en: `${part.filename || 'a file'} is not a PDF, JPEG or PNG file (judged by its content)`,
            });
          files.push({ name: cleanFileName(part.filename), bytes, contentType });
        }
      } catch (err) {
        if (err instanceof Problem) throw err;
        const code = (err as { code?: string }).code;
        if (code === 'FST_FILES_LIMIT' || code === 'FST_PARTS_LIMIT')
          throw tooLarge({ zh: `每次最多上传 ${MAX_FILES} 个文件`, en: `at most ${MAX_FILES} files a request` });
        if (code === 'FST_FIELDS_LIMIT' || code === 'FST_REQ_FILE_TOO_LARGE')
          throw tooLarge({ zh: '请求过大', en: 'the request is too large' });
        throw badRequest({
          zh: `无法读取 multipart 请求体：${(err as Error).message}`,
          en: `the multipart body could not be read: ${(err as Error).message}`,
        });
      }
      if (!files.length)
        throw badRequest({ zh: '没有文件：请以名为 file 的部分发送一个或多个文件', en: 'no file: send one or more parts named file' }, [
          { path: 'body.file', message: { zh: '此项必填', en: 'required' } },
        ]);
      // What the Idempotency-Key compares: the same files under the same names.
      (request as { body: unknown }).body = { files: files.map((f) => ({ name: f.name, sha256: sha256Of(f.bytes) })) };
      return idempotent(db, request, reply, async () => {
        const stored = await storeUploads(db, { p: principalOf(request), files, now: clock() });
        request.log.info({ files: stored.map((f) => f.id) }, 'files uploaded');
        return { status: 201, body: { files: stored } };
      });
    },
  );

  app.get(
    '/v1/cases/:id/files/:fileId',
    {
      preValidation: requireRole('officer', 'supervisor', 'subject'),
      schema: {
        tags: ['cases'],
        summary: 'Download an evidence file of a case (as an attachment, with its stored type)',
        description:
          'Only for those who may see the case (its subject; the departments handling it; supervisors); anyone else gets a 404. Answered with Content-Disposition: attachment and X-Content-Type-Options: nosniff; every download is audited.',
        security: [{ bearer: [] }],
        params: fileParams,
        response: {
          200: {
            description: 'The file as stored',
            content: { 'application/pdf': { schema: binary }, 'image/jpeg': { schema: binary }, 'image/png': { schema: binary } },
          },
          400: problemSchema,
          401: problemSchema,
          403: problemSchema,
          404: problemSchema,
        },
      },
    },
    async (request, reply) => {
      const p = principalOf(request);
      const { id, fileId } = request.params;
      const row = await db.case.findUnique({ where: { id } });
      if (!row || !maySeeRow(p, row)) throw notFound({ zh: `案件 ${id} 中没有文件 ${fileId}`, en: `no file ${fileId} in case ${id}` });
      const file = await caseFile(db, { caseId: id, fileId });
      if (!file) throw notFound({ zh: `案件 ${id} 中没有文件 ${fileId}`, en: `no file ${fileId} in case ${id}` });
      await audit(db, {
        actor: p.sub,
        role: p.role,
        action: 'file.download',
        target: `file:${file.id}`,
        caseId: id,
        subjectId: row.subjectId,
        detail: { name: file.name, sha256: file.sha256, size: file.size },
      });
      return (
        reply
          .code(200)
          .header('content-type', file.contentType)
          .header('content-disposition', attachment(file.name))
          .header('x-content-type-options', 'nosniff')
          .header('content-security-policy', "default-src 'none'; sandbox")
          .header('cache-control', 'private, no-store')
          // Raw bytes: the declared content types are binary, which the typed reply does not model.
          .send(Buffer.from(file.bytes.buffer, file.bytes.byteOffset, file.bytes.byteLength) as unknown as string)
      );
    },
  );
};
