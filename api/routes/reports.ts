import { z } from 'zod';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppDeps } from '../app';
import { principalOf, requireRole } from '../plugins/auth';
import { idempotent } from '../idempotency';
import { newReportId, shanghaiDate } from '../case-ids';
import { decodeCursor, encodeCursor, pageOf, pageQuery, problemResponses, subjectIdInPath } from '../schemas/common';
import { forbidden, notFound } from '../problem';
import { issueCreditReport, quotaResetsOn, reportRowToView } from '../credit-reports';
import { audit } from '../../db/audit';
import { policyFor } from '../../db/policy-store';
import { CREDIT_AGENCY_CODE } from '../../domain/reference-data';

const errors = problemResponses;
const subjectParam = z.object({ subjectId: subjectIdInPath });
const reportParam = subjectParam.extend({
  reportId: z.string().regex(/^RPT-\d{8}-[0-9A-Z]{10}$/, 'is not a report id'),
});

const reportView = z.object({
  id: z.string(),
  subjectId: z.string(),
  year: z.number().int(),
  sequence: z.number().int(),
  free: z.boolean(),
  /** This report's place in its year's quota: `used` counts it. */
  quota: z.object({ used: z.number().int(), of: z.number().int(), resetsOn: z.string() }),
  asOf: z.string(),
  generatedAt: z.string(),
  sha256: z.string(),
  document: z.object({
    kind: z.literal('credit_report'),
    title: z.string(),
    fields: z.record(z.string(), z.unknown()),
    html: z.string(),
  }),
});

const reportSummary = z.object({
  id: z.string(),
  subjectId: z.string(),
  year: z.number().int(),
  sequence: z.number().int(),
  free: z.boolean(),
  asOf: z.string(),
  generatedAt: z.string(),
  sha256: z.string(),
  recordIds: z.array(z.string()),
});

/**
 * Credit reports (Art 50): the subject's own right, so only the subject asks for and reads them; officers
 * and supervisors are refused (403) and follow reports through the audit log (`report.create`) and each
 * record's history (`disclosed`). Another subject's reports are answered as if they did not exist (404).
 */
export const reportRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, { db, clock = () => new Date() }) => {
  const subjectOnly = [
    requireRole('officer', 'supervisor', 'subject'),
    async (request: FastifyRequest) => {
      if (principalOf(request).role !== 'subject')
        throw forbidden({
          zh: '信用报告只向信用主体本人出具（第五十条）；工作人员可在审计日志中查看出具情况',
          en: 'credit reports are issued to the subject themselves (Art 50); officials follow them in the audit log',
        });
    },
  ];
  const freeReportsPerYear = async () =>
    (await policyFor(db, { procedure: 'repair', department: CREDIT_AGENCY_CODE })).free_reports_per_year.amount;

  function ownSubject(p: ReturnType<typeof principalOf>, subjectId: string): void {
    if (p.role !== 'subject' || p.subjectId !== subjectId)
      throw notFound({ zh: `没有信用主体 ${subjectId}`, en: `no subject ${subjectId}` });
  }

  app.post(
    '/v1/subjects/:subjectId/reports',
    {
      preValidation: subjectOnly,
      schema: {
        tags: ['records'],
        summary: 'A credit report of what is disclosed about the subject today; two free per calendar year (Art 50)',
        security: [{ bearer: [] }],
        params: subjectParam,
        response: { 201: reportView, ...errors },
      },
    },
    async (request, reply) => {
      const p = principalOf(request);
      const { subjectId } = request.params;
      ownSubject(p, subjectId);
      const now = clock();
      const quota = await freeReportsPerYear();
      return idempotent(db, request, reply, async (claimId) => {
        const id = await claimId(() => newReportId(now));
        const row = await issueCreditReport(db, { id, subjectId, requestedBy: p.sub, quota, now });
        request.log.info({ reportId: id, year: row.year, sequence: row.sequence }, 'credit report issued');
        return {
          status: 201,
          body: reportRowToView(row),
          headers: { location: `/v1/subjects/${subjectId}/reports/${id}` },
        };
      });
    },
  );

  app.get(
    '/v1/subjects/:subjectId/reports',
    {
      preValidation: subjectOnly,
      schema: {
        tags: ['records'],
        summary: "The subject's own credit reports, newest first, with this year's quota",
        security: [{ bearer: [] }],
        params: subjectParam,
        querystring: z.object(pageQuery),
        response: {
          200: z.object({
            items: z.array(reportSummary),
            nextCursor: z.string().nullable(),
            quota: z.object({
              year: z.number().int(),
              used: z.number().int(),
              of: z.number().int(),
              remaining: z.number().int(),
              resetsOn: z.string(),
            }),
          }),
          ...errors,
        },
      },
    },
    async (request) => {
      const p = principalOf(request);
      const { subjectId } = request.params;
      ownSubject(p, subjectId);
      const year = Number(shanghaiDate(clock()).slice(0, 4));
      const after = decodeCursor(request.query.cursor, ['instant', 'id']) as [string, string] | null;
      const [rows, used, of] = await Promise.all([
        db.creditReport.findMany({
          where: {
            subjectId,
            ...(after
              ? {
                  OR: [{ generatedAt: { lt: new Date(after[0]) } }, { generatedAt: new Date(after[0]), id: { lt: after[1] } }],
                }
              : {}),
          },
          orderBy: [{ generatedAt: 'desc' }, { id: 'desc' }],
          take: request.query.limit + 1,
          select: {
            id: true,
            subjectId: true,
            year: true,
            sequence: true,
            free: true,
            asOf: true,
            generatedAt: true,
            sha256: true,
            recordIds: true,
          },
        }),
        db.creditReport.count({ where: { subjectId, year } }),
        freeReportsPerYear(),
      ]);
      const { page, nextCursor } = pageOf(rows, request.query.limit, (last) => encodeCursor([last.generatedAt.toISOString(), last.id]));
      await audit(db, {
        actor: p.sub,
        role: p.role,
        action: 'reports.list',
        target: `subject:${subjectId}`,
        subjectId,
        detail: { reports: page.map((r) => r.id) },
      });
      return {
        items: page.map((r) => ({ ...r, generatedAt: r.generatedAt.toISOString() })),
        nextCursor,
        quota: { year, used, of, remaining: Math.max(0, of - used), resetsOn: quotaResetsOn(year) },
      };
    },
  );

  app.get(
    '/v1/subjects/:subjectId/reports/:reportId',
    {
      preValidation: subjectOnly,
      schema: {
        tags: ['records'],
        summary: 'One credit report as issued, with its SHA-256',
        security: [{ bearer: [] }],
        params: reportParam,
        response: { 200: reportView, ...errors },
      },
    },
    async (request) => {
      const p = principalOf(request);
      const { subjectId, reportId } = request.params;
      ownSubject(p, subjectId);
      const row = await db.creditReport.findUnique({ where: { id: reportId } });
      if (!row || row.subjectId !== subjectId) {
        throw notFound({ zh: `信用主体 ${subjectId} 没有报告 ${reportId}`, en: `no report ${reportId} of subject ${subjectId}` });
      }
      await audit(db, {
        actor: p.sub,
        role: p.role,
        action: 'report.read',
        target: `report:${reportId}`,
        subjectId,
        detail: {},
      });
      return reportRowToView(row);
    },
  );
};
