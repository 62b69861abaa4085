import { signJwt } from './jwt';

/** `name`: the display name the audit records beside `sub` (the console passes its session's). */
export type TokenClaims = (
  | { role: 'officer' | 'supervisor'; sub: string; dept: string }
  | { role: 'subject'; sub: string; subjectId: string }
) & { name?: string | undefined };

/** Mints a token the API accepts; for development and tests (production tokens come from the identity provider). */
export function mintToken(claims: TokenClaims, secret: string, ttlSeconds = 3600): string {
  const now = Math.floor(Date.now() / 1000);
  return signJwt({ ...claims, iat: now, exp: now + ttlSeconds }, secret);
}
