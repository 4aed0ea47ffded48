import path from 'node:path';
import type { RecordedResult } from '../../src/domain/check-result.ts';
import { batch, makeIncident, makeResult } from '../../src/store/contract/fixtures.ts';
import { openSqliteStore } from '../../src/store/sqlite/open-sqlite-store.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** What a monitor's page draws and counts: a week of checks every 5 minutes from two nodes. */
const HISTORY_MS = 7 * DAY;
const EVERY_MS = 5 * MINUTE;
const NODES = ['history-node-a', 'history-node-b'];
const COMMIT_EVERY = 5_000;

/**
 * Gives seeded monitors a past before the daemon starts (their page then has a chart, uptime
 * below 100 % and incidents to show): created 30 days ago, a result every 5 minutes for a
 * week from two nodes (an hour of failures two days ago), the incident that hour confirmed,
 * rolled up as the daemon would have.
 */
export async function seedHistory(
  dataDir: string,
  monitorIds: readonly string[],
  now = Date.now(),
): Promise<{ results: number }> {
  const store = await openSqliteStore({ file: path.join(dataDir, 'crosscheck.db') });
  let results = 0;
  try {
    for (const [i, id] of monitorIds.entries()) {
      const monitor = await store.getMonitor(id);
      if (monitor === undefined) throw new Error(`seedHistory: no monitor ${id}`);
      await store.updateMonitor({ ...monitor, createdAt: now - 30 * DAY });
      const outage = { from: now - 2 * DAY, to: now - 2 * DAY + HOUR };
      const pending: RecordedResult[] = [];
      for (let at = now - HISTORY_MS; at < now; at += EVERY_MS) {
        const down = at >= outage.from && at < outage.to;
        for (const [n, nodeId] of NODES.entries()) {
          const latency = 40 + ((at / EVERY_MS + n * 7 + i) % 60);
          pending.push({ ...makeResult(id, at, down ? 'down' : 'up', latency), nodeId });
        }
      }
      for (let from = 0; from < pending.length; from += COMMIT_EVERY)
        await store.commitBatch(batch({ results: pending.slice(from, from + COMMIT_EVERY) }));
      results += pending.length;
      const incident = makeIncident(`history-${id}`, id, outage.from);
      const ended = { endedAt: outage.to, resolvedAt: outage.to, durationMs: HOUR };
      await store.commitBatch(
        batch({ incidentsOpened: [incident], incidentsResolved: [{ id: incident.id, ...ended }] }),
      );
    }
    await store.rollup();
  } finally {
    await store.close();
  }
  return { results };
}
