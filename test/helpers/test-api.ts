import type { FastifyInstance } from 'fastify';
import type { Authenticate } from '../../src/api/server.ts';
import { buildApiServer } from '../../src/api/server.ts';
import type { Clock } from '../../src/lib/clock.ts';
import { newId } from '../../src/lib/ids.ts';
import { silentLogger } from '../../src/observability/logger.ts';
import type { Principal } from '../../src/operations/kit.ts';
import { LOCAL_ADMIN } from '../../src/operations/kit.ts';
import type { OperationServices } from '../../src/operations/services.ts';
import { createAlertLogService } from '../../src/services/alert-log-service.ts';
import { storedClusterReads } from '../../src/services/cluster/stored-cluster.ts';
import type { MonitorChangeSink } from '../../src/services/events.ts';
import { createMonitorChangeBus } from '../../src/services/events.ts';
import { createHealthService } from '../../src/services/health-service.ts';
import { createMonitorService } from '../../src/services/monitors/monitor-service.ts';
import { createQueryService, storeStateSource } from '../../src/services/status-service.ts';
import type { Store } from '../../src/store/types.ts';

/** The services a coordinator's API runs with, over one store (no live cluster). */
export function storeOperationServices(
  store: Store,
  clock: Clock,
  changes: MonitorChangeSink = createMonitorChangeBus(),
): OperationServices {
  return {
    monitors: createMonitorService({ store, clock, changes, newId: () => newId('mon') }),
    queries: createQueryService({ store, clock, states: storeStateSource(store) }),
    health: createHealthService({
      store,
      clock,
      version: 'test',
      dataDir: '/tmp/x',
      databasePath: '/tmp/x/db',
    }),
    alerts: createAlertLogService({ store, clock }),
    clock,
    cluster: storedClusterReads(store, clock),
    unavailableReason: 'not available in this test',
  };
}

/** Every request runs as this principal: for tests of behaviour, not of authentication. */
export function actingAs(principal: Principal = LOCAL_ADMIN): Authenticate {
  return () => Promise.resolve(principal);
}

/** The API over these services; requests act as the local administrator unless said. */
export function testApiServer(
  services: OperationServices,
  authenticate: Authenticate = actingAs(),
): FastifyInstance {
  return buildApiServer({ services, logger: silentLogger(), authenticate });
}
