import { redactAlertRoute } from '../../alerts/registry.ts';
import type { ClusterNode } from '../../domain/node.ts';
import type { Clock } from '../../lib/clock.ts';
import { notFound } from '../../lib/errors.ts';
import type { Store, StoredLeaderLease } from '../../store/types.ts';
import type { ClusterOverview, ClusterService, NodeView } from './cluster-service.ts';
import { nodeAnomalies } from './cluster-service.ts';

/** The node reads every process can serve: from the live coordinator or from its store alone. */
export type ClusterReads = Pick<ClusterService, 'listNodes' | 'getNode' | 'nodeAlertRoutes'> & {
  /** Null where there is no live cluster (the store read with no daemon running). */
  overview(): Promise<ClusterOverview | null>;
};

/**
 * A stored node as the API shows it; canaries are only known to a live coordinator. The lease
 * is the row's while unexpired (PostgreSQL; on SQLite the row is never written).
 */
function storedNodeView(node: ClusterNode, lease: StoredLeaderLease | null, now: number): NodeView {
  const { certSerial: _serial, removedAt: _removed, ...rest } = node;
  const holds = lease !== null && lease.holder === node.id && lease.expiresAt > now;
  return {
    ...rest,
    canaries: null,
    lease: holds ? { epoch: lease.epoch, since: lease.acquiredAt ?? lease.expiresAt } : null,
  };
}

/**
 * Node reads from the store alone: what the CLI shows when no daemon runs, and what an API
 * without a cluster (tests, a bare single node) answers.
 */
export function storedClusterReads(store: Store, clock: Clock): ClusterReads {
  return {
    async listNodes() {
      const lease = await store.leaderLease();
      return (await store.listNodes()).map((node) => storedNodeView(node, lease, clock.now()));
    },
    async getNode(id) {
      const node = await store.getNode(id);
      if (node === undefined || node.removedAt !== null) throw notFound('node', id);
      return {
        node: storedNodeView(node, await store.leaderLease(), clock.now()),
        events: await store.listNodeEvents(id, 100),
        anomalies: await nodeAnomalies(store, id, clock.now()),
      };
    },
    async nodeAlertRoutes() {
      return (await store.nodeAlertRoutes()).map(redactAlertRoute);
    },
    overview: () => Promise.resolve(null),
  };
}
