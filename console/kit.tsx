/** What every console route needs: the options, the API as the signed-in user, the page context and the answers. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../db/client';
import type { OidcSettings } from './oidc';
import { apiClient } from './api-client';
import { csrfSecret, csrfToken, type CookieOptions } from './session';
import { page, type PageContext } from './ui';

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
  notFound(request: FastifyRequest, reply: FastifyReply, title: string, text: string): FastifyReply;
}

export function consoleKit(o: ConsoleOptions, api: ReturnType<typeof apiClient>): ConsoleKit {
  const cookies = { secure: o.secureCookies };
  const ctxOf = (request: FastifyRequest, reply: FastifyReply): PageContext => ({
    user: request.consoleUser,
    csrf: csrfToken(o.jwtSecret, csrfSecret(request, reply, cookies)),
    path: request.url.split('?')[0] ?? request.url,
  });
  const html = (reply: FastifyReply, body: string, status = 200) => reply.code(status).type('text/html; charset=utf-8').send(body);
  return {
    o,
    cookies,
    api,
    ctxOf,
    html,
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
