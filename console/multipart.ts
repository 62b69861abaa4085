/**
 * Console forms sent as `multipart/form-data` (forms with a file input): parsed at preValidation, before the CSRF
 * hook, so `request.body` holds the form's text fields as strings (repeated ones as a list, as @fastify/formbody gives
 * them) and `request.postedFiles` the files. Nothing a browser can send makes this throw: a file past 10 MB is cut
 * off and marked `tooLarge` (its bytes dropped), files past the 20th are drained and counted in `excessFiles`, and a
 * malformed body leaves the fields read so far (a missing `_csrf` is then the CSRF hook's 403). Routes read the files
 * through console/evidence.tsx, which turns each of these into a field error on the form.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import multipart from '@fastify/multipart';
import { MAX_FILE_BYTES, MAX_FILES } from '../contract/files';

export interface PostedFile {
  /** The form field (the file input's name). */
  field: string;
  /** The file's name as the browser sent it. */
  name: string;
  /** Its content; empty when it was too large. */
  bytes: Buffer;
  /** Past MAX_FILE_BYTES: cut off by the parser, nothing of it kept. */
  tooLarge: boolean;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The files of a multipart console form; null for any other request. */
    postedFiles: PostedFile[] | null;
    /** Files past the MAX_FILES-th of a multipart form, drained unread. */
    excessFiles: number;
  }
}

/** Files a request may carry before busboy stops parsing it altogether (the rest beyond MAX_FILES are drained). */
const HARD_FILE_LIMIT = 200;

/** Registers multipart parsing on the console's scope; call before the CSRF hook is added, so it runs first. */
export async function consoleMultipart(app: FastifyInstance): Promise<void> {
  await app.register(multipart, {
    throwFileSizeLimit: false,
    limits: { fileSize: MAX_FILE_BYTES, files: HARD_FILE_LIMIT, fields: 1000, fieldSize: 1_048_576, parts: 1000 + HARD_FILE_LIMIT },
  });
  app.decorateRequest('postedFiles', null);
  app.decorateRequest('excessFiles', 0);
  app.addHook('preValidation', async (request) => {
    if (!request.isMultipart()) return;
    const fields: Record<string, string | string[]> = {};
    const files: PostedFile[] = [];
    let excess = 0;
    try {
      for await (const part of request.parts()) {
        if (part.type === 'field') {
          const value = typeof part.value === 'string' ? part.value : JSON.stringify(part.value);
          const had = fields[part.fieldname];
          fields[part.fieldname] = had === undefined ? value : Array.isArray(had) ? [...had, value] : [had, value];
          continue;
        }
        // An empty file input still sends a part, with no name and no bytes.
        if (!part.filename) {
          await drain(part.file);
          continue;
        }
        if (files.length >= MAX_FILES) {
          excess += 1;
          await drain(part.file);
          continue;
        }
        const bytes = await part.toBuffer();
        const tooLarge = part.file.truncated;
        files.push({ field: part.fieldname, name: part.filename, bytes: tooLarge ? Buffer.alloc(0) : bytes, tooLarge });
      }
    } catch (err) {
      // A body cut short or past the hard limits: what was read stands; the route refuses what is missing.
      request.log.warn({ err }, 'multipart console form not read to its end');
    }
    request.body = fields;
    request.postedFiles = files;
    request.excessFiles = excess;
  });
}

async function drain(stream: AsyncIterable<unknown>): Promise<void> {
  for await (const _ of stream) {
    // read and dropped
  }
}

/** A `multipart/form-data` body of text fields and files, as a browser sends it, for `k.api` and tests. */
export function multipartPayload(
  parts: ({ field: string; value: string } | { field: string; name: string; bytes: Buffer; contentType?: string })[],
): { payload: Buffer; contentType: string } {
  const boundary = `----console${randomBytes(12).toString('hex')}`;
  // What browsers do with a quote or a line break in a name (WHATWG form-data encoding).
  const quoted = (s: string) => s.replaceAll('"', '%22').replaceAll('\r', '%0D').replaceAll('\n', '%0A');
  const chunks: Buffer[] = [];
  for (const p of parts) {
    if ('value' in p) {
      chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${quoted(p.field)}"\r\n\r\n${p.value}\r\n`));
    } else {
      chunks.push(
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="${quoted(p.field)}"; filename="${quoted(p.name)}"\r\n` +
            `Content-Type: ${p.contentType ?? 'application/octet-stream'}\r\n\r\n`,
        ),
        p.bytes,
        Buffer.from('\r\n'),
      );
    }
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}
