import { redactAlertRoute } from '../../alerts/registry.ts';
import type { ClusterNode } from '../../domain/node.ts';
import type { Clock } from '../../lib/clock.ts';
import { notFound } from '../../lib/errors.ts';
import type { Store } from '../../store/types.ts';
import type { ClusterOverview, ClusterService, NodeView } from './cluster-service.ts';
import { nodeAnomalies } from './cluster-service.ts';

/** The node reads every process can serve: from the live coordinator or from its store alone. */
export type ClusterReads = Pick<ClusterService, 'listNodes' | 'getNode' | 'nodeAlertRoutes'> & {
  /** Null where there is no live cluster (the store read with no daemon running). */
  overview(): Promise<ClusterOverview | null>;
};

/** A stored node as the API shows it; canaries are only known to a live coordinator. */
function storedNodeView(node: ClusterNode): NodeView {
  const { certSerial: _serial, removedAt: _removed, ...rest } = node;
  return { ...rest, canaries: null };
}

/**
 * Node reads from the store alone: what the CLI shows when no daemon runs, and what an API
 * without a cluster (tests, a bare single node) answers.
 */
export function storedClusterReads(store: Store, clock: Clock): ClusterReads {
  return {
    async listNodes() {
      return (await store.listNodes()).map(storedNodeView);
    },
    async getNode(id) {
      const node = await store.getNode(id);
      if (node === undefined || node.removedAt !== null) throw notFound('node', id);
      return {
        node: storedNodeView(node),
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
