/**
 * The API takes the identity provider's own tokens: a department's system gets a JWT access token from the
 * client-credentials grant of a real OpenID provider (oidc-provider, its own process, serving its keys over HTTP) and
 * calls the API with it. Verified against the provider's JWKS, found through its discovery document: issuer,
 * audience, expiry, known key; the provider's key rotation picked up; the provider down is a 503, not a 401.
 * The provider signs with the test's own keys, so the test can also sign the tokens a provider would not issue.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { SignJWT, exportJWK, generateKeyPair, type JWK } from 'jose';
import { DEFAULT_CLAIM_NAMES } from '../../contract/principal';
import { startSystem, type System } from '../support/system';
import { ifStarted } from '../support/teardown';
import { until } from '../support/until';

const AUDIENCE = 'https://credit.zhangye.example/api';
/** Short, so the test sees a rotation without waiting out the default 30 seconds. */
const COOLDOWN_SECONDS = 1;

let sys: System;
let provider: ChildProcess | undefined;
let issuer: string;

interface Key {
  kid: string;
  alg: 'RS256' | 'ES256';
  privateKey: CryptoKey;
  jwk: JWK;
}

async function key(kid: string, alg: Key['alg'] = 'RS256'): Promise<Key> {
  const { privateKey } = await generateKeyPair(alg, { extractable: true });
  return { kid, alg, privateKey, jwk: { ...(await exportJWK(privateKey)), kid, alg, use: 'sig' } };
}

/** Starts the provider signing with `keys[0]` and publishing them all; on `port` when given (a restart). */
async function startProvider(keys: Key[], port?: string): Promise<string> {
  const p = spawn(process.execPath, [join(__dirname, '..', 'support', 'oidc-provider.mjs')], {
    env: {
      ...process.env,
      OIDC_CLIENT_ID: 'credit-console',
      OIDC_CLIENT_SECRET: 'a-test-secret-of-the-console',
      OIDC_REDIRECT_URI: 'http://127.0.0.1:9/console/oidc/callback',
      OIDC_API_AUDIENCE: AUDIENCE,
      OIDC_JWKS: JSON.stringify({ keys: keys.map((k) => k.jwk) }),
      ...(port ? { OIDC_PORT: port } : {}),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  provider = p;
  return new Promise((resolve, reject) => {
    let err = '';
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    p.stdout.on('data', (d: Buffer) => {
      const m = /ready (\S+)/.exec(d.toString());
      if (m) resolve(m[1]!);
    });
    p.on('exit', (code) => {
      reject(new Error(`the OpenID provider exited (${code}): ${err}`));
    });
  });
}

async function stopProvider(): Promise<void> {
  const p = provider;
  if (!p || p.exitCode !== null) return;
  await new Promise((resolve) => {
    p.once('exit', resolve);
    p.kill('SIGTERM');
  });
}

/** An access token from the provider's client-credentials grant for `resource`. */
async function clientCredentials(clientId: string, resource = AUDIENCE): Promise<string> {
  const res = await fetch(`${issuer}/token`, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: clientId,
      client_secret: `${clientId}-secret`,
      resource,
      scope: 'cases',
    }),
  });
  const body = (await res.json()) as { access_token?: string };
  if (!body.access_token) throw new Error(`no token: ${JSON.stringify(body)}`);
  return body.access_token;
}

/** A token as the provider would sign it, with whatever the test changes. */
async function signed(k: Key, claims: { iss?: string; aud?: string; exp?: number } = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ role: 'officer', dept: 'ZY-SAMR', name: '市场监管局业务系统' })
    .setProtectedHeader({ alg: k.alg, kid: k.kid, typ: 'at+jwt' })
    .setSubject('samr-system')
    .setIssuer(claims.iss ?? issuer)
    .setAudience(claims.aud ?? AUDIENCE)
    .setIssuedAt(now - 60)
    .setExpirationTime(claims.exp ?? now + 300)
    .sign(k.privateKey);
}

const pendingReview = (token: string) =>
  sys.app.inject({ method: 'GET', url: '/v1/records/pending-review', headers: { authorization: `Bearer ${token}` } });

let first: Key;
let ec: Key;

beforeAll(async () => {
  first = await key('key-2026-a');
  ec = await key('key-2026-ec', 'ES256');
  issuer = await startProvider([first, ec]);
  sys = await startSystem({
    withoutWorker: true,
    // No JWKS URL: found through the issuer's discovery document.
    providerTokens: { issuer, audience: AUDIENCE, claimNames: DEFAULT_CLAIM_NAMES, cooldownSeconds: COOLDOWN_SECONDS },
  });
}, 60_000);
afterAll(async () => {
  await ifStarted(sys)?.stop();
  await stopProvider();
});

it("accepts a department system's RS256 token from the client-credentials grant, and audits the call with its name", async () => {
  const token = await clientCredentials('samr-system');
  const res = await pendingReview(token);
  expect(res.statusCode).toBe(200);
  const entry = await sys.db.auditEntry.findFirst({
    where: { actor: 'samr-system', action: 'records.pending_review.read' },
    orderBy: { id: 'desc' },
  });
  expect(entry).toMatchObject({ actor: 'samr-system', actorName: '市场监管局业务系统', role: 'officer' });
  // The name is part of what the chain hashes, and the chain still holds.
  const verify = await sys.app.inject({
    method: 'GET',
    url: '/v1/audit/verify',
    headers: { authorization: `Bearer ${sys.token({ role: 'supervisor', sub: 'sup-1', dept: 'ZY-DRC' })}` },
  });
  expect(verify.json()).toMatchObject({ ok: true });
});

it('accepts an ES256 token signed with a key the provider publishes', async () => {
  expect((await pendingReview(await signed(ec))).statusCode).toBe(200);
});

it('refuses with 401 a token for another audience, from another issuer, expired, or signed by an unknown key', async () => {
  const stranger = await key('key-not-published');
  const refusals = {
    audience: await clientCredentials('samr-system', 'https://other.example/api'),
    issuer: await signed(first, { iss: 'https://id.elsewhere.example' }),
    expired: await signed(first, { exp: Math.floor(Date.now() / 1000) - 10 }),
    unknownKey: await signed(stranger),
    noRole: await clientCredentials('portal-without-role'),
  };
  const answers: Record<string, [number, string, string]> = {};
  for (const [what, token] of Object.entries(refusals)) {
    const res = await pendingReview(token);
    answers[what] = [res.statusCode, String(res.headers['content-type']).split(';')[0]!, res.json().detail];
  }
  const refused = (detail: string): [number, string, string] => [401, 'application/problem+json', detail];
  expect(answers).toEqual({
    audience: refused('token aud claim is not accepted: check_failed'),
    issuer: refused('token iss claim is not accepted: check_failed'),
    expired: refused('token has expired'),
    unknownKey: refused("the token's key is not among the identity provider's keys"),
    noRole: refused('the token gives the caller no role in this system'),
  });
});

it("picks up the provider's key rotation, and answers 503 with Retry-After while its keys cannot be fetched", async () => {
  const port = new URL(issuer).port;
  const rotated = await key('key-2026-b');
  await stopProvider();
  // The provider signs with the new key and still publishes the old one.
  await startProvider([rotated, first, ec], port);
  const token = await clientCredentials('samr-system');
  expect(JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()).kid).toBe('key-2026-b');
  // An unknown key id fetches the key set again once the cool-down since the last fetch has passed.
  await until('the rotated key to be taken', async () => (await pendingReview(token)).statusCode === 200, 10_000);
  // Tokens signed with the old key are still good while the provider publishes it.
  expect((await pendingReview(await signed(first))).statusCode).toBe(200);

  await stopProvider();
  await new Promise((r) => setTimeout(r, COOLDOWN_SECONDS * 1000 + 200));
  const res = await pendingReview(await signed(await key('key-2026-c')));
  expect(res.statusCode).toBe(503);
  expect(res.headers['retry-after']).toBe('30');
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
});
