import type { Pool } from 'pg';
import { ListingDriver, actionBodies } from './listing';
import { runOverItems } from './load';

/** A case's own rows beside its case row and deadlines, copied when a bench's pages read them. */
export type CaseRowsTable = 'timeline_entries' | 'documents';

export interface CloneOptions {
  /** Cases whose read models are copied (opened and driven on through the API). */
  seedIds: string[];
  /** How many copies in all, spread over `departments`. */
  total: number;
  departments: string[];
  /** Beside cases and deadlines; all of them unless told. */
  tables?: CaseRowsTable[];
}

/** The columns of a table a copy writes: all but those Postgres generates (cases.acting_department). */
async function writableColumns(pool: Pool, table: string): Promise<string[]> {
  const rows = await pool.query<{ c: string }>(
    `SELECT column_name AS c FROM information_schema.columns
      WHERE table_schema = 'public' AND table_name = $1 AND is_generated = 'NEVER' ORDER BY ordinal_position`,
    [table],
  );
  return rows.rows.map((r) => `"${r.c}"`);
}

/**
 * Copies the seed cases' read models to `total` more cases, spread over `departments`, with ids of the system's
 * shape, due dates spread over 40 days (the same shift for every deadline of a copy, so the copy's workbench columns
 * still name its own nearest deadline, shifted alike).
 */
export async function cloneReadModels(pool: Pool, opts: CloneOptions): Promise<void> {
  const { seedIds, total, departments, tables = ['timeline_entries', 'documents'] } = opts;
  const copies = Math.ceil(total / seedIds.length);
  await pool.query('DROP TABLE IF EXISTS clone_map');
  // n numbers the copies across runs of this function, so the ids never collide.
  const base = Number((await pool.query<{ n: string }>(`SELECT count(*) AS n FROM cases`)).rows[0]!.n);
  await pool.query(
    `CREATE TABLE clone_map AS
     SELECT src, 'LST-' || substr(src, 5, 8) || '-' || upper(substr(md5(src || ':' || (k + $3)), 1, 10)) AS dst, k + $3 AS n
       FROM unnest($1::text[]) AS src, generate_series(1, $2::int) AS k
      LIMIT $4`,
    [seedIds, copies, base, total],
  );
  await pool.query(`ALTER TABLE clone_map ADD COLUMN dept text`);
  await pool.query(`UPDATE clone_map SET dept = ($1::text[])[1 + n % array_length($1::text[], 1)]`, [departments]);
  const select = (cols: string[], replace: Record<string, string>) => cols.map((c) => replace[c.slice(1, -1)] ?? `t.${c}`).join(', ');
  const shift = `make_interval(days => m.n % 40)`;
  // A deadline's id holds its case's id where it has one; otherwise the copy number makes it unique.
  const deadlineId = (column: string, caseId: string) =>
    `replace(${column}, ${caseId}, m.dst) || CASE WHEN position(${caseId} in ${column}) > 0 THEN '' ELSE ':' || m.n END`;
  const cases = await writableColumns(pool, 'cases');
  await pool.query(
    `INSERT INTO cases (${cases.join(', ')}) SELECT ${select(cases, {
      id: 'm.dst',
      department: 'm.dept',
      next_deadline_id: deadlineId('t.next_deadline_id', 't.id'),
      next_due_at: `t.next_due_at + ${shift}`,
      waiting_deadline_id: deadlineId('t.waiting_deadline_id', 't.id'),
      waiting_due_at: `t.waiting_due_at + ${shift}`,
    })} FROM cases t JOIN clone_map m ON m.src = t.id`,
  );
  const deadlines = await writableColumns(pool, 'deadlines');
  await pool.query(
    `INSERT INTO deadlines (${deadlines.join(', ')}) SELECT ${select(deadlines, {
      id: deadlineId('t.id', 't.case_id'),
      case_id: 'm.dst',
      department: 'm.dept',
      due_at: `t.due_at + ${shift}`,
      due_date: `to_char((t.due_at + ${shift}) AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD')`,
    })} FROM deadlines t JOIN clone_map m ON m.src = t.case_id`,
  );
  if (tables.includes('timeline_entries')) {
    const timeline = await writableColumns(pool, 'timeline_entries');
    await pool.query(
      `INSERT INTO timeline_entries (${timeline.join(', ')}) SELECT ${select(timeline, { case_id: 'm.dst' })} FROM timeline_entries t JOIN clone_map m ON m.src = t.case_id`,
    );
  }
  if (tables.includes('documents')) {
    const documents = await writableColumns(pool, 'documents');
    await pool.query(
      `INSERT INTO documents (${documents.join(', ')}) SELECT ${select(documents, {
        id: `replace(t.id, t.case_id, m.dst) || CASE WHEN position(t.case_id in t.id) > 0 THEN '' ELSE ':' || m.n END`,
        case_id: 'm.dst',
      })} FROM documents t JOIN clone_map m ON m.src = t.case_id`,
    );
  }
  await pool.query('DROP TABLE clone_map');
}

/**
 * Opens `count` listing cases through the API and drives them on (a quarter each left opened, notice served, statement
 * submitted, listed), then waits until the worker has written every one to Postgres: the seed whose read models a
 * bench copies. Returns the seed's case ids.
 */
export async function seedListingCases(driver: ListingDriver, pool: Pool, count: number): Promise<string[]> {
  const seedIds: string[] = [];
  const fill = await runOverItems(
    6,
    Array.from({ length: count }, (_, i) => i),
    async (i) => {
      let v = (await driver.open()).view;
      if (i % 4 >= 1) v = (await driver.act(v, 'serve_notice', actionBodies.serve_notice())).view;
      if (i % 4 === 2) v = (await driver.act(v, 'submit_statement', actionBodies.submit_statement())).view;
      if (i % 4 === 3) v = await driver.toListed(v);
      seedIds.push(v.id);
    },
  );
  if (fill.errors) throw new Error(`the fill failed ${fill.errors} time(s): ${fill.errorSamples.join(' | ')}`);
  for (const until = Date.now() + 300_000; ; ) {
    if (Date.now() > until) throw new Error('the worker did not write every change to Postgres within 5 minutes');
    const r = await pool.query<{ n: string; listed: string }>(
      `SELECT count(*) AS n, count(*) FILTER (WHERE state = 'listed') AS listed FROM cases WHERE NOT closed`,
    );
    if (Number(r.rows[0]!.n) >= count && Number(r.rows[0]!.listed) >= Math.floor(count / 4)) break;
    await new Promise((res) => setTimeout(res, 250));
  }
  return seedIds;
}
