/**
 * Seeds the store a housekeeping pass has to work through, so the bench forces an hour
 * boundary, a day rebuild and a prune in the daemon's first pass instead of waiting for them:
 *
 * - every monitor's full previous hour of raw results (one every 30 s), all but its last
 *   minute already under the rollup watermark: the pass re-reads the whole hour, as every
 *   pass at minute 59 does, and then the current hour the daemon is checking;
 * - the hour buckets of the day's earlier hours, which the day rebuild reads;
 * - raw results past raw retention (8 days old, rolled up) and minute buckets past minute
 *   retention (15 days old): the prune the first pass runs deletes them.
 *
 * Written with better-sqlite3 directly, in time order so seq follows checked_at as in a
 * running daemon, in one transaction.
 */
import BetterSqlite3 from 'better-sqlite3';
import { META_KEYS } from '../../src/store/sql/meta.ts';
import { STATUS_CODES, toCentiMs } from '../../src/store/sql/result-codes.ts';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
const STEP_MS = 30_000;
const PER_HOUR = HOUR_MS / STEP_MS;
const OLD_RESULTS_PER_MONITOR = 4;

export interface BacklogFigures {
  rawResults: number;
  oldResults: number;
  hourBuckets: number;
  oldMinuteBuckets: number;
  previousHourStart: number;
  seedMs: number;
}

export function seedHousekeepingBacklog(
  file: string,
  monitorIds: readonly string[],
  now: number,
): BacklogFigures {
  const started = Date.now();
  const db = new BetterSqlite3(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = OFF');
    // Compact rows (migration 0017): integer keys and codes, durations in 0.01 ms.
    const addMonitorKey = db.prepare(
      'insert into monitor_keys (monitor_id) values (?) on conflict (monitor_id) do nothing',
    );
    db.prepare(`insert into node_keys (node_id) values ('bench') on conflict do nothing`).run();
    const insertRow = db.prepare(`insert into raw_results
      (id, monitor_key, node_key, checked_at, status, latency_cms)
      values (?, (select key from monitor_keys where monitor_id = ?),
        (select key from node_keys where node_id = 'bench'), ?, ?, ?)`);
    const insertResult = (
      id: string,
      monitorId: string,
      at: number,
      status: 'up' | 'down',
      latencyMs: number,
    ) => insertRow.run(id, monitorId, at, STATUS_CODES[status], toCentiMs(latencyMs));
    const insertBucket = (table: string) =>
      db.prepare(`insert or replace into ${table}
        (monitor_id, bucket_start, count, failures, degraded, latency_p50, latency_p95, latency_max)
        values (?, ?, ?, ?, 0, ?, ?, ?)`);
    const insertHour = insertBucket('rollup_hour');
    const insertMinute = insertBucket('rollup_minute');
    const setMeta = db.prepare(
      'insert into meta (key, value) values (?, ?) on conflict (key) do update set value = excluded.value',
    );
    const previousHour = Math.floor(now / HOUR_MS) * HOUR_MS - HOUR_MS;
    const dayStart = Math.floor(previousHour / DAY_MS) * DAY_MS;
    const figures = { rawResults: 0, oldResults: 0, hourBuckets: 0, oldMinuteBuckets: 0 };
    db.transaction(() => {
      for (const monitorId of monitorIds) addMonitorKey.run(monitorId);
      let id = 0;
      // Oldest first: past raw retention (8 days), already rolled up.
      for (let k = 0; k < OLD_RESULTS_PER_MONITOR; k++) {
        for (const monitorId of monitorIds) {
          insertResult(`seed-${id++}`, monitorId, now - 8 * DAY_MS + k * STEP_MS, 'up', 20);
          figures.oldResults++;
        }
      }
      let watermark = 0;
      for (let k = 0; k < PER_HOUR; k++) {
        monitorIds.forEach((monitorId, i) => {
          const latency = 5 + ((i * 7 + k * 13) % 90);
          const status = (i + k) % 50 === 0 ? 'down' : 'up';
          const at = previousHour + k * STEP_MS + (i % STEP_MS);
          const { lastInsertRowid } = insertResult(`seed-${id++}`, monitorId, at, status, latency);
          // Everything but the hour's last minute is already folded in.
          if (k < PER_HOUR - 2) watermark = Number(lastInsertRowid);
          figures.rawResults++;
        });
      }
      for (const monitorId of monitorIds) {
        for (let hour = dayStart; hour < previousHour; hour += HOUR_MS) {
          insertHour.run(monitorId, hour, PER_HOUR, 1, 40, 80, 95);
          figures.hourBuckets++;
        }
        insertMinute.run(monitorId, now - 15 * DAY_MS, 2, 0, 40, 80, 95);
        figures.oldMinuteBuckets++;
      }
      setMeta.run(META_KEYS.rollupWatermark, String(watermark));
    })();
    return { ...figures, previousHourStart: previousHour, seedMs: Date.now() - started };
  } finally {
    db.close();
  }
}
