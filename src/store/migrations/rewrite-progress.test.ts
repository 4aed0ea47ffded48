import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { StoreLogger } from '../logger.ts';
import { startRewriteProgress } from './rewrite-progress.ts';

/** A logger keeping `[message, fields]` of every info line, and a clock the test moves. */
function harness() {
  const lines: [string, Record<string, unknown>][] = [];
  const logger: StoreLogger = {
    debug: () => undefined,
    info: (fields, message) => lines.push([message, fields]),
    warn: () => undefined,
  };
  const clock = { at: 0 };
  return { lines, logger, now: () => clock.at, clock };
}

describe('rewrite progress', () => {
  it('logs the start, progress at most once per interval, and the end with its duration', () => {
    const { lines, logger, now, clock } = harness();
    const progress = startRewriteProgress({
      logger,
      migration: '0099_test',
      total: 1_000,
      intervalMs: 5_000,
      now,
    });
    for (const [at, done] of [
      [1_000, 100],
      [5_000, 300],
      [9_000, 600],
      [10_000, 700],
      [12_000, 1_000],
    ] as const) {
      clock.at = at;
      progress.advance(done);
    }
    clock.at = 12_345;
    progress.finish();
    assert.deepEqual(lines, [
      ['store.migrations: rewrite started', { migration: '0099_test', total: 1_000 }],
      [
        'store.migrations: rewrite progress',
        { migration: '0099_test', done: 300, total: 1_000, percent: 30 },
      ],
      [
        'store.migrations: rewrite progress',
        { migration: '0099_test', done: 700, total: 1_000, percent: 70 },
      ],
      [
        'store.migrations: rewrite done',
        { migration: '0099_test', rows: 1_000, durationMs: 12_345 },
      ],
    ]);
  });

  it('says nothing when there is nothing to rewrite', () => {
    const { lines, logger, now } = harness();
    const progress = startRewriteProgress({
      logger,
      migration: '0099_test',
      total: 0,
      intervalMs: 0,
      now,
    });
    progress.advance(0);
    progress.finish();
    assert.deepEqual(lines, []);
  });
});
