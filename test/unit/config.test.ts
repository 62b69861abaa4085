import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import {
  auditSignerOfConfig,
  defaultCachedCases,
  loadConfig,
  ConfigError,
  oidcSettingsOf,
  providerTokenSettingsOf,
  workerCachedCasesOf,
} from '../../config/config';
import { generateAuditSigningKey } from '../../db/audit-signing';

const good = {
  DATABASE_URL: 'postgresql://app:app@127.0.0.1:5432/credit',
  TEMPORAL_ADDRESS: '127.0.0.1:7233',
  AUTH_JWT_SECRET: 'x'.repeat(32),
};

describe('configuration', () => {
  it('applies defaults', () => {
    expect(loadConfig(good)).toMatchObject({ PORT: 3000, TEMPORAL_NAMESPACE: 'default', TEMPORAL_TLS: false });
  });

  it.each([
    ['DATABASE_URL', { ...good, DATABASE_URL: undefined }],
    ['DATABASE_URL', { ...good, DATABASE_URL: 'mysql://x' }],
    ['TEMPORAL_ADDRESS', { ...good, TEMPORAL_ADDRESS: 'localhost' }],
    ['AUTH_JWT_SECRET', { ...good, AUTH_JWT_SECRET: 'short' }],
    ['PORT', { ...good, PORT: 'eighty' }],
    ['TEMPORAL_TLS', { ...good, TEMPORAL_TLS: 'yes' }],
    ['WORKER_CACHED_CASES', { ...good, WORKER_CACHED_CASES: 'many' }],
    ['WORKER_CACHED_CASES', { ...good, WORKER_CACHED_CASES: '0' }],
    ['WORKER_CACHED_CASES', { ...good, WORKER_CACHED_CASES: '2.5' }],
  ])('names %s when it is missing or malformed', (name, env) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(new RegExp(`^invalid configuration:\\n  ${name}:`));
  });

  it("holds the worker's cases its heap limit has room for, buildWorker's default when unset", () => {
    const GiB = 1024 * 1048576;
    expect(workerCachedCasesOf(loadConfig(good), 4 * GiB)).toBeUndefined();
    // The default: 1,000 cases, or one per MiB of a heap limit that holds fewer.
    expect(defaultCachedCases(4 * GiB)).toBe(1000);
    expect(defaultCachedCases(1000 * 1048576)).toBe(1000);
    expect(defaultCachedCases(512 * 1048576)).toBe(512);
    expect(workerCachedCasesOf(loadConfig({ ...good, WORKER_CACHED_CASES: '4096' }), 4 * GiB)).toBe(4096);
    expect(() => workerCachedCasesOf(loadConfig({ ...good, WORKER_CACHED_CASES: '4097' }), 4 * GiB)).toThrow(
      /^invalid configuration:\n {2}WORKER_CACHED_CASES: 4097 cases need more than the worker's heap limit of 4096 MiB holds \(at most 4096\)/,
    );
    // The SDK's own default for a heap limit (600 a GiB above 200 MiB, reusing one V8 context) is within the bound.
    const sdkDefault = Math.floor(((4096 - 200) * 600) / 1024);
    expect(workerCachedCasesOf({ WORKER_CACHED_CASES: sdkDefault }, 4 * GiB)).toBe(sdkDefault);
  });

  it('takes the audit signing key as PKCS8 PEM or base64 DER, Ed25519 only, and signs nothing without one', () => {
    const pem = generateAuditSigningKey();
    const der = createPrivateKey(pem).export({ format: 'der', type: 'pkcs8' }).toString('base64');
    const fromPem = auditSignerOfConfig(loadConfig({ ...good, AUDIT_SIGNING_KEY: pem }));
    const fromDer = auditSignerOfConfig(loadConfig({ ...good, AUDIT_SIGNING_KEY: der }));
    expect(fromPem?.keyId).toMatch(/^[0-9a-f]{16}$/);
    expect(fromDer?.keyId).toBe(fromPem?.keyId);
    expect(auditSignerOfConfig(loadConfig(good))).toBeUndefined();
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    for (const bad of ['not a key', rsa]) {
      expect(() => loadConfig({ ...good, AUDIT_SIGNING_KEY: bad })).toThrow(
        /^invalid configuration:\n {2}AUDIT_SIGNING_KEY: must be an Ed25519/,
      );
    }
  });

  it('wants a client certificate and its key together', () => {
    expect(() => loadConfig({ ...good, TEMPORAL_TLS_CERT_PATH: '/x.pem' })).toThrow(/TEMPORAL_TLS_KEY_PATH/);
  });

  it('takes the OpenID provider settings all together or not at all', () => {
    const oidc = {
      OIDC_ISSUER: 'https://id.zhangye.gov.cn',
      OIDC_CLIENT_ID: 'credit-console',
      OIDC_CLIENT_SECRET: 's',
      OIDC_REDIRECT_URI: 'https://credit.zhangye.gov.cn/console/oidc/callback',
    };
    expect(oidcSettingsOf(loadConfig(good))).toBeUndefined();
    expect(oidcSettingsOf(loadConfig({ ...good, ...oidc }))).toEqual({
      issuer: oidc.OIDC_ISSUER,
      clientId: 'credit-console',
      clientSecret: 's',
      redirectUri: oidc.OIDC_REDIRECT_URI,
      allowHttp: false,
      claimNames: { role: 'role', dept: 'dept', subjectId: 'subject_id', name: ['name', 'preferred_username'] },
    });
    expect(() => loadConfig({ ...good, ...oidc, OIDC_CLIENT_SECRET: undefined })).toThrow(/must be set together/);
    expect(() => loadConfig({ ...good, ...oidc, OIDC_ISSUER: 'not a url' })).toThrow(/OIDC_ISSUER/);
    expect(() => loadConfig({ ...good, ...oidc, OIDC_ISSUER: 'http://id.zhangye.gov.cn' })).toThrow(/OIDC_ISSUER: must be https/);
    expect(oidcSettingsOf(loadConfig({ ...good, ...oidc, OIDC_NAME_CLAIM: 'display_name, cn' }))?.claimNames?.name).toEqual([
      'display_name',
      'cn',
    ]);
  });

  it("takes the provider's own API tokens with issuer and audience, the key set by discovery unless named", () => {
    const tokens = { API_TOKEN_ISSUER: 'https://id.zhangye.gov.cn/realms/zhangye', API_TOKEN_AUDIENCE: 'credit-api' };
    expect(providerTokenSettingsOf(loadConfig(good))).toBeUndefined();
    expect(providerTokenSettingsOf(loadConfig({ ...good, ...tokens }))).toEqual({
      issuer: tokens.API_TOKEN_ISSUER,
      audience: 'credit-api',
      claimNames: { role: 'role', dept: 'dept', subjectId: 'subject_id', name: ['name', 'preferred_username'] },
    });
    const jwks = 'https://id.zhangye.gov.cn/realms/zhangye/protocol/openid-connect/certs';
    expect(providerTokenSettingsOf(loadConfig({ ...good, ...tokens, API_TOKEN_JWKS_URL: jwks }))?.jwksUrl).toBe(jwks);
    expect(() => loadConfig({ ...good, API_TOKEN_ISSUER: tokens.API_TOKEN_ISSUER })).toThrow(/must be set together/);
    expect(() => loadConfig({ ...good, API_TOKEN_JWKS_URL: jwks })).toThrow(/API_TOKEN_JWKS_URL needs API_TOKEN_ISSUER/);
    expect(() => loadConfig({ ...good, ...tokens, API_TOKEN_ISSUER: 'http://id.zhangye.gov.cn' })).toThrow(/must be https/);
    expect(loadConfig({ ...good, ...tokens, API_TOKEN_ISSUER: 'http://localhost:8080/realms/x', OIDC_ALLOW_HTTP: 'true' })).toBeTruthy();
  });
});
