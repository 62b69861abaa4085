import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../db/client';
import type { Prisma } from '../generated/prisma/client';
import { canonicalJson, sha256Hex } from '../db/canonical-json';
import { badRequest, Problem, unprocessable } from './problem';
import { principalOf } from './plugins/auth';

export interface Outcome {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** Hands a route the id of the resource it creates: the same id on every retry with the same key. */
export type ResourceIdClaim = (generate: () => string) => Promise<string>;

/**
 * The `Idempotency-Key` rule of API.md: the same key with the same body returns the first (successful)
 * response; with a different body it is a 422. Keys are per caller. A first attempt that failed half-way
 * leaves the key claimed with its resource id, so a retry finishes the same work instead of starting over.
 */
export async function idempotent(
  db: Db,
  request: FastifyRequest,
  reply: FastifyReply,
  run: (claimId: ResourceIdClaim) => Promise<Outcome>,
): Promise<FastifyReply> {
  const header = request.headers['idempotency-key'];
  if (header === undefined) return send(reply, await run((generate) => Promise.resolve(generate())));
  const key = Array.isArray(header) ? header[0] : header;
  if (!key || key.length > 200) {
    throw badRequest({ zh: 'Idempotency-Key 应为1至200个字符', en: 'Idempotency-Key must be 1 to 200 characters' }, [
      { path: 'headers.idempotency-key', message: { zh: '无效', en: 'invalid' } },
    ]);
  }
  const actor = principalOf(request).sub;
  const route = `${request.method} ${request.url.split('?')[0]}`;
  const bodyHash = sha256Hex(canonicalJson(request.body ?? null));

  await db.$executeRaw`
    INSERT INTO idempotency_keys (actor, key, route, body_hash) VALUES (${actor}, ${key}, ${route}, ${bodyHash})
    ON CONFLICT (actor, key) DO NOTHING`;
  const row = await db.idempotencyKey.findUniqueOrThrow({ where: { actor_key: { actor, key } } });
  if (row.route !== route || row.bodyHash !== bodyHash) {
    throw unprocessable(
      { zh: `Idempotency-Key“${key}”已用于另一个不同的请求`, en: `Idempotency-Key "${key}" was already used with a different request` },
      [{ path: 'headers.idempotency-key', message: { zh: '已随不同的请求内容使用过', en: 'reused with a different body' } }],
    );
  }
  if (row.status !== null) {
    reply.header('idempotent-replayed', 'true');
    return reply.code(row.status).send(row.response);
  }

  const outcome = await run(async (generate) => {
    const candidate = generate();
    const claimed = await db.$queryRaw<{ resource_id: string }[]>`
      UPDATE idempotency_keys SET resource_id = COALESCE(resource_id, ${candidate})
      WHERE actor = ${actor} AND key = ${key} RETURNING resource_id`;
    const id = claimed[0]?.resource_id;
    if (!id) throw new Problem(500, { zh: '幂等键记录丢失', en: 'idempotency key vanished' });
    return id;
  });
  if (outcome.status < 300) {
    await db.idempotencyKey.update({
      where: { actor_key: { actor, key } },
      // The body as JSON would carry it: what a replay sends back.
      data: { status: outcome.status, response: JSON.parse(JSON.stringify(outcome.body)) as Prisma.InputJsonValue },
    });
  }
  return send(reply, outcome);
}

function send(reply: FastifyReply, outcome: Outcome): FastifyReply {
  for (const [k, v] of Object.entries(outcome.headers ?? {})) reply.header(k, v);
  return reply.code(outcome.status).send(outcome.body);
}

/** The Update id of an action sent with an Idempotency-Key: one per caller, case and key (keys are per caller). */
export function actionUpdateId(actor: string, caseId: string, header: string | string[] | undefined): string | undefined {
  const key = Array.isArray(header) ? header[0] : header;
  if (!key) return undefined;
  return `act-${sha256Hex(`${actor}\n${caseId}\n${key}`).slice(0, 40)}`;
}
