import type { Db } from './client';
import { departments, measures } from '../domain/reference-data';
import { seedBuiltInCalendar } from './calendar-store';

/**
 * Loads the shipped reference data. Upserts, so a restart after the catalogue changed in code updates
 * it, and rows an operator added (provincial or city supplements) are kept.
 */
export async function loadReferenceData(db: Db): Promise<{ departments: number; measures: number }> {
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
  });
  await seedBuiltInCalendar(db);
  // A dozen rows never reach autovacuum's threshold; without statistics the planner misjudges the
  // per-department summary that drives from this table.
  await db.$executeRawUnsafe('ANALYZE departments');
  return { departments: departments.length, measures: measures.length };
}
