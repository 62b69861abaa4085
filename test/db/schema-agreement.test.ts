import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { get_dmmf } from '@prisma/prisma-schema-wasm';
import { applyMigrations } from '../../db/migrate';
import { testEnv } from '../support/test-env';
import { ifStarted } from '../support/teardown';

/**
 * prisma/schema.prisma is the source of truth and the migrations must build exactly that database.
 * Prisma's own diff needs its native schema engine, which is not to be had offline, so this test
 * reads the schema with Prisma's WebAssembly parser and compares it with what the migrations built.
 */
interface DmmfField {
  name: string;
  dbName: string | null;
  kind: 'scalar' | 'enum' | 'object';
  isList: boolean;
  isRequired: boolean;
  type: string;
  nativeType: [string, string[]] | null;
  hasDefaultValue: boolean;
}
interface DmmfModel {
  name: string;
  dbName: string | null;
  fields: DmmfField[];
}
interface DmmfIndex {
  model: string;
  type: 'id' | 'unique' | 'normal' | 'fulltext';
  fields: { name: string }[];
}

const dmmf = JSON.parse(
  get_dmmf(JSON.stringify({ prismaSchema: readFileSync(join(__dirname, '..', '..', 'prisma', 'schema.prisma'), 'utf8') })),
).datamodel as { models: DmmfModel[]; enums: { name: string; values: { name: string }[] }[]; indexes: DmmfIndex[] };

function expectedType(f: DmmfField): string {
  if (f.kind === 'enum') return `enum:${f.type}`;
  const native = f.nativeType ? `${f.nativeType[0]}(${f.nativeType[1].join(',')})` : null;
  const base: Record<string, string> = {
    String: 'text',
    Int: 'integer',
    BigInt: 'bigint',
    Boolean: 'boolean',
    Json: 'jsonb',
    DateTime: native === 'Timestamptz(3)' ? 'timestamptz(3)' : 'timestamp(3)',
    Float: 'double precision',
    Bytes: 'bytea',
    Decimal: 'numeric(65,30)',
  };
  const t = base[f.type];
  if (!t) throw new Error(`no mapping for ${f.type}`);
  return f.isList ? `${t}[]` : t;
}

let pg: Client;
beforeAll(async () => {
  pg = new Client({ connectionString: testEnv().databaseUrl });
  await pg.connect();
});
afterAll(async () => {
  await ifStarted(pg)?.end();
});

it('has the tables, columns, types and nullability that the schema declares, and nothing else', async () => {
  const { rows } = await pg.query<{
    table_name: string;
    column_name: string;
    data_type: string;
    udt_name: string;
    is_nullable: string;
    datetime_precision: number | null;
  }>(
    `SELECT table_name, column_name, data_type, udt_name, is_nullable, datetime_precision
     FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'`,
  );
  const actual = new Map<string, Map<string, string>>();
  for (const r of rows) {
    const type =
      r.data_type === 'USER-DEFINED'
        ? `enum:${r.udt_name}`
        : r.data_type === 'ARRAY'
          ? `${{ _text: 'text', _int4: 'integer' }[r.udt_name] ?? r.udt_name}[]`
          : r.data_type === 'timestamp with time zone'
            ? `timestamptz(${r.datetime_precision})`
            : r.data_type === 'timestamp without time zone'
              ? `timestamp(${r.datetime_precision})`
              : r.data_type;
    // Prisma creates scalar lists as nullable columns; their requiredness lives in the client.
    const nullable = r.data_type === 'ARRAY' ? '' : r.is_nullable === 'YES' ? '?' : '';
    if (!actual.has(r.table_name)) actual.set(r.table_name, new Map());
    actual.get(r.table_name)!.set(r.column_name, `${type}${nullable}`);
  }

  const expected = new Map<string, Map<string, string>>();
  for (const m of dmmf.models) {
    const cols = new Map<string, string>();
    for (const f of m.fields.filter((f) => f.kind !== 'object')) {
      cols.set(f.dbName ?? f.name, `${expectedType(f)}${f.isRequired || f.isList ? '' : '?'}`);
    }
    expected.set(m.dbName ?? m.name, cols);
  }
  const asObject = (m: Map<string, Map<string, string>>) =>
    Object.fromEntries([...m].sort(([a], [b]) => a.localeCompare(b)).map(([t, c]) => [t, Object.fromEntries([...c].sort())]));
  expect(asObject(actual)).toEqual(asObject(expected));
});

it('has the enums, keys and indexes that the schema declares', async () => {
  const enums = await pg.query<{ typname: string; labels: string[] }>(
    `SELECT t.typname, array_agg(e.enumlabel::text ORDER BY e.enumsortorder) AS labels
     FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid GROUP BY t.typname`,
  );
  expect(Object.fromEntries(enums.rows.map((r) => [r.typname, r.labels]))).toEqual(
    Object.fromEntries(dmmf.enums.map((e) => [e.name, e.values.map((v) => v.name)])),
  );

  const idx = await pg.query<{ table: string; unique: boolean; primary: boolean; columns: string[] }>(
    `SELECT c.relname AS table, i.indisunique AS unique, i.indisprimary AS primary,
            array_agg(a.attname::text ORDER BY k.ord) AS columns
     FROM pg_index i
     JOIN pg_class c ON c.oid = i.indrelid
     JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
     CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
     JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum
     WHERE c.relname <> '_prisma_migrations'
     GROUP BY c.relname, i.indexrelid, i.indisunique, i.indisprimary`,
  );
  const describe = (table: string, kind: string, cols: string[]) => `${table} ${kind} (${cols.join(', ')})`;
  const actual = idx.rows.map((r) => describe(r.table, r.primary ? 'id' : r.unique ? 'unique' : 'normal', r.columns)).sort();

  const models = new Map(dmmf.models.map((m) => [m.name, m]));
  const column = (model: DmmfModel, field: string) => {
    const f = model.fields.find((x) => x.name === field)!;
    return f.dbName ?? f.name;
  };
  const expected = dmmf.indexes
    .map((i) => {
      const m = models.get(i.model)!;
      return describe(
        m.dbName ?? m.name,
        i.type,
        i.fields.map((f) => column(m, f.name)),
      );
    })
    .sort();
  expect(actual).toEqual(expected);
});

it('records each migration as Prisma does, and applying again changes nothing', async () => {
  const again = await applyMigrations(testEnv().databaseUrl);
  expect(again.applied).toEqual([]);
  const { rows } = await pg.query(`SELECT migration_name, checksum, finished_at, applied_steps_count FROM _prisma_migrations`);
  expect(rows.length).toBe(again.alreadyApplied.length);
  for (const r of rows) {
    expect(r.checksum).toMatch(/^[0-9a-f]{64}$/);
    expect(r.finished_at).not.toBeNull();
  }
});
