import { appendFileSync, mkdirSync, readFileSync, existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { dirname } from 'node:path';
import type { AddressInfo } from 'node:net';
import {
  DAY_PATTERN,
  DELIVER_PATH,
  MAX_CLOCK_SKEW_MS,
  RECONCILIATION_PATH,
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
  dayDigest,
  payloadSha256,
  shanghaiDayOf,
  signatureMatches,
} from './protocol';

/**
 * A platform that speaks the reference protocol (docs/exchange.md), for the embedded default, the tests and the bench:
 * it verifies signatures, keeps what it receives (in memory and in an append-only file, so a restart, even after
 * kill -9, keeps every entry it answered 2xx for), answers reconciliation, and can be told to refuse, fail or delay.
 */

export interface HeldEntry {
  entryId: string;
  seq: number;
  kind: string;
  occurredAt: string;
  subjectId: string;
  payload: unknown;
  payloadSha256: string;
  receivedAt: string;
}

export type ControlMode = 'accept' | 'refuse' | 'fail' | 'delay';
export interface Control {
  mode: ControlMode;
  reason?: string;
  delayMs?: number;
  /** Only entries of these kinds, or with these ids, are treated so; the others are accepted. Neither: all. */
  kinds?: string[];
  ids?: string[];
}

export interface ReferencePlatformOptions {
  port?: number;
  host?: string;
  /** EXCHANGE_SECRET: requests must carry its signature (401 otherwise). Without it nothing is verified. */
  secret?: string | undefined;
  /** The append-only file the entries are kept in (JSON lines); none: memory only. */
  dataFile?: string | undefined;
}

export interface ReferencePlatform {
  url: string;
  server: Server;
  entries(): HeldEntry[];
  close(): Promise<void>;
}

type Line = { held: HeldEntry } | { lost: string };

export async function startReferencePlatform(opts: ReferencePlatformOptions = {}): Promise<ReferencePlatform> {
  const held = new Map<string, HeldEntry>();
  /** Every delivery received (accepted, held, refused), in arrival order: what the tests count. */
  const received: { entryId: string; status: number; at: string }[] = [];
  let control: Control = { mode: 'accept' };

  if (opts.dataFile) {
    mkdirSync(dirname(opts.dataFile), { recursive: true });
    if (existsSync(opts.dataFile)) {
      for (const raw of readFileSync(opts.dataFile, 'utf8').split('\n')) {
        if (raw.trim() === '') continue;
        let line: Line;
        try {
          line = JSON.parse(raw) as Line;
        } catch {
          continue; // a line cut short by a kill: its entry was never answered 2xx
        }
        if ('held' in line) held.set(line.held.entryId, line.held);
        else held.delete(line.lost);
      }
    }
  }
  const keep = (line: Line) => {
    if (opts.dataFile) appendFileSync(opts.dataFile, `${JSON.stringify(line)}\n`);
  };

  const applies = (c: Control, e: { entryId: string; kind: string }) =>
    (!c.kinds && !c.ids) || (c.kinds?.includes(e.kind) ?? false) || (c.ids?.includes(e.entryId) ?? false);

  const deliver = async (req: IncomingMessage, raw: string, res: ServerResponse): Promise<Sent> => {
    let e: Partial<HeldEntry>;
    try {
      e = JSON.parse(raw) as Partial<HeldEntry>;
    } catch {
      return problem(res, 400, 'the body is not JSON');
    }
    if (
      typeof e.entryId !== 'string' ||
      typeof e.subjectId !== 'string' ||
      typeof e.kind !== 'string' ||
      typeof e.occurredAt !== 'string'
    ) {
      return problem(res, 400, 'entryId, subjectId, kind and occurredAt are required');
    }
    if (typeof e.payload !== 'object' || e.payload === null) return problem(res, 400, 'payload must be an object');
    if (req.headers['idempotency-key'] !== e.entryId) return problem(res, 400, 'Idempotency-Key must be the entryId');
    const entry = { entryId: e.entryId, kind: e.kind };
    const c = control;
    if (applies(c, entry)) {
      if (c.mode === 'fail') return problem(res, 503, 'the platform is told to fail');
      if (c.mode === 'delay') await new Promise((r) => setTimeout(r, c.delayMs ?? 5_000));
      if (c.mode === 'refuse') {
        received.push({ entryId: e.entryId, status: 422, at: new Date().toISOString() });
        return problem(res, 422, c.reason ?? 'refused by the reference platform');
      }
    }
    const hash = payloadSha256(e.payload);
    const before = held.get(e.entryId);
    if (before) {
      const same = before.payloadSha256 === hash;
      received.push({ entryId: e.entryId, status: same ? 409 : 422, at: new Date().toISOString() });
      if (same) return json(res, 409, { entryId: e.entryId, status: 'held', receivedAt: before.receivedAt });
      return problem(res, 422, `entry ${e.entryId} is held with another payload`);
    }
    const h: HeldEntry = {
      entryId: e.entryId,
      seq: Number(e.seq),
      kind: e.kind,
      occurredAt: e.occurredAt,
      subjectId: e.subjectId,
      payload: e.payload,
      payloadSha256: hash,
      receivedAt: new Date().toISOString(),
    };
    keep({ held: h }); // on disk before the answer: a 2xx is never forgotten
    held.set(h.entryId, h);
    received.push({ entryId: h.entryId, status: 201, at: h.receivedAt });
    return json(res, 201, { entryId: h.entryId, status: 'accepted', receivedAt: h.receivedAt });
  };

  const reconcile = (url: URL, res: ServerResponse): Sent => {
    const day = url.searchParams.get('date') ?? '';
    if (!DAY_PATTERN.test(day)) return problem(res, 400, 'date must be YYYY-MM-DD');
    const ofDay = [...held.values()].filter((h) => shanghaiDayOf(h.occurredAt) === day);
    const lines = ofDay.map((h) => ({ entryId: h.entryId, payloadSha256: h.payloadSha256 }));
    const body: Record<string, unknown> = { date: day, count: lines.length, digest: dayDigest(lines) };
    if (url.searchParams.get('entries') === 'true') body.entries = lines.sort((a, b) => (a.entryId < b.entryId ? -1 : 1));
    return json(res, 200, body);
  };

  const controlOf = (raw: string): Control | string => {
    let c: Partial<Control>;
    try {
      c = JSON.parse(raw) as Partial<Control>;
    } catch {
      return 'the body is not JSON';
    }
    if (!['accept', 'refuse', 'fail', 'delay'].includes(String(c.mode))) return 'mode must be accept, refuse, fail or delay';
    return {
      mode: c.mode as ControlMode,
      ...(typeof c.reason === 'string' ? { reason: c.reason } : {}),
      ...(typeof c.delayMs === 'number' ? { delayMs: c.delayMs } : {}),
      ...(Array.isArray(c.kinds) ? { kinds: c.kinds.map(String) } : {}),
      ...(Array.isArray(c.ids) ? { ids: c.ids.map(String) } : {}),
    };
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<Sent> => {
    const url = new URL(req.url ?? '/', 'http://platform');
    const raw = await readBody(req);
    if (url.pathname === '/_control' && req.method === 'POST') {
      const c = controlOf(raw);
      if (typeof c === 'string') return problem(res, 400, c);
      control = c;
      return json(res, 200, control);
    }
    if (url.pathname === '/_control' && req.method === 'GET') return json(res, 200, control);
    if (url.pathname.startsWith('/_control/entries/') && req.method === 'DELETE') {
      const id = decodeURIComponent(url.pathname.slice('/_control/entries/'.length));
      if (!held.has(id)) return problem(res, 404, `no entry ${id}`);
      keep({ lost: id });
      held.delete(id);
      res.writeHead(204).end();
      return true;
    }
    if (url.pathname === '/_entries' && req.method === 'GET') return json(res, 200, { entries: [...held.values()], received });

    const isDeliver = url.pathname === DELIVER_PATH && req.method === 'POST';
    const isReconcile = url.pathname === RECONCILIATION_PATH && req.method === 'GET';
    if (!isDeliver && !isReconcile) return problem(res, 404, `no ${req.method} ${url.pathname}`);
    if (opts.secret) {
      const timestamp = String(req.headers[TIMESTAMP_HEADER] ?? '');
      const skew = Math.abs(Date.now() - Number(timestamp) * 1000);
      const signed = isDeliver ? raw : `${url.pathname}${url.search}`;
      const given = req.headers[SIGNATURE_HEADER];
      if (!/^\d+$/.test(timestamp) || !(skew <= MAX_CLOCK_SKEW_MS))
        return problem(res, 401, 'the timestamp is missing or too far from the platform clock');
      if (!signatureMatches({ secret: opts.secret, timestamp, signed, given: typeof given === 'string' ? given : undefined })) {
        return problem(res, 401, 'the signature does not match');
      }
    }
    if (isDeliver) return deliver(req, raw, res);
    return reconcile(url, res);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) problem(res, 500, (err as Error).message);
    });
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => {
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${opts.host ?? '127.0.0.1'}:${port}`,
    server,
    entries: () => [...held.values()],
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      resolve(Buffer.concat(chunks).toString('utf8'));
    });
    req.on('error', reject);
  });
}

/** An answer was written (returned so a handler can end with `return json(…)`). */
type Sent = true;

function json(res: ServerResponse, status: number, body: unknown): Sent {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  return true;
}

function problem(res: ServerResponse, status: number, detail: string): Sent {
  res
    .writeHead(status, { 'content-type': 'application/problem+json' })
    .end(JSON.stringify({ type: 'about:blank', title: status === 401 ? 'Unauthorized' : 'Refused', status, detail, reason: detail }));
  return true;
}
