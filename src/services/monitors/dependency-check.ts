import type { DependencyNode, DependencyProblem } from '../../domain/dependencies.ts';
import { dependencyProblems, namedOutside } from '../../domain/dependencies.ts';
import type { Store } from '../../store/types.ts';

/** The store reads the dependency check needs. */
export type DependencyReads = Pick<Store, 'existingMonitorIds' | 'listDependencyNodes'>;

/**
 * What is wrong with the dependencies of monitors about to be written (see
 * `dependencyProblems`), by monitor id. Reads nothing when none of them depends on anything.
 */
export async function dependencyIssues(
  store: DependencyReads,
  changed: readonly DependencyNode[],
): Promise<Map<string, DependencyProblem[]>> {
  if (!changed.some((node) => node.dependsOn.length > 0)) return new Map();
  const existing = await store.existingMonitorIds(namedOutside(changed));
  return dependencyProblems(changed, await store.listDependencyNodes(), existing);
}
