/**
 * Uptime query benchmark (not a test): hour and day buckets for many monitors over 30 days,
 * then Store.uptime for every monitor with the status page's windows.
 *
 *   node bench/store-uptime.ts [--monitors 10000] [--days 30] [--at 11:30]
 *
 * Prints the first and the median time of five uptime() calls per window set, and checks
 * the first monitor's totals. `--at` is the UTC time of day of `now`; at any time but the
 * last hour of a day the query reads the same rows (the whole days plus four edge days),
 * from 23:00 on whole days only. Buckets are written with raw SQL to keep set-up short, in
 * the order rollup writes them (each day bucket the sum of its hours, with running totals);
 * the query under test goes through the store.
 */
import BetterSqlite3 from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { makeMonitor } from '../src/store/contract/fixtures.ts';
import { openSqliteStore } from '../src/store/sqlite/open-sqlite-store.ts';

const HOUR = 3_600_000;
const DAY = 86_400_000;
const PER_HOUR = { count: 600, failures: 1 };
/** uptime() calls per window set; the first runs on a cold page cache. */
const RUNS = 5;

const { values } = parseArgs({
  options: {
    monitors: { type: 'string', default: '10000' },
    days: { type: 'string', default: '30' },
    at: { type: 'string', default: '11:30' },
  },
});
const monitorCount = Math.min(100_000, Math.max(1, Number(values.monitors)));
const hours = 24 * Math.min(400, Math.max(1, Number(values.days)));
const [atHours = 0, atMinutes = 0] = values.at.split(':').map(Number);

const dir = mkdtempSync(join(tmpdir(), 'crosscheck-bench-uptime-'));
try {
  const file = join(dir, 'bench.db');
  const ids = Array.from({ length: monitorCount }, (_, i) => `mon-${i}`);
  const setup = await openSqliteStore({ file });
  for (const id of ids) await setup.insertMonitor(makeMonitor(id));
  await setup.close();

  const now = Date.UTC(2026, 1, 1, atHours, atMinutes);
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
    const firstMs = runs[0];
    const medianMs = runs.toSorted((a, b) => a - b)[Math.floor(RUNS / 2)];
    const hourBuckets = monitorCount * hours;
    console.log(
      JSON.stringify({
        monitors: monitorCount,
        hourBuckets,
        dayBuckets,
        now: new Date(now).toISOString(),
        windows,
        firstMs,
        medianMs,
      }),
    );
  }
  await store.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}

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
