import assert from 'node:assert/strict';
import path from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { pino } from 'pino';
import type { Logger } from '../observability/logger.ts';
import { batch, makeMonitor, makeResult } from '../store/contract/fixtures.ts';
import { RAW_WINDOW_FLOOR_MS } from '../store/raw-window-budget.ts';
import type { Store } from '../store/types.ts';
import { DEFAULT_RETENTION } from '../store/types.ts';
import { FakeClock } from '../../test/helpers/fake-clock.ts';
import { tempSqliteStore } from '../../test/helpers/temp-store.ts';
import type { HousekeepingPasses } from './housekeeping.ts';
import { startHousekeeping } from './housekeeping.ts';
import { startHousekeepingWorker } from './housekeeping-worker.ts';
import { createRawWindowKeeper } from './storage-budget.ts';

const HOUR = 3_600_000;
const MONITORS = 10;
const INTERVAL_MS = 30_000;
const SPAN_MS = 48 * HOUR;

/** Log records as objects, to check what the budget logged. */
function capturedLogger(): { logger: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const logger = pino(
    { level: 'info' },
    { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) },
  );
  return { logger, lines };
}

describe('storage budget (real SQLite, housekeeping thread)', () => {
  let store: Store;
  let dir: string;
  let cleanup: () => Promise<void>;
  let passes: HousekeepingPasses | undefined;
  const clock = new FakeClock(Date.UTC(2026, 5, 10));

  beforeEach(async () => {
    ({ store, dir, cleanup } = await tempSqliteStore());
    // 10 monitors at 30 s over the last 48 hours: 57,600 raw results.
    const ids = Array.from({ length: MONITORS }, (_, i) => `m${i}`);
    for (const id of ids) await store.insertMonitor(makeMonitor(id, { intervalMs: INTERVAL_MS }));
    const start = clock.now() - SPAN_MS;
    let results = [];
    for (let at = start; at < clock.now(); at += INTERVAL_MS) {
      for (const id of ids) results.push(makeResult(id, at, 'up', 40));
      if (results.length >= 5_000) {
        await store.commitBatch(batch({ results }));
        results = [];
      }
    }
    await store.commitBatch(batch({ results }));
  });
  afterEach(async () => {
    await passes?.close();
    passes = undefined;
    await cleanup();
  });

  it('a small budget shrinks the raw window: old raw results go, rollups stay', async () => {
    const before = await store.storageFigures(clock.now());
    assert.equal(before.rawRows, MONITORS * (SPAN_MS / INTERVAL_MS));
    assert.equal(before.recentResults, MONITORS * (HOUR / INTERVAL_MS));
    assert.ok(before.rawBytes > 0 && before.rawBytes < before.usedBytes);

    // Room for about half the raw results after the reserve and the rest.
    const budgetBytes = Math.round((before.usedBytes - before.rawBytes / 2) / 0.9);
    const { logger, lines } = capturedLogger();
    const rawWindow = createRawWindowKeeper({
      budgetBytes,
      retention: DEFAULT_RETENTION,
      logger,
    });
    passes = await startHousekeepingWorker({ file: path.join(dir, 'crosscheck.db'), logger });
    const housekeeping = startHousekeeping({
      store,
      clock,
      logger,
      retention: DEFAULT_RETENTION,
      rawWindow,
      passes,
    });
    await housekeeping.runOnce();
    await housekeeping.stop();

    const view = rawWindow.view();
    assert.equal(view.limitedBy, 'budget');
    assert.equal(view.budgetBytes, budgetBytes);
    assert.ok(view.rawWindowMs > RAW_WINDOW_FLOOR_MS, `${view.rawWindowMs}`);
    // The rollup pass wrote a minute bucket per monitor-minute before the prune, so the rest
    // grew and the window is a little under the 24 hours the raw results alone would allow.
    assert.ok(view.rawWindowMs < 24 * HOUR, `${view.rawWindowMs}`);
    assert.ok(!view.overBudget);

    const oldestKept = clock.now() - view.rawWindowMs;
    const oldRaw = await store.listResults({ monitorId: 'm0', since: 0, limit: 5_000 });
    assert.ok(oldRaw.length > 0);
    assert.ok(
      oldRaw.every((r) => r.checkedAt >= oldestKept),
      'raw results older than the window are pruned',
    );
    assert.ok(oldRaw.length < SPAN_MS / INTERVAL_MS);
    const minutes = await store.listRollups('minute', 'm0', 0);
    assert.equal(minutes.length, SPAN_MS / 60_000, 'every minute bucket stays');
    assert.equal(minutes[0]?.bucketStart, clock.now() - SPAN_MS);

    const changed = lines.find((line) => line.msg === 'storage budget: raw window changed');
    assert.ok(changed, 'the change is logged');
    assert.equal(changed.rawWindowMs, view.rawWindowMs);
    assert.equal(changed.fromMs, DEFAULT_RETENTION.rawMs);
    const pass = lines.find((line) => line.msg === 'housekeeping pass');
    assert.equal(pass?.rawWindowMs, view.rawWindowMs);
    assert.ok((pass?.pruned_results ?? 0) !== 0);
  });

  it('a budget the floor does not fit keeps an hour and warns once', async () => {
    const { logger, lines } = capturedLogger();
    const rawWindow = createRawWindowKeeper({
      budgetBytes: 10_000_000,
      retention: DEFAULT_RETENTION,
      logger,
    });
    // Ten thousand results an hour in 10 MB: the same data at 100 times the rate.
    const figures = await store.storageFigures(clock.now());
    const flooded = { ...figures, recentResults: figures.recentResults * 100 };
    const retention = await rawWindow.retentionFor(clock.now(), () => Promise.resolve(flooded));
    assert.equal(retention.rawMs, RAW_WINDOW_FLOOR_MS);
    assert.equal(retention.minuteMs, DEFAULT_RETENTION.minuteMs, 'rollups keep their retention');
    await rawWindow.retentionFor(clock.now() + HOUR, () => Promise.resolve(flooded));
    const view = rawWindow.view();
    assert.equal(view.limitedBy, 'floor');
    assert.ok(view.overBudget);
    const warnings = lines.filter((line) => line.level === 40);
    assert.equal(warnings.length, 1, 'warned once within six hours');
  });
});
