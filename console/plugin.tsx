/**
 * The web console under /console: pages rendered on the server (preact, escaping by default), htmx from npm for
 * quicker partial updates, everything served by this app (government intranets are offline). Pages work without
 * JavaScript. Every read and action goes through the API as the signed-in user (api-client.ts).
 */
import type { FastifyError, FastifyInstance, FastifyPluginCallback } from 'fastify';
import formbody from '@fastify/formbody';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Principal } from '../contract/principal';
import { apiClient } from './api-client';
import { assetOf } from './assets';
import { signInRequired } from './guards';
import { consoleKit, type ConsoleKit, type ConsoleOptions } from './kit';
import { caseRoutes, queueRoutes, workbenchRoutes } from './routes/cases';
import { consoleMultipart } from './multipart';
import { listingRoutes } from './routes/listing-new';
import { publicRoutes } from './routes/public';
import { recordRoutes } from './routes/records';
import { subjectFilingRoutes } from './routes/subject/filings';
import { subjectReadingRoutes } from './routes/subject/reading';
import { subjectRecordRoutes } from './routes/subject/records';
import { supervisorOversightRoutes } from './routes/supervisor/oversight';
import { supervisorExchangeRoutes } from './routes/supervisor/exchange';
import { supervisorWorkRoutes } from './routes/supervisor/work';
import { supervisorReminderRoutes } from './routes/supervisor/reminders';
import { signInRoutes } from './routes/sign-in';
import { officerServiceAddressRoutes, subjectServiceAddressRoutes } from './routes/service-addresses';
import { devMailRoutes } from './routes/dev-mail';
import { csrfValid, sessionOf } from './session';
import { page } from './ui';

export type { ConsoleOptions } from './kit';

const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

declare module 'fastify' {
  interface FastifyContextConfig {
    /** What the page says when the route's params are not of its shape (a not-found page, as for an unknown id). */
    notFound?: { title: string; text: string };
  }
}

/** Posts that carry no CSRF token: the token handover, which the bearer token itself authenticates. */
const CSRF_EXEMPT = new Set(['/console/session']);

export async function consolePlugin(app: FastifyInstance, o: ConsoleOptions): Promise<void> {
  const k = consoleKit(o, apiClient(app, o.jwtSecret));
  await app.register(formbody);
  // Forms with files (console/evidence.tsx): their fields are on request.body before the CSRF hook below reads `_csrf`.
  await consoleMultipart(app);
  app.decorateRequest('consoleUser', null);

  app.addHook('onRequest', async (request, reply) => {
    reply.header('content-security-policy', CSP);
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'same-origin');
    reply.header('cache-control', 'no-store');
    request.consoleUser = await sessionOf(o.db, request, o.clock());
  });
  // preValidation, so a stale form is refused before its area's sign-in hook or its params are judged.
  app.addHook('preValidation', async (request, reply) => {
    if (request.method !== 'POST' || CSRF_EXEMPT.has(request.url)) return;
    const sent = (request.body as Record<string, unknown> | undefined)?._csrf;
    if (!csrfValid(o.jwtSecret, request, sent)) {
      await k.html(reply, page('请求已失效', k.ctxOf(request, reply), <p>页面已过期或请求来源不明，请返回上一页刷新后重试。</p>), 403);
    }
  });
  app.setErrorHandler(async (err: FastifyError, request, reply) => {
    if (err.validationContext === 'params') {
      const { title, text } = request.routeOptions.config.notFound ?? { title: '页面不存在', text: '' };
      return k.notFound(request, reply, title, text);
    }
    request.log.error({ err }, 'console page failed');
    const status = err.statusCode ?? 500;
    const busy = status >= 500;
    if (busy) reply.header('retry-after', '5');
    const text = busy ? '系统的某个组件暂时不可用，请稍后重试；已填写的内容不会丢失，请使用浏览器的返回键。' : '请求的格式不正确。';
    return k.html(reply, page(busy ? '系统暂时无法处理' : '请求有误', k.ctxOf(request, reply), <p>{text}</p>), busy ? 503 : status);
  });
  app.setNotFoundHandler(async (request, reply) =>
    k.html(
      reply,
      page(
        '页面不存在',
        k.ctxOf(request, reply),
        <p>
          <a href="/console">返回工作台</a>
        </p>,
      ),
      404,
    ),
  );

  app
    .withTypeProvider<ZodTypeProvider>()
    .get('/assets/:name', { schema: { hide: true, params: z.object({ name: z.string() }) } }, async (request, reply) => {
      const a = assetOf(request.params.name);
      if (!a) {
        reply.callNotFound();
        return reply;
      }
      reply.header('cache-control', 'public, max-age=3600');
      return reply.type(a.type).send(a.body);
    });

  // One encapsulated plugin per area, each with the one hook that says who may enter it.
  const area =
    (role: Principal['role'] | null, routes: (app: FastifyInstance, k: ConsoleKit) => void): FastifyPluginCallback =>
    (scope, _opts, done) => {
      scope.addHook('preValidation', signInRequired(role));
      routes(scope, k);
      done();
    };
  signInRoutes(app, k);
  await app.register(area(null, workbenchRoutes));
  await app.register(area('officer', queueRoutes), { prefix: '/queues' });
  await app.register(area(null, caseRoutes), { prefix: '/cases' });
  await app.register(area('officer', listingRoutes), { prefix: '/cases' });
  await app.register(area('officer', recordRoutes), { prefix: '/records' });
  await app.register(area('subject', subjectRecordRoutes), { prefix: '/me' });
  await app.register(area('subject', subjectFilingRoutes), { prefix: '/me' });
  await app.register(area('subject', subjectReadingRoutes), { prefix: '/me' });
  await app.register(area('supervisor', supervisorWorkRoutes), { prefix: '/supervise' });
  await app.register(area('supervisor', supervisorOversightRoutes), { prefix: '/supervise' });
  await app.register(area('supervisor', supervisorExchangeRoutes), { prefix: '/supervise' });
  await app.register(area('supervisor', supervisorReminderRoutes), { prefix: '/supervise' });
  await app.register(area('officer', officerServiceAddressRoutes), { prefix: '/cases' });
  await app.register(area('subject', subjectServiceAddressRoutes), { prefix: '/me' });
  await app.register(area('supervisor', devMailRoutes), { prefix: '/supervise' });
  // Open to anyone, signed in or not.
  await app.register(
    (scope, _opts, done) => {
      publicRoutes(scope, k);
      done();
    },
    { prefix: '/public' },
  );
}
