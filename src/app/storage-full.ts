import fs from 'node:fs';
import type { Clock } from '../lib/clock.ts';
import {
  isAppError,
  isStorageFull,
  STORAGE_FULL_MESSAGE,
  storageFullError,
} from '../lib/errors.ts';
import { createRepeatGate } from '../lib/repeat-gate.ts';
import type { Logger } from '../observability/logger.ts';

/** A full disk fails every write (each request, each batch): one log line per minute says so. */
const REPORT_INTERVAL_MS = 60_000;

/** Below this much free space the daemon does not start: it could not even write its state. */
export const MIN_FREE_BYTES_TO_START = 1024 * 1024;

/** Logs write failures caused by a full disk, at most once per minute with a count. */
export type StorageFullReporter = (error: unknown, operation: string) => void;

export function createStorageFullReporter(logger: Logger, clock: Clock): StorageFullReporter {
  const gate = createRepeatGate(REPORT_INTERVAL_MS);
  return (error, operation) => {
    const decision = gate.occur(clock.now());
    if (!decision.log) return;
    logger.error(
      { err: error, operation, suppressedRepeats: decision.suppressed },
      `${STORAGE_FULL_MESSAGE}: writes to the store fail (API writes answer 503; results and decisions stay in memory and are retried); free space on the data dir's disk`,
    );
  };
}

/**
 * The store with every method's full-disk failure turned into the typed STORAGE_FULL error
 * (503 over REST, exit 3 in the CLI, the code in MCP) and reported once per minute. Other
 * errors pass through untouched. One wrapper at the composition root rather than a catch in
 * each of the store's methods.
 */
export function reportingStorageFull<T extends object>(store: T, report: StorageFullReporter): T {
  const translate = (error: unknown, operation: string): unknown => {
    if (!isStorageFull(error)) return error;
    report(error, operation);
    return isAppError(error) ? error : storageFullError(error);
  };
  return new Proxy(store, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      const operation = String(property);
      return (...args: unknown[]): unknown => {
        try {
          const result: unknown = Reflect.apply(value, target, args);
          if (result instanceof Promise)
            return result.catch((error: unknown) => {
              throw translate(error, operation);
            });
          return result;
        } catch (error) {
          throw translate(error, operation);
        }
      };
    },
  });
}

/**
 * Refuses to start on a data dir whose disk is (nearly) full, with one clear line, instead of
 * failing later on the first write with a database error.
 */
export function assertRoomToStart(dataDir: string): void {
  let free: number;
  try {
    const stats = fs.statfsSync(dataDir);
    free = stats.bavail * stats.bsize;
  } catch {
    // Unknown free space (an unusual filesystem): let the writes themselves tell.
    return;
  }
  if (free < MIN_FREE_BYTES_TO_START)
    throw storageFullError(
      undefined,
      `the disk holding ${dataDir} has ${free} bytes free; free some space and start again`,
    );
}
