import type { ApplicationFailure } from '@temporalio/workflow';
import { notNow, refused } from '../common/actions';
import type { ActionRequest, DeadlineState } from '../common/case-types';
import { typedAction } from '../common/action-definitions';
import { present } from '../common/present';
import type { listingActions, ListingAction } from './actions';
import { listingActionTitles } from './titles';
import type { ListingDetails, ListingState } from './details';

/** What the case offers in `state`: the rules of Art 43-48 on what may follow what. */
export function allowedListingActions(state: ListingState, details: ListingDetails, deadlines: DeadlineState[]): ListingAction[] {
  switch (state) {
    case 'opened':
      return ['serve_notice'];
    case 'notice_served': {
      const out: ListingAction[] = [];
      if (!details.statement && deadlines.find((d) => d.kind === 'statement_window')?.status === 'open') out.push('submit_statement');
      if (details.hearing && !details.hearing.announcedOn) out.push('schedule_hearing');
      return out;
    }
    case 'hearing_scheduled':
      return ['record_hearing'];
    case 'under_review':
      return ['propose_decision'];
    // A reopened statement window holds a pending decision until it closes or the subject has spoken.
    case 'awaiting_approval':
      return reopenedWindowOpen(details, deadlines) ? ['submit_statement'] : ['approve_decision', 'reject_decision'];
    case 'decided':
      return reopenedWindowOpen(details, deadlines) ? ['submit_statement'] : ['serve_decision'];
    case 'listed':
      return details.remedies.some((r) => !r.outcome) ? ['record_remedy', 'record_remedy_outcome', 'revoke'] : ['record_remedy', 'revoke'];
    default:
      return [];
  }
}

function reopenedWindowOpen(details: ListingDetails, deadlines: DeadlineState[]): boolean {
  const w = deadlines.filter((d) => d.kind === 'statement_window').pop();
  return !details.statement && w?.status === 'open' && w.reopened !== undefined;
}

/** Why `req` cannot be taken now, or null. Pure, so the Update validator and the handler agree. */
export function listingRefusal(
  state: ListingState,
  details: ListingDetails,
  deadlines: DeadlineState[],
  req: ActionRequest,
): ApplicationFailure | null {
  const { action } = typedAction<typeof listingActions>(listingActionTitles, req);
  const allowed = allowedListingActions(state, details, deadlines);
  if (!allowed.includes(action)) {
    if (
      (action === 'approve_decision' || action === 'reject_decision' || action === 'serve_decision') &&
      reopenedWindowOpen(details, deadlines)
    ) {
      const w = present(deadlines.filter((d) => d.kind === 'statement_window').pop(), 'the reopened statement window');
      return refused(
        state,
        {
          zh: `因官方公布的节假日安排，陈述申辩期限重新开放至 ${w.dueDate} 24:00（北京时间）；决定须待该期限届满或当事人已陈述申辩后作出`,
          en: `the statement window reopened until ${w.dueAt} (${w.dueDate} 24:00 Asia/Shanghai) under the official holiday schedule; the decision waits until it closes or the subject has made a statement`,
        },
        {
          reopenedUntil: w.dueAt,
        },
      );
    }
    if (action === 'submit_statement') {
      const w = deadlines.filter((d) => d.kind === 'statement_window').pop();
      if (details.statement) {
        return refused(
          state,
          { zh: '当事人已提交陈述申辩', en: 'a statement was already submitted' },
          { submittedAt: details.statement.submittedAt },
        );
      }
      if (w && (w.status === 'lapsed' || w.status === 'cancelled')) {
        return refused(
          state,
          {
            zh: `陈述申辩期限已于 ${w.dueDate} 24:00（北京时间）届满`,
            en: `the statement window closed at ${w.dueAt} (${w.dueDate} 24:00 Asia/Shanghai)`,
          },
          {
            closedAt: w.dueAt,
            since: w.closedAt,
          },
        );
      }
    }
    return refused(state, notNow(req.action, state, listingActionTitles[action]), {
      action: req.action,
      allowedActions: allowed,
    });
  }
  if ((action === 'approve_decision' || action === 'reject_decision') && details.proposal?.proposedBy === req.actor.id) {
    return refused(
      state,
      {
        zh: '提议人不能批准或退回自己提出的决定（双人审核）',
        en: 'the proposer may not approve or send back their own decision (four-eyes)',
      },
      {
        proposedBy: details.proposal.proposedBy,
      },
    );
  }
  return null;
}
