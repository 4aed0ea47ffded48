/**
 * Bytes per raw result and per monitor-year of rollups, measured with SQLite's `dbstat` after
 * writing synthetic results through the store and rolling them up (the real rollup), then the
 * steady-state database size at a given monitor count. Not a registered scenario: a small,
 * standalone measurement (issue #15, "Storage"; `--storage-budget`).
 *
 *   node bench/storage-footprint.ts [--monitors 20] [--days 3] [--interval-s 30]
 *                                   [--at 100000] [--budget-gb 20]
 *
 * Results are `makeResult`'s (an http-like `up` result with timings and small details), so
 * the raw figure follows whatever row layout the store has; rollup rows do not depend on it.
 */
import BetterSqlite3 from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { batch, makeMonitor, makeResult } from '../src/store/contract/fixtures.ts';
import { RAW_WINDOW_FLOOR_MS, decideRawWindow } from '../src/store/raw-window-budget.ts';
import { openSqliteStore } from '../src/store/sqlite/open-sqlite-store.ts';
import { sqliteTableBytes } from '../src/store/sqlite/space.ts';
import { RAW_RESULT_TABLES } from '../src/store/sql/stats.ts';
import { DEFAULT_RETENTION } from '../src/store/types.ts';
import type { RecordedResult } from '../src/domain/check-result.ts';

const { values } = parseArgs({
  options: {
    monitors: { type: 'string', default: '20' },
    days: { type: 'string', default: '3' },
    'interval-s': { type: 'string', default: '30' },
    at: { type: 'string', default: '100000' },
    'budget-gb': { type: 'string', default: '20' },
  },
});
const MONITORS = Number(values.monitors);
const DAYS = Number(values.days);
const INTERVAL_MS = Number(values['interval-s']) * 1000;
const AT = Number(values.at);
const BUDGET = Number(values['budget-gb']) * 1e9;
const DAY = 86_400_000;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crosscheck-footprint-'));
const file = path.join(dir, 'crosscheck.db');
const store = await openSqliteStore({ file });
const end = Date.UTC(2026, 5, 1);
const ids = Array.from({ length: MONITORS }, (_, i) => `m${String(i).padStart(4, '0')}`);
for (const id of ids) await store.insertMonitor(makeMonitor(id, { intervalMs: INTERVAL_MS }));
let pending: RecordedResult[] = [];
for (let at = end - DAYS * DAY; at < end; at += INTERVAL_MS) {
  // Jittered latencies, so percentiles and maxima vary as in life.
  for (const id of ids) pending.push(makeResult(id, at, 'up', 20 + Math.round(Math.random() * 80)));
  if (pending.length >= 10_000) {
    await store.commitBatch(batch({ results: pending }));
    pending = [];
  }
}
await store.commitBatch(batch({ results: pending }));
const started = performance.now();
while (Object.values(await store.rollup()).some((n) => n > 0));
const rollupMs = performance.now() - started;
const measureStart = performance.now();
const figures = await store.storageFigures(end);
const measureMs = performance.now() - measureStart;
await store.close();

const db = new BetterSqlite3(file, { readonly: true });
/** Bytes of tables with their indexes, and the rows of the first (a view may stand for them). */
function tableFootprint(
  table: string,
  stored: readonly string[] = [table],
): { bytes: number; rows: number; perRow: number } {
  const bytes = stored.reduce((sum, name) => sum + sqliteTableBytes(db, name), 0);
  const rows = Number(
    db.prepare<[], { n: number }>(`SELECT count(*) AS n FROM "${table}"`).get()?.n ?? 0,
  );
  return { bytes, rows, perRow: rows === 0 ? 0 : bytes / rows };
}
const raw = tableFootprint('results', RAW_RESULT_TABLES);
const rollups = {
  minute: { ...tableFootprint('rollup_minute'), keptRows: DEFAULT_RETENTION.minuteMs / 60_000 },
  hour: { ...tableFootprint('rollup_hour'), keptRows: DEFAULT_RETENTION.hourMs / 3_600_000 },
  day: { ...tableFootprint('rollup_day'), keptRows: DEFAULT_RETENTION.dayMs / DAY },
};
db.close();
fs.rmSync(dir, { recursive: true, force: true });

const round = (n: number, digits = 1): number => Math.round(n * 10 ** digits) / 10 ** digits;
const perMonitorYear = Object.values(rollups).reduce((sum, t) => sum + t.perRow * t.keptRows, 0);
const resultsPerMonitorDay = DAY / INTERVAL_MS;
const rawPerDayAt = AT * resultsPerMonitorDay * raw.perRow;
const rollupsAt = AT * perMonitorYear;
const decision = decideRawWindow({
  budgetBytes: BUDGET,
  configuredMs: DEFAULT_RETENTION.rawMs,
  figures: {
    fileBytes: 0,
    usedBytes: rollupsAt + raw.perRow * AT * resultsPerMonitorDay * 7,
    rawBytes: raw.perRow * AT * resultsPerMonitorDay * 7,
    rawRows: AT * resultsPerMonitorDay * 7,
    recentResults: AT * (3_600_000 / INTERVAL_MS),
    recentSpanMs: 3_600_000,
  },
});
const gb = (bytes: number): number => round(bytes / 1e9, 2);
console.log(
  JSON.stringify(
    {
      measured: {
        monitors: MONITORS,
        days: DAYS,
        intervalS: INTERVAL_MS / 1000,
        rollupMs: round(rollupMs),
        storageFiguresMs: round(measureMs),
        fileBytes: figures.fileBytes,
        measuredBytesPerResult: figures.rawBytes / figures.rawRows,
        raw: { ...raw, perRow: round(raw.perRow) },
        rollups: Object.fromEntries(
          Object.entries(rollups).map(([k, t]) => [k, { ...t, perRow: round(t.perRow) }]),
        ),
      },
      perMonitorYearOfRollupsMB: round(perMonitorYear / 1e6, 3),
      at: {
        monitors: AT,
        intervalS: INTERVAL_MS / 1000,
        rawGBPerDay: gb(rawPerDayAt),
        rollupsGB: gb(rollupsAt),
        steadyStateGB: {
          raw1h: gb(rollupsAt + rawPerDayAt / 24),
          raw1d: gb(rollupsAt + rawPerDayAt),
          raw7d: gb(rollupsAt + rawPerDayAt * 7),
        },
        budgetGB: BUDGET / 1e9,
        budgetDecision: {
          ...decision,
          rawHours: round(decision.rawMs / 3_600_000, 2),
          floorHours: RAW_WINDOW_FLOOR_MS / 3_600_000,
        },
      },
    },
    null,
    2,
  ),
);
