import type { SqlDialectName } from './schema.ts';
import { encodeResultId } from './result-codes.ts';

/** The byte length of a UUID as raw_results stores it. */
const UUID_BYTES = 16;

/**
 * A result id as `raw_results.id` holds it in `dialect`. SQLite: `encodeResultId` (a UUID's 16
 * bytes, any other id as TEXT in the same column; its view tells them apart by type). A
 * PostgreSQL bytea column holds bytes only, so any other id is its UTF-8 bytes, plus one NUL
 * when those are exactly 16 long: PostgreSQL text never contains NUL, so the view reads 16
 * bytes as a UUID and anything else as text with trailing NULs trimmed (migration 0017).
 */
export function storedResultId(dialect: SqlDialectName, id: string): Uint8Array | string {
  const encoded = encodeResultId(id);
  return dialect === 'sqlite' ? encoded : asPostgresBytes(encoded);
}

/** An id `encodeResultId` made, as PostgreSQL stores it (see `storedResultId`). */
export function asPostgresBytes(encoded: Uint8Array | string): Buffer {
  if (typeof encoded !== 'string') return Buffer.from(encoded);
  const text = Buffer.from(encoded, 'utf8');
  return text.length === UUID_BYTES ? Buffer.concat([text, Buffer.alloc(1)]) : text;
}
