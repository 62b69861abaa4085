import { sqlOf, type Db } from '../db/client';
import { OVERRIDES_TEXT, policyOfOverrides } from '../db/policy-store';
import { listingRuleViolations as rulesWith, policyListingPeriod, type MeasureLimit } from '../domain/listing-rules';
import type { Policy } from '../domain/calendar';
import type { FieldWords } from './problem';
import type { ListingCreateBody } from '../contract/listing';

// The rules are pure (domain/listing-rules.ts) so the console applies them too; api/routes/cases.ts imports them here.
export { policyListingPeriod } from '../domain/listing-rules';

/**
 * The department's listing policy on `today`, and the listing rules (domain/listing-rules.ts) against the measures of
 * the catalogue as loaded into Postgres: the policy's overrides and the measures `body` names read in one statement,
 * since every listing opened waits on them (issue 23).
 */
export async function listingPolicyAndViolations(
  db: Db,
  body: ListingCreateBody,
  { department, today }: { department: string; today: string },
): Promise<{ policy: Policy; violations: FieldWords[] }> {
  // Past Prisma, one round trip.
  const [row] = await sqlOf(db).query<{ overrides: string; measures: MeasureLimit[] }>(
    `SELECT ${OVERRIDES_TEXT} AS overrides,
            COALESCE((SELECT json_agg(json_build_object('code', code, 'maxYears', max_years)) FROM measures WHERE code = ANY($1::text[])), '[]') AS measures`,
    [[...new Set(body.proposedMeasures)]],
  );
  const policy = policyOfOverrides(row?.overrides ?? '[]', { procedure: 'listing', department, on: today });
  return { policy, violations: rulesWith(body, today, policyListingPeriod(policy), row?.measures ?? []) };
}
