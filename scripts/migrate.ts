import { applyMigrations } from '../db/migrate';
import { createDb } from '../db/client';
import { loadReferenceData } from '../db/reference-data';

/** `npm run migrate`: applies the migrations and loads reference data into DATABASE_URL. */
async function main(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.error('migrate: DATABASE_URL must be set');
    process.exit(2);
  }
  const result = await applyMigrations(url);
  console.log(`migrations applied: ${result.applied.length ? result.applied.join(', ') : 'none (up to date)'}`);
  const db = createDb(url, { poolSize: 1 });
  const loaded = await loadReferenceData(db);
  await db.$disconnect();
  console.log(`reference data: ${loaded.departments} departments, ${loaded.measures} measures`);
}

main().catch((err: unknown) => {
  console.error(`migrate: ${(err as Error).message}`);
  process.exit(1);
});
