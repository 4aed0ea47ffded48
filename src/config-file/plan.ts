import type { ManagedKind, ManagedRecord } from '../domain/managed-object.ts';
import type { Monitor } from '../domain/monitor.ts';
import { buildMonitor } from '../services/monitors/monitor-input.ts';
import type { ConfigFile, ConfigMonitor } from './schema.ts';
import { monitorKey } from './schema.ts';
import { canonical, compare, isPlainObject } from './canonical.ts';

export type { ManagedKind, ManagedRecord } from '../domain/managed-object.ts';

/** What the store holds now: the objects and which of them files manage. */
export interface CurrentConfig {
  monitors: readonly Monitor[];
  managed: readonly ManagedRecord[];
}

export interface PlanOptions {
  /** The file's identity: objects it applies are managed by it. */
  source: string;
  /** Delete objects this file manages and no longer names (never others). */
  prune: boolean;
  now: number;
}

/** One object of a plan, by its key in the file. */
export interface PlannedObject {
  kind: ManagedKind;
  key: string;
  name: string;
}

/** A monitor to create; its id is given when it is written. */
export interface PlannedCreate extends PlannedObject {
  monitor: Omit<Monitor, 'id'>;
}

/** A monitor to change to the file's version; `fields` are the dotted paths that differ. */
export interface PlannedUpdate extends PlannedObject {
  id: string;
  monitor: Monitor;
  fields: string[];
  /** An unmanaged monitor of the same name becomes managed by this file. */
  adopt: boolean;
}

export interface PlannedDelete extends PlannedObject {
  id: string;
}

export interface PlannedUnchanged extends PlannedObject {
  id: string;
}

/** What an apply would do; every list ordered by key. */
export interface ConfigPlan {
  create: PlannedCreate[];
  update: PlannedUpdate[];
  delete: PlannedDelete[];
  unchanged: PlannedUnchanged[];
}

/** True when applying the plan changes nothing. */
export function planIsEmpty(plan: ConfigPlan): boolean {
  return plan.create.length === 0 && plan.update.length === 0 && plan.delete.length === 0;
}

/**
 * Compares a file with the store (pure). An entry matches the monitor this file manages under
 * its key; failing that, the one unmanaged monitor of its name (adopted, so a file exported from
 * a running node applies cleanly); otherwise it is created. Matched monitors are replaced by the
 * file's version (fields the file leaves out take their defaults), so `apply` restores edits
 * made elsewhere. With `prune`, monitors this file manages and no longer names are deleted.
 */
export function planConfig(
  config: ConfigFile,
  current: CurrentConfig,
  options: PlanOptions,
): ConfigPlan {
  const byId = new Map(current.monitors.map((m) => [m.id, m]));
  const managedIds = new Set(current.managed.map((r) => r.objectId));
  const mine = new Map(
    current.managed
      .filter((r) => r.kind === 'monitor' && r.source === options.source && byId.has(r.objectId))
      .map((r) => [r.key, r.objectId]),
  );
  const entries = config.monitors ?? [];
  const adoptable = adoptableByName(entries, current.monitors, managedIds, mine);
  const plan: ConfigPlan = { create: [], update: [], delete: [], unchanged: [] };
  for (const entry of entries) {
    const key = monitorKey(entry);
    const matchedId = mine.get(key) ?? adoptable.get(entry.name);
    const existing = matchedId === undefined ? undefined : byId.get(matchedId);
    const base = { kind: 'monitor' as const, key, name: entry.name };
    if (existing === undefined) {
      const { id: _id, ...monitor } = desiredMonitor(entry, '', options.now, options.now);
      plan.create.push({ ...base, monitor });
      continue;
    }
    const desired = desiredMonitor(entry, existing.id, existing.createdAt, existing.updatedAt);
    const fields = changedFields(existing, desired);
    const adopt = !mine.has(key);
    if (fields.length === 0 && !adopt) plan.unchanged.push({ ...base, id: existing.id });
    else
      plan.update.push({
        ...base,
        id: existing.id,
        monitor: fields.length === 0 ? existing : { ...desired, updatedAt: options.now },
        fields,
        adopt,
      });
  }
  if (options.prune) {
    const named = new Set(entries.map(monitorKey));
    for (const [key, id] of mine) {
      const monitor = byId.get(id);
      if (!named.has(key) && monitor !== undefined)
        plan.delete.push({ kind: 'monitor', key, name: monitor.name, id });
    }
  }
  return sortPlan(plan);
}

/**
 * Unmanaged monitors an entry may adopt, by name: only when exactly one unmanaged monitor and
 * exactly one entry (not already matched by key) carry that name, so the result never depends
 * on the order of either list.
 */
function adoptableByName(
  entries: readonly ConfigMonitor[],
  monitors: readonly Monitor[],
  managedIds: ReadonlySet<string>,
  mine: ReadonlyMap<string, string>,
): Map<string, string> {
  const unmatched = entries.filter((e) => !mine.has(monitorKey(e)));
  const entryCount = countBy(unmatched.map((e) => e.name));
  const free = monitors.filter((m) => !managedIds.has(m.id));
  const monitorCount = countBy(free.map((m) => m.name));
  const adoptable = new Map<string, string>();
  for (const monitor of free) {
    if (entryCount.get(monitor.name) === 1 && monitorCount.get(monitor.name) === 1)
      adoptable.set(monitor.name, monitor.id);
  }
  return adoptable;
}

function countBy(values: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return counts;
}

/** The monitor an entry describes (validated already: the file schema ran the same builder). */
function desiredMonitor(
  entry: ConfigMonitor,
  id: string,
  createdAt: number,
  updatedAt: number,
): Monitor {
  const { key: _key, ...input } = entry;
  return { ...buildMonitor(input, id, createdAt), updatedAt };
}

/** Monitor fields that are not settings: identity and bookkeeping. */
const NOT_SETTINGS = new Set(['id', 'createdAt', 'updatedAt']);

/** Dotted paths of the settings that differ (objects compared key by key, arrays whole). */
export function changedFields(current: Monitor, desired: Monitor): string[] {
  const changed: string[] = [];
  const keys = new Set([...Object.keys(current), ...Object.keys(desired)]);
  for (const key of keys) {
    if (NOT_SETTINGS.has(key)) continue;
    diffValue(
      key,
      (current as unknown as Record<string, unknown>)[key],
      (desired as unknown as Record<string, unknown>)[key],
      changed,
    );
  }
  return changed.sort();
}

function diffValue(path: string, a: unknown, b: unknown, out: string[]): void {
  if (isPlainObject(a) && isPlainObject(b)) {
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)]))
      diffValue(`${path}.${key}`, a[key], b[key], out);
    return;
  }
  if (canonical(a) !== canonical(b)) out.push(path);
}

function sortPlan(plan: ConfigPlan): ConfigPlan {
  const byKey = <T extends PlannedObject>(list: T[]): T[] =>
    list.sort((a, b) => compare(a.key, b.key));
  return {
    create: byKey(plan.create),
    update: byKey(plan.update),
    delete: byKey(plan.delete),
    unchanged: byKey(plan.unchanged),
  };
}
