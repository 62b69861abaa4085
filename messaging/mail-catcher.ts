/**
 * A local mail server that keeps what it is sent: the embedded default's (`npm start`) and the tests'. Each mail is
 * kept in its directory as `<id>.eml` with a line of `index.jsonl`; `readCaughtMail` reads one back with its text and
 * attachments. It can be told to refuse recipients (any address at `bounce.test` by default), as a mail server refuses
 * an unknown mailbox (550), so a bounce can be seen and tested.
 */
import { randomUUID } from 'node:crypto';
import { appendFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';

export interface CaughtMailSummary {
  id: string;
  receivedAt: string;
  from: string;
  to: string[];
  subject: string;
  messageId: string;
  size: number;
}

export interface CaughtAttachment {
  filename: string;
  contentType: string;
  content: Buffer;
}

export interface CaughtMail extends CaughtMailSummary {
  text: string;
  attachments: CaughtAttachment[];
}

export interface MailCatcher {
  /** smtp://127.0.0.1:<port>: what SMTP_URL is set to. */
  url: string;
  port: number;
  dir: string;
  stop(): Promise<void>;
}

/** Refuses any address at bounce.test: the address tests and demonstrations use for a bounce. */
export const BOUNCE_DOMAIN = 'bounce.test';

export async function startMailCatcher(opts: {
  dir: string;
  port?: number;
  /** Why a recipient is refused (the 550 reply's text), or undefined to take it. */
  refuse?: (recipient: string) => string | undefined;
  /** Told of each mail once it is kept (a test reads what arrived without reading the directory). */
  onMail?: (mail: CaughtMail) => void;
}): Promise<MailCatcher> {
  await mkdir(opts.dir, { recursive: true });
  const refuse =
    opts.refuse ??
    ((to: string) =>
      to.toLowerCase().endsWith(`@${BOUNCE_DOMAIN}`) ? `5.1.1 <${to}>: mailbox unavailable (recipient refused)` : undefined);
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(address, _session, callback) {
      const why = refuse(address.address);
      if (!why) {
        callback();
        return;
      }
      callback(Object.assign(new Error(why), { responseCode: 550 }));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks);
        const id = `${new Date().toISOString().replace(/[-:.]/g, '')}-${randomUUID().slice(0, 8)}`;
        const headers = parseHeaders(raw.toString('utf8').split(/\r?\n\r?\n/)[0] ?? '');
        const summary: CaughtMailSummary = {
          id,
          receivedAt: new Date().toISOString(),
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          subject: decodeWords(headers.get('subject') ?? ''),
          messageId: headers.get('message-id') ?? '',
          size: raw.length,
        };
        writeFile(join(opts.dir, `${id}.eml`), raw)
          .then(() => appendFile(join(opts.dir, 'index.jsonl'), `${JSON.stringify(summary)}\n`))
          .then(
            () => {
              opts.onMail?.(mailOf(summary, raw));
              callback(null, `250 2.0.0 Ok: kept as ${id}`);
            },
            (err: unknown) => {
              callback(err as Error);
            },
          );
      });
    },
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      const address = server.server.address();
      resolve(typeof address === 'object' && address ? address.port : 0);
    });
  });
  return {
    url: `smtp://127.0.0.1:${port}`,
    port,
    dir: opts.dir,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
      }),
  };
}

/** The mails kept in `dir`, newest first. */
export async function listCaughtMail(dir: string): Promise<CaughtMailSummary[]> {
  const index = await readFile(join(dir, 'index.jsonl'), 'utf8').catch(() => '');
  return index
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as CaughtMailSummary)
    .reverse();
}

/** One kept mail with its text and attachments; undefined for an id not kept. */
export async function readCaughtMail(dir: string, id: string): Promise<CaughtMail | undefined> {
  if (!/^[0-9TZ]+-[0-9a-f]{8}$/.test(id)) return undefined;
  const summary = (await listCaughtMail(dir)).find((m) => m.id === id);
  if (!summary) return undefined;
  return mailOf(summary, await readFile(join(dir, `${id}.eml`)));
}

/** A kept mail's text and attachments, read from the message as received. */
function mailOf(summary: CaughtMailSummary, raw: Buffer): CaughtMail {
  const parts = mimeParts(raw.toString('utf8'));
  const text = parts.find((p) => p.contentType.startsWith('text/plain') && !p.filename)?.content.toString('utf8') ?? '';
  const attachments = parts
    .filter((p) => p.filename)
    .map((p) => ({ filename: p.filename ?? '', contentType: p.contentType, content: p.content }));
  return { ...summary, text, attachments };
}

// ---- a small MIME reader, enough for what nodemailer writes ----

interface MimePart {
  contentType: string;
  filename?: string | undefined;
  content: Buffer;
}

function parseHeaders(block: string): Map<string, string> {
  const out = new Map<string, string>();
  // Folded lines continue the header before them.
  for (const line of block.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i > 0) out.set(line.slice(0, i).trim().toLowerCase(), line.slice(i + 1).trim());
  }
  return out;
}

function param(header: string, name: string): string | undefined {
  const m = new RegExp(`${name}\\*?=("([^"]*)"|[^;\\s]+)`, 'i').exec(header);
  const v = m ? (m[2] ?? m[1]) : undefined;
  if (v === undefined) return undefined;
  // RFC 2231 (filename*=utf-8''…)
  const ext = /^utf-8''(.*)$/i.exec(v);
  return ext?.[1] !== undefined ? decodeURIComponent(ext[1]) : decodeWords(v);
}

function mimeParts(raw: string): MimePart[] {
  const split = /\r?\n\r?\n/.exec(raw);
  const headerBlock = split ? raw.slice(0, split.index) : raw;
  const body = split ? raw.slice(split.index + split[0].length) : '';
  const headers = parseHeaders(headerBlock);
  const type = headers.get('content-type') ?? 'text/plain';
  const boundary = param(type, 'boundary');
  if (type.toLowerCase().startsWith('multipart/') && boundary) {
    const sections = body.split(`--${boundary}`).slice(1);
    return sections.filter((s) => !s.startsWith('--')).flatMap((s) => mimeParts(s.replace(/^\r?\n/, '')));
  }
  const disposition = headers.get('content-disposition') ?? '';
  const filename = param(disposition, 'filename') ?? param(type, 'name');
  const encoding = (headers.get('content-transfer-encoding') ?? '7bit').toLowerCase();
  const content =
    encoding === 'base64'
      ? Buffer.from(body.replace(/\s+/g, ''), 'base64')
      : encoding === 'quoted-printable'
        ? quotedPrintable(body)
        : Buffer.from(body.replace(/\r?\n$/, ''), 'utf8');
  return [{ contentType: type.split(';')[0]?.trim().toLowerCase() ?? 'text/plain', filename, content }];
}

function quotedPrintable(s: string): Buffer {
  const unfolded = s.replace(/=\r?\n/g, '').replace(/\r?\n$/, '');
  const bytes: number[] = [];
  for (let i = 0; i < unfolded.length; i++) {
    const ch = unfolded.charAt(i);
    const hex = unfolded.slice(i + 1, i + 3);
    if (ch === '=' && /^[0-9A-F]{2}$/i.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else bytes.push(...Buffer.from(ch, 'utf8'));
  }
  return Buffer.from(bytes);
}

/** RFC 2047 encoded words (=?UTF-8?B?…?= and =?UTF-8?Q?…?=), as a Chinese subject arrives. */
function decodeWords(s: string): string {
  return s
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?utf-8\?([bq])\?([^?]*)\?=/gi, (_m, enc: string, data: string) =>
      enc.toLowerCase() === 'b' ? Buffer.from(data, 'base64').toString('utf8') : quotedPrintable(data.replace(/_/g, ' ')).toString('utf8'),
    );
}
