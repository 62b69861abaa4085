/**
 * Evidence as files (issue 22): what `POST /v1/files` answers for each upload and what a case's details list, shared
 * by the API and the console. The limits are the law of both: the console refuses early with the same words.
 */
import { z } from 'zod';

/** The largest file a filing may carry, in bytes (10 MB). */
export const MAX_FILE_BYTES = 10 * 1024 * 1024;
/** The most files one filing (and one upload request) may carry. */
export const MAX_FILES = 20;
/** The types taken, judged by the file's content (its first bytes), never by its name. */
export const FILE_TYPES = ['application/pdf', 'image/jpeg', 'image/png'] as const;
export type FileType = (typeof FILE_TYPES)[number];

/** An uploaded file: the upload's id (what a filing names in `evidenceFiles`), its name as sent, size, hash and type. */
export const evidenceFileView = z.object({
  id: z.string().describe('the upload id, named in a filing’s evidenceFiles'),
  name: z.string().describe('the file name as uploaded'),
  size: z.number().int().describe('bytes'),
  sha256: z.string().describe('SHA-256 of the content, lowercase hex'),
  contentType: z.enum(FILE_TYPES).describe('judged by the content'),
});
export type EvidenceFile = z.infer<typeof evidenceFileView>;

/** An upload id as the API makes them. */
export const uploadIdPattern = /^UPL-\d{8}-[0-9A-Z]{10}$/;

/** `evidenceFiles` of a filing: the caller's own uploads, not yet attached to any filing. */
export { evidenceFiles as evidenceFilesInput } from '../workflows/common/schema-parts';

/** The type a file's first bytes say it is: PDF `%PDF-`, JPEG FF D8 FF, PNG 89 50 4E 47 0D 0A 1A 0A; else null. */
export function fileTypeOf(bytes: Uint8Array): FileType | null {
  const starts = (sig: number[]) => sig.every((b, i) => bytes[i] === b);
  if (starts([0x25, 0x50, 0x44, 0x46, 0x2d])) return 'application/pdf';
  if (starts([0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  return null;
}

/** The words the console and the API's problems use for a refused file. */
export const FILE_REFUSALS = {
  type: '仅接受 PDF、JPEG 或 PNG 文件',
  size: '文件不得超过 10 MB',
  count: `每次最多 ${MAX_FILES} 个文件`,
  empty: '文件不能为空',
} as const;
