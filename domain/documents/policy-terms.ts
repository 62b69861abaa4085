/**
 * The numbers the documents print, read from the policy table (domain/calendar/policy.ts) so a department's
 * overrides reach the wording. The document inputs take plain numbers in fixed units; a policy entry in
 * another unit (say reconsideration set in working days) cannot be printed as such and is refused.
 */
import type { Policy, Quantity } from '../calendar/policy';
import { ConfigurationFault } from '../faults';
import type { YearMonthPeriod } from './types';

function amountIn(q: Quantity & { key: string }, unit: Quantity['unit']): number {
  if (q.unit === unit) return q.amount;
  if (unit === 'months' && q.unit === 'years') return q.amount * 12;
  throw new ConfigurationFault(`policy ${q.key} is in ${q.unit}; the documents print it in ${unit}`);
}

function yearMonth(q: Quantity & { key: string }): YearMonthPeriod {
  if (q.unit === 'years') return { years: q.amount };
  if (q.unit === 'months')
    return q.amount % 12 === 0 ? { years: q.amount / 12 } : { years: Math.floor(q.amount / 12), months: q.amount % 12 };
  throw new ConfigurationFault(`policy ${q.key} is in ${q.unit}; the documents print it in years and months`);
}

export interface DocumentTerms {
  statementWorkingDays: number;
  hearingNoticeWorkingDays: number;
  listingPeriod: YearMonthPeriod;
  earliestRepairAfter: YearMonthPeriod;
  revokeWithinWorkingDays: number;
  reconsiderationDays: number;
  litigationMonths: number;
}

/** The policy entries the documents print: all a document request carries of the case's policy. */
export const DOCUMENT_POLICY_KEYS = [
  'statement_window',
  'hearing_notice',
  'listing_period',
  'min_listing_before_repair',
  'revoke_after_penalty_revoked',
  'reconsideration_window',
  'litigation_window',
] as const satisfies readonly (keyof Policy)[];
export type DocumentPolicy = { readonly [K in (typeof DOCUMENT_POLICY_KEYS)[number]]: Quantity & { key: string } };

/** @throws ConfigurationFault when an entry's unit does not fit the wording (see the file comment): retrying cannot help. */
export function documentTermsFromPolicy(policy: DocumentPolicy): DocumentTerms {
  return {
    statementWorkingDays: amountIn(policy.statement_window, 'working_days'),
    hearingNoticeWorkingDays: amountIn(policy.hearing_notice, 'working_days'),
    listingPeriod: yearMonth(policy.listing_period),
    earliestRepairAfter: yearMonth(policy.min_listing_before_repair),
    revokeWithinWorkingDays: amountIn(policy.revoke_after_penalty_revoked, 'working_days'),
    reconsiderationDays: amountIn(policy.reconsideration_window, 'days'),
    litigationMonths: amountIn(policy.litigation_window, 'months'),
  };
}
