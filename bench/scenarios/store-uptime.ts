/**
 * Micro-benchmark: Store.uptime over many monitors, in this process. Uptime is confirmed
 * downtime over observed time, so the query reads monitors' creation times, incidents and
 * pauses, never results or rollups. Set-up writes incidents and pauses with raw SQL, shaped
 * like a busy month: every 20th monitor has an outage every three days (every other one
 * regional, escalated to down halfway), every 50th was paused for an hour a day, and one
 * incident is still open. Prints the first and the median time of five uptime() calls per
 * window set, and checks one monitor's figure.
 */
import BetterSqlite3 from 'better-sqlite3';
import path from 'node:path';
import { makeMonitor } from '../../src/store/contract/fixtures.ts';
import { openSqliteStore } from '../../src/store/sqlite/open-sqlite-store.ts';
import type { Scenario } from '../lib/scenario.ts';
import { printTable } from '../lib/scenario.ts';

const HOUR = 3_600_000;
const DAY = 86_400_000;
/** uptime() calls per window set; the first runs on a cold page cache. */
const RUNS = 5;
const OUTAGE_MS = 30 * 60_000;

interface UptimeFigure {
  windows: string;
  firstMs: number;
  medianMs: number;
}

/** Writes `days` of incidents and pauses for `monitorCount` monitors; returns the row counts. */
function writeHistory(file: string, ids: readonly string[], days: number, now: number) {
  const raw = new BetterSqlite3(file);
  const incident = raw.prepare(`insert into incidents (id, monitor_id, status, started_at,
    opened_at, ended_at, resolved_at, duration_ms, error_kind, cause, verdict, regions,
    down_since, named_regions) values (?, ?, ?, ?, ?, ?, ?, ?, 'refused', 'connection refused',
    ?, ?, ?, ?)`);
  const pause = raw.prepare('insert into monitor_pauses values (?, ?, ?)');
  let incidents = 0;
  let pauses = 0;
  raw.transaction(() => {
    ids.forEach((id, i) => {
      if (i % 20 === 0) {
        for (let day = days; day > 0; day -= 3) {
          const start = now - day * DAY + (i % 24) * HOUR;
          // A regional outage that escalated to down halfway through.
          const escalated = i % 40 === 0;
          const end = start + OUTAGE_MS;
          const downSince = escalated ? start + OUTAGE_MS / 2 : start;
          const named = escalated ? '["eu-west"]' : '[]';
          incident.run(
            `inc-${id}-${day}`,
            id,
            'resolved',
            start,
            start + 60_000,
            end,
            end,
            OUTAGE_MS,
            'down',
            '[]',
            downSince,
            named,
          );
          incidents++;
        }
      }
      if (i % 50 === 0) {
        for (let day = days; day > 0; day--) {
          pause.run(id, now - day * DAY + 12 * HOUR, now - day * DAY + 13 * HOUR);
          pauses++;
        }
      }
    });
    const open = now - 10 * 60_000;
    incident.run(
      'inc-open',
      ids[1],
      'open',
      open,
      open,
      null,
      null,
      null,
      'down',
      '[]',
      open,
      '[]',
    );
    incidents++;
  })();
  raw.close();
  return { incidents, pauses };
}

/** Creates `monitorCount` monitors with `days` of history, then times uptime(). */
async function measureUptime(file: string, monitorCount: number, days: number) {
  const ids = Array.from({ length: monitorCount }, (_, i) => `mon-${i}`);
  const now = Date.UTC(2026, 1, 1, 11, 30);
  const createdAt = now - 100 * DAY;
  const setup = await openSqliteStore({ file });
  for (const id of ids)
    await setup.insertMonitor(makeMonitor(id, { createdAt, updatedAt: createdAt }));
  await setup.close();
  const rows = writeHistory(file, ids, days, now);

  const store = await openSqliteStore({ file });
  const figures: UptimeFigure[] = [];
  try {
    for (const windows of [[DAY], [DAY, 7 * DAY, 30 * DAY, 90 * DAY]]) {
      const runs: number[] = [];
      for (let run = 0; run < RUNS; run++) {
        const started = performance.now();
        const summaries = await store.uptime(ids, windows, now);
        runs.push(Math.round(performance.now() - started));
        // mon-1: only the open incident, 10 minutes long, never paused.
        const [day] = summaries.get(ids[1] ?? '') ?? [];
        if (day?.downMs !== 10 * 60_000 || day.observedMs !== DAY) {
          throw new Error(`wrong figure ${JSON.stringify(day)} for ${ids[1]}`);
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
  return { monitors: monitorCount, days, ...rows, queries: figures };
}

export const storeUptime: Scenario = {
  name: 'store-uptime',
  description:
    'Store.uptime (confirmed downtime) for every monitor over 24h and 24h+7d+30d+90d (in process)',
  async run({ quick, workDir }) {
    const monitors = quick ? 1_000 : 10_000;
    const days = quick ? 7 : 90;
    const figures = await measureUptime(path.join(workDir, 'uptime.db'), monitors, days);
    printTable(
      `store-uptime: ${monitors} monitors, ${days} days: ${figures.incidents} incidents, ${figures.pauses} pauses`,
      ['windows', 'first ms', 'median ms'],
      figures.queries.map((q) => [q.windows, q.firstMs, q.medianMs]),
    );
    return { figures, targets: [] };
  },
};
