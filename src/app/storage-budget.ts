import { statSync } from 'node:fs';
import type { Logger } from '../observability/logger.ts';
import type { StorageHealth } from '../services/health-service.ts';
import { RAW_WINDOW_FLOOR_MS, decideRawWindow } from '../store/raw-window-budget.ts';
import type { RetentionPolicy, StorageFigures } from '../store/types.ts';

/** The "even the floor does not fit" warning is logged at most this often. */
const FLOOR_WARNING_EVERY_MS = 6 * 3_600_000;

export interface RawWindowKeeper {
  /**
   * The retention to prune with now: with a budget, measures the database first and shortens
   * the raw window as `decideRawWindow` says; rollup retention is never touched.
   */
  retentionFor(now: number, measure: () => Promise<StorageFigures>): Promise<RetentionPolicy>;
  view(): StorageHealth;
}

/**
 * The I/O shell around `decideRawWindow`: measures at each prune pass, logs when the window
 * changes (info) and, at most every six hours, that even the floor does not fit (warn).
 */
export function createRawWindowKeeper(options: {
  budgetBytes: number | null;
  retention: RetentionPolicy;
  logger: Logger;
}): RawWindowKeeper {
  const { budgetBytes, retention, logger } = options;
  const configuredMs = retention.rawMs;
  let view: StorageHealth = {
    budgetBytes,
    configuredRawWindowMs: configuredMs,
    rawWindowMs: configuredMs,
    floorMs: Math.min(RAW_WINDOW_FLOOR_MS, configuredMs),
    limitedBy: null,
    overBudget: false,
    usedBytes: null,
    bytesPerResult: null,
    measuredAt: null,
  };
  let lastFloorWarning: number | null = null;

  return {
    async retentionFor(now, measure) {
      if (budgetBytes === null) return retention;
      const figures = await measure();
      const decision = decideRawWindow({ budgetBytes, configuredMs, figures });
      const facts = {
        budgetBytes,
        usedBytes: figures.usedBytes,
        fileBytes: figures.fileBytes,
        rawBytes: figures.rawBytes,
        rawRows: figures.rawRows,
        bytesPerResult: decision.bytesPerResult,
        resultsPerSecond: decision.resultsPerSecond,
        limitedBy: decision.limitedBy,
      };
      if (decision.rawMs !== view.rawWindowMs) {
        logger.info(
          { ...facts, fromMs: view.rawWindowMs, rawWindowMs: decision.rawMs },
          'storage budget: raw window changed',
        );
      }
      const overBudget = decision.limitedBy === 'floor';
      if (
        overBudget &&
        (lastFloorWarning === null || now - lastFloorWarning >= FLOOR_WARNING_EVERY_MS)
      ) {
        lastFloorWarning = now;
        logger.warn(
          { ...facts, rawWindowMs: decision.rawMs },
          'storage budget: even the minimum raw window does not fit; the database outgrows the budget (rollups and incidents are never pruned early)',
        );
      }
      view = {
        ...view,
        rawWindowMs: decision.rawMs,
        limitedBy: decision.limitedBy,
        overBudget,
        usedBytes: figures.usedBytes,
        bytesPerResult: decision.bytesPerResult,
        measuredAt: now,
      };
      return { ...retention, rawMs: decision.rawMs };
    },
    view: () => view,
  };
}

/** Bytes of the database file and its WAL on disk (a stat, cheap enough for every scrape). */
export function databaseFileBytes(file: string): number {
  let total = 0;
  for (const part of [file, `${file}-wal`]) {
    try {
      total += statSync(part).size;
    } catch (error) {
      // A missing WAL (checkpointed and removed, or not yet written) is zero bytes.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  return total;
}
