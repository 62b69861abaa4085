import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyBaseLogger, type FastifyReply } from 'fastify';
import fp from 'fastify-plugin';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { inputHygienePlugin } from './plugins/input-hygiene';
import { finishOpenApi } from './openapi';
import { Problem } from './problem';
import { CONTENT_LANGUAGE, languageOf } from './language';
import type { Client } from '@temporalio/client';
import type { Logger } from 'pino';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Db } from '../db/client';
import { authPlugin } from './plugins/auth';
import { errorsPlugin } from './plugins/errors';
import { healthRoutes } from './routes/health';
import { referenceRoutes } from './routes/reference';
import { caseRoutes } from './routes/cases';
import { auditRoutes } from './routes/audit';
import { calendarRoutes } from './routes/calendar';
import { deadlineRoutes } from './routes/deadlines';
import { policyRoutes } from './routes/policy';
import { documentRoutes } from './routes/documents';
import { publicListingRoutes } from './routes/public-listings';
import { recordRoutes } from './routes/records';
import { reportRoutes } from './routes/reports';
import { repairEligibilityRoutes } from './routes/repair-eligibility';
import { workbenchRoutes } from './routes/workbench';
import { settingsRoutes } from './routes/settings';
import { catalogueProposalRoutes } from './routes/catalogue-proposals';
import { fileRoutes } from './routes/files';
import { exchangeRoutes } from './routes/exchange';
import { departmentContactRoutes } from './routes/department-contacts';
import { serviceAddressRoutes } from './routes/service-addresses';
import { devMailRoutes } from './routes/dev-mail';
import { consolePlugin } from '../console/plugin';
import type { OidcSettings } from '../console/oidc';
import type { ProviderTokenSettings } from './provider-tokens';
import { withRequestRedaction } from './logger';
import type { AuditSigner } from '../db/audit-signing';
import { ACTION_ANSWER_DEADLINE_MS, startActionChangesSweeper } from './action-changes';

export interface AppDeps {
  db: Db;
  temporal: Client;
  taskQueue: string;
  jwtSecret: string;
  /**
   * The legal "now" of requests (receipt of an application, an action, a query). The system clock in
   * production; tests on Temporal's time-skipping server pass the server's clock so the API and the
   * workflows agree on what day it is.
   */
  clock?: () => Date;
  /**
   * How long `POST /v1/cases` waits for a new case's workflow to record its opening before it answers 503
   * (20 s by default): with no worker polling, the answer would never come.
   */
  startAnswerDeadlineMs?: number;
  /**
   * How long `POST /v1/cases/{id}/actions/{action}` waits for the case's workflow to answer before it answers
   * 503 with Retry-After (20 s by default): a step waiting on a dependency that is down is retried, not refused.
   */
  actionAnswerDeadlineMs?: number;
  /** Bearer tokens the identity provider signs (api/provider-tokens.ts); absent, only the HS256 tokens are taken. */
  providerTokens?: ProviderTokenSettings | undefined;
  /** The key that signs the audit chain's checkpoints: verify checks them with it, and exports its public half. */
  auditSigner?: AuditSigner | undefined;
  /** The web console under /console (console/plugin.ts); off when absent. */
  console?: { devSignIn: boolean; secureCookies: boolean; oidc?: OidcSettings | undefined };
  /**
   * How often this process looks for actions whose changes an API left unwritten (api/action-changes.ts; 2 s by
   * default); 0: never (a process that only serves reads).
   */
  actionChangesSweepMs?: number;
  /** The embedded default's mail catcher's directory (MAIL_CATCHER_DIR, set by `npm start`): its mails for supervisors. */
  mailCatcherDir?: string | undefined;
}

/** The whole HTTP API as one Fastify plugin, so tests register it with their own dependencies and use `inject`. */
export const apiPlugin = fp<AppDeps>(async (app, deps) => {
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  await app.register(errorsPlugin);
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Credit procedures API (张掖市社会信用程序)',
        description: 'Serious-dishonesty listing, objection and credit repair procedures. Errors are application/problem+json.',
        version: '1',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
    },
    transform: jsonSchemaTransform,
    transformObject: (d) =>
      finishOpenApi('openapiObject' in d ? d.openapiObject : d.swaggerObject, (path) => path.startsWith('/v1/public/')),
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  await app.register(authPlugin, { secret: deps.jwtSecret, providerTokens: deps.providerTokens, db: deps.db });
  await app.register(inputHygienePlugin);
  await app.register(healthRoutes, deps);
  await app.register(referenceRoutes, deps);
  await app.register(caseRoutes, deps);
  await app.register(auditRoutes, deps);
  await app.register(calendarRoutes, deps);
  await app.register(deadlineRoutes, deps);
  await app.register(policyRoutes, deps);
  await app.register(documentRoutes, deps);
  await app.register(publicListingRoutes, deps);
  await app.register(recordRoutes, deps);
  await app.register(reportRoutes, deps);
  await app.register(repairEligibilityRoutes, deps);
  await app.register(workbenchRoutes, deps);
  await app.register(settingsRoutes, deps);
  await app.register(catalogueProposalRoutes, deps);
  await app.register(fileRoutes, deps);
  await app.register(exchangeRoutes, deps);
  await app.register(departmentContactRoutes, deps);
  await app.register(serviceAddressRoutes, deps);
  if (deps.mailCatcherDir) await app.register(devMailRoutes, { dir: deps.mailCatcherDir });
  if (deps.actionChangesSweepMs !== 0) {
    let sweeper: ReturnType<typeof startActionChangesSweeper> | undefined;
    app.addHook('onReady', () => {
      sweeper = startActionChangesSweeper({
        db: deps.db,
        temporal: deps.temporal,
        log: app.log,
        intervalMs: deps.actionChangesSweepMs ?? 2000,
        // Older than any action still waiting for its answer here (routes/cases.ts).
        graceMs: (deps.actionAnswerDeadlineMs ?? ACTION_ANSWER_DEADLINE_MS) + 5000,
      });
      return Promise.resolve();
    });
    app.addHook('onClose', async () => {
      await sweeper?.stop();
    });
  }
});

export async function buildApp(deps: AppDeps, logger: Logger) {
  const app = Fastify({
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- the instance's logger type follows this option, and callers expect FastifyBaseLogger's
    loggerInstance: withRequestRedaction(logger) as FastifyBaseLogger,
    // Honour a caller's request id so one id follows a request across services.
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.-]{1,100}$/.test(given) ? given : randomUUID();
    },
    bodyLimit: 1_048_576,
    // A `__proto__` or `constructor.prototype` key is dropped, not a 400: unknown properties are ignored everywhere else too.
    onProtoPoisoning: 'remove',
    onConstructorPoisoning: 'remove',
    // Long path parameters reach the schema (a 400 naming the field) rather than the router's own 414.
    routerOptions: { maxParamLength: 2_000 },
    // What the router refuses before any route (a malformed URL, a path past maxParamLength) leaves as problem+json too.
    frameworkErrors: (error, req, reply) => {
      const status =
        typeof (error as { statusCode?: unknown }).statusCode === 'number' ? (error as { statusCode: number }).statusCode : 400;
      const lang = languageOf(req.headers['accept-language']);
      const body = new Problem(
        status,
        status === 414
          ? { zh: '路径参数过长', en: 'a path parameter is too long' }
          : { zh: '请求地址格式有误', en: 'the request URL is malformed' },
      ).body(lang);
      void (reply as unknown as FastifyReply)
        .code(status)
        .header('content-language', CONTENT_LANGUAGE[lang])
        .type('application/problem+json')
        .send(body);
    },
  }).withTypeProvider<ZodTypeProvider>();
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  await app.register(apiPlugin, deps);
  if (deps.console) {
    await app.register(consolePlugin, {
      prefix: '/console',
      db: deps.db,
      jwtSecret: deps.jwtSecret,
      clock: deps.clock ?? (() => new Date()),
      ...deps.console,
    });
  }
  return app;
}
