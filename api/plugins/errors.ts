import type { FastifyError, FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import FindMyWay from 'find-my-way';

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'TRACE'] as const;
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { Problem, stepFaultProblem, titleFor, type FieldError } from '../problem';
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
    const problem = new Problem(405, `${path} does not take ${request.method}; it takes ${allowed.join(', ')}`);
    return reply.code(405).header('allow', allowed.join(', ')).type('application/problem+json').send(problem.body(path));
  });
  app.setNotFoundHandler(async (request, reply) => {
    const path = request.url.split('?')[0] ?? '/';
    const allowed = methodNotAllowed(request.method, path);
    if (allowed) {
      const problem = new Problem(405, `${path} does not take ${request.method}; it takes ${allowed.join(', ')}`);
      return reply.code(405).header('allow', allowed.join(', ')).type('application/problem+json').send(problem.body(path));
    }
    const problem = new Problem(404, `no route ${request.method} ${path}`);
    return reply.code(404).type('application/problem+json').send(problem.body());
  });

  app.setErrorHandler(async (error: FastifyError, request, reply) => {
    const { problem, headers } = toProblem(error);
    if (problem.status >= 500) request.log.error({ err: error }, 'request failed');
    else request.log.info({ status: problem.status, detail: problem.detail }, 'request refused');
    for (const [k, v] of Object.entries(headers)) reply.header(k, v);
    return reply
      .code(problem.status)
      .type('application/problem+json')
      .send({ ...problem.body(request.url.split('?')[0]), requestId: request.id });
  });
});

function toProblem(error: FastifyError): { problem: Problem; headers: Record<string, string> } {
  if (error instanceof Problem) return { problem: error, headers: error.headers };
  if (hasZodFastifySchemaValidationErrors(error)) {
    const where = error.validationContext ?? 'request';
    const errors: FieldError[] = error.validation.map((v) => ({
      path: [where, ...v.instancePath.split('/').filter(Boolean)].join('.'),
      message: v.message ?? 'invalid',
    }));
    return { problem: new Problem(400, `the ${where} does not match the schema`, { errors }), headers: {} };
  }
  if (isResponseSerializationError(error)) return internal();
  // The city's settings as stored cannot be used (an override that no longer reads or resolves): say so, never a 500.
  if ((error as unknown) instanceof StepFault) return { problem: stepFaultProblem(error.message, { fault: error.name }), headers: {} };
  if (isDatabaseUnavailable(error)) {
    return {
      problem: new Problem(503, 'the database is not reachable; try again shortly'),
      headers: { 'retry-after': '5' },
    };
  }
  if (isTemporalUnavailable(error)) {
    return {
      problem: new Problem(503, 'the workflow service is not reachable; try again shortly'),
      headers: { 'retry-after': '5' },
    };
  }
  const status = typeof error.statusCode === 'number' ? error.statusCode : 500;
  if (status >= 400 && status < 500) {
    // Fastify's own client errors (bad JSON, wrong content type, body too large) carry safe messages.
    return { problem: new Problem(status, error.message || titleFor(status)), headers: {} };
  }
  return internal();
}

function internal() {
  return { problem: new Problem(500, 'the server could not complete the request; it has been logged'), headers: {} };
}
