/**
 * The raw window a disk budget allows (`--storage-budget`): pure, from figures measured in the
 * database at each prune pass. Rollups, incidents and everything else that is not a raw result
 * are never shortened by the budget, so they are subtracted first; raw results get what is left.
 */

/** The floor the budget never shrinks the raw window below (unless `--retain-results` is shorter). */
export const RAW_WINDOW_FLOOR_MS = 3_600_000;

/** Share of the budget kept free for the WAL, new incidents and rollup growth between passes. */
export const BUDGET_RESERVE_SHARE = 0.1;

/** What one prune pass measured in the database (see `Store.storageFigures`). */
export interface StorageFigures {
  /** Bytes on disk: every page of the file plus the write-ahead log. */
  fileBytes: number;
  /** Bytes of pages in use (the file's pages less its free list) plus the write-ahead log. */
  usedBytes: number;
  /** Bytes of raw results: the results table and every index on it. */
  rawBytes: number;
  /** Raw results stored. */
  rawRows: number;
  /** Results checked within `recentSpanMs` before the measurement. */
  recentResults: number;
  /** The span `recentResults` covers: an hour, or less when the oldest raw result is younger. */
  recentSpanMs: number;
}

export interface RawWindowInput {
  /** `--storage-budget` in bytes. */
  budgetBytes: number;
  /** `--retain-results`: the window when the budget allows it. */
  configuredMs: number;
  figures: StorageFigures;
}

export type RawWindowLimit =
  /** `--retain-results` fits the budget. */
  | 'retention'
  /** The budget shortens the window. */
  | 'budget'
  /** Even the floor does not fit: the window is the floor and the budget is exceeded. */
  | 'floor'
  /** No raw results (or no recent ones) to measure: the configured window stands. */
  | 'unmeasured';

export interface RawWindowDecision {
  /** The raw window to prune with. */
  rawMs: number;
  limitedBy: RawWindowLimit;
  /** Bytes one raw result costs (results table and indexes over its rows); null unmeasured. */
  bytesPerResult: number | null;
  /** Results stored per second now; null unmeasured. */
  resultsPerSecond: number | null;
  /** Bytes left for raw results after everything else and the reserve (may be negative). */
  rawAllowanceBytes: number;
}

const MINUTE_MS = 60_000;

/**
 * The effective raw window: min(configured, the window whose raw results fit the budget after
 * everything else and a reserve), never below RAW_WINDOW_FLOOR_MS (nor above the configured
 * window). Whole minutes, so a pass changes it only when the figures move.
 */
export function decideRawWindow(input: RawWindowInput): RawWindowDecision {
  const { budgetBytes, configuredMs, figures } = input;
  const nonRawBytes = Math.max(0, figures.usedBytes - figures.rawBytes);
  const reserveBytes = budgetBytes * BUDGET_RESERVE_SHARE;
  const rawAllowanceBytes = Math.floor(budgetBytes - reserveBytes - nonRawBytes);
  const measured =
    figures.rawRows > 0 &&
    figures.rawBytes > 0 &&
    figures.recentResults > 0 &&
    figures.recentSpanMs > 0;
  if (!measured) {
    return {
      rawMs: configuredMs,
      limitedBy: 'unmeasured',
      bytesPerResult: null,
      resultsPerSecond: null,
      rawAllowanceBytes,
    };
  }
  const bytesPerResult = figures.rawBytes / figures.rawRows;
  const resultsPerMs = figures.recentResults / figures.recentSpanMs;
  const fitMs = Math.max(0, rawAllowanceBytes) / (bytesPerResult * resultsPerMs);
  const floorMs = Math.min(RAW_WINDOW_FLOOR_MS, configuredMs);
  let rawMs: number;
  let limitedBy: RawWindowLimit;
  if (fitMs >= configuredMs) {
    rawMs = configuredMs;
    limitedBy = 'retention';
  } else if (fitMs >= floorMs) {
    rawMs = Math.max(floorMs, Math.floor(fitMs / MINUTE_MS) * MINUTE_MS);
    limitedBy = 'budget';
  } else {
    rawMs = floorMs;
    limitedBy = 'floor';
  }
  return {
    rawMs,
    limitedBy,
    bytesPerResult: Math.round(bytesPerResult * 10) / 10,
    resultsPerSecond: Math.round(resultsPerMs * 1000 * 1000) / 1000,
    rawAllowanceBytes,
  };
}
