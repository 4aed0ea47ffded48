import BetterSqlite3 from 'better-sqlite3';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Kysely, SqliteDialect } from 'kysely';
import { Migrator } from 'kysely/migration';
import { migrationProvider } from '../migrations/index.ts';
import type { Database } from '../sql/schema.ts';

// What the migration tests share: a database file migrated up to an older schema, and rows
// as that schema had them (the columns later migrations add left out).

/** A new database file migrated up to `migration` (an older schema), for a test to fill. */
export async function databaseAt(
  root: string,
  dir: string,
  migration: string,
  options: { foreignKeys?: boolean } = {},
): Promise<{ file: string; db: Kysely<Database> }> {
  const file = join(root, dir, 'crosscheck.db');
  await mkdir(join(file, '..'), { recursive: true });
  const handle = new BetterSqlite3(file);
  if (options.foreignKeys === true) handle.pragma('foreign_keys = ON');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: handle }) });
  const migrated = await new Migrator({ db, provider: migrationProvider('sqlite') }).migrateTo(
    migration,
  );
  assert.equal(migrated.error, undefined);
  return { file, db };
}

/** A row as an older schema had it: the given (newer) columns left out. */
export function without<T extends object>(row: T, columns: readonly string[]): never {
  return Object.fromEntries(Object.entries(row).filter(([k]) => !columns.includes(k))) as never;
}

/** Columns migration 0009 (incident acknowledgement) adds. */
export const INCIDENT_COLUMNS_0009 = ['acknowledged_at', 'acknowledged_by', 'ack_note'];
export const INCIDENT_COLUMNS_0012 = ['maintenance_id', 'maintenance_name'];
/** Columns migration 0018 (dependencies) adds, by table. */
export const INCIDENT_COLUMNS_0018 = [
  'caused_by_incident_id',
  'caused_by_monitor_id',
  'caused_by_monitor_name',
];
export const MONITOR_COLUMNS_0018 = ['depends_on'];
/** The column migration 0021 (cause groups) adds to incidents. */
export const INCIDENT_COLUMNS_0021 = ['cause_group_id'];
/** Columns migration 0011 (alert targets) adds to deliveries. */
export const DELIVERY_COLUMNS_0011 = ['target', 'provider_ref'];
/** Columns migration 0007 (alert truth) adds, by table. */
export const STATE_COLUMNS_0007 = ['open_incident_detail'];
/** Columns migration 0014 (degraded episodes) adds to monitor_state. */
export const STATE_COLUMNS_0014 = ['degraded_episode'];
export const INCIDENT_COLUMNS_0007 = ['retracted_at', 'retraction'];
export const DELIVERY_COLUMNS_0007 = ['kind', 'follows_id'];
/** Columns migration 0006 (uptime) adds, by table. */
export const STATE_COLUMNS_0006 = ['last_node_id'];
export const INCIDENT_COLUMNS_0006 = ['down_since', 'named_regions'];
