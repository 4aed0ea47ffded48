/**
 * Uptime query benchmark (not a test): hour buckets for many monitors over 30 days, then
 * Store.uptime for every monitor with the status page's windows.
 *
 *   node bench/store-uptime.ts [--monitors 10000] [--days 30]
 *
 * Prints the time of one uptime() call per window set. Hour buckets are written with raw SQL
 * to keep set-up short; the query under test goes through the store.
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

const { values } = parseArgs({
  options: {
    monitors: { type: 'string', default: '10000' },
    days: { type: 'string', default: '30' },
  },
});
const monitorCount = Math.min(100_000, Math.max(1, Number(values.monitors)));
const hours = 24 * Math.min(400, Math.max(1, Number(values.days)));

const dir = mkdtempSync(join(tmpdir(), 'crosscheck-bench-uptime-'));
try {
  const file = join(dir, 'bench.db');
  const ids = Array.from({ length: monitorCount }, (_, i) => `mon-${i}`);
  const setup = await openSqliteStore({ file });
  for (const id of ids) await setup.insertMonitor(makeMonitor(id));
  await setup.close();

  const now = Date.UTC(2026, 1, 1);
  const raw = new BetterSqlite3(file);
  const insert = raw.prepare('insert into rollup_hour values (?, ?, 600, 1, 3, 20, 40, 90)');
  raw.transaction(() => {
    for (const id of ids) for (let h = 1; h <= hours; h++) insert.run(id, now - h * HOUR);
  })();
  raw.close();

  const store = await openSqliteStore({ file });
  for (const windows of [[DAY], [DAY, 7 * DAY, 30 * DAY]]) {
    const started = performance.now();
    await store.uptime(ids, windows, now);
    const ms = Math.round(performance.now() - started);
    console.log(
      JSON.stringify({ monitors: monitorCount, hourBuckets: monitorCount * hours, windows, ms }),
    );
  }
  await store.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
