/** Signing in and out: the development identities, the token handover of a portal, an OpenID provider. */
import type { FastifyInstance } from 'fastify';
import { verifyJwt } from '../../api/jwt';
import { claimsSchema, type Principal } from '../../api/plugins/auth';
import type { ConsoleKit } from '../kit';
import { DEV_IDENTITIES, signInPage } from '../pages/sign-in';
import { endSession, startSession } from '../session';

export function signInRoutes(app: FastifyInstance, k: ConsoleKit): void {
  const { o } = k;
  const pageOpts = { devSignIn: o.devSignIn, oidc: Boolean(o.oidc) };

  app.get('/sign-in', { schema: { hide: true } }, async (request, reply) => k.html(reply, signInPage(k.ctxOf(request, reply), pageOpts)));

  app.post('/sign-in/dev', { schema: { hide: true } }, async (request, reply) => {
    const i = Number((request.body as Record<string, string>).identity);
    const identity = o.devSignIn ? DEV_IDENTITIES[i] : undefined;
    if (!identity) return k.html(reply, signInPage(k.ctxOf(request, reply), { ...pageOpts, message: '请选择开发身份。' }), 400);
    await startSession(o.db, reply, identity.claims, 'dev', k.cookies, o.clock());
    return reply.redirect('/console', 303);
  });

  // A portal that signed the user in already hands over an API bearer token (form field `token`) for a session.
  app.post('/session', { schema: { hide: true } }, async (request, reply) => {
    const token = (request.body as Record<string, unknown> | undefined)?.token;
    let claims: Principal | null = null;
    try {
      const parsed = typeof token === 'string' ? claimsSchema.safeParse(verifyJwt(token, o.jwtSecret)) : null;
      claims = parsed?.success ? parsed.data : null;
    } catch {
      claims = null;
    }
    if (!claims) return k.html(reply, signInPage(k.ctxOf(request, reply), { ...pageOpts, message: '登录凭证无效或已过期，请重新登录。' }), 401);
    await startSession(o.db, reply, claims, 'token', k.cookies, o.clock());
    return reply.redirect('/console', 303);
  });

  app.post('/sign-out', { schema: { hide: true } }, async (request, reply) => {
    await endSession(o.db, request, reply, k.cookies, o.clock());
    request.consoleUser = null;
    return k.html(reply, signInPage(k.ctxOf(request, reply), { ...pageOpts, message: '您已退出登录。' }));
  });
}
