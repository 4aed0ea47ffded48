import type { Registry } from 'prom-client';
import { Counter, Gauge } from 'prom-client';
import type { MembershipState } from '../domain/node.ts';
import { MEMBERSHIP_STATES } from '../domain/node.ts';

/** A member as the metrics show it. */
export interface NodeMetricSource {
  id: string;
  name: string;
  region: string | null;
  state: MembershipState;
}

/** Coordinator-only metrics: membership per node, so "node missing" is alertable in Prometheus. */
export interface ClusterMetrics {
  observeTransition(to: MembershipState | 'removed'): void;
  observeAgentResults(count: number): void;
}

/** Registers the cluster metrics on the node's registry. */
export function registerClusterMetrics(
  registry: Registry,
  nodes: () => Iterable<NodeMetricSource>,
): ClusterMetrics {
  new Gauge({
    name: 'crosscheck_node_state',
    help: 'Membership of each cluster node: 1 for its current state (online, grace, missing), else 0.',
    labelNames: ['node_id', 'name', 'region', 'state'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const node of nodes()) {
        for (const state of MEMBERSHIP_STATES) {
          const labels = { node_id: node.id, name: node.name, region: node.region ?? '', state };
          this.set(labels, node.state === state ? 1 : 0);
        }
      }
    },
  });
  const transitions = new Counter({
    name: 'crosscheck_node_transitions_total',
    help: 'Membership transitions recorded, by the state entered.',
    labelNames: ['to'] as const,
    registers: [registry],
  });
  const agentResults = new Counter({
    name: 'crosscheck_agent_results_stored_total',
    help: 'Results received from agents and stored.',
    registers: [registry],
  });
  return {
    observeTransition: (to) => transitions.inc({ to }),
    observeAgentResults: (count) => agentResults.inc(count),
  };
}
