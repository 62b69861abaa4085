import { ApplicationFailure, condition, setHandler } from '@temporalio/workflow';
import { ACTION_REFUSED, type ActionRequest } from '../common/case-types';
import { CaseJournal } from '../common/case-journal';
import { actUpdate, getCaseQuery, type ListingInput } from './definitions';

export type ListingState =
  | 'opened'
  | 'notice_served'
  | 'hearing_scheduled'
  | 'under_review'
  | 'awaiting_approval'
  | 'decided'
  | 'listed'
  | 'removed'
  | 'dismissed';

/**
 * Serious-dishonesty listing (Art 43-48). This slice opens and records the case; the actions of
 * API.md arrive through the `act` Update and are refused with a reason until they are built.
 */
export async function listingWorkflow(input: ListingInput): Promise<void> {
  const journal = new CaseJournal({
    id: input.caseId,
    procedure: 'listing',
    state: 'opened',
    closed: false,
    outcome: null,
    subject: input.subject,
    department: input.department,
    createdBy: input.openedBy.id,
    details: {
      category: input.category,
      facts: input.facts,
      basisDocuments: input.basisDocuments,
      proposedMeasures: input.proposedMeasures,
      responsiblePersons: input.responsiblePersons,
      listingPeriod: input.listingPeriod,
    },
    allowedActions: allowedActions('opened'),
    createdAt: input.openedAt,
    updatedAt: input.openedAt,
  });
  journal.record(input.openedBy, input.openedAt, 'open', {
    category: input.category,
    proposedMeasures: input.proposedMeasures,
  });

  setHandler(getCaseQuery, () => journal.view());
  setHandler(
    actUpdate,
    (req: ActionRequest) => {
      throw refuse(req, journal.snapshot.state);
    },
    {
      validator: (req: ActionRequest) => {
        if (!journal.snapshot.allowedActions.includes(req.action)) throw refuse(req, journal.snapshot.state);
      },
    },
  );

  void journal.drain();
  await condition(() => journal.snapshot.closed && journal.flushed);
}

function allowedActions(_state: ListingState): string[] {
  return [];
}

function refuse(req: ActionRequest, state: string): ApplicationFailure {
  return ApplicationFailure.create({
    type: ACTION_REFUSED,
    message: `action ${req.action} is not allowed while the case is ${state}`,
    details: [{ action: req.action, state }],
    nonRetryable: true,
  });
}
