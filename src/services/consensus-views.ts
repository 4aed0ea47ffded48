import { selectorMatches } from '../cluster/assignment.ts';
import type { ConsensusRound } from '../domain/consensus.ts';
import type { Incident } from '../domain/incident.ts';
import type { Monitor } from '../domain/monitor.ts';
import type { MonitorRuntimeState } from '../domain/monitor-state.ts';
import type { ClusterNode } from '../domain/node.ts';

/** An incident with the rounds behind it, oldest first: who voted what, when, and why. */
export interface IncidentDetail extends Incident {
  evidence: ConsensusRound[];
}

/** A node as a status note names it. */
export interface NodeRef {
  id: string;
  name: string;
  region: string | null;
}

/**
 * Sub-quorum trouble: the nodes (and whole regions) that failed in the monitor's last round,
 * out of the nodes that run it. Shown although nobody was paged.
 */
export interface FailingView {
  regions: string[];
  nodes: NodeRef[];
  /** Nodes that run the monitor (never fewer than the failing ones). */
  of: number;
}

/**
 * The sub-quorum view of a monitor (pure): null unless its last round had failing nodes and
 * it is not down. Node ids are resolved to names; an id no longer known is shown as is.
 */
export function failingView(
  monitor: Pick<Monitor, 'nodes'>,
  state: Pick<MonitorRuntimeState, 'status' | 'failingNodes' | 'failingRegions'>,
  nodes: readonly ClusterNode[],
): FailingView | null {
  if (state.status === 'down' || state.failingNodes.length === 0) return null;
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const failing = state.failingNodes.map((id): NodeRef => {
    const node = byId.get(id);
    return { id, name: node?.name ?? id, region: node?.region ?? null };
  });
  const running = nodes.filter(
    (n) => n.removedAt === null && selectorMatches(monitor.nodes, n),
  ).length;
  return {
    regions: [...state.failingRegions],
    nodes: failing,
    of: Math.max(running, failing.length),
  };
}
