import type { DependencyNode } from '../../domain/dependencies.ts';
import { dependencyGroup, findDependencyCycle } from '../../domain/dependencies.ts';
import type { Monitor } from '../../domain/monitor.ts';
import type { FieldIssue } from '../../lib/errors.ts';
import type { Store } from '../../store/types.ts';

/**
 * What is wrong with the dependencies of monitors about to be written, all at once: entries
 * naming a monitor that does not exist (in the store or among `changed`), and a circle the
 * writes would close. Paths are relative to each monitor (`dependsOn.<i>`), keyed by its id.
 * Only monitors that depend on something are read from the store: no other can be on a circle.
 */
export async function dependencyIssues(
  store: Store,
  changed: readonly Monitor[],
): Promise<Map<string, FieldIssue[]>> {
  const issues = new Map<string, FieldIssue[]>();
  const withDependencies = changed.filter((m) => m.dependsOn.length > 0);
  if (withDependencies.length === 0) return issues;
  const add = (id: string, issue: FieldIssue): void => {
    issues.set(id, [...(issues.get(id) ?? []), issue]);
  };
  const changedIds = new Set(changed.map((m) => m.id));
  const named = withDependencies.flatMap((m) =>
    m.dependsOn.filter((entry) => dependencyGroup(entry) === null && !changedIds.has(entry)),
  );
  const existing = await store.existingMonitorIds([...new Set(named)]);
  for (const monitor of withDependencies) {
    monitor.dependsOn.forEach((entry, index) => {
      if (dependencyGroup(entry) !== null || changedIds.has(entry) || existing.has(entry)) return;
      add(monitor.id, {
        path: `dependsOn.${index}`,
        message: `no monitor with id ${JSON.stringify(entry)}`,
      });
    });
  }
  const stored = await store.listDependencyNodes();
  const cycle = findDependencyCycle(graphAfter(stored, changed));
  if (cycle !== null) {
    const names = new Set(cycle);
    for (const monitor of withDependencies.filter((m) => names.has(m.name))) {
      add(monitor.id, {
        path: 'dependsOn',
        message: `dependencies would form a circle: ${cycle.join(' → ')}`,
      });
    }
  }
  return issues;
}

/**
 * The graph once `changed` is written: their new entries replace the stored ones, and group
 * members they join count (a monitor joining a group another depends on can close a circle).
 */
function graphAfter(
  stored: readonly DependencyNode[],
  changed: readonly Monitor[],
): DependencyNode[] {
  const byId = new Map(stored.map((node) => [node.id, node]));
  for (const monitor of changed) {
    byId.set(monitor.id, {
      id: monitor.id,
      name: monitor.name,
      group: monitor.group,
      dependsOn: monitor.dependsOn,
    });
  }
  return [...byId.values()];
}
