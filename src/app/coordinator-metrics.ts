import type { AgentHub } from '../cluster/coordinator/agent-hub.ts';
import type { Ingestor } from '../cluster/coordinator/ingest.ts';
import type { MembershipTracker } from '../cluster/coordinator/membership-tracker.ts';
import { VERSION } from '../config/version.ts';
import { monitorRef } from '../domain/monitor.ts';
import type { Clock } from '../lib/clock.ts';
import { registerClusterMetrics } from '../observability/cluster-metrics.ts';
import { createNodeMetrics } from '../observability/metrics.ts';
import { registerMonitorMetrics } from '../observability/monitor-metrics.ts';
import { registerStorageMetrics } from '../observability/storage-metrics.ts';
import type { StorageHealth } from '../services/health-service.ts';
import type { Store } from '../store/types.ts';
import type { CheckEngine } from './check-engine.ts';
import type { CoordinatorConsensus } from './coordinator-consensus.ts';

/**
 * The parts a coordinator's metrics read. Getters, because the metrics are registered before
 * the parts they describe exist (those parts report into them); they are read at scrape time.
 */
export interface CoordinatorMetricsSources {
  nodeId: string;
  store: Store;
  clock: Clock;
  engine: () => CheckEngine;
  ingestor: () => Ingestor;
  membership: () => MembershipTracker;
  consensus: () => CoordinatorConsensus;
  hub: () => AgentHub;
  /** The raw window and storage budget (from the housekeeping's keeper). */
  storage: () => StorageHealth;
  /** Bytes of the database file and its WAL. */
  databaseBytes: () => number | Promise<number>;
}

/** The coordinator's `/metrics`: this node's own series, per-monitor series and the cluster's. */
export function createCoordinatorMetrics(sources: CoordinatorMetricsSources) {
  const { nodeId, store, clock } = sources;
  const node = createNodeMetrics({
    scheduler: () => sources.engine().stats(),
    ingestPending: () => sources.ingestor().stats().pending,
    ingestWaiting: () => sources.ingestor().stats().waiting,
    ingestShed: () => sources.ingestor().stats().shed,
    version: VERSION,
  });
  registerStorageMetrics(node.registry, {
    storage: sources.storage,
    databaseBytes: sources.databaseBytes,
  });
  const monitors = registerMonitorMetrics(node.registry, {
    *monitors() {
      const ingestor = sources.ingestor();
      for (const monitor of sources.engine().monitors.values()) {
        if (!monitor.paused)
          yield { monitor: monitorRef(monitor), state: ingestor.state(monitor.id) };
      }
    },
    uptime: (ids, windows) => store.uptime(ids, windows, clock.now()),
    now: () => clock.now(),
  });
  const cluster = registerClusterMetrics(
    node.registry,
    function* () {
      const [membership, consensus, hub] = [
        sources.membership(),
        sources.consensus(),
        sources.hub(),
      ];
      for (const member of membership.members()) {
        const self = member.id === nodeId;
        const load = self ? undefined : hub.load(member.id);
        yield {
          ...member,
          impaired: consensus.runner.impaired(member.id),
          lastSeen: self ? clock.now() : membership.lastSeen(member.id),
          checksPerSecond: self
            ? sources.engine().checksPerSecond()
            : (load?.checksPerSecond ?? null),
          outboxBacklog: load?.outboxBacklog ?? null,
        };
      }
    },
    () => clock.now(),
  );
  return { node, monitors, cluster };
}
