/** 我的信用记录: a subject's records, their histories, listings in force and Art 48 entries. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { RecordView } from '../../../contract/records';
import type { RecordExchangeItem } from '../../../contract/exchange';
import type { ConsoleKit } from '../../kit';
import { signedInSubject, type Subject } from '../../guards';
import { recordPage, recordsPage, type HistoryEntry, type MyRecords } from '../../pages/subject/records';
import { apiUnavailable } from '../../api-client';

/** All of my records (the API's largest page: a subject has far fewer), my listings in force and my Art 48 entries. */
export async function myRecords(k: ConsoleKit, user: Subject): Promise<MyRecords> {
  const r = await k.api<MyRecords>(user, 'GET', `/v1/subjects/${encodeURIComponent(user.subjectId)}/records?limit=500`);
  if (r.status !== 200) throw apiUnavailable('records read', r.status);
  return r.body;
}

/** One record of mine with its history, or null when it is not mine (the API answers another's as not found). */
export async function myRecord(
  k: ConsoleKit,
  user: Subject,
  id: string,
): Promise<{ record: RecordView; history: HistoryEntry[]; exchange: RecordExchangeItem[] } | null> {
  const r = await k.api<{ record: RecordView; items: HistoryEntry[]; exchange: RecordExchangeItem[] }>(
    user,
    'GET',
    `/v1/subjects/${encodeURIComponent(user.subjectId)}/records/${encodeURIComponent(id)}/history?limit=500`,
  );
  if (r.status === 404 || r.status === 400) return null;
  if (r.status !== 200) throw apiUnavailable('record history read', r.status);
  return { record: r.body.record, history: r.body.items, exchange: r.body.exchange };
}

/** A record id as the API makes them; anything else is a page that does not exist. */
export const recordIdParam = z.string().regex(/^REC-[0-9A-Z-]{1,60}$/);
const NOT_FOUND = { title: '信用信息不存在', text: '没有这条信用信息，或它不是您的。' };

export function subjectRecordRoutes(scope: FastifyInstance, k: ConsoleKit): void {
  const app = scope.withTypeProvider<ZodTypeProvider>();

  app.get('/records', { schema: { hide: true } }, async (request, reply) => {
    const user = signedInSubject(request);
    return k.html(reply, recordsPage(k.ctxOf(request, reply), await myRecords(k, user)));
  });

  app.get(
    '/records/:id',
    { schema: { hide: true, params: z.object({ id: recordIdParam }) }, config: { notFound: NOT_FOUND } },
    async (request, reply) => {
      const user = signedInSubject(request);
      const found = await myRecord(k, user, request.params.id);
      if (!found) return k.notFound(request, reply, NOT_FOUND.title, NOT_FOUND.text);
      return k.html(reply, recordPage(k.ctxOf(request, reply), found));
    },
  );
}
