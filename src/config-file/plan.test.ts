import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parseChannelSettings } from '../alerts/registry.ts';
import type { AlertRule, AlertTarget } from '../domain/alert-target.ts';
import type { MaintenanceWindow } from '../domain/maintenance.ts';
import type { StatusPage } from '../domain/status-page.ts';
import { buildMonitor } from '../services/monitors/monitor-input.ts';
import type { ConfigPlan, CurrentConfig, KindPlan, ManagedKind, ManagedRecord } from './plan.ts';
import {
  PENDING_MONITOR,
  planConfig,
  planConfigInSlices,
  planIsEmpty,
  summarizePlan,
} from './plan.ts';
import { PLAN_SLICE } from './plan-kind.ts';
import type { ConfigFile } from './schema.ts';
import { configFileSchema } from './schema.ts';
import { validateConfigDocument } from './validate.ts';

const NOW = 1_800_000_000_000;
const EMPTY: CurrentConfig = {
  monitors: [],
  alertTargets: [],
  alertRules: [],
  maintenance: [],
  statusPages: [],
  managed: [],
};
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

const targetNames = fc.constantFrom('ops', 'oncall', 'team');

/** A target entry: a webhook whose URL varies. */
const targetEntry = fc.record({
  name: targetNames,
  type: fc.constant('webhook'),
  settings: fc.record({ url: fc.constantFrom('https://hooks.test/a', 'https://hooks.test/b') }),
});

/** A rule entry: a scope, a target, sometimes events and an explicit key. */
const ruleEntry = fc.record(
  {
    key: fc.option(fc.constantFrom('r1', 'r2'), { nil: undefined }),
    scope: fc.constantFrom('group', 'tag', 'default'),
    value: fc.constantFrom('core', 'edge'),
    target: targetNames,
    events: fc.option(fc.constant(['down']), { nil: undefined }),
  },
  { requiredKeys: ['scope', 'value', 'target'] },
);

/** A window entry: monitors by key (those the file has are kept), a one-off or a cron. */
const windowEntry = fc.record({
  key: fc.option(fc.constantFrom('w1', 'w2'), { nil: undefined }),
  name: fc.constantFrom('deploy', 'backup'),
  groups: fc.constant(['core']),
  monitorKeys: fc.uniqueArray(fc.constantFrom('k1', 'k2', 'api', 'db'), { maxLength: 2 }),
  schedule: fc.constantFrom(
    { startsAt: '2027-01-01T00:00:00Z', endsAt: '2027-01-01T02:00:00Z' },
    { cron: '0 3 * * 0', durationMs: '1h', timezone: 'Europe/Berlin' },
  ),
});

/** A page entry: a group of monitors by key (those the file has are kept), maybe badges. */
const pageEntry = fc.record({
  slug: fc.constantFrom('public', 'internal'),
  title: fc.constantFrom('Acme', 'Acme status'),
  showRegions: fc.boolean(),
  monitorKeys: fc.uniqueArray(fc.constantFrom('k1', 'api', 'db'), { maxLength: 2 }),
});

const file = fc
  .record({
    statusPages: fc.uniqueArray(pageEntry, { selector: (p) => p.slug, maxLength: 2 }),
    maintenance: fc.uniqueArray(windowEntry, { selector: (w) => w.key ?? w.name, maxLength: 2 }),
    monitors: fc.uniqueArray(entry, { selector: (e) => e.key ?? e.name, maxLength: 5 }),
    alertTargets: fc.uniqueArray(targetEntry, { selector: (t) => t.name, maxLength: 3 }),
    alertRules: fc.uniqueArray(ruleEntry, {
      selector: (r) => r.key ?? `${r.scope}/${r.scope === 'default' ? '' : r.value}/${r.target}`,
      maxLength: 3,
    }),
  })
  .map(({ monitors, alertTargets, alertRules, maintenance, statusPages }) => ({
    version: 1,
    statusPages: statusPages.map(({ monitorKeys, ...page }) => {
      const known = monitorKeys.filter((key) => monitors.some((m) => (m.key ?? m.name) === key));
      return { ...page, groups: [{ name: 'All', monitors: known }], badgeMonitors: known };
    }),
    monitors: monitors.map((m) => ({ ...m, type: 'tcp' })),
    maintenance: maintenance.map(({ monitorKeys, schedule, ...window }) => ({
      ...window,
      ...schedule,
      monitors: monitorKeys.filter((key) => monitors.some((m) => (m.key ?? m.name) === key)),
    })),
    alertTargets,
    alertRules: alertRules.map(({ value, ...rule }) =>
      rule.scope === 'default' ? rule : { ...rule, value },
    ),
  }))
  .filter((raw) => configFileSchema.safeParse(raw).success)
  .map((raw): ConfigFile => configFileSchema.parse(raw));

const owner = fc.constantFrom('none', SOURCE, 'other.yaml');

/** The store: objects of every kind, some managed by this file, some by another, some by none. */
const current = fc
  .record({
    monitors: fc.array(
      fc.record({
        name: names,
        target: fc.constantFrom('127.0.0.1:5432', '127.0.0.1:6379'),
        owner,
        key: fc.constantFrom('k1', 'k2', 'api', 'db', 'web'),
      }),
      { maxLength: 6 },
    ),
    targets: fc.uniqueArray(
      fc.record({
        name: targetNames,
        url: fc.constantFrom('https://hooks.test/a', 'https://hooks.test/c'),
        owner,
      }),
      { selector: (t) => t.name, maxLength: 3 },
    ),
    rules: fc.uniqueArray(
      fc.record({
        group: fc.constantFrom('core', 'edge'),
        target: targetNames,
        owner,
        key: fc.constantFrom('r1', 'r2', 'group/core/ops'),
      }),
      { selector: (r) => `${r.group}/${r.target}`, maxLength: 3 },
    ),
    pages: fc.uniqueArray(fc.record({ slug: fc.constantFrom('public', 'internal'), owner }), {
      selector: (p) => p.slug,
      maxLength: 2,
    }),
    windows: fc.uniqueArray(
      fc.record({
        name: fc.constantFrom('deploy', 'backup'),
        owner,
        key: fc.constantFrom('w1', 'deploy'),
      }),
      { selector: (w) => w.name, maxLength: 2 },
    ),
  })
  .map((rows): CurrentConfig => {
    const managed: ManagedRecord[] = [];
    const taken = new Set<string>();
    // A file manages one object per kind and key.
    const manage = (kind: ManagedKind, objectId: string, source: string, key: string) => {
      if (source === 'none' || taken.has(`${kind}/${source}/${key}`)) return;
      taken.add(`${kind}/${source}/${key}`);
      managed.push({ kind, objectId, source, key });
    };
    const monitors = rows.monitors.map((row, index) => {
      const id = `m${index}`;
      manage('monitor', id, row.owner, row.key);
      return buildMonitor({ name: row.name, type: 'tcp', target: row.target }, id, 1);
    });
    const alertTargets = rows.targets.map((row, index): AlertTarget => {
      const id = `t${index}`;
      manage('alert-target', id, row.owner, row.name);
      return {
        id,
        name: row.name,
        type: 'webhook',
        settings: parseChannelSettings('webhook', { url: row.url }),
        template: null,
        createdAt: 1,
        updatedAt: 1,
      };
    });
    const alertRules = rows.rules.map((row, index): AlertRule => {
      const id = `r${index}`;
      manage('alert-rule', id, row.owner, row.key);
      return {
        id,
        scope: { kind: 'group', group: row.group },
        target: row.target,
        events: null,
        repeatEveryMs: null,
        escalateAfterMs: null,
        createdAt: 1,
      };
    });
    const maintenance = rows.windows.map((row, index): MaintenanceWindow => {
      const id = `w${index}`;
      manage('maintenance', id, row.owner, row.key);
      return {
        id,
        name: row.name,
        scope: { monitors: monitors.slice(0, 1).map((m) => m.id), groups: [], tags: [], nodes: [] },
        schedule: { kind: 'once', startsAt: 1, endsAt: 2 },
        reason: null,
        createdAt: 1,
        updatedAt: 1,
      };
    });
    const statusPages = rows.pages.map((row, index): StatusPage => {
      const id = `p${index}`;
      manage('status-page', id, row.owner, row.slug);
      return {
        id,
        slug: row.slug,
        title: 'Acme',
        description: null,
        customDomains: [],
        groups: [{ name: 'All', monitorIds: monitors.slice(0, 1).map((m) => m.id) }],
        showRegions: false,
        showDetails: false,
        badgeMonitorIds: [],
        createdAt: 1,
        updatedAt: 1,
      };
    });
    return { monitors, alertTargets, alertRules, maintenance, statusPages, managed };
  });

/** One kind's objects after its plan is written, and the records (the store's rules). */
function applyKind<T extends { id: string }>(
  objects: readonly T[],
  plan: KindPlan<T>,
  managed: ManagedRecord[],
): { objects: T[]; managed: ManagedRecord[] } {
  const byId = new Map(objects.map((o) => [o.id, o]));
  let records = managed;
  const claim = (kind: ManagedKind, key: string, objectId: string) => {
    records = records.filter(
      (r) =>
        !(r.kind === kind && r.objectId === objectId) &&
        !(r.kind === kind && r.source === SOURCE && r.key === key),
    );
    records.push({ kind, objectId, source: SOURCE, key });
  };
  plan.create.forEach((c, index) => {
    const id = `new-${c.kind}-${index}`;
    byId.set(id, { ...c.object, id });
    claim(c.kind, c.key, id);
  });
  for (const u of plan.update) {
    byId.set(u.id, u.object);
    claim(u.kind, u.key, u.id);
  }
  for (const d of plan.delete) {
    byId.delete(d.id);
    records = records.filter((r) => !(r.kind === d.kind && r.objectId === d.id));
  }
  return { objects: [...byId.values()], managed: records };
}

/** What the store holds after the plan is written. */
function applyPlan(state: CurrentConfig, plan: ConfigPlan): CurrentConfig {
  const targets = applyKind(state.alertTargets, plan.alertTargets, [...state.managed]);
  const rules = applyKind(state.alertRules, plan.alertRules, targets.managed);
  const monitors = applyKind(state.monitors, plan.monitors, rules.managed);
  // The apply puts created monitors' ids in place of the plan's `pending:<key>`.
  const createdId = new Map(
    plan.monitors.create.map((c, index) => [c.key, `new-monitor-${index}`]),
  );
  const ids = (list: readonly string[]) =>
    list.map((id) =>
      id.startsWith(PENDING_MONITOR) ? (createdId.get(id.slice(PENDING_MONITOR.length)) ?? id) : id,
    );
  const resolve = (w: MaintenanceWindow): MaintenanceWindow => ({
    ...w,
    scope: { ...w.scope, monitors: ids(w.scope.monitors) },
  });
  const resolvePage = (p: StatusPage): StatusPage => ({
    ...p,
    groups: p.groups.map((g) => ({ ...g, monitorIds: ids(g.monitorIds) })),
    badgeMonitorIds: ids(p.badgeMonitorIds),
  });
  const windows = applyKind(
    state.maintenance,
    {
      ...plan.maintenance,
      create: plan.maintenance.create.map((c) => ({ ...c, object: resolve(c.object) })),
      update: plan.maintenance.update.map((u) => ({ ...u, object: resolve(u.object) })),
    },
    monitors.managed,
  );
  const pages = applyKind(
    state.statusPages,
    {
      ...plan.statusPages,
      create: plan.statusPages.create.map((c) => ({ ...c, object: resolvePage(c.object) })),
      update: plan.statusPages.update.map((u) => ({ ...u, object: resolvePage(u.object) })),
    },
    windows.managed,
  );
  return {
    monitors: monitors.objects,
    alertTargets: targets.objects,
    alertRules: rules.objects,
    maintenance: windows.objects,
    statusPages: pages.objects,
    managed: pages.managed,
  };
}

const entryCount = (config: ConfigFile) =>
  (config.monitors?.length ?? 0) +
  (config.alertTargets?.length ?? 0) +
  (config.alertRules?.length ?? 0) +
  (config.maintenance?.length ?? 0) +
  (config.statusPages?.length ?? 0);

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
        assert.equal(summarizePlan(again).unchanged.length, entryCount(config));
      }),
    );
  });

  it('does not depend on the order of the file or of the store', () => {
    fc.assert(
      fc.property(file, current, fc.boolean(), fc.nat(1000), (config, state, prune, seed) => {
        const options = { source: SOURCE, prune, now: NOW };
        const reordered = planConfig(
          {
            ...config,
            monitors: shuffled(config.monitors ?? [], seed),
            alertTargets: shuffled(config.alertTargets ?? [], seed + 3),
            alertRules: shuffled(config.alertRules ?? [], seed + 4),
            maintenance: shuffled(config.maintenance ?? [], seed + 7),
            statusPages: shuffled(config.statusPages ?? [], seed + 9),
          },
          {
            monitors: shuffled(state.monitors, seed + 1),
            alertTargets: shuffled(state.alertTargets, seed + 5),
            alertRules: shuffled(state.alertRules, seed + 6),
            maintenance: shuffled(state.maintenance, seed + 8),
            statusPages: shuffled(state.statusPages, seed + 10),
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
          state.managed.filter((r) => r.source === SOURCE).map((r) => `${r.kind}/${r.objectId}`),
        );
        const { delete: deletes } = summarizePlan(plan);
        for (const d of deletes) assert.ok(mine.has(`${d.kind}/${d.id}`));
        if (!prune) assert.equal(deletes.length, 0);
      }),
    );
  });

  it('updates a renamed monitor in place when its key stays', () => {
    const monitor = buildMonitor({ name: 'API', type: 'tcp', target: '127.0.0.1:80' }, 'm1', 1);
    const state: CurrentConfig = {
      ...EMPTY,
      monitors: [monitor],
      managed: [{ kind: 'monitor', objectId: 'm1', source: SOURCE, key: 'api' }],
    };
    const config = configFileSchema.parse({
      version: 1,
      monitors: [{ key: 'api', name: 'Public API', type: 'tcp', target: '127.0.0.1:80' }],
    });
    const plan = planConfig(config, state, { source: SOURCE, prune: true, now: NOW }).monitors;
    assert.deepEqual(
      plan.update.map((u) => [u.id, u.fields, u.object.name, u.adopt]),
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
      ...EMPTY,
      monitors: [edited],
      managed: [{ kind: 'monitor', objectId: 'm1', source: SOURCE, key: 'db' }],
    };
    const config = configFileSchema.parse({
      version: 1,
      monitors: [{ name: 'db', type: 'tcp', target: '127.0.0.1:5432' }],
    });
    const [update] = planConfig(config, state, {
      source: SOURCE,
      prune: false,
      now: NOW,
    }).monitors.update;
    assert.deepEqual(update?.fields, ['paused', 'tags']);
    assert.deepEqual([update?.object.paused, update?.object.tags], [false, []]);
  });
});

describe('planConfig with monitors validated once', () => {
  it('gives a plan equal to one that builds every monitor again', async () => {
    const document = {
      version: 1,
      monitors: [
        { name: 'api', type: 'http', target: 'http://127.0.0.1:8080/', intervalMs: '30s' },
        { name: 'db', key: 'database', type: 'tcp', target: '127.0.0.1:5432', tags: ['a', 'a'] },
      ],
    };
    const result = await validateConfigDocument(document, () => Promise.resolve());
    assert.ok(result.ok);
    const options = { source: 'f.yaml', prune: false, now: 1_000 };
    const reused = planConfig(result.config.file, EMPTY, {
      ...options,
      builtMonitors: result.config.monitors,
    });
    assert.deepEqual(reused, planConfig(result.config.file, EMPTY, options));
    assert.equal(reused.monitors.create.length, 2);
  });
  it('plans in slices with a pause between them, to the same plan', async () => {
    const monitors = Array.from({ length: PLAN_SLICE * 2 + 1 }, (_, i) => ({
      name: `m${i}`,
      type: 'tcp' as const,
      target: `127.0.0.1:${1_000 + i}`,
    }));
    const config = configFileSchema.parse({ version: 1, monitors });
    const options = { source: SOURCE, prune: false, now: NOW };
    let pauses = 0;
    const pace = () => {
      pauses += 1;
      return Promise.resolve();
    };
    await planConfigInSlices(configFileSchema.parse({ version: 1 }), EMPTY, options, pace);
    const perKind = pauses; // around each kind's indexes and sort, whatever its size
    pauses = 0;
    const sliced = await planConfigInSlices(config, EMPTY, options, pace);
    assert.equal(pauses - perKind, 2);
    assert.deepEqual(sliced, planConfig(config, EMPTY, options));
  });
});
