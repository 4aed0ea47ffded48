import BetterSqlite3 from 'better-sqlite3';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { AppError } from '../../lib/errors.ts';
import { MIGRATION_NAMES } from '../migrations/index.ts';

/** One table of the source database, as the copier sees it. */
export interface SourceTable {
  name: string;
  columns: string[];
  /** Tables this one's foreign keys point at: they are copied first. */
  parents: string[];
  rows: number;
  maxRowid: number;
}

/** A chunk of rows in rowid order; `lastRowid` is where the next chunk starts. */
export interface SourceChunk {
  rows: unknown[][];
  lastRowid: number;
}

/** The SQLite database of a data dir, opened read-only for copying elsewhere. */
export interface SqliteSource {
  tables: SourceTable[];
  /** Identifies this source's content: a resumed run must find the same one. */
  fingerprint: string;
  /** Up to `limit` rows of `table` with a rowid above `afterRowid`, columns in `columns` order. */
  readChunk(table: SourceTable, afterRowid: number, limit: number): SourceChunk;
  close(): void;
}

/** SQLite's own tables and Kysely's bookkeeping: the target's migrations write their own. */
const isInternal = (name: string) => name.startsWith('sqlite_') || name.startsWith('kysely_');

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

/**
 * Opens `file` read-only (SQLite never writes it, not even a checkpoint) and describes every
 * table in it. Refuses a database whose schema is not this build's latest: the target gets
 * this build's migrations, so both sides must describe the same tables.
 */
export function openSqliteSource(file: string): SqliteSource {
  if (!fs.existsSync(file)) {
    throw new AppError('NOT_FOUND', `no Crosscheck database at ${file}`);
  }
  const db = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
  try {
    assertLatestSchema(db, file);
    const tables = describeTables(db);
    const fingerprint = fingerprintOf(db, tables);
    const statements = new Map<string, BetterSqlite3.Statement<[number, number], unknown[]>>();
    return {
      tables,
      fingerprint,
      readChunk(table, afterRowid, limit) {
        let statement = statements.get(table.name);
        if (statement === undefined) {
          const columns = table.columns.map(quote).join(', ');
          statement = db
            .prepare<[number, number], unknown[]>(
              `select rowid, ${columns} from ${quote(table.name)} where rowid > ? order by rowid limit ?`,
            )
            .raw(true);
          statements.set(table.name, statement);
        }
        const raw = statement.all(afterRowid, limit);
        const last = raw.at(-1);
        return {
          rows: raw.map((row) => row.slice(1)),
          lastRowid: last === undefined ? afterRowid : Number(last[0]),
        };
      },
      close: () => db.close(),
    };
  } catch (error) {
    db.close();
    throw error;
  }
}

function assertLatestSchema(db: BetterSqlite3.Database, file: string): void {
  const hasTable = db
    .prepare("select 1 from sqlite_schema where type = 'table' and name = 'kysely_migration'")
    .get();
  if (hasTable === undefined) {
    throw new AppError('VALIDATION', `${file} is not a Crosscheck database (no migrations table)`);
  }
  const applied = db
    .prepare<[], { name: string }>('select name from kysely_migration order by name')
    .all()
    .map((row) => row.name);
  const unknown = applied.filter((name) => !MIGRATION_NAMES.includes(name));
  if (unknown.length > 0) {
    throw new AppError(
      'CONFLICT',
      `${file} was written by a newer Crosscheck (migrations ${unknown.join(', ')}); migrate with that version`,
    );
  }
  if (applied.length < MIGRATION_NAMES.length) {
    throw new AppError(
      'CONFLICT',
      `${file} has an older schema (${applied.length} of ${MIGRATION_NAMES.length} migrations): start the daemon of this version on it once, stop it, then migrate`,
    );
  }
}

function describeTables(db: BetterSqlite3.Database): SourceTable[] {
  const names = db
    .prepare<[], { name: string }>("select name from sqlite_schema where type = 'table'")
    .all()
    .map((row) => row.name)
    .filter((name) => !isInternal(name))
    .sort();
  return names.map((name) => {
    const columns = db
      .prepare<[], { name: string }>(`pragma table_info(${quote(name)})`)
      .all()
      .map((c) => c.name);
    const parents = db
      .prepare<[], { table: string }>(`pragma foreign_key_list(${quote(name)})`)
      .all()
      .map((k) => k.table)
      .filter((parent) => parent !== name);
    const counts = db
      .prepare<[], { rows: number; maxRowid: number | null }>(
        `select count(*) as rows, max(rowid) as maxRowid from ${quote(name)}`,
      )
      .get();
    return {
      name,
      columns,
      parents: [...new Set(parents)].sort(),
      rows: counts?.rows ?? 0,
      maxRowid: counts?.maxRowid ?? 0,
    };
  });
}

/**
 * Row counts and highest rowids of every table plus the meta rows (the config version): a
 * daemon that ran on the data dir between two runs changes at least one of them.
 */
function fingerprintOf(db: BetterSqlite3.Database, tables: readonly SourceTable[]): string {
  const meta = tables.some((t) => t.name === 'meta')
    ? db.prepare('select key, value from meta order by key').raw(true).all()
    : [];
  const shape = tables.map((t) => [t.name, t.rows, t.maxRowid]);
  return createHash('sha256').update(JSON.stringify({ shape, meta })).digest('hex');
}
