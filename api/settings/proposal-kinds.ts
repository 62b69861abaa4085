import type { ProposalKind } from './proposal-kind';
import { calendarYearKind } from './calendar-year-proposal';
import { policyOverrideKind } from './policy-override-proposal';
import { catalogueItemKind } from './catalogue-item-proposal';

/**
 * The kinds of change to the city's legal settings that take two supervisors. A new kind is one module declaring a
 * ProposalKind and one line here; the routes, the table and the four-eyes rule are shared.
 */
export const proposalKinds = {
  calendar_year: calendarYearKind,
  policy_override: policyOverrideKind,
  catalogue_item: catalogueItemKind,
} as const;

export type ProposalKindName = keyof typeof proposalKinds;
export const proposalKindNames = Object.keys(proposalKinds) as [ProposalKindName, ...ProposalKindName[]];

export function kindOf(name: string): ProposalKind<unknown> | undefined {
  return (proposalKinds as Record<string, ProposalKind<unknown>>)[name];
}
