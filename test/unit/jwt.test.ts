import { signJwt, verifyJwt } from '../../api/jwt';

const secret = 's'.repeat(32);
const now = 1_800_000_000;

describe('HS256 tokens', () => {
  it('round-trips claims', () => {
    const t = signJwt({ sub: 'a', role: 'officer', exp: now + 60 }, secret);
    expect(verifyJwt(t, secret, now)).toMatchObject({ sub: 'a', role: 'officer' });
  });

  it.each([
    ['another secret', signJwt({ exp: now + 60 }, 'o'.repeat(32)), /signature/],
    ['no exp', signJwt({ sub: 'a' }, secret), /exp/],
    ['expired', signJwt({ exp: now }, secret), /expired/],
    ['not yet valid', signJwt({ exp: now + 60, nbf: now + 30 }, secret), /not valid yet/],
    [
      'alg none',
      `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(`{"exp":${now + 60}}`).toString('base64url')}.`,
      /HS256/,
    ],
    ['garbage', 'abc', /not a JWT/],
  ])('refuses %s', (_n, token, message) => {
    expect(() => verifyJwt(token, secret, now)).toThrow(message);
  });
});
