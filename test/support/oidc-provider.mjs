// A real OpenID provider (oidc-provider) for the console's sign-in tests, started as its own process because it is
// an ESM application Jest's module system cannot load. Its development login form takes any account name; the
// accounts below say what the system learns about each. PKCE is required, as a government identity service would.
// Settings come from the environment; "ready <issuer>" on stdout says it listens, and where.
import { createServer } from 'node:http';
import Provider from 'oidc-provider';

// The port is the one OIDC_PORT names, or one the system picks (read back before the issuer is named).
const { OIDC_PORT, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, OIDC_REDIRECT_URI } = process.env;
// Every interface: `localhost` may resolve to ::1 or to 127.0.0.1.
const server = createServer();
await new Promise((resolve) => server.listen(Number(OIDC_PORT ?? 0), resolve));
const issuer = `http://localhost:${server.address().port}`;

const ACCOUNTS = {
  'samr-officer': { name: '市场监管局 经办人员', role: 'officer', dept: 'ZY-SAMR' },
  'drc-supervisor': { name: '发展改革委 审核人员', role: 'supervisor', dept: 'ZY-DRC' },
  // Signed in at the provider, but given no role in the credit system.
  visitor: { name: '访客' },
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
    },
  ],
  pkce: { required: () => true },
  claims: { openid: ['sub'], profile: ['name', 'role', 'dept', 'subject_id'] },
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
