import { CATALOGUE_VERSION } from '../../domain/credit-catalogue';
import {
  approvedChangesIn,
  catalogueChangeProblems,
  catalogueChangeSchema,
  catalogueVersion,
  isWithdrawal,
  type CatalogueChange,
  type StoredCatalogueItem,
} from '../../domain/catalogue-changes';
import { appendAudit } from '../../db/audit';
import type { Db, Tx } from '../../db/client';
import { unprocessable } from '../problem';
import { proposalKind, type SettingsContext } from './proposal-kind';

type Row = StoredCatalogueItem & { version: string; proposalId: string | null };

const storedItem = (db: Db | Tx, code: string): Promise<Row | null> => db.catalogueItem.findUnique({ where: { code } });

/** @throws 422 naming each field the change breaks (domain/catalogue-changes.ts). */
async function checkChange(ctx: SettingsContext, change: CatalogueChange): Promise<void> {
  const [existing, departments] = await Promise.all([
    storedItem(ctx.db, change.code),
    ctx.db.department.findMany({ select: { code: true } }),
  ]);
  const problems = catalogueChangeProblems({
    change,
    existing: existing ?? undefined,
    departments: departments.map((d) => d.code),
  });
  if (problems.length)
    throw unprocessable(
      {
        zh: `目录事项 ${change.code} 不能${isWithdrawal(change) ? '撤销' : '变更'}`,
        en: `the catalogue item ${change.code} cannot be ${isWithdrawal(change) ? 'withdrawn' : 'changed'}`,
      },
      problems,
    );
}

/** What the item is and would be, as the public catalogue shows it. */
function shown(r: Row | null): Record<string, unknown> | null {
  if (!r) return null;
  const { proposalId: _p, version: _v, withdrawnAt, ...item } = r;
  return { ...item, departments: [...item.departments], withdrawnAt: withdrawnAt?.toISOString() ?? null };
}

function after(change: CatalogueChange, before: Row | null): Omit<StoredCatalogueItem, 'withdrawnAt'> | null {
  if (isWithdrawal(change)) return null;
  const { scope, ...item } = change;
  return { ...item, scope: before?.scope ?? scope ?? 'city', recordedBy: 'department' };
}

const actionOf = (change: CatalogueChange, before: Row | null) => (isWithdrawal(change) ? 'withdraw' : before ? 'change' : 'add');

/** The item before and after, the records that have its type (they keep it either way), and the version it makes. */
async function previewChange(ctx: SettingsContext, change: CatalogueChange) {
  const [before, records, version] = await Promise.all([
    storedItem(ctx.db, change.code),
    ctx.db.creditRecord.count({ where: { type: change.code } }),
    ctx.db.referenceVersion.findUnique({ where: { name: 'catalogue' } }),
  ]);
  const to = after(change, before);
  return {
    action: actionOf(change, before),
    code: change.code,
    before: shown(before),
    // A withdrawal's `after` is the item as it stays listed, with `withdrawn: true` (its date is the approval's).
    after: to ? { ...to, withdrawnAt: null } : { ...shown(before), withdrawn: true },
    recordsUsing: records,
    // Records keep their type, category and article as supplied; a withdrawal only refuses new ones.
    effect: isWithdrawal(change)
      ? 'records already supplied keep their type; new records of it are refused'
      : 'new records are admitted by the item as changed; records already supplied keep what they were supplied with',
    catalogueVersion: {
      from: version?.version ?? null,
      to: catalogueVersion(CATALOGUE_VERSION, approvedChangesIn(version?.version) + 1),
    },
  };
}

/**
 * A provincial or city item of the public credit information catalogue (Art 32) added, changed or withdrawn. Applied
 * with the catalogue's new version; admission (api/record-rules.ts) reads the table on every record, so it counts
 * at once, in every process, with no deploy.
 */
export const catalogueItemKind = proposalKind<CatalogueChange>({
  kind: 'catalogue_item',
  payload: catalogueChangeSchema,
  validate: checkChange,
  preview: previewChange,
  async apply(tx, ctx, { payload: change, proposal, approver }) {
    const before = await storedItem(tx, change.code);
    const current = await tx.referenceVersion.findUnique({ where: { name: 'catalogue' } });
    const version = catalogueVersion(CATALOGUE_VERSION, approvedChangesIn(current?.version) + 1);
    const to = after(change, before);
    const row = to
      ? await tx.catalogueItem.upsert({
          where: { code: change.code },
          create: { ...to, departments: [...to.departments], version, proposalId: proposal.id },
          update: { ...to, departments: [...to.departments], version, proposalId: proposal.id },
        })
      : await tx.catalogueItem.update({
          where: { code: change.code },
          data: { withdrawnAt: ctx.now, version, proposalId: proposal.id },
        });
    await tx.referenceVersion.upsert({
      where: { name: 'catalogue' },
      create: { name: 'catalogue', version, sources: [], loadedAt: ctx.now },
      update: { version, loadedAt: ctx.now },
    });
    const action = actionOf(change, before);
    await appendAudit(tx, {
      actor: approver.sub,
      role: approver.role,
      action: 'catalogue.item_changed',
      target: `catalogue:${change.code}`,
      detail: {
        action,
        code: change.code,
        before: shown(before),
        after: shown(row),
        catalogueVersion: version,
        proposalId: proposal.id,
        proposedBy: proposal.proposedBy,
        approvedBy: approver.sub,
      },
    });
    return {
      result: { action, code: change.code, item: shown(row), catalogueVersion: version, approvedBy: approver.sub },
    };
  },
});
