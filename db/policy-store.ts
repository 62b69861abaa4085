import { defaultPolicy, policyOverrideSchema, resolvePolicy, type Policy, type PolicyContext, type PolicyOverride } from '../domain/calendar';
import type { Db } from './client';

/** Overrides in the order they were made, so among equally specific ones the later wins. */
export async function loadOverrides(db: Db): Promise<PolicyOverride[]> {
  const rows = await db.policyOverride.findMany({ orderBy: { id: 'asc' } });
  return rows.map((r) =>
    policyOverrideSchema.parse({
      ...(r.procedure ? { procedure: r.procedure } : {}),
      ...(r.department ? { department: r.department } : {}),
      ...(r.values as object),
    }),
  );
}

/** The policy in force on `ctx.on` for one procedure of one department; a case stores it when it starts. */
export async function policyFor(db: Db, ctx: PolicyContext): Promise<Policy> {
  return resolvePolicy(defaultPolicy(ctx.on), await loadOverrides(db), ctx);
}
