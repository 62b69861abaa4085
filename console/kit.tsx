/** What every console route needs: the options, the API as the signed-in user, the page context and the answers. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Principal } from '../api/plugins/auth';
import type { Db } from '../db/client';
import type { OidcSettings } from './oidc';
import { apiClient } from './api-client';
import { csrfSecret, csrfToken, type CookieOptions } from './session';
import { page, type PageContext } from './ui';

export type Officer = Extract<Principal, { role: 'officer' }>;

export interface ConsoleOptions {
  db: Db;
  jwtSecret: string;
  devSignIn: boolean;
  secureCookies: boolean;
  clock: () => Date;
  /** Sign-in through an OpenID provider; absent, only the development sign-in and the token handover are offered. */
  oidc?: OidcSettings | undefined;
}

export interface ConsoleKit {
  o: ConsoleOptions;
  cookies: CookieOptions;
  api: ReturnType<typeof apiClient>;
  ctxOf(request: FastifyRequest, reply: FastifyReply): PageContext;
  html(reply: FastifyReply, body: string, status?: number): FastifyReply;
  /** The signed-in user, or null after answering with a redirect to sign in. */
  userOr(request: FastifyRequest, reply: FastifyReply): Principal | null;
  /** The signed-in officer, or null after redirecting anyone else (to sign in, or to their start page). */
  officerOr(request: FastifyRequest, reply: FastifyReply): Officer | null;
  notFound(request: FastifyRequest, reply: FastifyReply, title: string, text: string): FastifyReply;
}

export function consoleKit(o: ConsoleOptions, api: ReturnType<typeof apiClient>): ConsoleKit {
  const cookies = { secure: o.secureCookies };
  const ctxOf = (request: FastifyRequest, reply: FastifyReply): PageContext => ({
    user: request.consoleUser ?? null,
    csrf: csrfToken(o.jwtSecret, csrfSecret(request, reply, cookies)),
    path: request.url.split('?')[0]!,
  });
  const html = (reply: FastifyReply, body: string, status = 200) => reply.code(status).type('text/html; charset=utf-8').send(body);
  const userOr = (request: FastifyRequest, reply: FastifyReply): Principal | null => {
    if (request.consoleUser) return request.consoleUser;
    void reply.redirect('/console/sign-in', 303);
    return null;
  };
  return {
    o,
    cookies,
    api,
    ctxOf,
    html,
    userOr,
    officerOr(request, reply) {
      const user = userOr(request, reply);
      if (!user) return null;
      if (user.role === 'officer') return user;
      void reply.redirect('/console', 303);
      return null;
    },
    notFound: (request, reply, title, text) =>
      html(
        reply,
        page(
          title,
          ctxOf(request, reply),
          <p>
            {text}
            <a href="/console">返回工作台</a>
          </p>,
        ),
        404,
      ),
  };
}
