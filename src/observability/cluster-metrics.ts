import type { Registry } from 'prom-client';
import { Counter, Gauge, Histogram } from 'prom-client';
import type { Verdict } from '../domain/consensus.ts';
import type { MembershipState } from '../domain/node.ts';
import { MEMBERSHIP_STATES } from '../domain/node.ts';

/** A member as the metrics show it. */
export interface NodeMetricSource {
  id: string;
  name: string;
  region: string | null;
  state: MembershipState;
  /** Whether its votes are set aside (it fails alone on many monitors). */
  impaired: boolean;
}

/** Coordinator-only metrics: membership per node, so "node missing" is alertable in Prometheus. */
export interface ClusterMetrics {
  observeTransition(to: MembershipState | 'removed'): void;
  observeAgentResults(count: number): void;
  /** A confirmation round was decided with this verdict. */
  observeRound(verdict: Verdict, durationMs: number): void;
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
  new Gauge({
    name: 'crosscheck_node_impaired',
    help: 'Health of each cluster node: 1 while its votes are set aside as impaired, else 0.',
    labelNames: ['node_id', 'name', 'region'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const node of nodes()) {
        this.set(
          { node_id: node.id, name: node.name, region: node.region ?? '' },
          node.impaired ? 1 : 0,
        );
      }
    },
  });
  const rounds = new Counter({
    name: 'crosscheck_rounds_total',
    help: 'Confirmation rounds decided, by verdict (down, regional, local, up, unknown).',
    labelNames: ['verdict'] as const,
    registers: [registry],
  });
  const roundSeconds = new Histogram({
    name: 'crosscheck_round_duration_seconds',
    help: 'Time from a round opening to its verdict (the latency a confirmation adds).',
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 120],
    registers: [registry],
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
    observeRound(verdict, durationMs) {
      rounds.inc({ verdict });
      roundSeconds.observe(durationMs / 1_000);
    },
  };
}
