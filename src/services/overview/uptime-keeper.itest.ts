import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { Monitor } from '../../domain/monitor.ts';
import type { IngestBatch, Store } from '../../store/types.ts';
import { batch, makeIncident, makeMonitor } from '../../store/contract/fixtures.ts';
import { tempSqliteStore } from '../../../test/helpers/temp-store.ts';
import type { UptimeKeeper } from './uptime-keeper.ts';
import { createUptimeKeeper } from './uptime-keeper.ts';

// The kept records must give exactly what `Store.uptime` reads fresh, whatever happened in
// between: the keeper hears of each change the way the coordinator tells it.

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const START = Date.UTC(2026, 3, 10, 12, 30);
const IDS = ['m0', 'm1', 'm2', 'm3'];

type Step =
  | { kind: 'advance'; ms: number }
  | { kind: 'open'; monitor: number; agoMs: number; regional: boolean }
  | { kind: 'escalate'; monitor: number }
  | { kind: 'resolve'; monitor: number }
  | { kind: 'retract'; monitor: number }
  | { kind: 'togglePause'; monitor: number }
  | { kind: 'delete'; monitor: number }
  | { kind: 'create'; monitor: number }
  | { kind: 'maintenance'; monitor: number; byTag: boolean; fromMs: number; lengthMs: number }
  | { kind: 'check' };

const monitorIndex = fc.integer({ min: 0, max: IDS.length - 1 });
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('advance'), ms: fc.integer({ min: 0, max: 20 * HOUR }) }),
  fc.record({
    kind: fc.constant('open'),
    monitor: monitorIndex,
    agoMs: fc.integer({ min: 0, max: 3 * HOUR }),
    regional: fc.boolean(),
  }),
  fc.record({ kind: fc.constant('escalate'), monitor: monitorIndex }),
  fc.record({ kind: fc.constant('resolve'), monitor: monitorIndex }),
  fc.record({ kind: fc.constant('retract'), monitor: monitorIndex }),
  fc.record({ kind: fc.constant('togglePause'), monitor: monitorIndex }),
  fc.record({ kind: fc.constant('delete'), monitor: monitorIndex }),
  fc.record({ kind: fc.constant('create'), monitor: monitorIndex }),
  fc.record({
    kind: fc.constant('maintenance'),
    monitor: monitorIndex,
    byTag: fc.boolean(),
    fromMs: fc.integer({ min: -40 * HOUR, max: 2 * HOUR }),
    // Up to longer than a day, so a window can cover all that was observed (uptime null).
    lengthMs: fc.integer({ min: MINUTE, max: 48 * HOUR }),
  }),
  fc.constant<Step>({ kind: 'check' }),
);

/** A store, the keeper told of every change, and the test's own view of what is open. */
interface World {
  store: Store;
  keeper: UptimeKeeper;
  now: number;
  monitors: Map<string, Monitor>;
  open: Map<string, string>;
  serial: number;
}

async function commit(world: World, parts: Partial<IngestBatch>): Promise<void> {
  const committed = batch(parts);
  await world.store.commitBatch(committed);
  world.keeper.batchCommitted(committed);
}

async function assertAgrees(world: World): Promise<void> {
  const kept = await world.keeper.dayUptime(world.now);
  const fresh = await world.store.uptime([...world.monitors.keys()], [DAY], world.now);
  for (const id of world.monitors.keys())
    assert.equal(kept.get(id), fresh.get(id)?.[0]?.uptime, `${id} at +${world.now - START} ms`);
  assert.deepEqual(
    [...kept.keys()].sort(),
    [...world.monitors.keys()].sort(),
    'one figure per monitor',
  );
}

async function createMonitor(world: World, id: string): Promise<void> {
  const monitor = makeMonitor(id, {
    name: id,
    group: id === 'm1' ? 'g' : null,
    tags: id === 'm2' ? ['t'] : [],
    createdAt: world.now - 5 * HOUR,
    updatedAt: world.now - 5 * HOUR,
  });
  await world.store.insertMonitor(monitor);
  world.monitors.set(id, monitor);
  world.keeper.monitorChanged(id);
}

async function apply(world: World, s: Step): Promise<void> {
  if (s.kind === 'advance') world.now += s.ms;
  if (s.kind === 'check') return assertAgrees(world);
  if (s.kind === 'advance') return;
  const id = IDS[s.monitor] ?? 'm0';
  const monitor = world.monitors.get(id);
  const incident = world.open.get(id);
  if (s.kind === 'create') {
    if (monitor === undefined) await createMonitor(world, id);
    return;
  }
  if (monitor === undefined) return;
  if (s.kind === 'delete') {
    await world.store.deleteMonitor(id);
    world.monitors.delete(id);
    world.open.delete(id);
    world.keeper.monitorChanged(id);
  } else if (s.kind === 'togglePause') {
    const next = { ...monitor, paused: !monitor.paused, updatedAt: world.now };
    await world.store.updateMonitor(next);
    world.monitors.set(id, next);
    world.keeper.monitorChanged(id);
  } else if (s.kind === 'maintenance') {
    world.serial += 1;
    await world.store.insertMaintenanceWindow({
      id: `mw-${world.serial}`,
      name: `window ${world.serial}`,
      scope: {
        monitors: s.byTag ? [] : [id],
        groups: [],
        tags: s.byTag ? ['t'] : [],
        nodes: [],
      },
      schedule: {
        kind: 'once',
        startsAt: world.now + s.fromMs,
        endsAt: world.now + s.fromMs + s.lengthMs,
      },
      reason: null,
      createdAt: world.now,
      updatedAt: world.now,
    });
    world.keeper.maintenanceChanged();
  } else if (s.kind === 'open' && incident === undefined) {
    world.serial += 1;
    const opened = {
      ...makeIncident(`inc-${world.serial}`, id, world.now - s.agoMs),
      ...(s.regional ? { verdict: 'regional' as const, regions: ['eu'] } : {}),
    };
    await commit(world, { incidentsOpened: [opened] });
    world.open.set(id, opened.id);
  } else if (s.kind === 'escalate' && incident !== undefined) {
    await commit(world, {
      incidentsUpdated: [{ id: incident, verdict: 'down', regions: [], at: world.now }],
    });
  } else if (s.kind === 'resolve' && incident !== undefined) {
    const done = { id: incident, endedAt: world.now, resolvedAt: world.now, durationMs: 0 };
    await commit(world, { incidentsResolved: [done] });
    world.open.delete(id);
  } else if (s.kind === 'retract' && incident !== undefined) {
    await commit(world, {
      incidentsRetracted: [{ id: incident, retractedAt: world.now, reason: 'test' }],
    });
    world.open.delete(id);
  }
}

describe('UptimeKeeper (real SQLite)', () => {
  it('gives the 24 h uptime a fresh Store.uptime read gives, after any history of changes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 30 }), async (steps) => {
        const { store, cleanup } = await tempSqliteStore();
        try {
          const world: World = {
            store,
            keeper: createUptimeKeeper(store),
            now: START,
            monitors: new Map(),
            open: new Map(),
            serial: 0,
          };
          for (const id of IDS.slice(0, 3)) await createMonitor(world, id);
          for (const s of steps) await apply(world, s);
          await assertAgrees(world);
        } finally {
          await cleanup();
        }
      }),
      { numRuns: 40 },
    );
  });

  it('keeps a monitor to re-read when its incident opens while a read is in flight', async () => {
    const { store, cleanup } = await tempSqliteStore();
    try {
      const keeper = createUptimeKeeper(store);
      await store.insertMonitor(makeMonitor('m1', { createdAt: START - DAY }));
      assert.equal((await keeper.dayUptime(START)).get('m1'), 1);
      keeper.monitorChanged('m1');
      const racing = keeper.dayUptime(START);
      const opened = batch({ incidentsOpened: [makeIncident('inc-1', 'm1', START - 6 * HOUR)] });
      await store.commitBatch(opened);
      keeper.batchCommitted(opened);
      await racing;
      assert.equal((await keeper.dayUptime(START)).get('m1'), 0.75);
      const resolved = batch({
        incidentsResolved: [
          { id: 'inc-1', endedAt: START, resolvedAt: START, durationMs: 6 * HOUR },
        ],
      });
      await store.commitBatch(resolved);
      keeper.batchCommitted(resolved);
      assert.equal((await keeper.dayUptime(START + 6 * HOUR)).get('m1'), 0.75);
      assert.equal((await keeper.dayUptime(START + 2 * DAY)).get('m1'), 1);
    } finally {
      await cleanup();
    }
  });
});
