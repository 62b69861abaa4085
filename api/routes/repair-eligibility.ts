import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppDeps } from '../app';
import { principalOf, requireRole } from '../plugins/auth';
import { shanghaiDate } from '../case-ids';
import { problemResponses, subjectIdInPath } from '../schemas/common';
import { recordIdSchema } from '../schemas/objection';
import { forbidden, notFound, unprocessable } from '../problem';
import { recordRepairTarget } from '../procedures/repair-target';
import { storedRepairDetails } from '../procedures/repair-details';
import { audit } from '../../db/audit';
import { loadCalendar } from '../../db/calendar-store';
import { policyFor } from '../../db/policy-store';
import { compute } from '../../domain/calendar';
import { periodOf } from '../../domain/calendar/policy';
import { CREDIT_AGENCY_CODE, departmentByCode } from '../../domain/reference-data';
import { disclosureOf } from '../../domain/records';
import { RESPONSIBLE_PERSON_ENTRY_TYPE } from '../../domain/record-types';
import { repairEligibility, type EligibilityReason, type EligibilityTarget } from '../../domain/repair-eligibility';
import { repairTargetKey } from '../../workflows/repair/definitions';

const listingCaseId = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^LST-\d{8}-[0-9A-Z]{10}$/, 'is not a listing case id');

/** Exactly one of the two names the target; a rule of the pair that OpenAPI's query parameters cannot say, so a 422. */
const eligibilityQuery = z.object({
  recordId: recordIdSchema
    .optional()
    .describe('a record of the subject (dishonesty information or an Art 48 entry); this or listingCaseId'),
  listingCaseId: listingCaseId.optional().describe('a listing of the subject in force; this or recordId'),
});

const department = z.object({ code: z.string(), name: z.string() });

/** Why an application would be refused or declined now; the filing's own checks (409, 422) and the policy's. */
const reasonCodes = [
  'not_dishonesty',
  'listing_record',
  'not_disclosed',
  'not_listed',
  'open_repair',
  'reapply_after',
  'excluded',
  'minimum_publicity',
  'minimum_listing',
] as const;
type Reason = { code: (typeof reasonCodes)[number]; text: string };

const eligibilityView = z.object({
  target: z.object({
    kind: z.enum(['record', 'listing']),
    id: z.string().describe('the record id or the listing case id'),
    documentNumber: z.string().describe("the record's legal document, or the listing's recognition document"),
    listedFrom: z.string().nullable(),
  }),
  on: z.string().describe('the day judged (Asia/Shanghai)'),
  eligible: z.boolean().describe('an application today would be accepted for handling rather than refused or declined at once'),
  earliest: z.string().nullable().describe('the first day the minimum periods allow an application; null when none holds it back'),
  reasons: z.array(z.object({ code: z.enum(reasonCodes), text: z.string() })).describe('why not, in Chinese'),
  receivingDepartment: department.describe('the credit agency that receives and accepts the application'),
  decidingDepartment: department.describe('谁认定、谁修复: the department that recognised the listing or supplied the record'),
  openCaseId: z.string().nullable().describe('the repair of this target already open'),
  policy: z.object({
    minimumListing: z.string().nullable().describe('policy min_listing_before_repair, where the target has a listing date'),
    exclusionsSource: z.string(),
  }),
});

const dept = (code: string) => ({ code, name: departmentByCode(code)?.name ?? code });
const unitWords: Record<string, string> = { years: '年', months: '个月', days: '日', working_days: '个工作日' };

/**
 * Repair eligibility before applying (Art 52): what a repair application for one of the subject's records or
 * listings would meet today: the filing's refusals, the deciding department's exclusions and minimum periods (the
 * rule the repair workflow applies on filing, domain/repair-eligibility.ts), the earliest day, and which department
 * would decide. The subject only (another subject's target is not found; officials 403); a read of credit data, audited.
 */
export const repairEligibilityRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, { db, clock = () => new Date() }) => {
  app.get(
    '/v1/subjects/:subjectId/repair-eligibility',
    {
      preValidation: requireRole('officer', 'supervisor', 'subject'),
      schema: {
        tags: ['records'],
        summary: 'Whether the subject may apply for repair of a record or listing now, from when, and who decides (Art 52)',
        security: [{ bearer: [] }],
        params: z.object({ subjectId: subjectIdInPath }),
        querystring: eligibilityQuery,
        response: { 200: eligibilityView, ...problemResponses },
      },
    },
    async (request) => {
      const p = principalOf(request);
      if (p.role !== 'subject')
        throw forbidden({
          zh: '修复条件仅供拟申请修复的信用主体本人查询（第五十二条）',
          en: 'repair eligibility is read by the subject who would apply (Art 52)',
        });
      const { subjectId } = request.params;
      if (p.subjectId !== subjectId) throw notFound({ zh: `没有信用主体 ${subjectId}`, en: `no subject ${subjectId}` });
      if ((request.query.recordId === undefined) === (request.query.listingCaseId === undefined)) {
        throw unprocessable({ zh: '请指明一项：recordId 或 listingCaseId', en: 'name exactly one of recordId and listingCaseId' }, [
          {
            path: 'querystring.recordId',
            message: { zh: '须且只须指明 recordId 与 listingCaseId 之一', en: 'name exactly one of recordId and listingCaseId' },
          },
        ]);
      }
      const today = shanghaiDate(clock());
      const reasons: Reason[] = [];
      let target: EligibilityTarget;
      let view: z.infer<typeof eligibilityView>['target'];
      let decider: string;
      let key: string;
      const { recordId, listingCaseId: caseId } = request.query;
      if (recordId !== undefined) {
        const r = await db.creditRecord.findUnique({ where: { id: recordId } });
        if (!r || r.subjectId !== subjectId) throw notFound({ zh: `没有信用信息 ${recordId}`, en: `no record ${recordId}` });
        const t = recordRepairTarget(r);
        if (t.kind !== 'record') throw new Error('a record is repaired as a record');
        target = {
          kind: 'record',
          type: t.type,
          severity: t.severity,
          publicMinUntil: t.publicMinUntil,
          ...(t.listedFrom ? { listedFrom: t.listedFrom } : {}),
        };
        view = { kind: 'record', id: r.id, documentNumber: r.documentNumber, listedFrom: t.listedFrom ?? null };
        decider = r.department;
        key = repairTargetKey(t);
        if (r.category !== 'dishonesty') reasons.push({ code: 'not_dishonesty', text: '基本信息和其他信息不设公示期限，无需信用修复。' });
        if (r.listingCaseId && r.type !== RESPONSIBLE_PERSON_ENTRY_TYPE)
          reasons.push({
            code: 'listing_record',
            text: `该信息为严重失信主体名单（${r.listingCaseId}）的列入信息，请对该名单申请信用修复（提前移出）。`,
          });
        const disclosure = disclosureOf(r, today);
        if (disclosure !== 'published' && disclosure !== 'under_objection')
          reasons.push({ code: 'not_disclosed', text: '该信息已不再公示（已删除、公示已结束或尚未发布），无需信用修复。' });
      } else {
        const id = caseId ?? '';
        const [c, l] = await Promise.all([db.case.findUnique({ where: { id } }), db.publicListing.findUnique({ where: { caseId: id } })]);
        if (!c || c.procedure !== 'listing' || c.subjectId !== subjectId || !l)
          throw notFound({ zh: `没有列入案件 ${id}`, en: `no listing ${id}` });
        target = { kind: 'listing', category: l.category, listedFrom: l.listedFrom };
        view = { kind: 'listing', id, documentNumber: l.decisionNumber, listedFrom: l.listedFrom };
        decider = l.department;
        key = repairTargetKey({ kind: 'listing', listingCaseId: id });
        if (c.state !== 'listed' || l.status !== 'listed')
          reasons.push({ code: 'not_listed', text: '该名单已移出或未在列入期内，无需提前移出。' });
      }
      const [policy, claim, earlier] = await Promise.all([
        policyFor(db, { procedure: 'repair', department: decider, on: today }),
        db.caseClaim.findUnique({ where: { target: key } }),
        db.case.findMany({
          where: { procedure: 'repair', subjectId, closed: true, details: { path: ['targetKey'], equals: key } },
          orderBy: { updatedAt: 'desc' },
          take: 20,
        }),
      ]);
      if (claim)
        reasons.push({ code: 'open_repair', text: `已有针对该信息的信用修复申请正在办理（${claim.caseId}），同一时间只能有一件。` });
      const reapply = earlier
        .map((e) => storedRepairDetails(e.details, e.department).decision?.reapplyAfter)
        .filter((d): d is string => d !== undefined && d > today)
        .sort()
        .pop();
      if (reapply) reasons.push({ code: 'reapply_after', text: `此前的申请经决定不予修复，${reapply}起方可重新申请。` });
      const minimum = policy.min_listing_before_repair;
      const minimumWords = `${minimum.amount}${unitWords[minimum.unit] ?? minimum.unit}`;
      const listedFrom = target.listedFrom;
      const listingMinimum =
        listedFrom !== undefined
          ? { until: compute(await loadCalendar(db), listedFrom, periodOf(minimum)).dueDate, words: minimumWords }
          : undefined;
      const byPolicy = repairEligibility({
        target,
        exclusions: policy.repair_exclusions.items,
        on: today,
        ...(listingMinimum ? { listingMinimum } : {}),
      });
      reasons.push(...byPolicy.reasons.map((x: EligibilityReason) => ({ code: x.code, text: x.text })));
      const earliest =
        [byPolicy.earliest, reapply]
          .filter((d): d is string => d !== undefined)
          .sort()
          .pop() ?? null;
      await audit(db, {
        actor: p.sub,
        role: p.role,
        action: 'repair.eligibility.read',
        target: view.kind === 'record' ? `record:${view.id}` : `case:${view.id}`,
        subjectId,
        detail: { purpose: 'own records', eligible: reasons.length === 0, reasons: reasons.map((x) => x.code) },
      });
      return {
        target: view,
        on: today,
        eligible: reasons.length === 0,
        earliest,
        reasons,
        receivingDepartment: dept(CREDIT_AGENCY_CODE),
        decidingDepartment: dept(decider),
        openCaseId: claim?.caseId ?? null,
        policy: { minimumListing: listedFrom !== undefined ? minimumWords : null, exclusionsSource: policy.repair_exclusions.source },
      };
    },
  );
};
