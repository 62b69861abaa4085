import type { FastifyReply, FastifyRequest } from 'fastify';
import { sqlOf, type Db } from '../db/client';
import { canonicalJson, sha256Hex } from '../db/canonical-json';
import { badRequest, Problem, unprocessable } from './problem';
import { principalOf } from './plugins/auth';
import { Prisma } from '../generated/prisma/client';
import { claimHandover, handoverClaim, type Handover } from './action-changes';

export interface Outcome {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
  /** The request's key was answered with this outcome already, in the statement that took the request (`AnswerableKey`). */
  keyAnswered?: boolean;
}

/**
 * The request's key, for a route that answers it in the statement that takes the request (an action, api/case-answers.ts):
 * its row's status and response set where the status is still unset. Otherwise the key is answered after the route.
 */
export interface AnswerableKey {
  actor: string;
  key: string;
}

/** Hands a route the id of the resource it creates: the same id on every retry with the same key. */
export type ResourceIdClaim = (generate: () => string) => Promise<string>;

/** A key claimed a moment ago and gone now: nothing a client sent, so a 500. */
const keyVanished = () => new Problem(500, { zh: '幂等键记录丢失', en: 'idempotency key vanished' });

/**
 * The `Idempotency-Key` rule of API.md: the same key with the same body returns the first (successful)
 * response; with a different body it is a 422. Keys are per caller. A first attempt that failed half-way
 * leaves the key claimed with its resource id, so a retry finishes the same work instead of starting over.
 */
export function idempotent(
  db: Db,
  request: FastifyRequest,
  reply: FastifyReply,
  run: (claimId: ResourceIdClaim) => Promise<Outcome>,
): Promise<FastifyReply> {
  return idempotentWith(db, { request, reply }, run);
}

/** What a route that always claims something may have claimed in the key's own statement (a round trip fewer, issue 23). */
export interface ClaimedWithKey {
  /** An action's handover (api/action-changes.ts), claimed whenever the request is taken. */
  handover?: Handover;
  /** Makes the id of the resource the route creates: a new key claims it at once (`claimId` answers it). */
  newId?: () => string;
  /**
   * What a new key claims for the resource `newId` named, in the key's statement: parts of its WITH clause, each
   * written where `gate` holds (the key inserted now). `run` is told when they were (a case's opening, which an
   * unfinished first attempt's retry claims itself). Not with `handover`, whose parts share its names.
   */
  claimsForNewId?: (id: string, gate: Prisma.Sql) => Prisma.Sql;
}

/**
 * `idempotent`, with what the route claims before anything else claimed in the key's statement when the request is to
 * be taken (the key new, or its first attempt unfinished); nothing is claimed for an answer replayed or a key refused.
 */
export async function idempotentWith(
  db: Db,
  { request, reply, handover, newId, claimsForNewId }: { request: FastifyRequest; reply: FastifyReply } & ClaimedWithKey,
  run: (claimId: ResourceIdClaim, key?: AnswerableKey, claimedForNewId?: boolean) => Promise<Outcome>,
): Promise<FastifyReply> {
  const header = request.headers['idempotency-key'];
  if (header === undefined) {
    if (handover) await claimHandover(db, handover);
    return send(reply, await run((generate) => Promise.resolve(generate())));
  }
  const key = Array.isArray(header) ? header[0] : header;
  if (!key || key.length > 200) {
    throw badRequest({ zh: 'Idempotency-Key 应为1至200个字符', en: 'Idempotency-Key must be 1 to 200 characters' }, [
      { path: 'headers.idempotency-key', message: { zh: '无效', en: 'invalid' } },
    ]);
  }
  const actor = principalOf(request).sub;
  const route = `${request.method} ${request.url.split('?')[0]}`;
  const bodyHash = sha256Hex(canonicalJson(request.body ?? null));

  const resourceId = newId?.() ?? null;
  const forNewId = resourceId !== null ? claimsForNewId?.bind(null, resourceId) : undefined;
  const row = await claimedKey(db, { actor, key, route, bodyHash, resourceId }, { handover, forNewId });
  if (row.route !== route || row.body_hash !== bodyHash) {
    throw unprocessable(
      { zh: `Idempotency-Key“${key}”已用于另一个不同的请求`, en: `Idempotency-Key "${key}" was already used with a different request` },
      [{ path: 'headers.idempotency-key', message: { zh: '已随不同的请求内容使用过', en: 'reused with a different body' } }],
    );
  }
  if (row.status !== null) {
    reply.header('idempotent-replayed', 'true');
    return reply.code(row.status).send(row.response);
  }

  const outcome = await run(
    async (generate) => {
      if (row.resource_id) return row.resource_id;
      const candidate = generate();
      const claimed = await sqlOf(db).query<{ resource_id: string }>(
        'UPDATE idempotency_keys SET resource_id = COALESCE(resource_id, $1) WHERE actor = $2 AND key = $3 RETURNING resource_id',
        [candidate, actor, key],
      );
      const id = claimed[0]?.resource_id;
      if (!id) throw keyVanished();
      return id;
    },
    { actor, key },
    row.fresh && forNewId !== undefined,
  );
  if (outcome.status < 300 && !outcome.keyAnswered) {
    // The body as JSON would carry it: what a replay sends back.
    await sqlOf(db).query('UPDATE idempotency_keys SET status = $1, response = $2::jsonb WHERE actor = $3 AND key = $4', [
      outcome.status,
      JSON.stringify(outcome.body),
      actor,
      key,
    ]);
  }
  return send(reply, outcome);
}

interface KeyRow {
  /** Inserted by this request's statement. */
  fresh: boolean;
  route: string;
  body_hash: string;
  status: number | null;
  response: unknown;
  resource_id: string | null;
}

/**
 * The key's row, claimed by this request if it is new: one statement, which claims the handover too when the request
 * is to be taken (the key new, or its first attempt unfinished, with the same route and body), and what the route
 * claims for a new resource when the key is new. A key another request claimed while this one waited on it was
 * committed after this statement's snapshot, so it is read again.
 */
async function claimedKey(
  db: Db,
  k: { actor: string; key: string; route: string; bodyHash: string; resourceId: string | null },
  claims: { handover?: Handover; forNewId?: (gate: Prisma.Sql) => Prisma.Sql },
): Promise<KeyRow> {
  const sql = sqlOf(db);
  const { handover, forNewId } = claims;
  // The handover, and what was rendered ahead for it, only where the request is to be taken.
  const taken = Prisma.sql`EXISTS (SELECT 1 FROM k WHERE k.status IS NULL AND k.route = ${k.route} AND k.body_hash = ${k.bodyHash})`;
  const statement = Prisma.sql`
    WITH ins AS (
       INSERT INTO idempotency_keys (actor, key, route, body_hash, resource_id)
       VALUES (${k.actor}, ${k.key}, ${k.route}, ${k.bodyHash}, ${k.resourceId})
       ON CONFLICT (actor, key) DO NOTHING
       RETURNING TRUE AS fresh, route, body_hash, status, response, resource_id),
     k AS (
       SELECT * FROM ins
       UNION ALL
       SELECT FALSE, route, body_hash, status, response, resource_id FROM idempotency_keys
        WHERE actor = ${k.actor} AND key = ${k.key} AND NOT EXISTS (SELECT 1 FROM ins))${
          handover ? Prisma.sql`, ${handoverClaim(handover, taken)}` : Prisma.empty
        }${forNewId ? Prisma.sql`, ${forNewId(Prisma.sql`EXISTS (SELECT 1 FROM ins)`)}` : Prisma.empty}
     SELECT * FROM k`;
  const [row] = await sql.query<KeyRow>(statement.text, statement.values);
  if (row) return row;
  const [again] = await sql.query<KeyRow>(
    'SELECT FALSE AS fresh, route, body_hash, status, response, resource_id FROM idempotency_keys WHERE actor = $1 AND key = $2',
    [k.actor, k.key],
  );
  if (!again) throw keyVanished();
  if (handover && again.status === null && again.route === k.route && again.body_hash === k.bodyHash) await claimHandover(db, handover);
  return again;
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
