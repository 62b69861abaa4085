/**
 * Recognises "the backing service is down" among the errors that Prisma, pg and the Temporal client
 * throw, so that the API answers 503 with a retry hint instead of a 500.
 */
const DB_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', '57P01', '57P03', 'P1001', 'P1002', 'P1017', 'P2024']);

function chain(err: unknown): unknown[] {
  const out: unknown[] = [];
  let cur: unknown = err;
  for (let i = 0; i < 6 && cur && typeof cur === 'object'; i++) {
    out.push(cur);
    cur = (cur as { cause?: unknown }).cause;
  }
  return out;
}

export function isDatabaseUnavailable(err: unknown): boolean {
  return chain(err).some((e) => {
    const o = e as { code?: unknown; name?: unknown; message?: unknown };
    if (typeof o.code === 'string' && DB_CODES.has(o.code)) return true;
    if (o.name === 'DriverAdapterError' || o.name === 'PrismaClientInitializationError') {
      return /connect|terminat|timeout|ECONN/i.test(String(o.message));
    }
    return /Connection terminated|connect ECONNREFUSED|timeout exceeded when trying to connect/i.test(String(o.message ?? ''));
  });
}

export function isTemporalUnavailable(err: unknown): boolean {
  return chain(err).some((e) => {
    const o = e as { name?: unknown; code?: unknown };
    // gRPC status 14 UNAVAILABLE / 4 DEADLINE_EXCEEDED from the Temporal client.
    return o.name === 'ServiceError' || o.code === 14 || o.code === 4;
  });
}
