import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppDeps } from '../app';
import type { Db } from '../../db/client';
import { appendAudit } from '../../db/audit';
import { principalOf, requireRole } from '../plugins/auth';
import { notFound, unprocessable } from '../problem';
import { idempotent } from '../idempotency';
import { problemResponses, problemSchema } from '../schemas/common';
import {
  departmentContactBody,
  departmentContactView,
  digestAddress,
  type DepartmentContactView,
} from '../../contract/department-contacts';

interface LastDigestRow {
  department: string;
  attempted_at: Date;
  to_address: string;
  title: string;
  status: string;
  answer: string | null;
}

/** The last digest of each department (or of the one named), from outgoing_messages. */
async function lastDigests(db: Db, code?: string): Promise<Map<string, LastDigestRow>> {
  const rows = code
    ? await db.$queryRaw<LastDigestRow[]>`
        SELECT department, attempted_at, to_address, title, status, answer FROM outgoing_messages
         WHERE purpose = 'digest' AND department = ${code} ORDER BY attempted_at DESC, id DESC LIMIT 1`
    : await db.$queryRaw<LastDigestRow[]>`
        SELECT DISTINCT ON (department) department, attempted_at, to_address, title, status, answer FROM outgoing_messages
         WHERE purpose = 'digest' AND department IS NOT NULL ORDER BY department, attempted_at DESC, id DESC`;
  return new Map(rows.map((r) => [r.department, r]));
}

function viewOf(d: { code: string; name: string; contactEmail: string | null }, last: LastDigestRow | undefined): DepartmentContactView {
  return {
    code: d.code,
    name: d.name,
    email: d.contactEmail,
    lastDigest: last
      ? {
          at: last.attempted_at.toISOString(),
          to: last.to_address,
          title: last.title,
          status: last.status === 'sent' || last.status === 'failed' ? last.status : 'sending',
          answer: last.answer,
        }
      : null,
  };
}

const codeParams = z.object({ code: z.string().min(1).max(40) });

/**
 * Where each department's daily reminder digest goes (activities/reminders.ts), and when the last one went: read and
 * set by supervisors, every change audited.
 */
export const departmentContactRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, { db, clock = () => new Date() }) => {
  app.get(
    '/v1/departments/contacts',
    {
      preValidation: requireRole('supervisor'),
      schema: {
        tags: ['reminders'],
        summary: "Every department's digest address and its last digest (when, to which address, the server's answer)",
        security: [{ bearer: [] }],
        response: { 200: z.object({ items: z.array(departmentContactView) }), 401: problemSchema, 403: problemSchema },
      },
    },
    async () => {
      const [departments, last] = await Promise.all([
        db.department.findMany({ orderBy: { code: 'asc' }, select: { code: true, name: true, contactEmail: true } }),
        lastDigests(db),
      ]);
      return { items: departments.map((d) => viewOf(d, last.get(d.code))) };
    },
  );

  app.put(
    '/v1/departments/:code/contact',
    {
      preValidation: requireRole('supervisor'),
      schema: {
        tags: ['reminders'],
        summary: "Sets (or, with null, clears) the address of a department's daily reminder digest; audited",
        security: [{ bearer: [] }],
        params: codeParams,
        body: departmentContactBody,
        response: { 200: departmentContactView, ...problemResponses },
      },
    },
    async (request, reply) =>
      idempotent(db, request, reply, async () => {
        const p = principalOf(request);
        const { code } = request.params;
        const email = request.body.email === null ? null : request.body.email.trim();
        if (email !== null && !digestAddress.safeParse(email).success) {
          throw unprocessable({ zh: '收件地址不是有效的电子邮箱地址', en: 'the address is not an e-mail address' }, [
            { path: 'body.email', message: { zh: '请填写有效的电子邮箱地址', en: 'must be an e-mail address' } },
          ]);
        }
        const now = clock();
        const updated = await db.$transaction(async (tx) => {
          const [before] = await tx.$queryRaw<{ contact_email: string | null }[]>`
            SELECT contact_email FROM departments WHERE code = ${code} FOR UPDATE`;
          if (!before) throw notFound({ zh: `没有部门 ${code}`, en: `no department ${code}` });
          const row = await tx.department.update({
            where: { code },
            data: { contactEmail: email },
            select: { code: true, name: true, contactEmail: true },
          });
          await appendAudit(tx, {
            at: now,
            actor: p.sub,
            role: p.role,
            action: 'department.contact',
            target: `department:${code}`,
            detail: { from: before.contact_email, to: email },
          });
          return row;
        });
        return { status: 200, body: viewOf(updated, (await lastDigests(db, code)).get(code)) };
      }),
  );
};
