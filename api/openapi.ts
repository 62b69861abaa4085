/**
 * The last pass over the generated OpenAPI document, so it says exactly what the server does (issue 13):
 * every error is application/problem+json with the shape of api/problem.ts, and every status an operation
 * can answer is declared: 400 where it takes input, 401 and 403 where it needs a token, 404 where its path
 * names something, 415 and 413 where it takes a body, 429 where it is rate limited, 503 with Retry-After
 * wherever it reaches Postgres or Temporal (all but /healthz).
 */
type Json = Record<string, unknown>;
type Operation = {
  parameters?: { in: string }[];
  requestBody?: unknown;
  security?: unknown[];
  responses?: Record<string, { description?: string; content?: Record<string, unknown>; headers?: Json }>;
};

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;
const PROBLEM_REF = { $ref: '#/components/schemas/Problem' };

export const PROBLEM_SCHEMA = {
  type: 'object',
  description: 'RFC 9457 problem details; `errors` names each field of a validation failure.',
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    instance: { type: 'string' },
    requestId: { type: 'string' },
    errors: {
      type: 'array',
      items: {
        type: 'object',
        properties: { path: { type: 'string' }, message: { type: 'string' } },
        required: ['path', 'message'],
      },
    },
  },
  required: ['type', 'title', 'status', 'detail'],
  additionalProperties: true,
};

const DESCRIPTIONS: Record<string, string> = {
  '400': 'Malformed request: the schema, or text that cannot be stored (problem+json naming each field)',
  '401': 'Missing or bad bearer token (HS256, or RS256/ES256 from the identity provider: signature, issuer, audience, expiry)',
  '403': 'The role may not do this',
  '404': 'Unknown id, or one the caller may not see',
  '405': 'The path does not take this method',
  '409': 'Not allowed in the case’s current state, or its window has closed',
  '413': 'Body too large',
  '415':
    'Body is not of a type the operation takes: application/json (POST /v1/files: multipart/form-data of PDF, JPEG or PNG files, judged by content)',
  '422': 'Well-formed but breaks a domain rule',
  '429': 'Rate limited',
  '503': "Postgres, Temporal or the identity provider's keys cannot be reached; retry after the Retry-After seconds",
};

/** The language of a problem's title, detail and field messages (api/language.ts). */
const CONTENT_LANGUAGE_HEADER = {
  schema: { type: 'string', enum: ['zh-CN', 'en'] },
  description: 'The language of `title`, `detail` and each `errors[].message`: zh-CN unless the request asked for English.',
};

/** Every operation takes it; only problems are worded, so only their language follows it. */
const ACCEPT_LANGUAGE_PARAMETER = {
  name: 'Accept-Language',
  in: 'header',
  required: false,
  // Any value is taken (one the API cannot read gives Chinese), so the document sets no bound the server does not.
  schema: { type: 'string' },
  description:
    'The language of a problem answer: Chinese by default; English when `en` (any `en-*`) weighs more than `zh` (q-values honoured). ' +
    'Any other language counts as no preference. `type` is the same in either language.',
  example: 'en-US,en;q=0.9',
};

function problem(code: string): { description: string; content: Json; headers: Json } {
  return {
    description: DESCRIPTIONS[code] ?? 'Error',
    content: { 'application/problem+json': { schema: PROBLEM_REF } },
    headers: {
      'Content-Language': CONTENT_LANGUAGE_HEADER,
      ...(code === '503' || code === '429' ? { 'Retry-After': { schema: { type: 'integer' }, description: 'seconds' } } : {}),
    },
  };
}

export function finishOpenApi<D extends object>(doc: D, rateLimited: (path: string) => boolean): D {
  const components = (('components' in doc ? doc.components : undefined) ?? {}) as Json;
  Object.assign(doc, { components: { ...components, schemas: { ...(components.schemas as Json | undefined), Problem: PROBLEM_SCHEMA } } });
  const paths = (('paths' in doc ? doc.paths : undefined) ?? {}) as Record<string, Record<string, Operation>>;
  for (const [path, item] of Object.entries(paths)) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const responses = (op.responses ??= {});
      const takesInput = (op.parameters?.length ?? 0) > 0 || op.requestBody !== undefined;
      const codes = new Set(Object.keys(responses).filter((c) => Number(c) >= 400));
      if (takesInput) codes.add('400');
      if (op.security?.length) codes.add('401').add('403');
      if (path.includes('{')) codes.add('404');
      if (op.requestBody !== undefined) codes.add('413').add('415');
      // A cursor of the right form that this API did not issue is well-formed but unusable.
      if (op.parameters?.some((p) => (p as { name?: string }).name === 'cursor')) codes.add('422');
      if (rateLimited(path)) codes.add('429');
      if (path !== '/healthz') codes.add('503');
      for (const code of codes) responses[code] = problem(code);
      // Declared after the codes: a header every operation takes is not input that can be malformed (no 400 for it).
      const parameters = (op.parameters ??= []);
      if (!parameters.some((p) => (p as { name?: string }).name?.toLowerCase() === 'accept-language'))
        parameters.push(ACCEPT_LANGUAGE_PARAMETER);
    }
  }
  return doc;
}
