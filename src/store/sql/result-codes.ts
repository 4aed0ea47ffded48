import type { CheckStatus, ErrorKind } from '../../domain/check-result.ts';

/**
 * The small integers a raw result row stores instead of text (migration 0017). Stable: the
 * `results` view of migration 0017 decodes them with these same numbers, so a value is never
 * renumbered, only added (with a migration that redefines the view). `up` is 0: SQLite stores
 * 0 and 1 in the record header alone, so the commonest rows spend no byte on their status.
 */
export const STATUS_CODES: Readonly<Record<CheckStatus, number>> = {
  up: 0,
  degraded: 1,
  down: 2,
  error: 3,
};

/** Error kinds as stored; NULL when a result has none. */
export const ERROR_KIND_CODES: Readonly<Record<ErrorKind, number>> = {
  timeout: 1,
  refused: 2,
  dns: 3,
  tls: 4,
  status: 5,
  assertion: 6,
  network: 7,
  node: 8,
  pattern: 9,
};

/**
 * Durations are stored as integer hundredths of a millisecond: checks round them to 0.01 ms
 * (`checks/outcome.ts`), so `k / 100` gives back the very same double, and SQLite stores a
 * small integer in 1–3 bytes where a REAL always takes 8.
 */
export function toCentiMs(ms: number): number {
  return Math.round(ms * 100);
}

export function centiMsOrNull(ms: number | undefined): number | null {
  return ms === undefined ? null : Math.round(ms * 100);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * A result id as stored: a (lowercase) UUID — every id `newResultId` makes — as its 16 bytes;
 * anything else (ids of tests, of builds before UUIDs) as the text itself. The `results` view
 * turns the bytes back into the same lowercase text, so the API shows the id it always did.
 */
export function encodeResultId(id: string): Uint8Array | string {
  return UUID.test(id) ? Buffer.from(id.replaceAll('-', ''), 'hex') : id;
}
