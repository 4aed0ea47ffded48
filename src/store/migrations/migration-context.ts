import type { StoreLogger } from '../logger.ts';

/** What a migration gets besides the database and its dialect. */
export interface MigrationContext {
  logger: StoreLogger;
  /** How a migration that rewrites many rows goes about it and reports it. */
  rewrite: RewritePace;
}

/** Rows per statement of a long rewrite, and at most one progress line per interval. */
export interface RewritePace {
  batchRows: number;
  progressIntervalMs: number;
}

/**
 * 50,000 rows is a fraction of a second of copying: statements that size cost nothing
 * measurable over one statement for all, and let progress be told every few seconds.
 */
export const DEFAULT_REWRITE_PACE: RewritePace = { batchRows: 50_000, progressIntervalMs: 5_000 };
