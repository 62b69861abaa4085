/**
 * Signing in and out: the development identities, the token handover of a portal, an OpenID provider. Signing out of a
 * session begun at the provider signs out there too (where it offers RP-initiated logout), and so does "sign in as
 * someone else" on the page that refuses an account without a role, so the next sign-in is not the same account again.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { principalOfToken } from '../api-client';
import { formBody } from '../form-fields';
import type { ConsoleKit } from '../kit';
import { DEV_IDENTITIES, signInPage } from '../pages/sign-in';
import { OIDC_COOKIE, OIDC_TRANSACTION_SECONDS, OidcSignInError, SIGNED_OUT_STATE, oidcClient } from '../oidc';
import { cookiesOf, endSession, setCookie, startSession } from '../session';
import { page } from '../ui';

/**
 * The ID token of an account the provider vouched for and this system refused: kept (HttpOnly, 10 minutes) only so
 * that "sign in as someone else" can end that provider session with it as the hint.
 */
const REFUSED_HINT_COOKIE = 'sc_oidc_refused';

const OIDC_REFUSALS: Record<OidcSignInError['reason'], { status: number; text: string }> = {
  expired: { status: 400, text: '登录已超时或不是从本浏览器发起的，请重新登录。' },
  refused: { status: 401, text: '统一身份认证未能确认您的身份，请重新登录。' },
  unauthorised: { status: 403, text: '您的账号尚未获授权使用本系统，请联系本单位信用工作管理员。' },
  unavailable: { status: 503, text: '统一身份认证暂时无法访问，请稍后重试。' },
};

export function signInRoutes(scope: FastifyInstance, k: ConsoleKit): void {
  const app = scope.withTypeProvider<ZodTypeProvider>();
  const { o } = k;
  const pageOpts = { devSignIn: o.devSignIn, oidc: Boolean(o.oidc) };

  // `state`: what the provider hands back after signing out at it (RP-initiated logout).
  app.get('/sign-in', { schema: { hide: true, querystring: z.object({ state: z.string().optional() }) } }, async (request, reply) =>
    k.html(
      reply,
      signInPage(k.ctxOf(request, reply), {
        ...pageOpts,
        ...(request.query.state === SIGNED_OUT_STATE ? { message: '您已退出登录，统一身份认证的登录也已退出。' } : {}),
      }),
    ),
  );

  app.post('/sign-in/dev', { schema: { hide: true, body: formBody } }, async (request, reply) => {
    const i = Number(request.body.identity);
    const identity = o.devSignIn ? DEV_IDENTITIES[i] : undefined;
    if (!identity) return k.html(reply, signInPage(k.ctxOf(request, reply), { ...pageOpts, message: '请选择开发身份。' }), 400);
    await startSession(o.db, reply, { claims: identity.claims, via: 'dev', cookies: k.cookies, now: o.clock() });
    return reply.redirect('/console', 303);
  });

  // A portal that signed the user in already hands over an API bearer token (form field `token`) for a session.
  app.post('/session', { schema: { hide: true } }, async (request, reply) => {
    const claims = principalOfToken((request.body as Record<string, unknown> | undefined)?.token, o.jwtSecret);
    if (!claims)
      return k.html(reply, signInPage(k.ctxOf(request, reply), { ...pageOpts, message: '登录凭证无效或已过期，请重新登录。' }), 401);
    await startSession(o.db, reply, { claims, via: 'token', cookies: k.cookies, now: o.clock() });
    return reply.redirect('/console', 303);
  });

  let oidcSignOut: ((idToken: string | null) => Promise<string | null>) | null = null;
  if (o.oidc) {
    const settings = o.oidc;
    const oidc = oidcClient(settings, o.jwtSecret);
    oidcSignOut = (idToken) => oidc.signOutUrl(idToken);
    const refused = (request: FastifyRequest, reply: FastifyReply, err: unknown) => {
      if (!(err instanceof OidcSignInError)) throw err;
      // The provider's own error says why (its log need not be asked); the code and the tokens are never logged.
      const said = err.more.provider;
      request.log.warn(
        { reason: err.reason, ...(said ? { error: said.error, error_description: said.error_description } : {}), detail: err.message },
        'OpenID sign-in refused',
      );
      const r = OIDC_REFUSALS[err.reason];
      if (r.status === 503) reply.header('retry-after', '30');
      if (err.more.idToken)
        setCookie(reply, k.cookies, { name: REFUSED_HINT_COOKIE, value: err.more.idToken, maxAgeSeconds: OIDC_TRANSACTION_SECONDS });
      const ctx = k.ctxOf(request, reply);
      return k.html(
        reply,
        signInPage(ctx, { ...pageOpts, message: r.text, ...(err.reason === 'unauthorised' ? { otherAccount: true } : {}) }),
        r.status,
      );
    };

    // `prompt=login`: someone else signs in at a provider that offers no sign-out (see the sign-out below).
    const startQuery = z.object({ prompt: z.literal('login').optional() });
    app.get('/sign-in/oidc', { schema: { hide: true, querystring: startQuery } }, async (request, reply) => {
      let started: Awaited<ReturnType<typeof oidc.start>>;
      try {
        started = await oidc.start(o.clock(), request.query.prompt ? { prompt: request.query.prompt } : {});
      } catch (err) {
        return refused(request, reply, err);
      }
      setCookie(reply, k.cookies, { name: OIDC_COOKIE, value: started.cookie, maxAgeSeconds: OIDC_TRANSACTION_SECONDS, lax: true });
      return reply.redirect(started.url, 303);
    });

    app.get('/oidc/callback', { schema: { hide: true } }, async (request, reply) => {
      const url = new URL(settings.redirectUri);
      url.search = request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : '';
      let signedIn: Awaited<ReturnType<typeof oidc.finish>>;
      try {
        signedIn = await oidc.finish(url, cookiesOf(request)[OIDC_COOKIE], o.clock());
      } catch (err) {
        return refused(request, reply, err);
      }
      const { principal: claims, idToken } = signedIn;
      await startSession(o.db, reply, { claims, via: 'oidc', idToken, cookies: k.cookies, now: o.clock() });
      setCookie(reply, k.cookies, { name: OIDC_COOKIE, value: '', maxAgeSeconds: 0, lax: true });
      request.log.info({ actor: claims.sub, actorName: claims.name, role: claims.role }, 'signed in through the OpenID provider');
      // A page, not a redirect: the browser arrived here from the provider's site, and a redirect would carry on
      // that cross-site navigation, which does not send the new SameSite=Strict session cookie.
      return k.html(
        reply,
        page(
          '登录成功',
          k.ctxOf(request, reply),
          <p>
            <a href="/console">进入工作台</a>
          </p>,
          { refreshTo: '/console' },
        ),
      );
    });
  }

  // `then=other`: "sign in as someone else" from the page that refused an account without a role.
  app.post('/sign-out', { schema: { hide: true, body: formBody } }, async (request, reply) => {
    const ended = await endSession(o.db, { request, reply }, { cookies: k.cookies, now: o.clock() });
    request.consoleUser = null;
    const refusedHint = cookiesOf(request)[REFUSED_HINT_COOKIE];
    if (refusedHint) setCookie(reply, k.cookies, { name: REFUSED_HINT_COOKIE, value: '', maxAgeSeconds: 0 });
    const other = request.body.then === 'other';
    if (oidcSignOut && (ended?.via === 'oidc' || refusedHint || other)) {
      const atProvider = await oidcSignOut(ended?.via === 'oidc' ? ended.idToken : (refusedHint ?? null));
      // A page that goes on by itself, not a redirect: the CSP's form-action 'self' holds for a form's whole redirect
      // chain, so a redirect from this form to the provider would be blocked.
      const onwards = atProvider ?? (other ? '/console/sign-in/oidc?prompt=login' : null);
      if (onwards) {
        const text = atProvider ? '正在退出统一身份认证…' : '正在转到统一身份认证…';
        const body = (
          <p>
            <a href={onwards}>{text}</a>
          </p>
        );
        return k.html(reply, page('退出登录', k.ctxOf(request, reply), body, { refreshTo: onwards }));
      }
    }
    return k.html(reply, signInPage(k.ctxOf(request, reply), { ...pageOpts, message: '您已退出登录。' }));
  });
}
