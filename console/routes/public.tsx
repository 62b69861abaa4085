/**
 * 信用信息公示: the pages anyone may read without signing in. They read the API's public routes without a token, as
 * the visitor: the visitor's address goes with each call, so the API's per-client rate limit counts each visitor.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ConsoleKit } from '../kit';
import { publicListingsPage, type PublicListing } from '../pages/public/listings';
import { cataloguePage, measuresPage, type CatalogueItem, type MeasureItem, type Published } from '../pages/public/reference';
import { page } from '../ui';
import { apiUnavailable } from '../api-client';

/** Rows of the published list on a page. */
const LISTINGS_PAGE = 20;

const oneText = z
  .union([z.string(), z.array(z.string())])
  .transform((v) => (Array.isArray(v) ? (v[0] ?? '') : v))
  .optional();

export function publicRoutes(scope: FastifyInstance, k: ConsoleKit): void {
  const app = scope.withTypeProvider<ZodTypeProvider>();

  const read = <T,>(request: FastifyRequest, url: string) => k.api<T>(null, 'GET', url, { remoteAddress: request.ip });

  /** The API's rate limit reached: said as such, with when to try again, rather than as a failure. */
  function tooMany(request: FastifyRequest, reply: FastifyReply, title: string) {
    reply.header('retry-after', '60');
    return k.html(reply, page(title, k.ctxOf(request, reply), <p>查询过于频繁，请一分钟后再试。</p>), 429);
  }

  app.get('/listings', { schema: { hide: true, querystring: z.object({ q: oneText, cursor: oneText }) } }, async (request, reply) => {
    const q = request.query.q?.trim() || undefined;
    const { cursor } = request.query;
    const params = new URLSearchParams({ limit: String(LISTINGS_PAGE), ...(q ? { q } : {}), ...(cursor ? { cursor } : {}) });
    const r = await read<{ items: PublicListing[]; nextCursor: string | null }>(request, `/v1/public/listings?${params.toString()}`);
    if (r.status === 429) return tooMany(request, reply, '严重失信主体名单');
    const ctx = k.ctxOf(request, reply);
    if (r.status === 400 || r.status === 422) {
      // A cursor the API did not issue starts the list again; a search it cannot take is said at its field.
      if (cursor) return reply.redirect(`/console/public/listings${q ? `?q=${encodeURIComponent(q)}` : ''}`, 303);
      const error = {
        title: '请更正查询内容',
        detail: '',
        errors: [{ path: 'q', label: '名称或代码', message: '最多输入100个字符' }],
      };
      return k.html(reply, publicListingsPage(ctx, { q, items: [], nextCursor: null, paged: false, error }), 400);
    }
    if (r.status !== 200) throw apiUnavailable('public listings read', r.status);
    return k.html(reply, publicListingsPage(ctx, { q, ...r.body, paged: Boolean(cursor) }));
  });

  app.get('/catalogue', { schema: { hide: true } }, async (request, reply) => {
    const r = await read<Published & { items: CatalogueItem[] }>(request, '/v1/public/catalogue');
    if (r.status === 429) return tooMany(request, reply, '公共信用信息目录');
    if (r.status !== 200) throw apiUnavailable('public catalogue read', r.status);
    return k.html(reply, cataloguePage(k.ctxOf(request, reply), r.body));
  });

  app.get('/measures', { schema: { hide: true } }, async (request, reply) => {
    const r = await read<Published & { items: MeasureItem[] }>(request, '/v1/public/measures');
    if (r.status === 429) return tooMany(request, reply, '失信惩戒措施清单');
    if (r.status !== 200) throw apiUnavailable('public measures read', r.status);
    return k.html(reply, measuresPage(k.ctxOf(request, reply), r.body));
  });
}
