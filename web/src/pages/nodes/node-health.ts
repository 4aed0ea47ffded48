import type { NodeView } from '../../api/admin-types.ts';

/**
 * The words the Nodes page shows for a node, straight from the API's fields: its membership
 * state, and whether its votes are set aside (impaired) or its canaries fail (it abstains).
 */
export function nodeHealth(node: NodeView): 'impaired' | 'abstaining' | 'healthy' {
  if (node.impairedSince !== null) return 'impaired';
  if (node.canaries !== null && node.canaries.failing > 0) return 'abstaining';
  return 'healthy';
}

export function canariesText(node: NodeView): string {
  if (node.canaries === null) return '—';
  const { total, failing } = node.canaries;
  return failing === 0 ? `${total} ok` : `${failing} of ${total} failing`;
}

export function rateText(node: NodeView): string {
  return node.checksPerSecond === null ? '—' : `${node.checksPerSecond.toFixed(2)}/s`;
}

/** Nodes grouped by region, regions sorted by name with "no region" last. */
export function byRegion(
  nodes: readonly NodeView[],
): { region: string | null; nodes: NodeView[] }[] {
  const groups = new Map<string | null, NodeView[]>();
  for (const node of nodes) {
    const list = groups.get(node.region) ?? [];
    list.push(node);
    groups.set(node.region, list);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => (a === null ? 1 : b === null ? -1 : a.localeCompare(b)))
    .map(([region, list]) => ({
      region,
      nodes: list.sort((a, b) => a.name.localeCompare(b.name)),
    }));
}
