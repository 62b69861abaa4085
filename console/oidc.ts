/**
 * Sign-in through an OpenID provider: the authorisation code flow with PKCE (S256), state and nonce (openid-client).
 * The transaction (verifier, state, nonce) travels in a short-lived HMAC-signed cookie, SameSite=Lax because the
 * provider sends the browser back with a cross-site navigation, which a Strict cookie would not come with.
 *
 * The provider says who the user is in this system through three claims (names configurable): `role` (officer,
 * supervisor or subject), `dept` (the department code of an officer or supervisor) and `subject_id` (the USCC or ID
 * number of a subject), read from the ID token and the userinfo endpoint. A user whose claims say none of these gets
 * no session.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import * as client from 'openid-client';
import { claimsSchema, type Principal } from '../contract/principal';

export interface OidcSettings {
  /** The provider's issuer URL; its discovery document says the rest. */
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** This console's callback as registered with the provider, e.g. https://credit.example.gov.cn/console/oidc/callback. */
  redirectUri: string;
  /** Plain http to the provider: only for a provider on the same machine (development, tests). */
  allowHttp?: boolean;
  /** The names of the claims that carry role, department and subject id; `role`, `dept`, `subject_id` by default. */
  claimNames?: { role?: string; dept?: string; subjectId?: string };
}

export const OIDC_COOKIE = 'sc_oidc';
/** Long enough to sign in at the provider, short enough that a forgotten tab's transaction dies. */
export const OIDC_TRANSACTION_SECONDS = 600;

interface Transaction {
  verifier: string;
  state: string;
  nonce: string;
  /** Unix seconds. */
  exp: number;
}

export class OidcSignInError extends Error {
  constructor(
    readonly reason: 'expired' | 'refused' | 'unauthorised' | 'unavailable',
    message: string,
  ) {
    super(message);
  }
}

export function oidcClient(s: OidcSettings, key: string) {
  let config: Promise<client.Configuration> | null = null;
  /** Discovered once; a failed discovery is tried again on the next sign-in rather than remembered. */
  const configuration = () => {
    config ??= client
      .discovery(
        new URL(s.issuer),
        s.clientId,
        { redirect_uris: [s.redirectUri], response_types: ['code'] },
        client.ClientSecretPost(s.clientSecret),
        // eslint-disable-next-line @typescript-eslint/no-deprecated -- marked so only to stand out; plain http is for a provider on this machine (OIDC_ALLOW_HTTP)
        s.allowHttp ? { execute: [client.allowInsecureRequests] } : undefined,
      )
      .catch((err: unknown) => {
        config = null;
        throw new OidcSignInError('unavailable', `discovery of ${s.issuer} failed: ${(err as Error).message}`);
      });
    return config;
  };
  const sign = (payload: string) => createHmac('sha256', key).update(`oidc:${payload}`).digest('base64url');

  return {
    /** Where to send the browser, and the transaction cookie's value. */
    async start(now: Date): Promise<{ url: string; cookie: string }> {
      const cfg = await configuration();
      const t: Transaction = {
        verifier: client.randomPKCECodeVerifier(),
        state: client.randomState(),
        nonce: client.randomNonce(),
        exp: Math.floor(now.getTime() / 1000) + OIDC_TRANSACTION_SECONDS,
      };
      const url = client.buildAuthorizationUrl(cfg, {
        redirect_uri: s.redirectUri,
        scope: 'openid profile',
        code_challenge: await client.calculatePKCECodeChallenge(t.verifier),
        code_challenge_method: 'S256',
        state: t.state,
        nonce: t.nonce,
      });
      const payload = Buffer.from(JSON.stringify(t)).toString('base64url');
      return { url: url.href, cookie: `${payload}.${sign(payload)}` };
    },

    /** The principal the provider vouches for, from the callback URL and the transaction cookie. */
    async finish(callbackUrl: URL, cookie: string | undefined, now: Date): Promise<Principal> {
      const t = this.transactionOf(cookie, now);
      const cfg = await configuration();
      let claims: Record<string, unknown>;
      try {
        const tokens = await client.authorizationCodeGrant(cfg, callbackUrl, {
          pkceCodeVerifier: t.verifier,
          expectedState: t.state,
          expectedNonce: t.nonce,
          idTokenExpected: true,
        });
        const idClaims = tokens.claims();
        if (!idClaims) throw new OidcSignInError('refused', 'the provider answered without an ID token');
        const info = await client.fetchUserInfo(cfg, tokens.access_token, idClaims.sub);
        claims = { ...info, ...idClaims };
      } catch (err) {
        throw new OidcSignInError('refused', `the provider's answer was not accepted: ${(err as Error).message}`);
      }
      const n = { role: 'role', dept: 'dept', subjectId: 'subject_id', ...s.claimNames };
      const parsed = claimsSchema.safeParse({
        sub: claims.sub,
        role: claims[n.role],
        dept: claims[n.dept],
        subjectId: claims[n.subjectId],
      });
      if (!parsed.success) throw new OidcSignInError('unauthorised', `account ${String(claims.sub)} has no role in this system`);
      return parsed.data;
    },

    transactionOf(cookie: string | undefined, now: Date): Transaction {
      const [payload, mac] = (cookie ?? '').split('.');
      const good = payload && mac && mac.length === sign(payload).length && timingSafeEqual(Buffer.from(mac), Buffer.from(sign(payload)));
      const t = good ? (JSON.parse(Buffer.from(payload, 'base64url').toString()) as Transaction) : null;
      if (!t || t.exp < now.getTime() / 1000)
        throw new OidcSignInError('expired', 'no sign-in under way in this browser, or it took too long');
      return t;
    },
  };
}

export type OidcClient = ReturnType<typeof oidcClient>;
