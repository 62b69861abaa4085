/**
 * Sign-in through an OpenID provider: the authorisation code flow with PKCE (S256), state and nonce (openid-client).
 * The transaction (verifier, state, nonce) travels in a short-lived HMAC-signed cookie, SameSite=Lax because the
 * provider sends the browser back with a cross-site navigation, which a Strict cookie would not come with.
 *
 * The provider says who the user is in this system through three claims (names configurable): `role` (officer,
 * supervisor or subject), `dept` (the department code of an officer or supervisor) and `subject_id` (the USCC or ID
 * number of a subject), read from the ID token and the userinfo endpoint. A user whose claims say none of these gets
 * no session. The display name is the first of `name`, `preferred_username` (configurable) the provider gives.
 *
 * Signing out ends the provider's session too where its discovery names an `end_session_endpoint` (RP-initiated
 * logout with the ID token as hint), so the next sign-in may be someone else's. What the provider refused with
 * (`error`, `error_description`) travels in the refusal for the log; the authorisation code and the tokens never do.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import * as client from 'openid-client';
import { DEFAULT_CLAIM_NAMES, principalFromClaims, type Principal } from '../contract/principal';

export interface OidcSettings {
  /** The provider's issuer URL; its discovery document says the rest. */
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** This console's callback as registered with the provider, e.g. https://credit.example.gov.cn/console/oidc/callback. */
  redirectUri: string;
  /** Plain http to the provider: only for a provider on the same machine (development, tests). */
  allowHttp?: boolean;
  /**
   * The scopes asked for; `openid profile` by default. A provider that maps role, dept and subject_id on a scope of its
   * own (Keycloak: a client scope with protocol mappers) needs it named here, e.g. `openid profile credit`.
   */
  scope?: string;
  /**
   * The names of the claims that carry role, department, subject id and display name; `role`, `dept`, `subject_id`
   * and the first of `name`, `preferred_username` by default.
   */
  claimNames?: { role?: string; dept?: string; subjectId?: string; name?: string[] };
  /**
   * Where the provider sends the browser back after signing out (registered with it as a post-logout redirect URI);
   * by default the console's sign-in page beside the callback: https://<host>/console/sign-in.
   */
  postLogoutRedirectUri?: string;
}

/** What the provider said when it refused: its `error` and `error_description` (RFC 6749 §4.1.2.1, §5.2). */
export interface ProviderRefusal {
  error: string;
  error_description?: string;
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
    readonly more: {
      /** The provider's own error, when it answered with one. */
      provider?: ProviderRefusal;
      /** The ID token of an account the provider vouched for but this system gives no role: the hint to sign it out. */
      idToken?: string;
    } = {},
  ) {
    super(message);
  }
}

/** A signed-in user as the provider vouches for them, and the ID token that signs them out there. */
export interface OidcSignIn {
  principal: Principal;
  idToken: string;
}

/** The provider's `error` and `error_description` of an openid-client error, when it carries them. */
function providerRefusalOf(err: unknown): ProviderRefusal | undefined {
  let said: { error?: unknown; error_description?: unknown } | undefined;
  if (err instanceof client.AuthorizationResponseError || err instanceof client.ResponseBodyError) said = err;
  // The userinfo endpoint refuses the access token in its WWW-Authenticate header (RFC 6750 §3).
  else if (err instanceof client.WWWAuthenticateChallengeError) said = err.cause[0]?.parameters;
  if (typeof said?.error !== 'string') return undefined;
  return { error: said.error, ...(typeof said.error_description === 'string' ? { error_description: said.error_description } : {}) };
}

export const SIGNED_OUT_STATE = 'signed-out';

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
  const postLogoutRedirectUri = s.postLogoutRedirectUri ?? new URL('/console/sign-in', s.redirectUri).href;
  const sign = (payload: string) => createHmac('sha256', key).update(`oidc:${payload}`).digest('base64url');

  return {
    /** Where to send the browser, and the transaction cookie's value. */
    /** `prompt: 'login'`: the provider asks for credentials again although it has a session (someone else signs in). */
    async start(now: Date, opts: { prompt?: 'login' } = {}): Promise<{ url: string; cookie: string }> {
      const cfg = await configuration();
      const t: Transaction = {
        verifier: client.randomPKCECodeVerifier(),
        state: client.randomState(),
        nonce: client.randomNonce(),
        exp: Math.floor(now.getTime() / 1000) + OIDC_TRANSACTION_SECONDS,
      };
      const url = client.buildAuthorizationUrl(cfg, {
        redirect_uri: s.redirectUri,
        scope: s.scope ?? 'openid profile',
        code_challenge: await client.calculatePKCECodeChallenge(t.verifier),
        code_challenge_method: 'S256',
        state: t.state,
        nonce: t.nonce,
        ...(opts.prompt ? { prompt: opts.prompt } : {}),
      });
      const payload = Buffer.from(JSON.stringify(t)).toString('base64url');
      return { url: url.href, cookie: `${payload}.${sign(payload)}` };
    },

    /** The user the provider vouches for, from the callback URL and the transaction cookie. */
    async finish(callbackUrl: URL, cookie: string | undefined, now: Date): Promise<OidcSignIn> {
      const t = this.transactionOf(cookie, now);
      const cfg = await configuration();
      let claims: Record<string, unknown>;
      let idToken: string;
      try {
        const tokens = await client.authorizationCodeGrant(cfg, callbackUrl, {
          pkceCodeVerifier: t.verifier,
          expectedState: t.state,
          expectedNonce: t.nonce,
          idTokenExpected: true,
        });
        const idClaims = tokens.claims();
        if (!idClaims || !tokens.id_token) throw new OidcSignInError('refused', 'the provider answered without an ID token');
        idToken = tokens.id_token;
        const info = await client.fetchUserInfo(cfg, tokens.access_token, idClaims.sub);
        claims = { ...info, ...idClaims };
      } catch (err) {
        if (err instanceof OidcSignInError) throw err;
        const provider = providerRefusalOf(err);
        // openid-client's messages name what failed, never the code or a token.
        throw new OidcSignInError(
          'refused',
          `the provider's answer was not accepted: ${(err as Error).message}`,
          provider ? { provider } : {},
        );
      }
      const principal = principalFromClaims(claims, { ...DEFAULT_CLAIM_NAMES, ...s.claimNames });
      if (!principal) throw new OidcSignInError('unauthorised', `account ${String(claims.sub)} has no role in this system`, { idToken });
      return { principal, idToken };
    },

    /**
     * Where to send the browser to end the provider's session too, back to the sign-in page afterwards; null when the
     * provider offers no RP-initiated logout (or cannot be reached: the console's own sign-out must not wait on it).
     */
    async signOutUrl(idToken: string | null | undefined): Promise<string | null> {
      let cfg: client.Configuration;
      try {
        cfg = await configuration();
      } catch {
        return null;
      }
      if (!cfg.serverMetadata().end_session_endpoint) return null;
      return client.buildEndSessionUrl(cfg, {
        ...(idToken ? { id_token_hint: idToken } : {}),
        post_logout_redirect_uri: postLogoutRedirectUri,
        state: SIGNED_OUT_STATE,
      }).href;
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
