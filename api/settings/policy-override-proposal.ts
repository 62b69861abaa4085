import {
  defaultPolicy,
  policyOverrideSchema,
  procedures,
  resolvePolicy,
  shanghaiDate,
  type Policy,
  type PolicyOverride,
} from '../../domain/calendar';
import { overrideProblems } from '../../domain/policy-checks';
import { loadOverrides } from '../../db/policy-store';
import { loadCalendar } from '../../db/calendar-store';
import { appendAudit } from '../../db/audit';
import { unprocessable } from '../problem';
import { proposalKind, type SettingsContext } from './proposal-kind';

/** @throws 422 naming every entry the override would break (domain/policy-checks.ts). */
export async function checkOverride(ctx: SettingsContext, o: PolicyOverride): Promise<void> {
  const [existing, departments, calendar] = await Promise.all([
    loadOverrides(ctx.db),
    ctx.db.department.findMany({ select: { code: true } }),
    loadCalendar(ctx.db),
  ]);
  const problems = overrideProblems({
    override: o,
    existing,
    departments: departments.map((d) => d.code),
    calendar,
    today: shanghaiDate(ctx.now.toISOString()),
  });
  if (problems.length) {
    const entries = [...new Set(problems.map((p) => p.path.replace(/^body\.(values\.)?/, '').split('.')[0]))];
    throw unprocessable(
      {
        zh: `该政策调整不能作出：${entries.join('、')}（${problems.length}个问题）`,
        en: `the override cannot be made: ${entries.join(', ')} (${problems.length} problem${problems.length > 1 ? 's' : ''})`,
      },
      problems,
    );
  }
}

/** What an entry holds besides its provenance and labels: the values an override changes. */
const PROVENANCE = new Set(['source', 'confidence', 'note', 'overriddenBy', 'label', 'countedFrom', 'party', 'key']);
const shown = (e: Policy[keyof Policy]) => {
  const entry: Record<string, unknown> = { ...e };
  return Object.fromEntries(Object.entries(entry).filter(([k]) => !PROVENANCE.has(k)));
};

/** The entries the override changes where it applies (its department, or any without its own overrides). */
async function previewOverride(ctx: SettingsContext, o: PolicyOverride) {
  const existing = await loadOverrides(ctx.db);
  const base = defaultPolicy(shanghaiDate(ctx.now.toISOString()));
  const department = o.department ?? '*';
  const changes: { procedure: string; department: string; key: string; from: unknown; to: unknown }[] = [];
  for (const procedure of o.procedure ? [o.procedure] : procedures) {
    const before = resolvePolicy(base, existing, { procedure, department });
    const after = resolvePolicy(base, [...existing, o], { procedure, department });
    for (const key of Object.keys(o.values) as (keyof Policy)[]) {
      const from = shown(before[key]);
      const to = shown(after[key]);
      if (JSON.stringify(from) !== JSON.stringify(to)) changes.push({ procedure, department, key, from, to });
    }
  }
  return { changes };
}

/** An override of the policy table for all, one procedure, one department, or both; running cases keep theirs. */
export const policyOverrideKind = proposalKind<PolicyOverride>({
  kind: 'policy_override',
  payload: policyOverrideSchema,
  validate: checkOverride,
  preview: previewOverride,
  async apply(tx, ctx, { payload: o, proposal, approver }) {
    const { procedure, department, ...values } = o;
    const created = await tx.policyOverride.create({
      data: {
        procedure: procedure ?? null,
        department: department ?? null,
        values: values,
        createdBy: proposal.proposedBy,
      },
    });
    await appendAudit(tx, {
      actor: approver.sub,
      role: approver.role,
      action: 'policy.override',
      target: `policy:${created.id}`,
      detail: {
        ...(o as Record<string, unknown>),
        proposalId: proposal.id,
        proposedBy: proposal.proposedBy,
        approvedBy: approver.sub,
      },
    });
    return {
      result: {
        id: String(created.id),
        ...o,
        createdBy: created.createdBy,
        createdAt: created.createdAt.toISOString(),
        approvedBy: approver.sub,
      },
    };
  },
});
