import { z } from 'zod';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Db } from '../../db/client';
import { problemSchema } from '../schemas/common';
import { recordCategories } from '../../domain/records';
import { catalogueRecordedBy, catalogueScopes } from '../../domain/credit-catalogue';
import { measureLevels, measureScopes } from '../../domain/reference-data';

const published = {
  version: z.string().nullable(),
  loadedAt: z.string().nullable(),
  sources: z.array(z.object({ scope: z.string(), title: z.string() })),
};

export const catalogueItemView = z.object({
  code: z.string(),
  title: z.string(),
  category: z.enum(recordCategories),
  article: z.string().describe('the item of Art 33, 34 or 35, e.g. 34(二)'),
  departments: z.array(z.string()).describe('departments that may supply it; empty: any supplying department'),
  penalty: z
    .boolean()
    .describe(
      'rests on an administrative penalty: only general procedure, neither minor nor remedied, is dishonesty information (Art 34 (二))',
    ),
  publicity: z.string(),
  source: z.string(),
  scope: z.string().describe(catalogueScopes.join(', ')),
  recordedBy: z.string().describe(`${catalogueRecordedBy.join(', ')}: who writes records of it`),
  version: z.string().describe('the catalogue version the item came in: shipped, or `…+city.N` for one changed by an approved proposal'),
  withdrawnAt: z
    .string()
    .nullable()
    .describe('withdrawn by an approved proposal: records already supplied keep this type, no new record may have it'),
});

const measureItem = z.object({
  code: z.string(),
  title: z.string(),
  level: z.enum(measureLevels),
  basis: z.string(),
  scope: z.string().describe(measureScopes.join(', ')),
  maxYears: z.number().int().nullable(),
});

const errors = { 429: problemSchema };

/**
 * The published catalogue (Art 32) and measure list (Art 43): public by law, so no token, rate limited per
 * client like the public list. Read from Postgres, where the loader put the shipped lists and operators add
 * supplements; the version is the one last loaded. Registered inside the public listings' plugin, which holds
 * the rate limiter.
 */
export function publicReferenceRoutes(app: FastifyInstance, db: Db, max: number): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const versionOf = async (name: string) => {
    const v = await db.referenceVersion.findUnique({ where: { name } });
    return {
      version: v?.version ?? null,
      loadedAt: v?.loadedAt.toISOString() ?? null,
      sources: Array.isArray(v?.sources) ? (v.sources as { scope: string; title: string }[]) : [],
    };
  };

  api.get(
    '/v1/public/catalogue',
    {
      config: { rateLimit: { max, timeWindow: '1 minute' } },
      schema: {
        tags: ['public'],
        summary: 'The public credit information catalogue (Art 32): what a record may be, who supplies it; no token needed, rate limited',
        security: [],
        response: { 200: z.object({ ...published, items: z.array(catalogueItemView) }), ...errors },
      },
    },
    async () => {
      const [v, items] = await Promise.all([versionOf('catalogue'), catalogueItemsOf(db)]);
      return { ...v, items };
    },
  );

  api.get(
    '/v1/public/measures',
    {
      config: { rateLimit: { max, timeWindow: '1 minute' } },
      schema: {
        tags: ['public'],
        summary: 'The dishonesty measure list (Art 43): national base list, provincial and city supplements; no token needed, rate limited',
        security: [],
        response: { 200: z.object({ ...published, items: z.array(measureItem) }), ...errors },
      },
    },
    async () => {
      const [v, items] = await Promise.all([versionOf('measures'), db.measure.findMany({ orderBy: { code: 'asc' } })]);
      return { ...v, items: items as z.infer<typeof measureItem>[] };
    },
  );
}

/** The catalogue as loaded, in the order of the regulation: by article and item (一, 二, … sort as numbers), then scope. */
export async function catalogueItemsOf(db: Db): Promise<z.infer<typeof catalogueItemView>[]> {
  const rows = await db.catalogueItem.findMany({ orderBy: { code: 'asc' } });
  const scopeRank = (scope: string) => (catalogueScopes as readonly string[]).indexOf(scope);
  // A withdrawn item stays listed (with its date): records that have its type must still be readable.
  const items = rows.map(({ proposalId: _p, withdrawnAt, ...r }) => ({
    ...r,
    withdrawnAt: withdrawnAt?.toISOString() ?? null,
  }));
  return (items as z.infer<typeof catalogueItemView>[]).sort(
    (a, b) => articleRank(a.article) - articleRank(b.article) || scopeRank(a.scope) - scopeRank(b.scope),
  );
}

const NUMERALS = '一二三四五六七八九十';

/** `34(二)` → 3402; anything else after every article. */
function articleRank(article: string): number {
  const m = /^(\d+)\((.)\)$/.exec(article);
  const numeral = m?.[2];
  const item = numeral === undefined ? 0 : NUMERALS.indexOf(numeral) + 1;
  return m && item > 0 ? Number(m[1]) * 100 + item : Number.MAX_SAFE_INTEGER;
}
