/**
 * Micro-benchmark: Store.uptime over many monitors with weeks of rollups, in this process.
 * Hour and day buckets are written with raw SQL to keep set-up short, in the order rollup
 * writes them (each day bucket the sum of its hours, with running totals); the query under
 * test goes through the store. Prints the first and the median time of five uptime() calls
 * per window set, and checks the first monitor's totals. `now` is 11:30 UTC: at any time but
 * the last hour of a day the query reads the same rows (the whole days plus four edge days).
 */
import BetterSqlite3 from 'better-sqlite3';
import path from 'node:path';
import { makeMonitor } from '../../src/store/contract/fixtures.ts';
import { openSqliteStore } from '../../src/store/sqlite/open-sqlite-store.ts';
import type { Scenario } from '../lib/scenario.ts';
import { printTable } from '../lib/scenario.ts';

const HOUR = 3_600_000;
const DAY = 86_400_000;
const PER_HOUR = { count: 600, failures: 1 };
/** uptime() calls per window set; the first runs on a cold page cache. */
const RUNS = 5;

interface UptimeFigure {
  windows: string;
  firstMs: number;
  medianMs: number;
}

/** Builds the rollup tables for `monitorCount` monitors over `days`, then times uptime(). */
async function measureUptime(file: string, monitorCount: number, days: number) {
  const hours = 24 * days;
  const ids = Array.from({ length: monitorCount }, (_, i) => `mon-${i}`);
  const setup = await openSqliteStore({ file });
  for (const id of ids) await setup.insertMonitor(makeMonitor(id));
  await setup.close();

  const now = Date.UTC(2026, 1, 1, 11, 30);
  const currentHour = Math.floor(now / HOUR) * HOUR;
  const raw = new BetterSqlite3(file);
  const insert = raw.prepare(
    `insert into rollup_hour values (?, ?, ${PER_HOUR.count}, ${PER_HOUR.failures}, 3, 20, 40, 90)`,
  );
  // Hour by hour and day by day, as rollup writes them, so pages are filled the same way.
  raw.transaction(() => {
    for (let h = hours - 1; h >= 0; h--)
      for (const id of ids) insert.run(id, currentHour - h * HOUR);
  })();
  const dayInsert = raw.prepare(dayBucketsFromHours());
  raw.transaction(() => {
    const firstDay = Math.floor((currentHour - (hours - 1) * HOUR) / DAY) * DAY;
    for (let day = firstDay; day <= currentHour; day += DAY) dayInsert.run({ day });
  })();
  const dayBuckets = Number(raw.prepare('select count(*) from rollup_day').pluck().get());
  raw.close();

  const store = await openSqliteStore({ file });
  const figures: UptimeFigure[] = [];
  try {
    for (const windows of [[DAY], [DAY, 7 * DAY, 30 * DAY]]) {
      const runs: number[] = [];
      for (let run = 0; run < RUNS; run++) {
        const started = performance.now();
        const summaries = await store.uptime(ids, windows, now);
        runs.push(Math.round(performance.now() - started));
        const totals = (summaries.get(ids[0] ?? '') ?? []).map((s) => s.total);
        const expected = windows.map((w) => (Math.min(w, hours * HOUR) / HOUR) * PER_HOUR.count);
        if (totals.join() !== expected.join()) {
          throw new Error(`wrong totals ${totals.join()}, expected ${expected.join()}`);
        }
      }
      figures.push({
        windows: windows.map((w) => `${w / DAY}d`).join('+'),
        firstMs: runs[0] ?? 0,
        medianMs: runs.toSorted((a, b) => a - b)[Math.floor(RUNS / 2)] ?? 0,
      });
    }
  } finally {
    await store.close();
  }
  return {
    monitors: monitorCount,
    days,
    hourBuckets: monitorCount * hours,
    dayBuckets,
    queries: figures,
  };
}

export const storeUptime: Scenario = {
  name: 'store-uptime',
  description: 'Store.uptime for every monitor over 24h and 24h+7d+30d from rollups (in process)',
  async run({ quick, workDir }) {
    const monitors = quick ? 1_000 : 10_000;
    const days = quick ? 7 : 30;
    const figures = await measureUptime(path.join(workDir, 'uptime.db'), monitors, days);
    printTable(
      `store-uptime: ${monitors} monitors, ${days} days of hour and day buckets`,
      ['windows', 'first ms', 'median ms'],
      figures.queries.map((q) => [q.windows, q.firstMs, q.medianMs]),
    );
    return { figures, targets: [] };
  },
};

/** One day's buckets summed from its hour buckets, running totals included (`:day` bound). */
function dayBucketsFromHours(): string {
  const before = (column: string) =>
    Array.from({ length: 23 }, (_, i) => {
      const hour = String(i + 1).padStart(2, '0');
      return [
        `${column}_before_h${hour}`,
        `sum(case when bucket_start < :day + ${(i + 1) * HOUR} then ${column} else 0 end)`,
      ];
    });
  const columns = [
    ['monitor_id', 'monitor_id'],
    ['bucket_start', ':day'],
    ['count', 'sum(count)'],
    ['failures', 'sum(failures)'],
    ['degraded', 'sum(degraded)'],
    ['latency_p50', 'min(latency_p50)'],
    ['latency_p95', 'max(latency_p95)'],
    ['latency_max', 'max(latency_max)'],
    ...before('count'),
    ...before('failures'),
  ];
  return `insert into rollup_day (${columns.map(([name]) => name).join(', ')})
    select ${columns.map(([, value]) => value).join(', ')} from rollup_hour
    where bucket_start >= :day and bucket_start < :day + ${DAY} group by monitor_id`;
}
