/**
 * Bearer tokens the city's identity provider signs (RS256 or ES256): a portal or a department's system calls the API
 * with an access token from the client-credentials grant, verified here against the provider's published keys (JWKS)
 * with `jose`: signature, issuer, audience, expiry. The keys are fetched once and cached; a key id not yet known fetches
 * the set again (at most once per cool-down), so the provider's key rotation is picked up without a restart.
 *
 * Who the caller is comes from the same claims as the console's sign-in (OIDC_ROLE_CLAIM, …): a token whose claims give
 * no role here is refused like a bad one. A provider that cannot be reached is not the caller's fault: 503, not 401.
 */
import { createRemoteJWKSet, decodeProtectedHeader, errors, jwtVerify } from 'jose';
import { principalFromClaims, type ClaimNames, type Principal } from '../contract/principal';

export interface ProviderTokenSettings {
  /** The `iss` every token must carry: the provider's issuer URL. */
  issuer: string;
  /** The `aud` every token must include: this API as the provider knows it (a resource indicator, a client id). */
  audience: string;
  /** The provider's key set; absent, the `jwks_uri` of the issuer's discovery document. */
  jwksUrl?: string;
  claimNames: ClaimNames;
  /** How long an unknown key id waits before the key set is fetched again (30 s by default). */
  cooldownSeconds?: number;
  /** How long a fetched key set is used before it is fetched again (10 minutes by default). */
  cacheMaxAgeSeconds?: number;
}

/** The algorithms a provider's signature may use; anything else (HS256 above all) is not the provider's. */
export const PROVIDER_ALGORITHMS = ['RS256', 'ES256'];

/** The token is not one the API accepts (401). The message says why, never the token. */
export class ProviderTokenRefused extends Error {}
/** The provider's keys could not be had (503): try again later. */
export class ProviderKeysUnavailable extends Error {}

/** JOSE errors that say the token is wrong; every other failure (network, a key set that is not one) is the provider's. */
const TOKEN_FAULTS = new Set([
  errors.JWTExpired.code,
  errors.JWTClaimValidationFailed.code,
  errors.JWTInvalid.code,
  errors.JWSInvalid.code,
  errors.JWSSignatureVerificationFailed.code,
  errors.JWKSNoMatchingKey.code,
  errors.JWKSMultipleMatchingKeys.code,
  errors.JOSEAlgNotAllowed.code,
  errors.JOSENotSupported.code,
]);

/** Whether a token says it is signed with one of the provider's algorithms (the HS256 path takes the rest). */
export function isProviderSigned(token: string): boolean {
  try {
    return PROVIDER_ALGORITHMS.includes(decodeProtectedHeader(token).alg ?? '');
  } catch {
    return false;
  }
}

async function discoveredJwksUrl(issuer: string): Promise<string> {
  const url = `${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
  const res = await fetch(url, { signal: AbortSignal.timeout(5000), redirect: 'manual' });
  if (res.status !== 200) throw new Error(`${url} answered ${res.status}`);
  const doc = (await res.json()) as { jwks_uri?: unknown };
  if (typeof doc.jwks_uri !== 'string') throw new Error(`${url} names no jwks_uri`);
  return doc.jwks_uri;
}

export function providerTokenVerifier(s: ProviderTokenSettings) {
  let keySet: Promise<ReturnType<typeof createRemoteJWKSet>> | null = null;
  /** Made once; a failed discovery is tried again by the next request rather than remembered. */
  const keys = () => {
    keySet ??= (s.jwksUrl ? Promise.resolve(s.jwksUrl) : discoveredJwksUrl(s.issuer))
      .then((url) =>
        createRemoteJWKSet(new URL(url), {
          cooldownDuration: (s.cooldownSeconds ?? 30) * 1000,
          cacheMaxAge: (s.cacheMaxAgeSeconds ?? 600) * 1000,
          timeoutDuration: 5000,
        }),
      )
      .catch((err: unknown) => {
        keySet = null;
        throw new ProviderKeysUnavailable(`the discovery of ${s.issuer} failed: ${(err as Error).message}`);
      });
    return keySet;
  };

  return {
    /** Who the token names; throws ProviderTokenRefused (401) or ProviderKeysUnavailable (503). */
    async verify(token: string): Promise<Principal> {
      const jwks = await keys();
      let payload: Record<string, unknown>;
      try {
        ({ payload } = await jwtVerify(token, jwks, {
          issuer: s.issuer,
          audience: s.audience,
          algorithms: PROVIDER_ALGORITHMS,
          requiredClaims: ['exp', 'sub'],
        }));
      } catch (err) {
        const code = (err as { code?: unknown }).code;
        if (typeof code === 'string' && TOKEN_FAULTS.has(code)) throw new ProviderTokenRefused(tokenFault(err as Error));
        throw new ProviderKeysUnavailable(`the identity provider's keys could not be fetched: ${(err as Error).message}`);
      }
      const principal = principalFromClaims(payload, s.claimNames);
      if (!principal) throw new ProviderTokenRefused('the token gives the caller no role in this system');
      return principal;
    },
  };
}

export type ProviderTokenVerifier = ReturnType<typeof providerTokenVerifier>;

function tokenFault(err: Error): string {
  if (err instanceof errors.JWTExpired) return 'token has expired';
  if (err instanceof errors.JWKSNoMatchingKey) return "the token's key is not among the identity provider's keys";
  if (err instanceof errors.JWTClaimValidationFailed) return `token ${err.claim} claim is not accepted: ${err.reason}`;
  return 'bad token signature or form';
}
