import type { FastifyError, FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import FindMyWay from 'find-my-way';

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'TRACE'] as const;
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { Problem, stepFaultProblem, titleFor, type FieldWords } from '../problem';
import { CONTENT_LANGUAGE, languageOf } from '../language';
import type { Words } from '../../contract/problem';
import { issueWords } from '../zod-words';
import { StepFault } from '../../domain/faults';
import { isDatabaseUnavailable, isTemporalUnavailable } from '../infra-errors';

/** Every error leaves as problem+json; nothing internal (stack, SQL, gRPC detail) is ever written. */
export const errorsPlugin = fp(async (app: FastifyInstance) => {
  // Every route's path and methods, so a request for a path that exists with another method is a 405, not a 404.
  const known = FindMyWay();
  app.addHook('onRoute', (route) => {
    for (const m of [route.method].flat()) {
      const method = m.toUpperCase() as (typeof METHODS)[number];
      if (METHODS.includes(method) && !known.hasRoute(method, route.url)) known.on(method, route.url, () => undefined);
    }
  });
  const methodNotAllowed = (method: string, path: string): string[] | undefined => {
    const allowed = METHODS.filter((m) => known.find(m, path) !== null);
    return allowed.length > 0 && !allowed.includes(method as (typeof METHODS)[number]) ? allowed : undefined;
  };
  // Before the body is read: a method with a body (QUERY) on a path without it is a 405, not a content-type error.
  app.addHook('onRequest', async (request, reply) => {
    if (request.routeOptions.url !== undefined) return;
    const path = request.url.split('?')[0] ?? '/';
    const allowed = methodNotAllowed(request.method, path);
    if (!allowed) return;
    const lang = languageOf(request.headers['accept-language']);
    return reply
      .code(405)
      .header('allow', allowed.join(', '))
      .header('content-language', CONTENT_LANGUAGE[lang])
      .type('application/problem+json')
      .send(wrongMethod(request.method, path, allowed).body(lang, path));
  });
  app.setNotFoundHandler(async (request, reply) => {
    const path = request.url.split('?')[0] ?? '/';
    const allowed = methodNotAllowed(request.method, path);
    const lang = languageOf(request.headers['accept-language']);
    reply.header('content-language', CONTENT_LANGUAGE[lang]);
    if (allowed) {
      return reply
        .code(405)
        .header('allow', allowed.join(', '))
        .type('application/problem+json')
        .send(wrongMethod(request.method, path, allowed).body(lang, path));
    }
    const problem = new Problem(404, {
      zh: `没有 ${request.method} ${path} 这一接口`,
      en: `no route ${request.method} ${path}`,
    });
    return reply.code(404).type('application/problem+json').send(problem.body(lang));
  });

  app.setErrorHandler(async (error: FastifyError, request, reply) => {
    const { problem, headers } = toProblem(error);
    if (problem.status >= 500) request.log.error({ err: error }, 'request failed');
    else request.log.info({ status: problem.status, detail: problem.detail.en }, 'request refused');
    // The language is chosen once, here, for the whole answer: title, detail and every field's message.
    const lang = languageOf(request.headers['accept-language']);
    for (const [k, v] of Object.entries(headers)) reply.header(k, v);
    return reply
      .code(problem.status)
      .header('content-language', CONTENT_LANGUAGE[lang])
      .type('application/problem+json')
      .send({ ...problem.body(lang, request.url.split('?')[0]), requestId: request.id });
  });
});

function toProblem(error: FastifyError): { problem: Problem; headers: Record<string, string> } {
  if (error instanceof Problem) return { problem: error, headers: error.headers };
  if (hasZodFastifySchemaValidationErrors(error)) {
    const where = error.validationContext ?? 'request';
    const errors: FieldWords[] = error.validation.map((v) => ({
      path: [where, ...v.instancePath.split('/').filter(Boolean)].join('.'),
      message: schemaWords(v),
    }));
    const part = PARTS_ZH[where] ?? where;
    return {
      problem: new Problem(400, { zh: `${part}不符合接口的格式要求`, en: `the ${where} does not match the schema` }, { errors }),
      headers: {},
    };
  }
  if (isResponseSerializationError(error)) return internal();
  // The city's settings as stored cannot be used (an override that no longer reads or resolves): say so, never a 500.
  if ((error as unknown) instanceof StepFault) {
    return {
      problem: stepFaultProblem(
        { zh: `城市的设置目前无法使用，请求未能处理（${error.message}）`, en: error.message },
        { fault: error.name },
      ),
      headers: {},
    };
  }
  if (isDatabaseUnavailable(error)) {
    return {
      problem: new Problem(503, { zh: '数据库暂时无法连接，请稍后重试', en: 'the database is not reachable; try again shortly' }),
      headers: { 'retry-after': '5' },
    };
  }
  if (isTemporalUnavailable(error)) {
    return {
      problem: new Problem(503, { zh: '流程服务暂时无法连接，请稍后重试', en: 'the workflow service is not reachable; try again shortly' }),
      headers: { 'retry-after': '5' },
    };
  }
  const status = typeof error.statusCode === 'number' ? error.statusCode : 500;
  if (status >= 400 && status < 500) {
    // Fastify's own client errors (bad JSON, wrong content type, body too large) carry safe messages.
    const en = error.message || titleFor(status);
    return { problem: new Problem(status, { zh: FASTIFY_ZH[error.code] ?? titleFor(status, 'zh'), en }), headers: {} };
  }
  return internal();
}

function internal() {
  return {
    problem: new Problem(500, {
      zh: '服务器未能完成请求，已记录在日志中',
      en: 'the server could not complete the request; it has been logged',
    }),
    headers: {},
  };
}

function wrongMethod(method: string, path: string, allowed: string[]): Problem {
  return new Problem(405, {
    zh: `${path} 不接受 ${method} 请求；可用的方法：${allowed.join('、')}`,
    en: `${path} does not take ${method}; it takes ${allowed.join(', ')}`,
  });
}

const PARTS_ZH: Record<string, string> = { body: '请求体', querystring: '查询参数', params: '路径参数', headers: '请求头' };

/** Fastify's own client errors by code, in Chinese (their English messages are Fastify's). */
const FASTIFY_ZH: Record<string, string> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: '不支持该内容类型；请以 application/json 发送',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: '请求的 Content-Length 与内容长度不符',
  FST_ERR_CTP_BODY_TOO_LARGE: '请求内容过大',
  FST_ERR_CTP_EMPTY_JSON_BODY: '内容类型为 application/json 时请求体不能为空',
  FST_ERR_CTP_INVALID_JSON_BODY: '请求体不是有效的 JSON',
  FST_ERR_CTP_INVALID_TYPE: '内容类型无效',
  FST_ERR_CTP_EMPTY_TYPE: '内容类型为空',
  FST_ERR_BAD_URL: '请求地址格式有误',
};

/** A schema failure in both languages; Fastify keeps zod's issue fields in `params`. */
function schemaWords(v: { keyword: string; message?: string; params?: Record<string, unknown> }): Words {
  return issueWords({ ...v.params, code: v.keyword, message: v.message ?? 'invalid' });
}
