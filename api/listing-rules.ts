import { sqlOf, type Db } from '../db/client';
import { listingRuleViolations as rulesWith } from '../domain/listing-rules';
import type { FieldWords } from './problem';
import type { ListingCreateBody } from '../contract/listing';

// The rules are pure (domain/listing-rules.ts) so the console applies them too; api/routes/cases.ts imports them here.
export { policyListingPeriod } from '../domain/listing-rules';

/** The listing rules (domain/listing-rules.ts) against the measures of the catalogue as loaded into Postgres. */
export async function listingRuleViolations(
  db: Db,
  body: ListingCreateBody,
  today: string,
  defaultPeriod: { years?: number; months?: number },
): Promise<FieldWords[]> {
  // Past Prisma: every listing opened reads them (issue 23).
  const known = await sqlOf(db).query<{ code: string; maxYears: number | null }>(
    'SELECT code, max_years AS "maxYears" FROM measures WHERE code = ANY($1::text[])',
    [[...new Set(body.proposedMeasures)]],
  );
  return rulesWith(body, today, defaultPeriod, known);
}
