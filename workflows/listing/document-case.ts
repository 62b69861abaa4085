import type { ListingDocumentCase } from '../../activities/listing-documents';
import type { PeriodTerm } from '../../domain/calendar/policy';
import type { ListingInput } from './definitions';

/**
 * The case as a document request carries it: the workflow's input with the policy cut to the entries a document
 * prints (the whole table, with its sources, is 11 KB). The workflow and the API (rendering ahead) make it alike.
 */
export function documentCaseOf(input: ListingInput): ListingDocumentCase {
  const { policy: p, ...rest } = input;
  const entry = (e: PeriodTerm) => ({ key: e.key, unit: e.unit, amount: e.amount });
  return {
    ...rest,
    policy: {
      statement_window: entry(p.statement_window),
      hearing_notice: entry(p.hearing_notice),
      listing_period: entry(p.listing_period),
      min_listing_before_repair: entry(p.min_listing_before_repair),
      revoke_after_penalty_revoked: entry(p.revoke_after_penalty_revoked),
      reconsideration_window: entry(p.reconsideration_window),
      litigation_window: entry(p.litigation_window),
    },
  };
}
