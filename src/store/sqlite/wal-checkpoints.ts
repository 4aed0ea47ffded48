import BetterSqlite3 from 'better-sqlite3';
import { statSync } from 'node:fs';
import type { SqliteHandle } from './connection.ts';
import { readerCanShare } from './connection.ts';

/** SQLite's default `wal_autocheckpoint`: a commit that leaves this many WAL pages checkpoints. */
export const DEFAULT_AUTOCHECKPOINT_PAGES = 1000;

/**
 * The writer connection's automatic checkpoints, which run inside its commits and so on the
 * daemon's main thread. Handed to another connection's checkpointer while one runs
 * (docs/adr/0009-checkpoint-on-housekeeping-thread.md) and taken back when it stops.
 */
export interface WriterCheckpoints {
  /** Off: commits never checkpoint; on: SQLite's default threshold. */
  setAutomatic(on: boolean): void;
  /** The writer's current `wal_autocheckpoint`, in pages (0 = off). */
  automaticPages(): number;
}

/**
 * The writer's checkpoint control, or undefined where no other connection can checkpoint for
 * it (in memory, not in WAL mode): those must keep automatic checkpoints or the WAL grows
 * without bound. A closed writer is left alone (the checkpointer may stop after the store).
 */
export function writerCheckpoints(
  file: string,
  handle: SqliteHandle,
): WriterCheckpoints | undefined {
  if (!readerCanShare(file, handle)) return undefined;
  return {
    setAutomatic(on) {
      if (handle.open)
        handle.pragma(`wal_autocheckpoint = ${on ? DEFAULT_AUTOCHECKPOINT_PAGES : 0}`);
    },
    automaticPages: () => Number(handle.pragma('wal_autocheckpoint', { simple: true })),
  };
}

export type CheckpointMode = 'PASSIVE' | 'TRUNCATE';

/** What one `wal_checkpoint` did. */
export interface CheckpointOutcome {
  mode: CheckpointMode;
  /** It could not finish: a writer or reader was in the way (TRUNCATE: within its wait). */
  busy: boolean;
  /** Committed frames in the WAL, and how many of them are now in the database file. */
  walPages: number;
  checkpointedPages: number;
  /** Size of the -wal file afterwards (it is reused from the start, not shrunk, unless TRUNCATE). */
  walBytes: number;
}

/** A connection of its own that checkpoints a WAL database other connections write. */
export interface Checkpointer {
  /** A PASSIVE checkpoint when anything was committed, or left over, since the last one. */
  passiveIfNeeded(): CheckpointOutcome | undefined;
  /** Never waits for writers: copies what it can, as far as the oldest reader allows. */
  passive(): CheckpointOutcome;
  /** Waits up to `truncateWaitMs` for readers and writers, then empties the WAL file. */
  truncate(): CheckpointOutcome;
  close(): void;
}

/**
 * Opens the checkpointing connection, or returns undefined when the file is not a WAL
 * database (then its writer keeps its automatic checkpoints). `truncateWaitMs` bounds how long
 * a TRUNCATE waits: while it waits, new writers wait too (on the daemon's main thread, whose
 * busy handler sleeps), so it is short.
 */
export function openCheckpointer(
  file: string,
  options: { truncateWaitMs: number },
): Checkpointer | undefined {
  const handle = new BetterSqlite3(file, { fileMustExist: true });
  if (handle.pragma('journal_mode', { simple: true }) !== 'wal') {
    handle.close();
    return undefined;
  }
  handle.pragma(`busy_timeout = ${Math.max(0, Math.round(options.truncateWaitMs))}`);
  let seenVersion: number | undefined;
  let leftOver = false;
  const run = (mode: CheckpointMode): CheckpointOutcome => {
    seenVersion = Number(handle.pragma('data_version', { simple: true }));
    const [row] = handle.pragma(`wal_checkpoint(${mode})`) as {
      busy: number;
      log: number;
      checkpointed: number;
    }[];
    const outcome: CheckpointOutcome = {
      mode,
      busy: (row?.busy ?? 0) !== 0,
      walPages: Math.max(0, row?.log ?? 0),
      checkpointedPages: Math.max(0, row?.checkpointed ?? 0),
      walBytes: walFileBytes(file),
    };
    leftOver = outcome.busy || outcome.checkpointedPages < outcome.walPages;
    return outcome;
  };
  return {
    passiveIfNeeded() {
      // data_version moves when another connection commits: a cheap "anything new?".
      const version = Number(handle.pragma('data_version', { simple: true }));
      if (!leftOver && version === seenVersion) return undefined;
      return run('PASSIVE');
    },
    passive: () => run('PASSIVE'),
    truncate: () => run('TRUNCATE'),
    close: () => handle.close(),
  };
}

function walFileBytes(file: string): number {
  try {
    return statSync(`${file}-wal`).size;
  } catch {
    return 0;
  }
}
