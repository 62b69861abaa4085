import type { Db } from './client';
import { departments, measures, measureSources, MEASURES_VERSION } from '../domain/reference-data';
import { catalogueItems, catalogueSources, CATALOGUE_VERSION } from '../domain/credit-catalogue';
import { seedBuiltInCalendar } from './calendar-store';

/**
 * Loads the shipped reference data. Upserts, so a restart after the catalogue changed in code updates
 * it, and rows an operator added (provincial or city supplements) are kept.
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
      await tx.catalogueItem.upsert({ where: { code: i.code }, create: { code: i.code, ...row }, update: row });
    }
    const now = new Date();
    for (const [name, version, sources] of [
      ['catalogue', CATALOGUE_VERSION, catalogueSources],
      ['measures', MEASURES_VERSION, measureSources],
    ] as const) {
      // The version a reader is shown changes only when the shipped list does; loadedAt says when it last did.
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
