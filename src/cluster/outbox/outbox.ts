import type { RecordedResult } from '../../domain/check-result.ts';
import type { Logger } from '../../observability/logger.ts';
import { openDatabaseFile } from '../../store/sqlite/connection.ts';

/** A batch read from the outbox: results oldest first and the sequence of the last one. */
export interface OutboxBatch {
  upTo: number;
  results: RecordedResult[];
}

/**
 * The agent's durable queue of results not yet acknowledged by the coordinator. Results are
 * appended before anything is sent and deleted only by an acknowledgement, so a coordinator
 * outage or an agent restart loses nothing.
 */
export interface Outbox {
  /** Stores results in one transaction; prunes the oldest beyond the bound. */
  append(results: readonly RecordedResult[]): void;
  /** Up to `limit` results after sequence `after`, oldest first; undefined when none. */
  read(after: number, limit: number): OutboxBatch | undefined;
  /** Deletes every result up to `upTo` (the coordinator has stored them). */
  acknowledge(upTo: number): void;
  backlog(): number;
  /** Results dropped by the size bound since the outbox was opened. */
  dropped(): number;
  close(): void;
}

export interface OpenOutboxOptions {
  file: string;
  /** Most results kept; beyond it the oldest are dropped with a warning. */
  maxResults: number;
  logger: Logger;
}

/** Opens (creating if needed, mode 0600) the SQLite outbox file. */
export function openOutbox(options: OpenOutboxOptions): Outbox {
  const { maxResults, logger } = options;
  const db = openDatabaseFile(options.file, false, logger);
  db.exec(`CREATE TABLE IF NOT EXISTS outbox (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    payload TEXT NOT NULL
  )`);
  const insert = db.prepare<[string]>('INSERT INTO outbox (payload) VALUES (?)');
  const select = db.prepare<[number, number], { seq: number; payload: string }>(
    'SELECT seq, payload FROM outbox WHERE seq > ? ORDER BY seq LIMIT ?',
  );
  const deleteUpTo = db.prepare<[number]>('DELETE FROM outbox WHERE seq <= ?');
  const oldestKept = db.prepare<[number], { seq: number }>(
    'SELECT seq FROM outbox ORDER BY seq LIMIT 1 OFFSET ?',
  );
  const countRow = db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM outbox');
  let count = countRow.get()?.n ?? 0;
  let droppedTotal = 0;
  let lastWarnAt = 0;

  const appendAll = db.transaction((results: readonly RecordedResult[]) => {
    for (const result of results) insert.run(JSON.stringify(result));
    count += results.length;
    if (count <= maxResults) return 0;
    // Oldest first: the newest results say most about the targets' current state.
    const excess = count - maxResults;
    const cut = oldestKept.get(excess);
    if (cut === undefined) return 0;
    const removed = deleteUpTo.run(cut.seq - 1).changes;
    count -= removed;
    return removed;
  });

  return {
    append(results) {
      if (results.length === 0) return;
      const removed = appendAll(results);
      if (removed > 0) {
        droppedTotal += removed;
        const now = Date.now();
        if (now - lastWarnAt > 60_000) {
          lastWarnAt = now;
          logger.warn(
            { dropped: removed, droppedTotal, maxResults },
            'outbox full: oldest results dropped while the coordinator is unreachable',
          );
        }
      }
    },
    read(after, limit) {
      const rows = select.all(after, limit);
      const last = rows.at(-1);
      if (last === undefined) return undefined;
      return {
        upTo: last.seq,
        results: rows.map((row) => JSON.parse(row.payload) as RecordedResult),
      };
    },
    acknowledge(upTo) {
      count -= deleteUpTo.run(upTo).changes;
    },
    backlog: () => count,
    dropped: () => droppedTotal,
    close() {
      db.close();
    },
  };
}
