import type { Monitor, NodeSelector } from '../domain/monitor.ts';

/** The parts of a node a selector looks at. */
export interface NodePlacement {
  region: string | null;
  labels: Readonly<Record<string, string>>;
}

/** A cluster member as the consensus sees it: who it is and where it checks from. */
export interface VoterNode extends NodePlacement {
  id: string;
  name: string;
}

/** Whether a node qualifies for a selector: region listed (or none listed) and every label carried. */
export function selectorMatches(selector: NodeSelector, node: NodePlacement): boolean {
  if (
    selector.regions.length > 0 &&
    (node.region === null || !selector.regions.includes(node.region))
  )
    return false;
  return Object.entries(selector.labels).every(([key, value]) => node.labels[key] === value);
}

/**
 * Monitors the coordinator judges alone, never assigned to agents: push monitors, whose pings
 * reach the coordinator's API (quorum does not apply; their only voter is the coordinator).
 */
export function coordinatorOnly(monitor: Pick<Monitor, 'type'>): boolean {
  return monitor.type === 'push';
}

/** Whether an agent at `node` runs the monitor. */
export function agentRuns(monitor: Monitor, node: NodePlacement): boolean {
  return !coordinatorOnly(monitor) && selectorMatches(monitor.nodes, node);
}

/** The monitors an agent runs, in their given order. */
export function monitorsFor(monitors: Iterable<Monitor>, node: NodePlacement): Monitor[] {
  const assigned: Monitor[] = [];
  for (const monitor of monitors) if (agentRuns(monitor, node)) assigned.push(monitor);
  return assigned;
}
