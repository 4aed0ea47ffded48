import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Monitor } from '../../domain/monitor.ts';
import type { IngestBatch, Store } from '../../store/types.ts';
import { batch, makeIncident, makeMonitor } from '../../store/contract/fixtures.ts';
import { FakeClock } from '../../../test/helpers/fake-clock.ts';
import { tempSqliteStore } from '../../../test/helpers/temp-store.ts';
import type { DayBarCache } from './day-bar-cache.ts';
import { createDayBarCache } from './day-bar-cache.ts';
import type { OverviewQuery } from './overview-query.ts';
import type { OverviewItem, OverviewPage } from './overview-service.ts';
import { createOverview } from './overview-service.ts';

// The daemon keeps past days' uptime bars between calls; every event that changes them must
// drop them, so a cached answer always equals one computed from the store alone.

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOW = Date.UTC(2026, 3, 10, 12, 30);
const BASE: OverviewQuery = { sort: 'name', dir: 'asc', offset: 0, limit: 10 };

describe('the overview with cached past-day bars (real SQLite)', () => {
  let store: Store;
  let cleanup: () => Promise<void>;
  let cache: DayBarCache;
  let clock: FakeClock;
  let cached: (query: OverviewQuery) => Promise<OverviewPage>;
  let uncached: (query: OverviewQuery) => Promise<OverviewPage>;
  const monitors = new Map<string, Monitor>();

  before(async () => {
    ({ store, cleanup } = await tempSqliteStore());
    for (const id of ['m1', 'm2', 'm3']) {
      const monitor = makeMonitor(id, { name: id, createdAt: NOW - 40 * DAY });
      monitors.set(id, monitor);
    }
    await store.saveMonitors([...monitors.values()].map((monitor) => ({ op: 'insert', monitor })));
    cache = createDayBarCache();
    clock = new FakeClock(NOW);
    const deps = {
      store,
      clock,
      monitors: () => monitors.values(),
      states: () => Promise.resolve(new Map()),
    };
    cached = createOverview({ ...deps, bars: cache });
    uncached = createOverview(deps);
  });
  after(() => cleanup());

  const barsOf = (page: OverviewPage): Pick<OverviewItem, 'id' | 'bars' | 'uptime24h'>[] =>
    page.items.map(({ id, bars, uptime24h }) => ({ id, bars, uptime24h }));

  /** The cached answer equals the store's, and the past days came from the cache. */
  async function assertCurrent(): Promise<OverviewPage> {
    const page = await cached(BASE);
    assert.deepEqual(barsOf(page), barsOf(await uncached(BASE)));
    const today = Math.floor(clock.now() / DAY) * DAY;
    for (const item of page.items)
      assert.deepEqual(cache.get(item.id, today), item.bars.slice(0, -1), item.id);
    return page;
  }

  async function commit(parts: Partial<IngestBatch>): Promise<void> {
    const committed = batch(parts);
    await store.commitBatch(committed);
    cache.batchCommitted(committed);
  }

  const yesterdayOf = (page: OverviewPage, id: string) =>
    page.items.find((i) => i.id === id)?.bars.at(-2);

  it('serves past days from the cache, today and 24 h fresh', async () => {
    const first = await assertCurrent();
    assert.equal(first.items[0]?.bars.length, 90);
    await clock.advance(HOUR);
    const later = await assertCurrent();
    assert.equal(later.items[0]?.bars.at(-1)?.uptime, 1);
  });

  it('drops a monitor when an incident opens that began before midnight', async () => {
    const before = await assertCurrent();
    const incident = makeIncident('inc-1', 'm1', clock.now() - 30 * HOUR);
    // Without the event the cache would still show yesterday clean: the test can fail.
    await store.commitBatch(batch({ incidentsOpened: [incident] }));
    assert.notDeepEqual(barsOf(await cached(BASE)), barsOf(await uncached(BASE)));
    cache.batchCommitted(batch({ incidentsOpened: [incident] }));
    const after = await assertCurrent();
    assert.equal(yesterdayOf(before, 'm1')?.uptime, 1);
    assert.ok((yesterdayOf(after, 'm1')?.uptime ?? 1) < 1);
  });

  it('drops everything when an incident resolves or is retracted', async () => {
    const at = clock.now() - 20 * HOUR;
    await commit({
      incidentsResolved: [{ id: 'inc-1', endedAt: at, resolvedAt: at, durationMs: 10 * HOUR }],
    });
    await assertCurrent();
    await commit({ incidentsOpened: [makeIncident('inc-2', 'm2', clock.now() - 50 * HOUR)] });
    const open = await assertCurrent();
    assert.ok((yesterdayOf(open, 'm2')?.uptime ?? 1) < 1);
    await commit({
      incidentsRetracted: [{ id: 'inc-2', retractedAt: clock.now(), reason: 'test' }],
    });
    const retracted = await assertCurrent();
    assert.equal(yesterdayOf(retracted, 'm2')?.uptime, 1);
  });

  it('drops everything when a maintenance window changes', async () => {
    // Time in it is left out: m1's yesterday, down 10 h, is then 10 h down of 18 observed.
    const yesterday = Math.floor(clock.now() / DAY) * DAY - DAY;
    await store.insertMaintenanceWindow({
      id: 'mw-1',
      name: 'upgrade',
      scope: { monitors: ['m1'], groups: [], tags: [], nodes: [] },
      schedule: { kind: 'once', startsAt: yesterday + HOUR, endsAt: yesterday + 7 * HOUR },
      reason: null,
      createdAt: clock.now(),
      updatedAt: clock.now(),
    });
    assert.notDeepEqual(barsOf(await cached(BASE)), barsOf(await uncached(BASE)));
    cache.clear();
    const page = await assertCurrent();
    assert.equal(yesterdayOf(page, 'm1')?.uptime, 1 - 10 / 18);
  });

  it('drops a monitor when it changes, and every entry when the day turns', async () => {
    cache.monitorChanged('m1');
    assert.equal(cache.get('m1', Math.floor(clock.now() / DAY) * DAY), undefined);
    await assertCurrent();
    await clock.advance(DAY);
    await assertCurrent();
  });

  it('does not cache figures read before an invalidation that raced them', () => {
    const race = createDayBarCache();
    const readAt = race.generation();
    race.monitorChanged('m1');
    race.set('m1', 0, [], readAt);
    assert.equal(race.get('m1', 0), undefined);
    race.set('m1', 0, [], race.generation());
    assert.deepEqual(race.get('m1', 0), []);
  });
});
