import type { RoutingSnapshot } from '../alerts/routing.ts';
import { randomUUID } from 'node:crypto';
import type { CheckRunner } from '../agent/check-runner.ts';
import type { Ingestor } from '../cluster/coordinator/ingest.ts';
import type { AgentHub, AgentConsensusSink } from '../cluster/coordinator/agent-hub.ts';
import type { VoterNode } from '../cluster/assignment.ts';
import type { ConsensusRunner } from '../cluster/coordinator/consensus-runner.ts';
import { createConsensusRunner } from '../cluster/coordinator/consensus-runner.ts';
import { DEFAULT_VANTAGE_POLICY } from '../consensus/vantage-health.ts';
import { nodeAlertDeliveries } from '../cluster/coordinator/node-alerts.ts';
import type { MembershipTracker } from '../cluster/coordinator/membership-tracker.ts';
import type { CanarySpec } from '../checks/canary-spec.ts';
import type { VantagePoint } from '../cluster/vantage/vantage-point.ts';
import { createVantagePoint } from '../cluster/vantage/vantage-point.ts';
import type { ImpairmentTransition } from '../consensus/impairment.ts';
import { DEFAULT_IMPAIRMENT } from '../consensus/impairment.ts';
import type { AlertDelivery, NodeAlertEvent } from '../domain/alert.ts';
import type { InMaintenance } from '../domain/maintenance.ts';
import type { GroupingSettings } from '../domain/cause-group.ts';
import type { ConsensusRound, ProbeCheck, VoteEvidence } from '../domain/consensus.ts';
import type { RecordedResult } from '../domain/check-result.ts';
import type { Monitor } from '../domain/monitor.ts';
import type { ClusterNode } from '../domain/node.ts';
import { isVantageOf } from '../domain/node.ts';
import type { Clock, TimerHandle } from '../lib/clock.ts';
import { isFenced } from '../lib/errors.ts';
import { newId } from '../lib/ids.ts';
import type { Logger } from '../observability/logger.ts';
import type { Store } from '../store/types.ts';

/** Margin on top of a check's timeout before a missing vote counts as no answer. */
const VOTE_MARGIN_MS = 2_000;
/** A monitor in trouble is rechecked at least this often. */
const RECHECK_MS = 60_000;

export interface CoordinatorConsensusDeps {
  store: Store;
  clock: Clock;
  logger: Logger;
  selfId: string;
  canaries: readonly CanarySpec[];
  /** Runs this node's checks and canaries (the registry's runner unless a test passes one). */
  runCheck?: CheckRunner;
  monitors(): ReadonlyMap<string, Monitor>;
  ingestor: Ingestor;
  membership: MembershipTracker;
  /** The hub, once it exists (it needs this part's sink first). */
  hub(): AgentHub;
  heartbeatMs: number;
  /** Alert targets and rules as they are now. */
  routing(): RoutingSnapshot;
  /** Node alerts were stored. */
  onAlerts(alerts: readonly AlertDelivery[]): void;
  onRoundDecided?(round: ConsensusRound): void;
  /** The maintenance window covering a monitor or node now (alerts recorded suppressed). */
  inMaintenance?: InMaintenance;
  /** One page per shared cause; off when omitted. */
  grouping?: GroupingSettings;
}

/** The coordinator's consensus parts: its own vantage point, the runner, node health, probes. */
export interface CoordinatorConsensus {
  vantage: VantagePoint;
  runner: ConsensusRunner;
  /** What the hub hands agents' reports to. */
  sink: AgentConsensusSink;
  /** Every result this node produced: stored, and seen by its own hysteresis. */
  onOwnResult(result: RecordedResult): void;
  /** The enrolled, not removed nodes the consensus counts. */
  directory: Map<string, ClusterNode>;
  /** Runs a probe on one node; null when it does not answer before the deadline. */
  probeOn(nodeId: string, check: ProbeCheck): Promise<VoteEvidence | null>;
  onProbeResult(nodeId: string, probeId: string, evidence: VoteEvidence): void;
  start(): void;
  stop(): Promise<void>;
}

/** Builds the coordinator's consensus parts; `load` the directory before `start`. */
export async function createCoordinatorConsensus(
  deps: CoordinatorConsensusDeps,
): Promise<CoordinatorConsensus> {
  const { store, clock, selfId } = deps;
  const log = deps.logger;
  const directory = new Map<string, ClusterNode>();
  for (const node of await store.listNodes())
    if (isVantageOf(node, deps.selfId)) directory.set(node.id, node);
  const openCauses = new Map<string, string>();
  for (const incident of await store.listIncidents({ active: true }))
    openCauses.set(incident.id, incident.cause);
  const grouping =
    deps.grouping === undefined
      ? {}
      : { grouping: { settings: deps.grouping, stored: await store.openCauseGroups() } };

  const vantage = createVantagePoint({
    clock,
    logger: log,
    nodeId: selfId,
    monitors: () => deps.monitors(),
    canaries: deps.canaries,
    ...(deps.runCheck === undefined ? {} : { runCheck: deps.runCheck }),
  });

  // Health changes are written one at a time, in order.
  let healthChain: Promise<void> = Promise.resolve();
  function recordHealth(transition: ImpairmentTransition): void {
    healthChain = healthChain
      .then(async () => {
        const node = directory.get(transition.nodeId);
        if (node === undefined) return;
        const eventId = newId('nev');
        const routes = await store.nodeAlertRoutes();
        const where = node.region === null ? '' : ` (${node.region})`;
        const event: NodeAlertEvent = {
          kind: transition.impaired ? 'node-impaired' : 'node-healthy',
          idempotencyKey: `node:${node.id}:${eventId}:${transition.impaired ? 'impaired' : 'healthy'}`,
          node: { id: node.id, name: node.name, region: node.region },
          from: transition.impaired ? 'healthy' : 'impaired',
          to: transition.impaired ? 'impaired' : 'healthy',
          message: transition.impaired
            ? `node ${node.name}${where} is impaired: it fails ${transition.monitors.length} monitors the rest of the cluster sees up; its votes are set aside`
            : `node ${node.name}${where} agrees with the cluster again; its votes count`,
          occurredAt: transition.at,
        };
        const maintenance =
          deps.inMaintenance?.({ kind: 'node', name: node.name }, transition.at) ?? null;
        const alerts = nodeAlertDeliveries(
          event,
          routes,
          transition.at,
          () => newId('dlv'),
          deps.routing(),
          maintenance,
        );
        await store.applyNodeHealthChange(
          { eventId, nodeId: node.id, impaired: transition.impaired, at: transition.at },
          alerts,
        );
        directory.set(node.id, {
          ...node,
          impairedSince: transition.impaired ? transition.at : null,
        });
        if (alerts.length > 0) deps.onAlerts(alerts);
      })
      .catch((error: unknown) => {
        const fields = { err: error, peerNodeId: transition.nodeId };
        // One refusal per transition, and the leader plane stops right after: no loop to break.
        if (isFenced(error)) log.warn(fields, 'not the leader any more: node health not recorded');
        else log.error(fields, 'recording node health failed');
      });
  }

  const impairedAtStart: Record<string, number> = {};
  for (const node of directory.values())
    if (node.impairedSince !== null) impairedAtStart[node.id] = node.impairedSince;

  const runner = createConsensusRunner({
    clock,
    logger: log,
    selfId,
    monitors: () => deps.monitors(),
    nodes: (): Iterable<VoterNode> => directory.values(),
    online: (nodeId) => deps.membership.state(nodeId) === 'online',
    clockOffsetMs: (nodeId) => deps.hub().clockOffsetMs(nodeId),
    ingestor: deps.ingestor,
    requestVote(nodeId, request) {
      if (nodeId !== selfId) {
        deps.hub().requestVote(nodeId, request);
        return;
      }
      vantage
        .vote(request.monitorId)
        .then((reply) => runner.vote(selfId, request.roundId, request.monitorId, reply))
        .catch((error: unknown) =>
          log.error({ err: error, monitorId: request.monitorId }, 'local vote failed'),
        );
    },
    onNodeHealth: recordHealth,
    routing: () => deps.routing(),
    onRoundDecided: (round) => deps.onRoundDecided?.(round),
    newId: (prefix) => newId(prefix),
    impairedAtStart,
    impairment: DEFAULT_IMPAIRMENT,
    openCauses,
    voteMarginMs: VOTE_MARGIN_MS,
    recheckMs: RECHECK_MS,
    settleMs: 2 * deps.heartbeatMs,
    canariesFailing(nodeId) {
      if (nodeId === selfId) return vantage.canariesFailing();
      const figures = deps.hub().canaries(nodeId);
      return figures !== undefined && figures.total > 0 && figures.failing * 2 > figures.total;
    },
    vantage: DEFAULT_VANTAGE_POLICY,
    ...grouping,
    ...(deps.inMaintenance === undefined ? {} : { inMaintenance: deps.inMaintenance }),
  });

  const probes = new Map<string, { nodeId: string; resolve: (e: VoteEvidence | null) => void }>();

  return {
    vantage,
    runner,
    directory,
    sink: {
      signal: (nodeId, signal) => runner.signal(nodeId, signal),
      views: (nodeId, suspects, canariesFailing) => runner.views(nodeId, suspects, canariesFailing),
      vote: (nodeId, roundId, monitorId, reply) => runner.vote(nodeId, roundId, monitorId, reply),
    },
    onOwnResult(result) {
      deps.ingestor.submit(result);
      const signal = vantage.observe(result);
      if (signal !== null) runner.signal(selfId, signal);
    },
    probeOn(nodeId, check) {
      if (nodeId === selfId) return vantage.probe(check);
      const probeId = randomUUID();
      return new Promise<VoteEvidence | null>((resolve) => {
        const finish = (evidence: VoteEvidence | null): void => {
          clock.clearTimeout(timer);
          probes.delete(probeId);
          resolve(evidence);
        };
        const timer: TimerHandle = clock.setTimeout(
          () => finish(null),
          check.timeoutMs + VOTE_MARGIN_MS,
        );
        probes.set(probeId, { nodeId, resolve: finish });
        if (!deps.hub().requestProbe(nodeId, probeId, check)) finish(null);
      });
    },
    onProbeResult(nodeId, probeId, evidence) {
      const pending = probes.get(probeId);
      // Only the node the probe went to may answer it.
      if (pending?.nodeId === nodeId) pending.resolve(evidence);
    },
    start() {
      vantage.start();
      runner.start();
    },
    async stop() {
      runner.stop();
      for (const pending of probes.values()) pending.resolve(null);
      await vantage.stop();
      await healthChain;
    },
  };
}
