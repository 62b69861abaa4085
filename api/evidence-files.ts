/**
 * Evidence as files (issue 22): contents stored once under their SHA-256, uploads that name them, and the filing each
 * upload becomes evidence of. A filing names its uploads by id (`evidenceFiles`); they must be the caller's own and
 * attached to no other filing. The same filing sent again (same case and filing key) finds them already its own.
 */
import { createHash } from 'node:crypto';
import { sqlOf, type Db } from '../db/client';
import { appendAudit } from '../db/audit';
import type { EvidenceFile, FileType } from '../contract/files';
import { FILE_TYPES } from '../contract/files';
import { newUploadId } from './case-ids';
import { unprocessable, type FieldWords } from './problem';
import type { Words } from '../contract/problem';
import type { Principal } from './plugins/auth';

export interface ReceivedFile {
  name: string;
  bytes: Buffer;
  contentType: FileType;
}

export function sha256Of(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** A file name as kept and shown: no control characters or lone surrogates, at most 255 characters. */
export function cleanFileName(name: string): string {
  let out = '';
  for (const ch of name) {
    const code = ch.codePointAt(0) ?? 0;
    // Control characters, and halves of a surrogate pair arriving alone, are not part of any name.
    if (code < 0x20 || code === 0x7f || (code >= 0xd800 && code <= 0xdfff)) continue;
    out += ch;
  }
  const cleaned = out.trim();
  return Array.from(cleaned || 'file')
    .slice(0, 255)
    .join('');
}

/** Stores the files (each content once) and one upload of each by `p`, with one audit entry, in one transaction. */
export async function storeUploads(db: Db, { p, files, now }: { p: Principal; files: ReceivedFile[]; now: Date }): Promise<EvidenceFile[]> {
  return db.$transaction(
    async (tx) => {
      const out: EvidenceFile[] = [];
      for (const f of files) {
        const sha256 = sha256Of(f.bytes);
        // Written once: a content already stored is left as it is.
        await tx.$executeRaw`
          INSERT INTO stored_files (sha256, bytes, size, content_type, stored_at)
          VALUES (${sha256}, ${f.bytes}, ${f.bytes.length}, ${f.contentType}, ${now})
          ON CONFLICT (sha256) DO NOTHING`;
        const id = newUploadId(now);
        await tx.fileUpload.create({
          data: {
            id,
            sha256,
            name: f.name,
            uploadedAt: now,
            uploader: p.sub,
            uploaderRole: p.role,
            subjectId: p.role === 'subject' ? p.subjectId : null,
          },
        });
        out.push({ id, name: f.name, size: f.bytes.length, sha256, contentType: f.contentType });
      }
      await appendAudit(tx, {
        at: now,
        actor: p.sub,
        role: p.role,
        action: 'file.upload',
        target: `files:${out.map((f) => f.id).join(',')}`,
        subjectId: p.role === 'subject' ? p.subjectId : null,
        detail: { files: out.map(({ id, name, size, sha256, contentType }) => ({ id, name, size, sha256, contentType })) },
      });
      return out;
    },
    { timeout: 60_000 },
  );
}

/** The upload ids a filing body names, if any. */
export function evidenceFileIdsOf(body: unknown): string[] {
  const ids = (body as { evidenceFiles?: unknown } | null)?.evidenceFiles;
  return Array.isArray(ids) ? ids.filter((v): v is string => typeof v === 'string') : [];
}

/** Where a filing's uploads go: the case and the filing in it. */
export interface FilingRef {
  caseId: string;
  filing: string;
}

/**
 * 422 unless every upload is the caller's own and free (or already this filing's, on a retry). `at` names the body
 * field for the problem (`body.evidenceFiles`).
 */
export async function checkUploads(
  db: Pick<Db, 'fileUpload'>,
  { p, ids, to }: { p: Principal; ids: string[]; to?: FilingRef },
): Promise<void> {
  if (!ids.length) return;
  const rows = await db.fileUpload.findMany({ where: { id: { in: ids } } });
  const byId = new Map(rows.map((r) => [r.id, r]));
  const errors: FieldWords[] = [];
  const seen = new Set<string>();
  ids.forEach((id, i) => {
    const row = byId.get(id);
    const path = `body.evidenceFiles.${i}`;
    if (seen.has(id)) errors.push({ path, message: { zh: '同一文件列了两次', en: 'named twice' } });
    else if (!row || row.uploader !== p.sub)
      errors.push({ path, message: { zh: '没有您上传的此文件', en: 'no upload of yours has this id' } });
    else if (row.caseId !== null && !(to && row.caseId === to.caseId && row.filing === to.filing))
      errors.push({ path, message: { zh: '该文件已作为其他申请的证据', en: 'already evidence of another filing' } });
    seen.add(id);
  });
  if (errors.length)
    throw unprocessable(
      { zh: '证据文件须为您本人上传、且未用于其他申请的文件', en: 'evidenceFiles must name your own uploads that no other filing carries' },
      errors,
    );
}

/** Attaches the uploads to the filing (checked again under lock, so two filings cannot both take one), with an audit entry. */
export async function attachUploads(
  db: Db,
  { p, ids, to, now, subjectId }: { p: Principal; ids: string[]; to: FilingRef; now: Date; subjectId: string | null },
): Promise<void> {
  if (!ids.length) return;
  await db.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT id FROM file_uploads WHERE id = ANY(${ids}::text[]) FOR UPDATE`;
    await checkUploads(tx, { p, ids, to });
    let count = 0;
    for (const [position, id] of ids.entries()) {
      const r = await tx.fileUpload.updateMany({
        where: { id, caseId: null },
        data: { caseId: to.caseId, filing: to.filing, attachedAt: now, position },
      });
      count += r.count;
    }
    if (count === 0) return; // a retry of this filing: attached already
    await appendAudit(tx, {
      at: now,
      actor: p.sub,
      role: p.role,
      action: 'file.attach',
      target: `case:${to.caseId}`,
      caseId: to.caseId,
      subjectId,
      detail: { filing: to.filing, files: ids },
    });
  });
}

/** Gives a refused filing's uploads back, so they may be named again. */
export async function releaseUploads(db: Db, { ids, to }: { ids: string[]; to: FilingRef }): Promise<void> {
  if (!ids.length) return;
  await db.fileUpload.updateMany({
    where: { id: { in: ids }, caseId: to.caseId, filing: to.filing },
    data: { caseId: null, filing: null, attachedAt: null, position: null },
  });
}

/** A case's files, in the order they were filed. */
export async function caseFiles(db: Db, caseId: string): Promise<EvidenceFile[]> {
  // One statement: Prisma's `include` reads the stored files in a second round trip, even for a case without files,
  // and every read of a case asks for these (issue 23).
  const rows = await sqlOf(db).query<{ id: string; name: string; sha256: string; size: number; contentType: string }>(
    `SELECT u.id, u.name, u.sha256, f.size, f.content_type AS "contentType"
     FROM file_uploads u JOIN stored_files f ON f.sha256 = u.sha256
     WHERE u.case_id = $1
     ORDER BY u.attached_at ASC NULLS LAST, u.position ASC NULLS LAST, u.id ASC`,
    [caseId],
  );
  return rows.map((r) => ({ id: r.id, name: r.name, size: r.size, sha256: r.sha256, contentType: fileType(r.contentType) }));
}

/** One file of a case, with its bytes; null when the case has no such file. */
export async function caseFile(db: Db, { caseId, fileId }: { caseId: string; fileId: string }) {
  const row = await db.fileUpload.findFirst({ where: { id: fileId, caseId }, include: { file: true } });
  if (!row) return null;
  return {
    id: row.id,
    name: row.name,
    sha256: row.sha256,
    size: row.file.size,
    contentType: fileType(row.file.contentType),
    bytes: row.file.bytes,
  };
}

function fileType(t: string): FileType {
  if ((FILE_TYPES as readonly string[]).includes(t)) return t as FileType;
  throw new Error(`a stored file has a type this API never stores: ${t}`);
}

/**
 * A filing that must carry evidence carries it as text items, files or both (a scanned receipt may be all a subject
 * has): at least one, or a 422 at `body.evidence`. A rule of the pair, which the body's schema cannot say.
 */
export function requireEvidence(
  body: { evidence?: readonly unknown[]; evidenceFiles?: readonly unknown[] | undefined },
  what: Words,
): void {
  if ((body.evidence?.length ?? 0) + (body.evidenceFiles?.length ?? 0) > 0) return;
  throw unprocessable(what, [
    { path: 'body.evidence', message: { zh: '请至少提供一项证明材料或证据文件', en: 'give at least one evidence item or file' } },
  ]);
}
