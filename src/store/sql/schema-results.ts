import type { Generated } from 'kysely';

// Raw results, their integer keys and rollups, part of `Database` in schema.ts.

/**
 * Raw results as stored (migration 0017): integer keys and codes (`result-codes.ts`),
 * durations in hundredths of a millisecond, NULL for an empty message or details.
 */
export interface RawResultsTable {
  /** Insertion order; never reused, so the rollup watermark can rely on it. */
  seq: Generated<number>;
  /** A UUID's 16 bytes; any other id as text. */
  id: Uint8Array | string;
  monitor_key: number;
  node_key: number;
  checked_at: number;
  status: number;
  latency_cms: number;
  dns_cms: number | null;
  connect_cms: number | null;
  tls_cms: number | null;
  first_byte_cms: number | null;
  error_kind: number | null;
  message: string | null;
  details: string | null;
}

/** The integer key of a monitor in raw_results; deleted with the monitor (and its results). */
export interface MonitorKeysTable {
  key: Generated<number>;
  monitor_id: string;
}

/** The integer key of a node in raw_results. */
export interface NodeKeysTable {
  key: Generated<number>;
  node_id: string;
}

/** The `results` view: raw results with their text ids and values, as before migration 0017. */
export interface ResultsTable {
  /** Insertion order; never reused, so the rollup watermark can rely on it. */
  seq: Generated<number>;
  id: string;
  monitor_id: string;
  node_id: string;
  checked_at: number;
  status: string;
  latency_ms: number;
  dns_ms: number | null;
  connect_ms: number | null;
  tls_ms: number | null;
  first_byte_ms: number | null;
  error_kind: string | null;
  message: string;
  /** JSON object of type-specific details. */
  details: string;
}

export interface RollupTable {
  monitor_id: string;
  bucket_start: number;
  count: number;
  failures: number;
  degraded: number;
  latency_p50: number | null;
  latency_p95: number | null;
  latency_max: number | null;
}

type Digit = '0' | '1' | '2' | '3' | '4' | '5' | '6' | '7' | '8' | '9';

/** Hours 01–23 of a UTC day, as they appear in column names. */
export type HourOfDay = Exclude<`0${Digit}` | `1${Digit}` | `2${'0' | '1' | '2' | '3'}`, '00'>;

/**
 * Running totals through a day: `count_before_h07` holds the day's results checked before
 * 07:00 UTC (hours 00–06). With them a day row answers "results between hh:00 and hh:00"
 * on its own, which is what uptime needs at a window's edges.
 */
export type HourPrefixColumns = { [H in HourOfDay as `count_before_h${H}`]: number } & {
  [H in HourOfDay as `failures_before_h${H}`]: number;
};

/** A day bucket (UTC day): the hour table's figures plus the day's hour-by-hour prefixes. */
export type RollupDayTable = RollupTable & HourPrefixColumns;
