import type { AdmissionItem } from '../domain/record-admission';
import type { Db } from '../db/client';

// The rules are pure (domain/record-rules.ts) so the console applies them too; api/routes/records.ts imports them here.
export { recordRuleViolations } from '../domain/record-rules';

/** The catalogue item a record's type names, as loaded into Postgres (supplements included), with the catalogue version it came in. */
export async function catalogueItemOf(db: Db, code: string): Promise<(AdmissionItem & { version: string }) | undefined> {
  return (await db.catalogueItem.findUnique({ where: { code } })) ?? undefined;
}
