import type { FastifyInstance } from 'fastify';
import type { ClusterService } from '../services/cluster/cluster-service.ts';

/** Cluster routes: nodes, overview and join tokens (coordinator only). */
export function registerClusterRoutes(app: FastifyInstance, cluster: ClusterService): void {
  app.get('/api/v1/cluster', () => cluster.overview());
  app.get('/api/v1/nodes', () => cluster.listNodes());
  app.get<{ Params: { id: string } }>('/api/v1/nodes/:id', (request) =>
    cluster.getNode(request.params.id),
  );
  app.delete<{ Params: { id: string } }>('/api/v1/nodes/:id', (request) =>
    cluster.removeNode(request.params.id),
  );
  app.get('/api/v1/cluster/alerts', async () => ({ alerts: await cluster.nodeAlertRoutes() }));
  app.put('/api/v1/cluster/alerts', async (request) => ({
    alerts: await cluster.setNodeAlertRoutes(request.body ?? {}),
  }));
  app.post('/api/v1/cluster/join-tokens', async (request, reply) =>
    reply.status(201).send(await cluster.createJoinToken(request.body ?? {})),
  );
}
