import type { Monitor } from '../../domain/monitor.ts';
import { GROUP_DEPENDENCY_PREFIX } from '../../domain/dependencies.ts';

/** Who depends on whom, rebuilt from the monitors at most once per `refreshMs`. */
export interface DependencyIndex {
  /** The monitors `monitor` depends on, in its order: groups expanded, itself and unknown ids left out. */
  parentsOf(monitor: Monitor, now: number): Monitor[];
  /** Ids of the monitors that depend on `monitorId` (directly or through its group). */
  dependentsOf(monitorId: string, now: number): readonly string[];
}

interface Snapshot {
  builtAt: number;
  /** Group name → its monitors, only for groups some monitor depends on. */
  groups: Map<string, Monitor[]>;
  dependents: Map<string, string[]>;
}

/**
 * The index over the live monitor map. A rebuild walks every monitor, so it is done lazily and
 * at most once per `refreshMs`: an edit shows within that time, and a mass outage (every
 * monitor's incident changing at once) costs one walk, not one per change.
 */
export function createDependencyIndex(
  monitors: () => ReadonlyMap<string, Monitor>,
  refreshMs: number,
): DependencyIndex {
  let snapshot: Snapshot | null = null;

  function current(now: number): Snapshot {
    if (snapshot === null || now - snapshot.builtAt >= refreshMs || now < snapshot.builtAt)
      snapshot = build(monitors(), now);
    return snapshot;
  }

  return {
    parentsOf(monitor, now) {
      if (monitor.dependsOn.length === 0) return [];
      const all = monitors();
      const { groups } = current(now);
      const seen = new Set<string>([monitor.id]);
      const parents: Monitor[] = [];
      const add = (parent: Monitor | undefined): void => {
        if (parent === undefined || seen.has(parent.id)) return;
        seen.add(parent.id);
        parents.push(parent);
      };
      for (const entry of monitor.dependsOn) {
        if (entry.startsWith(GROUP_DEPENDENCY_PREFIX)) {
          for (const member of groups.get(entry.slice(GROUP_DEPENDENCY_PREFIX.length)) ?? [])
            add(member);
        } else add(all.get(entry));
      }
      return parents;
    },
    dependentsOf(monitorId, now) {
      return current(now).dependents.get(monitorId) ?? [];
    },
  };
}

function build(monitors: ReadonlyMap<string, Monitor>, now: number): Snapshot {
  const children: Monitor[] = [];
  const wanted = new Set<string>();
  for (const monitor of monitors.values()) {
    if (monitor.dependsOn.length === 0) continue;
    children.push(monitor);
    for (const entry of monitor.dependsOn)
      if (entry.startsWith(GROUP_DEPENDENCY_PREFIX))
        wanted.add(entry.slice(GROUP_DEPENDENCY_PREFIX.length));
  }
  const groups = new Map<string, Monitor[]>();
  if (wanted.size > 0) {
    for (const monitor of monitors.values()) {
      if (monitor.group === null || !wanted.has(monitor.group)) continue;
      const members = groups.get(monitor.group) ?? [];
      members.push(monitor);
      groups.set(monitor.group, members);
    }
  }
  const dependents = new Map<string, string[]>();
  for (const child of children) {
    for (const entry of child.dependsOn) {
      const parents = entry.startsWith(GROUP_DEPENDENCY_PREFIX)
        ? (groups.get(entry.slice(GROUP_DEPENDENCY_PREFIX.length)) ?? []).map((m) => m.id)
        : [entry];
      for (const parentId of parents) {
        if (parentId === child.id) continue;
        const list = dependents.get(parentId) ?? [];
        if (!list.includes(child.id)) list.push(child.id);
        dependents.set(parentId, list);
      }
    }
  }
  return { builtAt: now, groups, dependents };
}
