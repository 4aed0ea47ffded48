import type { Registry } from 'prom-client';
import { Counter, Gauge, Histogram } from 'prom-client';
import type { AlertDelivery, AlertDeliveryStatus, AlertDeliveryUpdate } from '../domain/alert.ts';
import type { ConsensusRound, Verdict, Vote } from '../domain/consensus.ts';
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
  /** Epoch ms of the last message from it (now for the coordinator); null if never seen. */
  lastSeen: number | null;
  /** From its last heartbeat (the coordinator's own engine for itself); null before one. */
  checksPerSecond: number | null;
  /** Results in its outbox at its last heartbeat; null for the coordinator or before one. */
  outboxBacklog: number | null;
}

/** What a delivery came to when its outcome was recorded. */
export type AlertOutcome = Exclude<AlertDeliveryStatus, 'pending' | 'held'> | 'retry';

/** Coordinator-only metrics: nodes, regions, rounds, votes and alert outcomes. */
export interface ClusterMetrics {
  observeTransition(to: MembershipState | 'removed'): void;
  observeAgentResults(count: number): void;
  /** A confirmation round was decided: its verdict, duration and every vote in it. */
  observeRound(
    round: Pick<ConsensusRound, 'verdict' | 'openedAt' | 'decidedAt'> & {
      votes: readonly Pick<Vote, 'outcome' | 'setAside'>[];
    },
  ): void;
  /** A delivery's outcome was recorded; `reason` is kept for suppressed ones only. */
  observeAlert(outcome: AlertOutcome, reason: string | null): void;
}

/** The outcome a dispatcher's recorded update stands for (pending again: a retry is due). */
export function alertOutcome(update: Pick<AlertDeliveryUpdate, 'status'>): AlertOutcome {
  // A dispatcher never holds a delivery; `held` is only ever stored by grouping.
  return update.status === 'pending' || update.status === 'held' ? 'retry' : update.status;
}

/** Deliveries stored already suppressed (maintenance, policy): the dispatcher never sees them. */
export function suppressedAtCreation(alerts: readonly AlertDelivery[]): AlertDelivery[] {
  return alerts.filter((alert) => alert.status === 'suppressed');
}

/** A reason comes from code, but it is a label: anything unexpected is folded into `other`. */
const REASON_PATTERN = /^[a-z][a-z-]{0,39}$/;
const VERDICTS: readonly Verdict[] = ['down', 'regional', 'local', 'up', 'unknown'];

/** Registers the cluster metrics on the node's registry. */
export function registerClusterMetrics(
  registry: Registry,
  nodes: () => Iterable<NodeMetricSource>,
  now: () => number,
): ClusterMetrics {
  registerNodeGauges(registry, nodes, now);
  registerRegionGauges(registry, nodes);
  const rounds = new Counter({
    name: 'crosscheck_rounds_total',
    help: 'Confirmation rounds decided, by verdict (down, regional, local, up, unknown).',
    labelNames: ['verdict'] as const,
    registers: [registry],
  });
  for (const verdict of VERDICTS) rounds.inc({ verdict }, 0);
  const roundSeconds = new Histogram({
    name: 'crosscheck_round_duration_seconds',
    help: 'Time from a round opening to its verdict (the latency a confirmation adds).',
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 120],
    registers: [registry],
  });
  const votes = new Counter({
    name: 'crosscheck_votes_total',
    help: 'Votes in decided rounds: ok, fail, abstain, no-answer, or set-aside (answered, not counted).',
    labelNames: ['vote'] as const,
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
  const alerts = new Counter({
    name: 'crosscheck_alert_deliveries_total',
    help: 'Alert deliveries by outcome (sent, failed, retry, suppressed); reason is set for suppressed ones.',
    labelNames: ['outcome', 'reason'] as const,
    registers: [registry],
  });
  for (const outcome of ['sent', 'failed', 'retry'] as const)
    alerts.inc({ outcome, reason: '' }, 0);
  return {
    observeTransition: (to) => transitions.inc({ to }),
    observeAgentResults: (count) => agentResults.inc(count),
    observeRound(round) {
      rounds.inc({ verdict: round.verdict });
      roundSeconds.observe((round.decidedAt - round.openedAt) / 1_000);
      for (const vote of round.votes)
        votes.inc({ vote: vote.setAside === null ? vote.outcome : 'set-aside' });
    },
    observeAlert(outcome, reason) {
      const label =
        outcome !== 'suppressed'
          ? ''
          : reason !== null && REASON_PATTERN.test(reason)
            ? reason
            : 'other';
      alerts.inc({ outcome, reason: label });
    },
  };
}

/** Per node: membership, health, check rate, outbox and silence; names only in the info series. */
function registerNodeGauges(
  registry: Registry,
  nodes: () => Iterable<NodeMetricSource>,
  now: () => number,
): void {
  const key = (node: NodeMetricSource) => ({ node_id: node.id, region: node.region ?? '' });
  const perNode = (name: string, help: string, value: (node: NodeMetricSource) => number | null) =>
    new Gauge({
      name,
      help,
      labelNames: ['node_id', 'region'] as const,
      registers: [registry],
      collect() {
        this.reset();
        for (const node of nodes()) {
          const v = value(node);
          if (v !== null) this.set(key(node), v);
        }
      },
    });
  new Gauge({
    name: 'crosscheck_node_info',
    help: 'Always 1 per cluster node; carries its name for joins on node_id.',
    labelNames: ['node_id', 'name', 'region'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const node of nodes())
        this.set({ node_id: node.id, name: node.name, region: node.region ?? '' }, 1);
    },
  });
  new Gauge({
    name: 'crosscheck_node_state',
    help: 'Membership of each cluster node: 1 for its current state (online, grace, missing), else 0.',
    labelNames: ['node_id', 'region', 'state'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const node of nodes()) {
        for (const state of MEMBERSHIP_STATES)
          this.set({ ...key(node), state }, node.state === state ? 1 : 0);
      }
    },
  });
  perNode(
    'crosscheck_node_impaired',
    'Health of each cluster node: 1 while its votes are set aside as impaired, else 0.',
    (node) => (node.impaired ? 1 : 0),
  );
  perNode(
    'crosscheck_node_checks_per_second',
    'Checks per second each node reported in its last heartbeat (the coordinator: its own rate).',
    (node) => node.checksPerSecond,
  );
  perNode(
    'crosscheck_node_outbox_results',
    'Results waiting in the outbox of each agent at its last heartbeat.',
    (node) => node.outboxBacklog,
  );
  perNode(
    'crosscheck_node_last_seen_age_seconds',
    'Seconds since the coordinator last heard from each node.',
    (node) => (node.lastSeen === null ? null : Math.max(0, now() - node.lastSeen) / 1_000),
  );
}

/** Per region: how many nodes are in each membership state (region="" for nodes without one). */
function registerRegionGauges(registry: Registry, nodes: () => Iterable<NodeMetricSource>): void {
  new Gauge({
    name: 'crosscheck_region_nodes',
    help: 'Cluster nodes per region and membership state.',
    labelNames: ['region', 'state'] as const,
    registers: [registry],
    collect() {
      this.reset();
      const counts = new Map<string, Map<MembershipState, number>>();
      for (const node of nodes()) {
        const region = node.region ?? '';
        const byState = counts.get(region) ?? new Map(MEMBERSHIP_STATES.map((s) => [s, 0]));
        byState.set(node.state, (byState.get(node.state) ?? 0) + 1);
        counts.set(region, byState);
      }
      for (const [region, byState] of counts)
        for (const [state, count] of byState) this.set({ region, state }, count);
    },
  });
}
