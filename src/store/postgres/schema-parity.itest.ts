import BetterSqlite3 from 'better-sqlite3';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import type { TestPostgres } from '../../../test/helpers/postgres-server.ts';
import {
  createTestDatabase,
  postgresBinDir,
  startPostgres,
} from '../../../test/helpers/postgres-server.ts';
import { openSqliteStore } from '../sqlite/open-sqlite-store.ts';
import { openPostgresStore } from './open-postgres-store.ts';

// Both backends migrated to the latest schema must describe the same tables: every column with
// its nullability and default, every index, every foreign key with its ON DELETE. The contract
// suite proves behaviour; this catches a migration branch that drifts without a test noticing
// (a default or an index present on one dialect only).

const binaries = postgresBinDir();
const skip = 'missing' in binaries ? binaries.missing : false;

/** `table.column` → `not null=…, default=…` (views: default only). */
type Columns = Map<string, string>;

interface Schema {
  columns: Columns;
  indexes: Set<string>;
  foreignKeys: string[];
}

/** Kysely's bookkeeping, which each dialect lays out its own way. */
const isOwn = (table: string) => !table.startsWith('kysely_') && !table.startsWith('sqlite_');

function describeColumn(notNull: boolean | null, defaultValue: string | null): string {
  return `${notNull === null ? '' : `not null=${notNull}, `}default=${defaultValue ?? ''}`;
}

function sqliteSchema(file: string): Schema {
  const db = new BetterSqlite3(file, { readonly: true });
  try {
    const columns: Columns = new Map();
    const foreignKeys: string[] = [];
    const relations = db
      .prepare<[], { name: string; type: string }>(
        "select name, type from sqlite_schema where type in ('table', 'view')",
      )
      .all()
      .filter((r) => isOwn(r.name));
    for (const { name, type } of relations) {
      const info = db
        .prepare<[], { name: string; notnull: number; pk: number; dflt_value: string | null }>(
          `pragma table_info(${name})`,
        )
        .all();
      for (const c of info) {
        const notNull = type === 'view' ? null : c.notnull === 1 || c.pk === 1;
        columns.set(`${name}.${c.name}`, describeColumn(notNull, c.dflt_value));
      }
      const keys = db
        .prepare<[], { table: string; on_delete: string }>(`pragma foreign_key_list(${name})`)
        .all();
      for (const key of keys) foreignKeys.push(`${name} → ${key.table} ${key.on_delete}`);
    }
    const indexes = db
      .prepare<[], { name: string }>("select name from sqlite_schema where type = 'index'")
      .all()
      .map((r) => r.name)
      .filter((name) => !name.startsWith('sqlite_autoindex_'));
    return { columns, indexes: new Set(indexes), foreignKeys: foreignKeys.sort() };
  } finally {
    db.close();
  }
}

/** PostgreSQL's spelling brought to SQLite's: `'[]'::text` is `'[]'`, a sequence is no default. */
function normalisedDefault(value: string | null): string | null {
  if (value === null || value.startsWith('nextval(')) return null;
  return value.replace(/::text$/, '');
}

const ON_DELETE: Record<string, string> = { c: 'CASCADE', n: 'SET NULL', a: 'NO ACTION' };

async function postgresSchema(client: pg.Client): Promise<Schema> {
  const columns: Columns = new Map();
  const { rows } = await client.query<{
    table_name: string;
    column_name: string;
    is_nullable: string;
    column_default: string | null;
    table_type: string;
  }>(`select c.table_name, c.column_name, c.is_nullable, c.column_default, t.table_type
      from information_schema.columns c
      join information_schema.tables t using (table_schema, table_name)
      where c.table_schema = current_schema()`);
  for (const r of rows.filter((row) => isOwn(row.table_name))) {
    const notNull = r.table_type === 'VIEW' ? null : r.is_nullable === 'NO';
    columns.set(
      `${r.table_name}.${r.column_name}`,
      describeColumn(notNull, normalisedDefault(r.column_default)),
    );
  }
  // Indexes made by CREATE INDEX (constraints' own indexes have SQLite autoindex twins).
  const indexes = await client.query<{ name: string }>(
    `select i.relname as name from pg_index x join pg_class i on i.oid = x.indexrelid
     where i.relnamespace = current_schema()::regnamespace
       and not exists (select 1 from pg_constraint k where k.conindid = x.indexrelid)`,
  );
  const keys = await client.query<{ source: string; target: string; action: string }>(
    `select conrelid::regclass::text as source, confrelid::regclass::text as target,
       confdeltype as action from pg_constraint where contype = 'f'`,
  );
  return {
    columns,
    indexes: new Set(indexes.rows.map((r) => r.name)),
    foreignKeys: keys.rows
      .map((k) => `${k.source} → ${k.target} ${ON_DELETE[k.action] ?? k.action}`)
      .sort(),
  };
}

describe('SQLite and PostgreSQL schemas', { skip, timeout: 60_000 }, () => {
  let server: TestPostgres | undefined;
  let root = '';

  before(async () => {
    server = await startPostgres();
    root = await mkdtemp(join(tmpdir(), 'crosscheck-parity-'));
  });
  after(async () => {
    await server?.stop();
    await rm(root, { recursive: true, force: true });
  });

  it('have the same columns, nullability, defaults, indexes and foreign keys', async () => {
    if (server === undefined) throw new Error('test cluster not started');
    const file = join(root, 'crosscheck.db');
    await (await openSqliteStore({ file })).close();
    const lite = sqliteSchema(file);
    // Not two empty descriptions agreeing.
    assert.ok(lite.columns.size > 200 && lite.indexes.size > 10 && lite.foreignKeys.length > 10);

    const database = await createTestDatabase(server, `parity_${process.pid}`);
    try {
      await (await openPostgresStore({ url: database.url })).close();
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      try {
        const postgres = await postgresSchema(client);
        assert.deepEqual(Object.fromEntries(postgres.columns), Object.fromEntries(lite.columns));
        assert.deepEqual([...postgres.indexes].sort(), [...lite.indexes].sort());
        assert.deepEqual(postgres.foreignKeys, lite.foreignKeys);
      } finally {
        await client.end();
      }
    } finally {
      await database.drop();
    }
  });
});
