import type { Db } from '../../db/client';
import { policyTerms, type Policy } from '../../domain/calendar';
import { LISTING_POLICY_TERMS, type ListingInput } from '../../workflows/listing/definitions';
import { actorOf, type Principal } from '../plugins/auth';
import { conflict, forbidden, unprocessable } from '../problem';
import { shanghaiDate } from '../case-ids';
import { listingPolicyAndViolations, policyListingPeriod } from '../listing-rules';
import type { ListingCreateBody, ListingImportBody } from '../schemas/case';
import type { OpenContext, Opening, ProcedureApi } from './procedure';
import { listingDetails } from './listing-details';
import { addressForService } from '../service-addresses';
import type { DeliveryAddress } from '../../activities/electronic-service';

/** The listing: opened by an officer of the recognising department, or imported when decided before go-live. */
export const listing: ProcedureApi<'listing'> & Required<Pick<ProcedureApi<'listing'>, 'import'>> = {
  procedure: 'listing',
  workflowType: 'listingWorkflow',

  async open({ db, p, now }: OpenContext, body: ListingCreateBody): Promise<Opening<'listing'>> {
    if (p.role !== 'officer') {
      throw forbidden({ zh: '列入案件由认定部门的工作人员立案', en: 'listing cases are opened by officers of the recognising department' });
    }
    const { policy, violations } = await listingPolicyAndViolations(db, body, { department: p.dept, today: shanghaiDate(now) });
    if (violations.length > 0) {
      throw unprocessable({ zh: '列入申请不符合业务规则', en: 'the listing request breaks a domain rule' }, violations);
    }
    // The API records the facts its documents print as it claims the opening (api/action-changes.ts `claimOpening`).
    const claimOf = (caseId: string) => ({
      input: { ...listingInput(caseId, { body, p, now, policy }), openingFactsRecorded: true },
      logged: {},
    });
    return { claim: (caseId) => Promise.resolve(claimOf(caseId)), claimOf };
  },

  /** A listing decided before the system went live: it starts listed (or removed) from the original dates. */
  async import({ db, p, now, replayOfOwnFiling }: OpenContext, body: ListingImportBody): Promise<Opening<'listing'>> {
    if (p.role === 'subject') throw new Error('unreachable');
    const department = body.department ?? p.dept;
    const asCreate: ListingCreateBody = { ...body, procedure: 'listing', proposedMeasures: body.measures };
    const { policy, violations } = await listingPolicyAndViolations(db, asCreate, { department, today: shanghaiDate(now) });
    if (!(await db.department.findUnique({ where: { code: department } }))) {
      violations.push({ path: 'body.department', message: { zh: `没有部门 ${department}`, en: `no department ${department}` } });
    }
    if (body.decisionDocument.issuedOn > shanghaiDate(new Date(body.decisionServedAt))) {
      violations.push({
        path: 'body.decisionServedAt',
        message: { zh: '送达时间早于决定书作出的日期', en: 'lies before the decision was issued' },
      });
    }
    if (Date.parse(body.decisionServedAt) > now.getTime()) {
      violations.push({ path: 'body.decisionServedAt', message: { zh: '送达时间晚于现在', en: 'lies in the future' } });
    }
    if (violations.length > 0) throw unprocessable({ zh: '导入的列入不符合业务规则', en: 'the import breaks a domain rule' }, violations);
    // A decision is imported once, whoever sends it again (the Idempotency-Key is the caller's own); the caller's
    // own retry with its key is answered by the import it made.
    if (!(await replayOfOwnFiling())) {
      const earlier = await db.case.findFirst({
        where: {
          procedure: 'listing',
          department,
          subjectId: body.subject.id,
          details: { path: ['decision', 'number'], equals: body.decisionDocument.number },
        },
        select: { id: true },
      });
      if (earlier) {
        throw conflict(
          {
            zh: `决定书 ${body.decisionDocument.number} 已导入为案件 ${earlier.id}，同一决定只导入一次`,
            en: `decision ${body.decisionDocument.number} was already imported as case ${earlier.id}; a decision is imported once`,
          },
          {
            caseId: earlier.id,
          },
        );
      }
    }
    const claimOf = (caseId: string) => ({
      input: {
        ...listingInput(caseId, { body: asCreate, p: { ...p, dept: department }, now, policy }),
        imported: { decisionDocument: body.decisionDocument, decisionServedAt: body.decisionServedAt, measures: body.measures },
      },
      logged: { imported: true },
    });
    return { claim: (caseId) => Promise.resolve(claimOf(caseId)), claimOf };
  },

  async checkAction(db: Db, { view, action, body }): Promise<void> {
    if ((action === 'serve_notice' || action === 'serve_decision') && body.method === 'electronic') {
      const address = await addressForService(db, {
        subjectId: view.subject.id,
        addressId: typeof body.addressId === 'string' ? body.addressId : undefined,
      });
      // The workflow is told where the document goes, so its history says so; a client cannot name it (the schema strips it).
      const delivery: DeliveryAddress = { id: address.id, channel: address.channel, address: address.address };
      body.address = delivery;
      return;
    }
    if (action !== 'propose_decision' || !Array.isArray(body.measures)) return;
    const codes = body.measures.filter((c): c is string => typeof c === 'string');
    const known = new Set((await db.measure.findMany({ where: { code: { in: codes } }, select: { code: true } })).map((m) => m.code));
    const unknown = codes.map((c, i) => ({ c, i })).filter(({ c }) => !known.has(c));
    if (unknown.length) {
      throw unprocessable(
        { zh: '惩戒措施须出自措施清单（第四十三条）', en: 'measures must come from the catalogue (Art 43)' },
        unknown.map(({ c, i }) => ({
          path: `body.measures.${i}`,
          message: { zh: `惩戒措施 ${c} 不在措施清单中`, en: `measure ${c} is not in the catalogue` },
        })),
      );
    }
  },

  involvedDepartments: () => [],

  storedDetails: (json) => listingDetails.parse(json),
};

function listingInput(
  caseId: string,
  { body, p, now, policy }: { body: ListingCreateBody; p: Principal; now: Date; policy: Policy },
): ListingInput {
  if (p.role === 'subject') throw new Error('subjects do not open listing cases');
  return {
    caseId,
    subject: body.subject,
    category: body.category,
    facts: body.facts,
    basisDocuments: body.basisDocuments,
    proposedMeasures: body.proposedMeasures,
    responsiblePersons: body.responsiblePersons ?? [],
    listingPeriod: body.listingPeriod ?? policyListingPeriod(policy),
    department: p.dept,
    openedBy: actorOf(p),
    openedAt: now.toISOString(),
    policy: policyTerms(policy, LISTING_POLICY_TERMS),
  };
}
