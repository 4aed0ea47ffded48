import { VERSION } from '../config/version.ts';
import { dataDirPaths } from '../config/data-dir.ts';
import { readNodeIdentity } from '../config/node-identity.ts';
import { systemClock } from '../lib/clock.ts';
import { AppError, notFound } from '../lib/errors.ts';
import { newId } from '../lib/ids.ts';
import type { OperationServices } from '../operations/services.ts';
import { createAlertLogService } from '../services/alert-log-service.ts';
import { storedClusterReads } from '../services/cluster/stored-cluster.ts';
import { createHealthService } from '../services/health-service.ts';
import { createConfigService } from '../config-file/config-service.ts';
import { createMonitorChangeBus } from '../services/events.ts';
import { createMaintenanceService } from '../services/maintenance-service.ts';
import { createQueryService, storeStateSource } from '../services/status-service.ts';
import type { DatabaseSetting } from '../config/database-config.ts';
import { resolveDatabase } from '../config/database-config.ts';
import { databaseExists, openCoordinatorStore } from './coordinator-store.ts';

/**
 * The services of a data dir whose daemon is not running: its store opened read-only. Reads
 * work; writes and cluster verbs answer UNAVAILABLE saying how to start the daemon.
 */
export async function openOfflineServices(
  dataDir: string,
  setting: DatabaseSetting = {},
): Promise<{ services: OperationServices; close(): Promise<void> }> {
  const paths = dataDirPaths(dataDir);
  if (readNodeIdentity(paths.nodeIdentity)?.role === 'agent') {
    throw new AppError(
      'UNAVAILABLE',
      `this agent's daemon is not running on ${dataDir}; start it with: crosscheck agent --data-dir ${dataDir} (an agent keeps no data of its own: it asks the coordinator)`,
    );
  }
  const database = resolveDatabase(dataDir, setting);
  if (!databaseExists(database)) {
    throw new AppError(
      'UNAVAILABLE',
      `no Crosscheck data in ${dataDir} and no daemon running there; start one with: crosscheck start --data-dir ${dataDir}`,
    );
  }
  // PostgreSQL: a read-only pool (every transaction read-only, no migration).
  const { store, label } = await openCoordinatorStore(database, { readonly: true });
  const clock = systemClock;
  const services: OperationServices = {
    clock,
    queries: createQueryService({ store, clock, states: storeStateSource(store) }),
    health: createHealthService({
      store,
      clock,
      version: VERSION,
      dataDir,
      databasePath: label,
    }),
    alerts: createAlertLogService({ store, clock }),
    monitors: {
      async get(id) {
        const monitor = await store.getMonitor(id);
        if (!monitor) throw notFound('monitor', id);
        return monitor;
      },
      list: (filter) => store.listMonitors(filter ?? {}),
    },
    cluster: storedClusterReads(store, clock),
    maintenance: createMaintenanceService({ store, clock, newId: () => newId('mw') }),
    // Export and the managed records only: applying needs the daemon (its checks pick the
    // changes up).
    config: {
      export: (options) =>
        createConfigService({
          store,
          clock,
          changes: createMonitorChangeBus(),
          newId,
        }).export(options),
      managedBy: (kind, objectId) => store.getManagedObject(kind, objectId),
      managedAmong: (kind, match) => store.getManagedObjects(kind, match),
    },
    unavailableReason: `the crosscheck daemon is not running on ${dataDir}; start it with: crosscheck start --data-dir ${dataDir}`,
  };
  return { services, close: () => store.close() };
}
