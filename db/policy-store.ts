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
  return [...(await currentOverrides(db)).overrides];
}

/**
 * The overrides as stored now, with the policies resolved from them so far: every case opened resolves one, and they
 * change rarely, so the rows are read (as one text) each time and parsed and resolved only when that text changed.
 */
interface OverridesRead {
  text: string;
  overrides: PolicyOverride[];
  /** Frozen policies by `procedure`, `department` and `on`. */
  resolved: Map<string, Policy>;
}

let lastRead: OverridesRead | undefined;

/**
 * The overrides as one text, as an expression: a caller that reads more for the same request reads them in its own
 * statement (api/listing-rules.ts) and resolves its policy with `policyOfOverrides`.
 */
export const OVERRIDES_TEXT = `(SELECT COALESCE(json_agg(json_build_object('id', id, 'procedure', procedure, 'department', department, 'values', "values") ORDER BY id)::text, '[]')
       FROM policy_overrides)`;

async function currentOverrides(db: Db): Promise<OverridesRead> {
  // Past Prisma: every case opened reads them (issue 23).
  const [row] = await sqlOf(db).query<{ rows: string }>(`SELECT ${OVERRIDES_TEXT} AS rows`, []);
  return overridesOf(row?.rows ?? '[]');
}

function overridesOf(text: string): OverridesRead {
  if (lastRead?.text === text) return lastRead;
  const rows = JSON.parse(text) as { id: string; procedure: string | null; department: string | null; values: unknown }[];
  const overrides = rows.map((r) => {
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
  lastRead = { text, overrides, resolved: new Map() };
  return lastRead;
}

/** The policy in force on `ctx.on` for one procedure of one department; a case stores it when it starts. */
export async function policyFor(db: Db, ctx: PolicyContext): Promise<Policy> {
  return policyOf(await currentOverrides(db), ctx);
}

/** `policyFor` on the overrides read as `OVERRIDES_TEXT` in the caller's own statement. */
export function policyOfOverrides(text: string, ctx: PolicyContext): Policy {
  return policyOf(overridesOf(text), ctx);
}

function policyOf(read: OverridesRead, ctx: PolicyContext): Policy {
  const key = `${ctx.procedure}\n${ctx.department}\n${ctx.on ?? ''}`;
  const known = read.resolved.get(key);
  if (known) return known;
  let policy: Policy;
  try {
    policy = resolvePolicy(defaultPolicy(ctx.on), read.overrides, ctx);
  } catch (err) {
    if (err instanceof RangeError)
      throw new ConfigurationFault(`the ${ctx.procedure} policy of ${ctx.department} cannot be resolved: ${err.message}`);
    throw err;
  }
  // Bounded: one entry per procedure, department and day asked for.
  if (read.resolved.size >= 1_000) read.resolved.clear();
  read.resolved.set(key, policy);
  return policy;
}
