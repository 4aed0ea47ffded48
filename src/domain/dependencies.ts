// Monitor dependencies as data: what an entry of `dependsOn` names, and whether a set of
// monitors depends on itself in a circle (pure).

/** A `dependsOn` entry naming every monitor of a group: `group:<name>`. */
export const GROUP_DEPENDENCY_PREFIX = 'group:';

/** Most entries one monitor's `dependsOn` holds. */
export const MAX_DEPENDENCIES = 50;

/** The parts of a monitor the dependency graph needs. */
export interface DependencyNode {
  id: string;
  name: string;
  group: string | null;
  dependsOn: readonly string[];
}

/** The group an entry names, or null when it names a monitor id. */
export function dependencyGroup(entry: string): string | null {
  return entry.startsWith(GROUP_DEPENDENCY_PREFIX)
    ? entry.slice(GROUP_DEPENDENCY_PREFIX.length)
    : null;
}

/**
 * The first circle of dependencies among `nodes`, as monitor names from one monitor back to
 * itself (`a → b → a`), or null. A group entry stands for every member of the group among
 * `nodes` except the monitor itself. Only monitors that depend on something can be on a
 * circle, so a caller may pass just those (plus the ones being changed).
 */
export function findDependencyCycle(nodes: readonly DependencyNode[]): string[] | null {
  const byId = new Map(nodes.map((node) => [node.id, node]));
  const members = new Map<string, string[]>();
  for (const node of nodes) {
    if (node.group === null) continue;
    members.set(node.group, [...(members.get(node.group) ?? []), node.id]);
  }
  const parentsOf = (node: DependencyNode): string[] =>
    node.dependsOn.flatMap((entry) => {
      const group = dependencyGroup(entry);
      if (group === null) return byId.has(entry) ? [entry] : [];
      return (members.get(group) ?? []).filter((id) => id !== node.id);
    });
  // Iterative depth-first search: 0 unvisited, 1 on the current path, 2 done.
  const mark = new Map<string, 1 | 2>();
  for (const start of nodes) {
    if (mark.has(start.id)) continue;
    const path: { id: string; parents: string[]; next: number }[] = [];
    const enter = (id: string): void => {
      mark.set(id, 1);
      const node = byId.get(id);
      path.push({ id, parents: node === undefined ? [] : parentsOf(node), next: 0 });
    };
    enter(start.id);
    while (path.length > 0) {
      const top = path[path.length - 1];
      if (top === undefined) break;
      const parent = top.parents[top.next++];
      if (parent === undefined) {
        mark.set(top.id, 2);
        path.pop();
        continue;
      }
      const state = mark.get(parent);
      if (state === 1) {
        const from = path.findIndex((step) => step.id === parent);
        const names = path.slice(from).map((step) => byId.get(step.id)?.name ?? step.id);
        return [...names, byId.get(parent)?.name ?? parent];
      }
      if (state === undefined) enter(parent);
    }
  }
  return null;
}

/** A problem with one monitor's dependencies, at its field path (`dependsOn.<i>`). */
export interface DependencyProblem {
  path: string;
  message: string;
}

/** Monitor ids the changed monitors name that are not among them: the ones to look up. */
export function namedOutside(changed: readonly DependencyNode[]): string[] {
  const ids = new Set(changed.map((node) => node.id));
  const named = changed.flatMap((node) =>
    node.dependsOn.filter((entry) => dependencyGroup(entry) === null && !ids.has(entry)),
  );
  return [...new Set(named)];
}

/**
 * What is wrong with the dependencies of monitors about to be written, by monitor id: entries
 * naming a monitor that neither `existing` nor `changed` has, and a circle the writes would
 * close (with `stored`, every stored monitor that depends on something: no other can be on a
 * circle). A monitor's new entries replace its stored ones.
 */
export function dependencyProblems(
  changed: readonly DependencyNode[],
  stored: readonly DependencyNode[],
  existing: ReadonlySet<string>,
): Map<string, DependencyProblem[]> {
  const problems = new Map<string, DependencyProblem[]>();
  const add = (id: string, problem: DependencyProblem): void => {
    problems.set(id, [...(problems.get(id) ?? []), problem]);
  };
  const changedIds = new Set(changed.map((node) => node.id));
  const withDependencies = changed.filter((node) => node.dependsOn.length > 0);
  for (const node of withDependencies) {
    node.dependsOn.forEach((entry, index) => {
      if (dependencyGroup(entry) !== null || changedIds.has(entry) || existing.has(entry)) return;
      add(node.id, {
        path: `dependsOn.${index}`,
        message: `no monitor with id ${JSON.stringify(entry)}`,
      });
    });
  }
  const graph = new Map(stored.map((node) => [node.id, node]));
  for (const node of changed) graph.set(node.id, node);
  const cycle = withDependencies.length === 0 ? null : findDependencyCycle([...graph.values()]);
  if (cycle !== null) {
    const names = new Set(cycle);
    for (const node of withDependencies.filter((n) => names.has(n.name))) {
      add(node.id, {
        path: 'dependsOn',
        message: `dependencies would form a circle: ${cycle.join(' → ')}`,
      });
    }
  }
  return problems;
}
