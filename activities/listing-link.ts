import { ApplicationFailure } from '@temporalio/common';
import { WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { ACTION_REFUSED, type Actor, type CaseView } from '../workflows/common/case-types';
import { actUpdate, getCaseQuery, repairRemovalUpdate } from '../workflows/listing/definitions';

export type ListingLinkResult = { ok: true; state: string } | { ok: false; reason: string };

/**
 * Other procedures end a listing through the listing's own workflow, so its removal notice, public list
 * and Art 48 entries follow the one path every removal takes. Each call carries an update id derived from
 * the calling case: a retried activity joins the first attempt instead of acting twice, and a listing that
 * completed meanwhile is checked for having been removed by this very case.
 */
export function listingLinkActivities(temporal: Client | undefined) {
  function client(): Client {
    if (!temporal) throw ApplicationFailure.nonRetryable('this worker was built without a Temporal client; listing links are unavailable');
    return temporal;
  }

  async function settle(listingCaseId: string, run: () => Promise<CaseView>, doneBy: (v: CaseView) => boolean): Promise<ListingLinkResult> {
    const handle = client().workflow.getHandle(listingCaseId);
    try {
      const view = await run();
      return { ok: true, state: view.state };
    } catch (err) {
      if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure && err.cause.type === ACTION_REFUSED) {
        return { ok: false, reason: err.cause.message };
      }
      // The listing may have completed after our first attempt removed it: its final state tells.
      const view = await handle.query(getCaseQuery).catch(() => null);
      if (view && doneBy(view)) return { ok: true, state: view.state };
      if (view?.closed) return { ok: false, reason: `the listing is ${view.state}${view.outcome ? ` (${view.outcome})` : ''}` };
      throw err;
    }
  }

  return {
    /** Objection outcome `remove_from_list`: the listing is revoked as wrongly made (API.md `revoke`). */
    async revokeListingForObjection(req: {
      listingCaseId: string;
      objectionCaseId: string;
      actor: Actor;
      reasons: string;
    }): Promise<ListingLinkResult> {
      const handle = client().workflow.getHandle(req.listingCaseId);
      return settle(
        req.listingCaseId,
        () =>
          handle.executeUpdate(actUpdate, {
            updateId: `${req.objectionCaseId}:revoke`,
            args: [
              {
                action: 'revoke',
                actor: req.actor,
                body: {
                  reason: `异议核查认定列入有误（${req.objectionCaseId}）：${req.reasons}`,
                  basis: `异议处理决定 ${req.objectionCaseId}`,
                },
                receivedAt: new Date().toISOString(),
              },
            ],
          }),
        (v) => v.state === 'removed' && JSON.stringify(v.details).includes(req.objectionCaseId),
      );
    },

    /** Approved credit repair of a listing: early removal with outcome `repaired`. */
    async removeListingByRepair(req: {
      listingCaseId: string;
      repairCaseId: string;
      actor: Actor;
      approvedAt: string;
    }): Promise<ListingLinkResult> {
      const handle = client().workflow.getHandle(req.listingCaseId);
      return settle(
        req.listingCaseId,
        () =>
          handle.executeUpdate(repairRemovalUpdate, {
            updateId: `${req.repairCaseId}:remove`,
            args: [{ repairCaseId: req.repairCaseId, approvedAt: req.approvedAt, actor: req.actor }],
          }),
        (v) => v.state === 'removed' && v.outcome === 'repaired',
      );
    },
  };
}
