import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { silentLogger } from '../observability/logger.ts';
import { batch, makeMonitor, makeResult } from '../store/contract/fixtures.ts';
import type { Store } from '../store/types.ts';
import { DEFAULT_RETENTION } from '../store/types.ts';
import { FakeClock } from '../../test/helpers/fake-clock.ts';
import { tempSqliteStore } from '../../test/helpers/temp-store.ts';
import { startHousekeeping } from './housekeeping.ts';

describe('store housekeeping timer', () => {
  let store: Store;
  let cleanup: () => Promise<void>;
  let clock: FakeClock;

  beforeEach(async () => {
    ({ store, cleanup } = await tempSqliteStore());
    clock = new FakeClock(Date.UTC(2026, 5, 1));
    await store.insertMonitor(makeMonitor('m1'));
  });
  afterEach(() => cleanup());

  it('rolls results up every minute and prunes raw results past retention', async () => {
    const now = clock.now();
    const old = now - DEFAULT_RETENTION.rawMs - 3_600_000;
    await store.commitBatch(
      batch({ results: [makeResult('m1', old, 'down'), makeResult('m1', now - 30_000, 'up', 40)] }),
    );
    const housekeeping = startHousekeeping({
      store,
      clock,
      logger: silentLogger(),
      retention: DEFAULT_RETENTION,
    });
    assert.equal(
      (await store.listRollups('minute', 'm1', 0)).length,
      0,
      'nothing before the first tick',
    );

    await clock.advance(60_000);
    await housekeeping.stop();
    const minutes = await store.listRollups('minute', 'm1', 0);
    assert.ok(
      minutes.some((b) => b.count === 1 && b.latencyMax === 40),
      JSON.stringify(minutes),
    );
    const raw = await store.listResults({ monitorId: 'm1', since: 0, limit: 10 });
    assert.deepEqual(
      raw.map((r) => r.status),
      ['up'],
      'the result past retention is pruned',
    );
  });

  it('keeps going after a failed run', async () => {
    let calls = 0;
    const failing = new Proxy(store, {
      get(target, property) {
        if (property === 'rollup') {
          return () => {
            calls++;
            return Promise.reject(new Error('database is locked (injected)'));
          };
        }
        const value: unknown = Reflect.get(target, property);
        return typeof value === 'function'
          ? (value as (...a: unknown[]) => unknown).bind(target)
          : value;
      },
    });
    const housekeeping = startHousekeeping({
      store: failing,
      clock,
      logger: silentLogger(),
      retention: DEFAULT_RETENTION,
    });
    await clock.advance(60_000);
    await clock.advance(60_000);
    await housekeeping.stop();
    assert.equal(calls, 2);
  });
});
