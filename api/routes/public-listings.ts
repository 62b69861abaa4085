import { z } from 'zod';
import rateLimit from '@fastify/rate-limit';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppDeps } from '../app';
import { Problem } from '../problem';
import { decodeCursor, encodeCursor, foreignCursor, pageOf, pageQuery, problemSchema } from '../schemas/common';
import { publicReferenceRoutes } from './public-reference';
import { maskResidentId, maskSubjectId, normalizeId, subjectKinds, type SubjectKind } from '../../domain/identity';

/** Requests a minute one client may make to the public list, unless deps or the environment say otherwise. */
export const DEFAULT_PUBLIC_RATE_LIMIT_PER_MINUTE = 120;

const listingItem = z.object({
  caseId: z.string(),
  subject: z.object({ kind: z.enum(subjectKinds), name: z.string(), id: z.string() }),
  category: z.string(),
  measures: z.array(z.object({ code: z.string(), title: z.string() })),
  listedFrom: z.string(),
  listedUntil: z.string(),
  department: z.string(),
  decisionNumber: z.string(),
});

interface ListingRow {
  case_id: string;
  subject_kind: string;
  subject_id: string;
  subject_name: string;
  department: string;
  category: string;
  measures: unknown;
  decision_number: string;
  listed_from: string;
  listed_until: string;
}

/**
 * The published serious-dishonesty list (Art 44 (6)): open to everybody, no token, rate limited per client.
 * Only rows currently `listed` are published; a natural person's ID number leaves masked, and a search finds a
 * person only by name or by the full, exact ID number, never by a masked or partial one.
 * Public data: not audited, but every read is logged.
 */
export const publicListingRoutes: FastifyPluginAsyncZod<AppDeps & { publicRateLimitPerMinute?: number }> = async (app, deps) => {
  const { db } = deps;
  const max = deps.publicRateLimitPerMinute ?? rateLimitFromEnv();

  // Applies only to routes of this plugin that ask for it (config.rateLimit); a 429 leaves as problem+json
  // through the errors plugin, with the Retry-After header the limiter sets.
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_request, context) =>
      new Problem(context.statusCode, {
        zh: `请求过于频繁：每分钟最多 ${context.max} 次；请于 ${context.after} 后重试`,
        en: `rate limit exceeded: at most ${context.max} requests a minute; retry in ${context.after}`,
      }),
  });

  publicReferenceRoutes(app, db, max);

  app.get(
    '/v1/public/listings',
    {
      config: { rateLimit: { max, timeWindow: '1 minute' } },
      schema: {
        tags: ['public'],
        summary: 'The published serious-dishonesty list (Art 44 (6)); no token needed, rate limited',
        security: [],
        querystring: z.object({
          q: z
            .string()
            .trim()
            .max(100)
            .optional()
            .transform((v) => v || undefined)
            .describe('part of the subject name, or the full identifier (a natural person: the full ID number)'),
          ...pageQuery,
        }),
        response: {
          200: z.object({ items: z.array(listingItem), nextCursor: z.string().nullable() }),
          400: problemSchema,
          401: problemSchema,
          429: problemSchema,
        },
      },
    },
    async (request) => {
      const { q, limit, cursor } = request.query;
      const after = decodeCursor(cursor, ['date', 'id']) as [string, string] | null;
      if (after && !after.every((x) => typeof x === 'string')) {
        throw foreignCursor();
      }
      const pattern = q ? `%${escapeLike(q)}%` : null;
      const exactId = q ? normalizeId(q) : null;
      const afterFrom = after ? after[0] : null;
      const afterCase = after ? after[1] : null;
      const rows = await db.$queryRaw<ListingRow[]>`
        SELECT case_id, subject_kind, subject_id, subject_name, department, category, measures,
               decision_number, listed_from, listed_until
        FROM public_listings
        WHERE status = 'listed'
          AND (${pattern}::text IS NULL OR subject_name ILIKE ${pattern}::text ESCAPE '!' OR subject_id = ${exactId}::text)
          AND (${afterFrom}::text IS NULL OR (listed_from, case_id) < (${afterFrom}::text, ${afterCase}::text))
        ORDER BY listed_from DESC, case_id DESC
        LIMIT ${limit + 1}`;
      const { page, nextCursor } = pageOf(rows, limit, (last) => encodeCursor([last.listed_from, last.case_id]));
      request.log.info(
        { query: q === undefined ? undefined : maskForLog(q), count: page.length, paged: after !== null },
        'public listings read',
      );
      return {
        items: page.map(toPublished),
        nextCursor,
      };
    },
  );
};

function toPublished(r: ListingRow): z.infer<typeof listingItem> {
  const kind = (subjectKinds as readonly string[]).includes(r.subject_kind) ? (r.subject_kind as SubjectKind) : 'natural_person';
  return {
    caseId: r.case_id,
    // Anything of an unknown kind is treated as a person, so its identifier is masked rather than leaked.
    subject: { kind, name: r.subject_name, id: maskSubjectId(kind, r.subject_id) },
    category: r.category,
    measures: publishedMeasures(r.measures),
    listedFrom: r.listed_from,
    listedUntil: r.listed_until,
    department: r.department,
    decisionNumber: r.decision_number,
  };
}

/** The row's measures are stored as `[{ code, title, level }]`; the list publishes code and title. */
function publishedMeasures(json: unknown): { code: string; title: string }[] {
  if (!Array.isArray(json)) return [];
  return json.flatMap((m) => {
    if (!m || typeof m !== 'object') return [];
    const { code, title } = m as { code?: unknown; title?: unknown };
    return typeof code === 'string' ? [{ code, title: typeof title === 'string' ? title : '' }] : [];
  });
}

/** `%`, `_` and the escape character itself match literally (used with ESCAPE '!'). */
function escapeLike(s: string): string {
  return s.replace(/[!%_]/g, (c) => `!${c}`);
}

/** A search by a person's ID number is allowed, but the number is not written to the logs in full. */
function maskForLog(q: string): string {
  return /^\d{17}[\dXx]$/.test(q) ? maskResidentId(q.toUpperCase()) : q;
}

function rateLimitFromEnv(): number {
  const raw = process.env.PUBLIC_RATE_LIMIT_PER_MINUTE;
  if (raw === undefined || raw.trim() === '') return DEFAULT_PUBLIC_RATE_LIMIT_PER_MINUTE;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) {
    throw new Error(`PUBLIC_RATE_LIMIT_PER_MINUTE must be a positive whole number of requests a minute, got '${raw}'`);
  }
  return n;
}
