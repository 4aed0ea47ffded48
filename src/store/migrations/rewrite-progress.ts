import type { StoreLogger } from '../logger.ts';

/** Tells the log how far a long rewrite has got. */
export interface RewriteProgress {
  /** `done` rows of the total are rewritten; logs a line when the interval has passed. */
  advance(done: number): void;
  /** Logs the end line with the duration. */
  finish(): void;
}

/**
 * A rewrite of `total` rows that can take minutes on a big database: a start line with the
 * total, a line with rows done and percent at most once per `intervalMs` (0: after every
 * advance), an end line with the duration. Nothing at all for no rows (a fresh database).
 */
export function startRewriteProgress(options: {
  logger: StoreLogger;
  migration: string;
  total: number;
  intervalMs: number;
  now?: () => number;
}): RewriteProgress {
  const { logger, migration, total, intervalMs } = options;
  const now = options.now ?? (() => performance.now());
  const startedAt = now();
  let loggedAt = startedAt;
  if (total > 0) logger.info({ migration, total }, 'store.migrations: rewrite started');
  return {
    advance(done) {
      if (total === 0 || now() - loggedAt < intervalMs) return;
      loggedAt = now();
      const percent = Math.round((done / total) * 1_000) / 10;
      logger.info({ migration, done, total, percent }, 'store.migrations: rewrite progress');
    },
    finish() {
      if (total === 0) return;
      const durationMs = Math.round(now() - startedAt);
      logger.info({ migration, rows: total, durationMs }, 'store.migrations: rewrite done');
    },
  };
}
