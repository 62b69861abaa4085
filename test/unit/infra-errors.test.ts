import { isDatabaseUnavailable, isTemporalUnavailable } from '../../api/infra-errors';

/** The shapes Prisma 7 (driver adapter pg) and the Temporal client give an outage, seen in runs with Postgres restarted. */
const prismaError = (code: string, meta: unknown, message = 'Invalid invocation') =>
  Object.assign(new Error(message), { name: 'PrismaClientKnownRequestError', code, meta });

describe('isDatabaseUnavailable', () => {
  test.each([
    [
      'P2010 raw query failed, adapter kind DatabaseNotReachable',
      prismaError('P2010', { driverAdapterError: { cause: { kind: 'DatabaseNotReachable' } } }),
    ],
    [
      'P2039 with SQLSTATE 57P01 (administrator shutdown)',
      prismaError('P2039', { driverAdapterError: { cause: { originalCode: '57P01', kind: 'postgres' } } }),
    ],
    [
      'a pg error terminating the connection',
      Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }),
    ],
    ['a connection exception (class 08)', Object.assign(new Error('connection failure'), { code: '08006' })],
    [
      'refused, wrapped as a cause',
      Object.assign(new Error('query failed'), {
        cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
      }),
    ],
    ['a pool timeout', prismaError('P2024', {})],
  ])('%s', (_what, err) => {
    expect(isDatabaseUnavailable(err)).toBe(true);
  });

  test.each([
    ['a unique violation', prismaError('P2002', { target: ['id'] })],
    ['a check violation', Object.assign(new Error('new row violates check constraint'), { code: '23514' })],
    ['a plain bug', new TypeError('x is undefined')],
  ])('not %s', (_what, err) => {
    expect(isDatabaseUnavailable(err)).toBe(false);
  });
});

describe('isTemporalUnavailable', () => {
  test('an Update whose answer did not come in time, with or without its gRPC cause', () => {
    expect(
      isTemporalUnavailable(
        Object.assign(new Error('Timed out waiting for update response'), {
          name: 'WorkflowUpdateRPCTimeoutOrCancelledError',
        }),
      ),
    ).toBe(true);
    expect(isTemporalUnavailable(Object.assign(new Error('4 DEADLINE_EXCEEDED: Deadline exceeded'), { code: 4 }))).toBe(true);
    expect(isTemporalUnavailable(new Error('14 UNAVAILABLE: connection refused'))).toBe(true);
    expect(isTemporalUnavailable(new Error('action refused'))).toBe(false);
  });
});
