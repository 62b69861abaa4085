import type { Db } from './client';
import { departments, measures, measureSources, MEASURES_VERSION } from '../domain/reference-data';
import { catalogueItems, catalogueSources, CATALOGUE_VERSION } from '../domain/credit-catalogue';
import { approvedChangesIn, catalogueVersion } from '../domain/catalogue-changes';
import { seedBuiltInCalendar } from './calendar-store';

/**
 * Loads the shipped reference data. Upserts, so a restart after the lists changed in code updates them. The
 * catalogue's rule: an item missing is added; a shipped item is updated only while no approved proposal has
 * changed or withdrawn it (`proposal_id` null), so what two supervisors approved is never undone by a deploy (the
 * national items cannot be proposed, so they always follow the code); items added by proposal are kept.
 */
export async function loadReferenceData(db: Db): Promise<{ departments: number; measures: number; catalogueItems: number }> {
  await db.$transaction(async (tx) => {
    for (const d of departments) {
      await tx.department.upsert({
        where: { code: d.code },
        create: { code: d.code, name: d.name, kind: d.kind },
        update: { name: d.name, kind: d.kind },
      });
    }
    for (const m of measures) {
      const row = { title: m.title, level: m.level, basis: m.basis, scope: m.scope, maxYears: m.maxYears ?? null };
      await tx.measure.upsert({ where: { code: m.code }, create: { code: m.code, ...row }, update: row });
    }
    for (const i of catalogueItems) {
      const row = {
        title: i.title,
        category: i.category,
        article: i.article,
        departments: [...i.departments],
        penalty: i.penalty,
        publicity: i.publicity,
        source: i.source,
        scope: i.scope,
        recordedBy: i.recordedBy,
        version: CATALOGUE_VERSION,
      };
      await tx.catalogueItem.upsert({ where: { code: i.code }, create: { code: i.code, ...row }, update: {} });
      await tx.catalogueItem.updateMany({ where: { code: i.code, proposalId: null }, data: row });
    }
    const now = new Date();
    const approved = approvedChangesIn((await tx.referenceVersion.findUnique({ where: { name: 'catalogue' } }))?.version);
    for (const [name, version, sources] of [
      ['catalogue', catalogueVersion(CATALOGUE_VERSION, approved), catalogueSources],
      ['measures', MEASURES_VERSION, measureSources],
    ] as const) {
      // The version a reader is shown changes only when the shipped list does (or an approved proposal, which
      // writes it itself); loadedAt says when it last did.
      const existing = await tx.referenceVersion.findUnique({ where: { name } });
      if (existing?.version === version) continue;
      const row = { version, sources: sources.map((s) => ({ ...s })), loadedAt: now };
      await tx.referenceVersion.upsert({ where: { name }, create: { name, ...row }, update: row });
    }
  });
  await seedBuiltInCalendar(db);
  // A dozen rows never reach autovacuum's threshold; without statistics the planner misjudges the
  // per-department summary that drives from this table.
  await db.$executeRawUnsafe('ANALYZE departments');
  return { departments: departments.length, measures: measures.length, catalogueItems: catalogueItems.length };
}
