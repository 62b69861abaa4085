// A real OpenID provider (oidc-provider) for the console's sign-in tests, started as its own process because it is
// an ESM application Jest's module system cannot load. Its development login form takes any account name; the
// accounts below say what the system learns about each. PKCE is required, as a government identity service would.
// Signing out at the provider (RP-initiated logout) returns to OIDC_POST_LOGOUT_REDIRECT_URI. The department systems
// below get JWT access tokens for the API (audience OIDC_API_AUDIENCE) from the client-credentials grant with that
// resource indicator, signed with the keys of OIDC_JWKS (a JSON key set with private keys; the test's own, so it can
// rotate them by starting the provider again on the same OIDC_PORT).
// Settings come from the environment; "ready <issuer>" on stdout says it listens, and where.
import { createServer } from 'node:http';
import Provider from 'oidc-provider';

// The port is the one OIDC_PORT names, or one the system picks (read back before the issuer is named).
const { OIDC_PORT, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, OIDC_REDIRECT_URI, OIDC_POST_LOGOUT_REDIRECT_URI, OIDC_JWKS } = process.env;
const API_AUDIENCE = process.env.OIDC_API_AUDIENCE ?? 'https://credit.zhangye.example/api';
// Every interface: `localhost` may resolve to ::1 or to 127.0.0.1.
const server = createServer();
await new Promise((resolve) => server.listen(Number(OIDC_PORT ?? 0), resolve));
const issuer = `http://localhost:${server.address().port}`;

const ACCOUNTS = {
  'samr-officer': { name: '王晓明', role: 'officer', dept: 'ZY-SAMR' },
  'drc-supervisor': { name: '李审核', role: 'supervisor', dept: 'ZY-DRC' },
  // No `name`: the display name is the username.
  'tax-officer': { preferred_username: 'zhao.tax', role: 'officer', dept: 'ZY-TAX' },
  // Signed in at the provider, but given no role in the credit system.
  visitor: { name: '访客' },
};

const SYSTEMS = {
  'samr-system': { name: '市场监管局业务系统', role: 'officer', dept: 'ZY-SAMR' },
  'portal-without-role': {},
};

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: OIDC_CLIENT_ID,
      client_secret: OIDC_CLIENT_SECRET,
      redirect_uris: [OIDC_REDIRECT_URI],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_post',
      ...(OIDC_POST_LOGOUT_REDIRECT_URI ? { post_logout_redirect_uris: [OIDC_POST_LOGOUT_REDIRECT_URI] } : {}),
    },
    // A department's own system calling the API, and one the credit system gives no role.
    ...Object.keys(SYSTEMS).map((id) => ({
      client_id: id,
      client_secret: `${id}-secret`,
      grant_types: ['client_credentials'],
      redirect_uris: [],
      response_types: [],
      token_endpoint_auth_method: 'client_secret_post',
    })),
  ],
  ...(OIDC_JWKS ? { jwks: JSON.parse(OIDC_JWKS) } : {}),
  features: {
    devInteractions: { enabled: true },
    rpInitiatedLogout: { enabled: true },
    clientCredentials: { enabled: true },
    resourceIndicators: {
      enabled: true,
      // The department systems' tokens are for the API; the console's own access token stays one for userinfo.
      defaultResource: (_ctx, client) => (client.grantTypes.includes('client_credentials') ? API_AUDIENCE : undefined),
      useGrantedResource: () => false,
      // Any resource the client names is an audience it may get a JWT access token for (wrong ones are the test's).
      getResourceServerInfo: (_ctx, resource) => ({
        scope: 'cases',
        audience: resource,
        accessTokenFormat: 'jwt',
        accessTokenTTL: 300,
        jwt: { sign: { alg: 'RS256' } },
      }),
    },
  },
  // What the API learns about a department system, in the same claims as a person's.
  async extraTokenClaims(_ctx, token) {
    return token.kind === 'ClientCredentials' ? SYSTEMS[token.clientId] : undefined;
  },
  pkce: { required: () => true },
  claims: { openid: ['sub'], profile: ['name', 'preferred_username', 'role', 'dept', 'subject_id'] },
  cookies: { keys: ['credit-procedures-test-provider'] },
  async findAccount(_ctx, id) {
    return { accountId: id, claims: async () => ({ sub: id, ...(ACCOUNTS[id] ?? { name: id }) }) };
  },
  // A first-party client: no consent screen, the grant is made on sign-in.
  async loadExistingGrant(ctx) {
    const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope('openid profile');
    await grant.save();
    return grant;
  },
});

server.on('request', provider.callback());
console.log(`ready ${issuer}`);
process.on('SIGTERM', () => server.close(() => process.exit(0)));
