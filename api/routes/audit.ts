import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppDeps } from '../app';
import { requireRole } from '../plugins/auth';
import { toView } from '../../db/audit';
import { publicKeyPem } from '../../db/audit-signing';
import { verifyAuditChain } from '../../db/audit-verify';
import { auditCheckpointView, auditEntryView, auditVerifyResult } from '../../contract/oversight';
import { foreignCursor, instant, pageOf, problemSchema } from '../schemas/common';

const MAX_BIGINT = 9_223_372_036_854_775_807n;

export const auditRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, { db, auditSigner }) => {
  app.get(
    '/v1/audit',
    {
      preValidation: requireRole('supervisor'),
      schema: {
        tags: ['audit'],
        summary:
          'The audit log by case, subject, actor and time (after < at < before), paged by insertion id; entries not yet linked into the chain have seq, prevHash and hash null',
        security: [{ bearer: [] }],
        querystring: z.object({
          caseId: z.string().max(40).optional(),
          subjectId: z.string().trim().toUpperCase().max(32).optional(),
          actor: z.string().max(200).optional(),
          after: instant.optional(),
          before: instant.optional(),
          /** `asc`: insertion order (the default); `desc`: newest first. The cursor continues in the same order. */
          order: z.enum(['asc', 'desc']).default('asc'),
          limit: z.coerce.number().int().min(1).max(500).default(50),
          // The last id shown: a Postgres bigint, so at most 19 digits and 2^63 - 1 (a larger one was a 500).
          cursor: z
            .string()
            .regex(/^\d{1,19}$/, 'is not a cursor this API issued')
            .optional(),
        }),
        response: {
          200: z.object({ items: z.array(auditEntryView), nextCursor: z.string().nullable() }),
          400: problemSchema,
          401: problemSchema,
          403: problemSchema,
          422: problemSchema,
        },
      },
    },
    async (request) => {
      const q = request.query;
      if (q.cursor && BigInt(q.cursor) > MAX_BIGINT) throw foreignCursor();
      const rows = await db.auditEntry.findMany({
        where: {
          ...(q.caseId ? { caseId: q.caseId } : {}),
          ...(q.subjectId ? { subjectId: q.subjectId } : {}),
          ...(q.actor ? { actor: q.actor } : {}),
          ...(q.after || q.before
            ? { at: { ...(q.after ? { gt: new Date(q.after) } : {}), ...(q.before ? { lt: new Date(q.before) } : {}) } }
            : {}),
          ...(q.cursor ? { id: q.order === 'asc' ? { gt: BigInt(q.cursor) } : { lt: BigInt(q.cursor) } } : {}),
        },
        orderBy: { id: q.order },
        take: q.limit + 1,
      });
      const { page, nextCursor } = pageOf(rows, q.limit, (last) => String(last.id));
      return { items: page.map(toView), nextCursor };
    },
  );

  app.get(
    '/v1/audit/verify',
    {
      preValidation: requireRole('supervisor'),
      schema: {
        tags: ['audit'],
        summary:
          'Walks the hash chain, counts the entries not yet linked, and checks the last signed checkpoint: its signature and that the chain still holds its hash at its seq (a chain cut short is found there)',
        security: [{ bearer: [] }],
        response: {
          200: auditVerifyResult,
          401: problemSchema,
          403: problemSchema,
        },
      },
    },
    async () => verifyAuditChain(db, auditSigner ? { publicKey: auditSigner.publicKey, keyId: auditSigner.keyId } : {}),
  );

  app.get(
    '/v1/audit/checkpoints',
    {
      preValidation: requireRole('supervisor'),
      schema: {
        tags: ['audit'],
        summary:
          'The signed checkpoints of the chain head, newest first, with the public key (SPKI PEM) that checks them: for keeping outside this system',
        security: [{ bearer: [] }],
        querystring: z.object({
          limit: z.coerce.number().int().min(1).max(1000).default(100),
          // The last id shown, as the listing's cursor.
          cursor: z
            .string()
            .regex(/^\d{1,19}$/, 'is not a cursor this API issued')
            .optional(),
        }),
        response: {
          200: z.object({
            /** Null when this server has no signing key configured. */
            publicKey: z.string().nullable(),
            keyId: z.string().nullable(),
            items: z.array(auditCheckpointView),
            nextCursor: z.string().nullable(),
          }),
          400: problemSchema,
          401: problemSchema,
          403: problemSchema,
          422: problemSchema,
        },
      },
    },
    async (request) => {
      const q = request.query;
      if (q.cursor && BigInt(q.cursor) > MAX_BIGINT) throw foreignCursor();
      const rows = await db.auditCheckpoint.findMany({
        ...(q.cursor ? { where: { id: { lt: BigInt(q.cursor) } } } : {}),
        orderBy: { id: 'desc' },
        take: q.limit + 1,
      });
      const { page, nextCursor } = pageOf(rows, q.limit, (last) => String(last.id));
      return {
        publicKey: auditSigner ? publicKeyPem(auditSigner) : null,
        keyId: auditSigner?.keyId ?? null,
        items: page.map((c) => ({
          seq: Number(c.seq),
          hash: c.hash,
          at: c.at.toISOString(),
          keyId: c.keyId,
          signature: c.signature,
        })),
        nextCursor,
      };
    },
  );
};
