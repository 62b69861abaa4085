import { conflict, forbidden, Problem } from '../problem';
import { otherDepartment } from '../words';
import type { RepairCreateBody } from '../schemas/repair';
import { getCaseQuery, type RepairTarget } from '../../workflows/repair/definitions';
import { claimTarget, releaseClaimIfNotStarted, repairInput, repairTarget } from './repair-target';
import { storedRepairDetails } from './repair-details';
import { requireEvidence } from '../evidence-files';
import type { OpenContext, Opening, ProcedureApi } from './procedure';

/**
 * Credit repair: applied for by the subject; the credit agency (the case's department) accepts or declines; the
 * decision belongs to the department that recognised the listing or supplied the record.
 */
export const repair: ProcedureApi<'repair'> = {
  procedure: 'repair',
  workflowType: 'repairWorkflow',

  /** The target is claimed before the case starts, so a second application is refused from the first moment. */
  async open({ db, temporal, p, now, replayOfOwnFiling }: OpenContext, body: RepairCreateBody): Promise<Opening<'repair'>> {
    let target: RepairTarget | undefined;
    try {
      target = await repairTarget(db, p, body, now);
    } catch (err) {
      // A retry of a filing that already claimed the target: let it through to join its case.
      if (!(err instanceof Problem && err.status === 409 && (await replayOfOwnFiling()))) throw err;
    }
    // Who may apply, and for what, first (403, 404); then what the application carries.
    requireEvidence(body, { zh: '须提供已履行法定义务的证明材料', en: 'evidence of the obligations performed is required' });
    let claimed: RepairTarget | undefined;
    /** On a retry the first attempt's case already holds the target; its workflow input names it. */
    const ownClaimedTarget = async (caseId: string): Promise<RepairTarget> => {
      const view = await temporal.workflow
        .getHandle(caseId)
        .query(getCaseQuery)
        .catch(() => null);
      if (view?.procedure !== 'repair') {
        const what = JSON.stringify(body.target);
        throw conflict({ zh: `对 ${what} 的信用修复申请已在办理中`, en: `a repair of ${what} is already open` });
      }
      return view.details.target;
    };
    return {
      claim: async (caseId) => {
        const t = target ?? (await ownClaimedTarget(caseId));
        claimed = t;
        await claimTarget(db, { p, target: t, caseId, at: now });
        return { input: await repairInput(db, { caseId, body, p, target: t, now }), logged: { target: t.kind } };
      },
      abandon: async (caseId) => {
        if (claimed) await releaseClaimIfNotStarted(db, temporal, claimed, caseId);
      },
    };
  },

  checkAction(_db, { view, action, p }): Promise<void> {
    if (p.role !== 'officer') return Promise.resolve();
    const must = action === 'decide' ? view.details.decidingDepartment : view.department;
    if (p.dept !== must) return Promise.reject(forbidden(otherDepartment(must, action, p.dept)));
    return Promise.resolve();
  },

  /** The department whose record or listing the repair would end. */
  involvedDepartments: (details) => [details.target.department],

  storedDetails: storedRepairDetails,
};
