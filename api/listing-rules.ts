import { sqlOf, type Db } from '../db/client';
import { policyFor } from '../db/policy-store';
import { listingRuleViolations as rulesWith, policyListingPeriod, type MeasureLimit } from '../domain/listing-rules';
import type { Policy } from '../domain/calendar';
import type { FieldWords } from './problem';
import type { ListingCreateBody } from '../contract/listing';

// The rules are pure (domain/listing-rules.ts) so the console applies them too; api/routes/cases.ts imports them here.
export { policyListingPeriod } from '../domain/listing-rules';

/**
 * The department's listing policy on `today`, and the listing rules (domain/listing-rules.ts) against the measures of
 * the catalogue as loaded into Postgres: both read side by side, since every listing opened waits on them (issue 23).
 */
export async function listingPolicyAndViolations(
  db: Db,
  body: ListingCreateBody,
  { department, today }: { department: string; today: string },
): Promise<{ policy: Policy; violations: FieldWords[] }> {
  const [policy, catalogue] = await Promise.all([
    policyFor(db, { procedure: 'listing', department, on: today }),
    catalogueMeasures(db, body.proposedMeasures),
  ]);
  return { policy, violations: rulesWith(body, today, policyListingPeriod(policy), catalogue) };
}

/** The measures of the catalogue among `codes`. */
function catalogueMeasures(db: Db, codes: readonly string[]): Promise<MeasureLimit[]> {
  // Past Prisma: every listing opened reads them (issue 23).
  return sqlOf(db).query<{ code: string; maxYears: number | null }>(
    'SELECT code, max_years AS "maxYears" FROM measures WHERE code = ANY($1::text[])',
    [[...new Set(codes)]],
  );
}
