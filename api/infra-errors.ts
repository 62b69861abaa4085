import { causesOf } from '../domain/error-causes';

/**
 * Recognises "the backing service is down" among the errors that Prisma, pg and the Temporal client
 * throw, so that the API answers 503 with a retry hint instead of a 500.
 */
const DB_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EPIPE',
  // SQLSTATE class 08 (connection exception), 57P01-03 (shutdown, crash, cannot connect now), 53300 (too many connections).
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
  '57P01',
  '57P02',
  '57P03',
  '53300',
  // Prisma: cannot reach, timed out, connection closed, pool timeout.
  'P1001',
  'P1002',
  'P1017',
  'P2024',
]);

/**
 * What Prisma's driver adapter reports when pg lost or never had its connection. It arrives wrapped in a
 * P2010 ("raw query failed") or P2039 with the adapter's kind in `meta`, or as the message of a plain Error.
 */
const DB_MESSAGES =
  /DatabaseNotReachable|ConnectionClosed|SocketTimeout|TooManyConnections|Connection terminated|connect ECONNREFUSED|timeout exceeded when trying to connect|terminating connection|server closed the connection|Can't reach database server|57P0[123]|\b08(?:000|001|003|004|006)\b/i;

export function isDatabaseUnavailable(err: unknown): boolean {
  return causesOf(err).some((e) => {
    const o = e as { code?: unknown; name?: unknown; message?: unknown; meta?: unknown };
    if (typeof o.code === 'string' && DB_CODES.has(o.code)) return true;
    if (o.name === 'DriverAdapterError' || o.name === 'PrismaClientInitializationError') {
      if (/connect|terminat|timeout|ECONN/i.test(messageOf(o))) return true;
    }
    if (o.meta !== undefined && DB_MESSAGES.test(safeJson(o.meta))) return true;
    return DB_MESSAGES.test(messageOf(o));
  });
}

function messageOf(o: { message?: unknown }): string {
  return typeof o.message === 'string' ? o.message : '';
}

function safeJson(v: unknown): string {
  try {
    // JSON.stringify answers undefined for a function or a symbol, whatever its declared type says.
    const json: unknown = JSON.stringify(v);
    return typeof json === 'string' ? json : '';
  } catch {
    return '';
  }
}

export function isTemporalUnavailable(err: unknown): boolean {
  return causesOf(err).some((e) => {
    const o = e as { name?: unknown; code?: unknown; message?: unknown };
    // gRPC status 14 UNAVAILABLE / 4 DEADLINE_EXCEEDED from the Temporal client. An Update whose answer did not
    // come in time (no worker, an overloaded server) is the SDK's own error, with or without the gRPC cause below it.
    return (
      o.name === 'ServiceError' ||
      o.name === 'WorkflowUpdateRPCTimeoutOrCancelledError' ||
      o.code === 14 ||
      o.code === 4 ||
      /\b(?:DEADLINE_EXCEEDED|UNAVAILABLE)\b/.test(messageOf(o))
    );
  });
}
