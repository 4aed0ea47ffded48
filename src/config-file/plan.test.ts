import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { Monitor } from '../domain/monitor.ts';
import { buildMonitor } from '../services/monitors/monitor-input.ts';
import type { ConfigPlan, CurrentConfig, ManagedRecord } from './plan.ts';
import { planConfig, planIsEmpty } from './plan.ts';
import type { ConfigFile } from './schema.ts';
import { configFileSchema } from './schema.ts';

const NOW = 1_800_000_000_000;
const SOURCE = 'crosscheck.yaml';
const names = fc.constantFrom('api', 'db', 'cache', 'web', 'queue');

/** A file entry: a tcp monitor with a few settings that vary. */
const entry = fc.record(
  {
    key: fc.option(fc.constantFrom('k1', 'k2', 'k3', 'k4'), { nil: undefined }),
    name: names,
    target: fc.constantFrom('127.0.0.1:5432', '127.0.0.1:6379'),
    intervalMs: fc.constantFrom(30_000, 60_000),
    tags: fc.uniqueArray(fc.constantFrom('prod', 'db', 'eu'), { maxLength: 2 }),
  },
  { requiredKeys: ['name', 'target', 'intervalMs', 'tags'] },
);

const file = fc
  .uniqueArray(entry, { selector: (e) => e.key ?? e.name, maxLength: 5 })
  .map((monitors): ConfigFile =>
    configFileSchema.parse({ version: 1, monitors: monitors.map((m) => ({ ...m, type: 'tcp' })) }),
  );

/** The store: monitors, some managed by this file, some by another, some by none. */
const current = fc
  .array(
    fc.record({
      name: names,
      target: fc.constantFrom('127.0.0.1:5432', '127.0.0.1:6379'),
      owner: fc.constantFrom('none', SOURCE, 'other.yaml'),
      key: fc.constantFrom('k1', 'k2', 'api', 'db', 'web'),
    }),
    { maxLength: 6 },
  )
  .map((rows): CurrentConfig => {
    const monitors: Monitor[] = [];
    const managed: ManagedRecord[] = [];
    const taken = new Set<string>();
    rows.forEach((row, index) => {
      const id = `m${index}`;
      monitors.push(buildMonitor({ name: row.name, type: 'tcp', target: row.target }, id, 1));
      // A file manages one object per key.
      if (row.owner !== 'none' && !taken.has(`${row.owner}/${row.key}`)) {
        taken.add(`${row.owner}/${row.key}`);
        managed.push({ kind: 'monitor', objectId: id, source: row.owner, key: row.key });
      }
    });
    return { monitors, managed };
  });

/** What the store holds after the plan is written (the same rules as the store's apply). */
function applyPlan(state: CurrentConfig, plan: ConfigPlan): CurrentConfig {
  const monitors = new Map(state.monitors.map((m) => [m.id, m]));
  let managed = [...state.managed];
  const claim = (key: string, objectId: string) => {
    managed = managed.filter(
      (r) => r.objectId !== objectId && !(r.source === SOURCE && r.key === key),
    );
    managed.push({ kind: 'monitor', objectId, source: SOURCE, key });
  };
  plan.create.forEach((c, index) => {
    const id = `new${index}`;
    monitors.set(id, { ...c.monitor, id });
    claim(c.key, id);
  });
  for (const u of plan.update) {
    monitors.set(u.id, u.monitor);
    claim(u.key, u.id);
  }
  for (const d of plan.delete) {
    monitors.delete(d.id);
    managed = managed.filter((r) => r.objectId !== d.id);
  }
  return { monitors: [...monitors.values()], managed };
}

function shuffled<T>(list: readonly T[], seed: number): T[] {
  const copy = [...list];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = (seed * (i + 7)) % (i + 1);
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}

describe('planConfig', () => {
  it('has nothing left to do once its plan is applied', () => {
    fc.assert(
      fc.property(file, current, fc.boolean(), (config, state, prune) => {
        const options = { source: SOURCE, prune, now: NOW };
        const after = applyPlan(state, planConfig(config, state, options));
        const again = planConfig(config, after, { ...options, now: NOW + 1 });
        assert.ok(planIsEmpty(again), JSON.stringify(again));
        assert.equal(again.unchanged.length, config.monitors?.length ?? 0);
      }),
    );
  });

  it('does not depend on the order of the file or of the store', () => {
    fc.assert(
      fc.property(file, current, fc.boolean(), fc.nat(1000), (config, state, prune, seed) => {
        const options = { source: SOURCE, prune, now: NOW };
        const reordered = planConfig(
          { ...config, monitors: shuffled(config.monitors ?? [], seed) },
          {
            monitors: shuffled(state.monitors, seed + 1),
            managed: shuffled(state.managed, seed + 2),
          },
          options,
        );
        assert.deepEqual(reordered, planConfig(config, state, options));
      }),
    );
  });

  it('never deletes what another file or nobody manages, and deletes only with prune', () => {
    fc.assert(
      fc.property(file, current, fc.boolean(), (config, state, prune) => {
        const plan = planConfig(config, state, { source: SOURCE, prune, now: NOW });
        const mine = new Set(
          state.managed.filter((r) => r.source === SOURCE).map((r) => r.objectId),
        );
        for (const d of plan.delete) assert.ok(mine.has(d.id));
        if (!prune) assert.equal(plan.delete.length, 0);
      }),
    );
  });

  it('updates a renamed monitor in place when its key stays', () => {
    const monitor = buildMonitor({ name: 'API', type: 'tcp', target: '127.0.0.1:80' }, 'm1', 1);
    const state: CurrentConfig = {
      monitors: [monitor],
      managed: [{ kind: 'monitor', objectId: 'm1', source: SOURCE, key: 'api' }],
    };
    const config = configFileSchema.parse({
      version: 1,
      monitors: [{ key: 'api', name: 'Public API', type: 'tcp', target: '127.0.0.1:80' }],
    });
    const plan = planConfig(config, state, { source: SOURCE, prune: true, now: NOW });
    assert.deepEqual(
      plan.update.map((u) => [u.id, u.fields, u.monitor.name, u.adopt]),
      [['m1', ['name'], 'Public API', false]],
    );
    assert.equal(plan.create.length + plan.delete.length, 0);
  });

  it('restores an edited monitor to the file version, naming the fields', () => {
    const edited = {
      ...buildMonitor({ name: 'db', type: 'tcp', target: '127.0.0.1:5432' }, 'm1', 1),
      tags: ['hand-edited'],
      paused: true,
    };
    const state: CurrentConfig = {
      monitors: [edited],
      managed: [{ kind: 'monitor', objectId: 'm1', source: SOURCE, key: 'db' }],
    };
    const config = configFileSchema.parse({
      version: 1,
      monitors: [{ name: 'db', type: 'tcp', target: '127.0.0.1:5432' }],
    });
    const [update] = planConfig(config, state, { source: SOURCE, prune: false, now: NOW }).update;
    assert.deepEqual(update?.fields, ['paused', 'tags']);
    assert.deepEqual([update?.monitor.paused, update?.monitor.tags], [false, []]);
  });
});
