import {
  defaultPolicy,
  policyOverrideSchema,
  resolvePolicy,
  type Policy,
  type PolicyContext,
  type PolicyOverride,
} from '../domain/calendar';
import { sqlOf, type Db } from './client';
import { ConfigurationFault } from '../domain/faults';

/** Overrides in the order they were made, so among equally specific ones the later wins. */
export async function loadOverrides(db: Db): Promise<PolicyOverride[]> {
  // Past Prisma: every case opened reads them (issue 23).
  const rows = await sqlOf(db).query<{ id: string; procedure: string | null; department: string | null; values: unknown }>(
    'SELECT id, procedure, department, "values" FROM policy_overrides ORDER BY id',
    [],
  );
  return rows.map((r) => {
    const parsed = policyOverrideSchema.safeParse({
      ...(r.procedure ? { procedure: r.procedure } : {}),
      ...(r.department ? { department: r.department } : {}),
      ...(r.values as object),
    });
    // A stored override that no longer reads is the settings' fault, not the request's: it stops every policy it touches.
    if (!parsed.success) {
      throw new ConfigurationFault(
        `policy override ${r.id} cannot be read: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
      );
    }
    return parsed.data;
  });
}

/** The policy in force on `ctx.on` for one procedure of one department; a case stores it when it starts. */
export async function policyFor(db: Db, ctx: PolicyContext): Promise<Policy> {
  const overrides = await loadOverrides(db);
  try {
    return resolvePolicy(defaultPolicy(ctx.on), overrides, ctx);
  } catch (err) {
    if (err instanceof RangeError)
      throw new ConfigurationFault(`the ${ctx.procedure} policy of ${ctx.department} cannot be resolved: ${err.message}`);
    throw err;
  }
}
