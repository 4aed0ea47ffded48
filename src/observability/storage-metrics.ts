import type { Registry } from 'prom-client';
import { Gauge } from 'prom-client';

/** What the storage gauges read at scrape time (the coordinator's raw-window keeper). */
export interface StorageMetricsSources {
  storage(): { budgetBytes: number | null; rawWindowMs: number; overBudget: boolean };
  /** Bytes of the database: SQLite's file and its WAL, or PostgreSQL's `pg_database_size`. */
  databaseBytes(): number | Promise<number>;
}

/**
 * The coordinator's storage gauges: the database's size, the raw-results window prune uses,
 * and, with `--storage-budget`, the budget and whether even the window's floor overflows it.
 */
export function registerStorageMetrics(registry: Registry, sources: StorageMetricsSources): void {
  new Gauge({
    name: 'crosscheck_database_size_bytes',
    help: 'Bytes of the database on disk: the SQLite file and its write-ahead log, or the PostgreSQL database (coordinator).',
    registers: [registry],
    async collect() {
      this.set(await sources.databaseBytes());
    },
  });
  new Gauge({
    name: 'crosscheck_raw_window_seconds',
    help: 'How long raw results are kept: --retain-results, or shorter to fit --storage-budget.',
    registers: [registry],
    collect() {
      this.set(sources.storage().rawWindowMs / 1000);
    },
  });
  const budgetBytes = sources.storage().budgetBytes;
  if (budgetBytes === null) return;
  new Gauge({
    name: 'crosscheck_storage_budget_bytes',
    help: 'The --storage-budget the database is kept within.',
    registers: [registry],
  }).set(budgetBytes);
  new Gauge({
    name: 'crosscheck_storage_over_budget',
    help: '1 while even the shortest raw window does not fit the storage budget, else 0.',
    registers: [registry],
    collect() {
      this.set(sources.storage().overBudget ? 1 : 0);
    },
  });
}
