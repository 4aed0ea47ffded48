import fs from 'node:fs';
import { redactAlertRoute } from '../alerts/registry.ts';
import { presentMonitor } from '../operations/present.ts';
import { VERSION } from '../app/version.ts';
import { dataDirPaths } from '../config/data-dir.ts';
import { readNodeIdentity } from '../config/node-identity.ts';
import type { ClusterNode } from '../domain/node.ts';
import { systemClock } from '../lib/clock.ts';
import { parseDuration, parseSince } from '../lib/duration.ts';
import { AppError } from '../lib/errors.ts';
import type { NodeView } from '../services/cluster/cluster-service.ts';
import { createAlertLogService } from '../services/alert-log-service.ts';
import { createHealthService } from '../services/health-service.ts';
import { createQueryService, storeStateSource } from '../services/status-service.ts';
import { openSqliteStore } from '../store/sqlite/open-sqlite-store.ts';
import { nodeAnomalies } from '../services/cluster/cluster-service.ts';
import type { CliBackend } from './backend.ts';

/** A stored node as the API shows it (no certificate serial). */
function storedNodeView(node: ClusterNode): NodeView {
  const { certSerial, removedAt, ...rest } = node;
  return { ...rest, canaries: null };
}

/** Reads the store directly (read-only) when no daemon runs on the data dir. */
export async function offlineBackend(dataDir: string): Promise<CliBackend> {
  const paths = dataDirPaths(dataDir);
  if (readNodeIdentity(paths.nodeIdentity)?.role === 'agent') {
    throw new AppError(
      'UNAVAILABLE',
      `this agent's daemon is not running on ${dataDir}; start it with: crosscheck agent --data-dir ${dataDir} (an agent keeps no data of its own: it asks the coordinator)`,
    );
  }
  if (!fs.existsSync(paths.database)) {
    throw new AppError(
      'UNAVAILABLE',
      `no Crosscheck data in ${dataDir} and no daemon running there; start one with: crosscheck start --data-dir ${dataDir}`,
    );
  }
  const store = await openSqliteStore({ file: paths.database, readonly: true });
  const clock = systemClock;
  const queries = createQueryService({ store, clock, states: storeStateSource(store) });
  const health = createHealthService({
    store,
    clock,
    version: VERSION,
    dataDir,
    databasePath: paths.database,
  });
  const alertLog = createAlertLogService({ store, clock });
  const notRunning = (): Promise<never> =>
    Promise.reject(
      new AppError(
        'UNAVAILABLE',
        `the crosscheck daemon is not running on ${dataDir}; start it with: crosscheck start --data-dir ${dataDir}`,
      ),
    );
  const findMonitor = async (monitorId: string) => {
    const monitor = await store.getMonitor(monitorId);
    if (!monitor) throw new AppError('NOT_FOUND', `monitor ${monitorId} not found`);
    return presentMonitor(monitor);
  };
  return {
    online: false,
    listMonitors: async (f) => (await store.listMonitors(f)).map(presentMonitor),
    getMonitor: findMonitor,
    createMonitor: notRunning,
    updateMonitor: notRunning,
    pauseMonitor: notRunning,
    resumeMonitor: notRunning,
    deleteMonitor: notRunning,
    status: (f) => queries.status(f),
    incidents: (f) => queries.incidents(f),
    incident: (i) => queries.incident(i),
    uptime: (m, window) => {
      const windowMs = parseDuration(window);
      if (windowMs === undefined || windowMs < 1)
        throw new AppError('VALIDATION', `--window: expected a duration like 24h, got "${window}"`);
      return queries.uptime(m, windowMs);
    },
    rounds: (m, f) =>
      queries.rounds(m, {
        ...(f.verdicts !== undefined ? { verdicts: f.verdicts } : {}),
        ...(f.limit !== undefined ? { limit: f.limit } : {}),
      }),
    probe: () =>
      Promise.reject(
        new AppError(
          'UNAVAILABLE',
          `probing runs the check on every online node, so it needs the running coordinator; start it with: crosscheck start --data-dir ${dataDir}`,
        ),
      ),
    history: (f) => {
      const since = f.since === undefined ? undefined : parseSince(f.since, clock.now());
      if (f.since !== undefined && since === undefined) {
        throw new AppError(
          'VALIDATION',
          `--since: expected a duration like 1h, an ISO date or epoch ms, got "${f.since}"`,
        );
      }
      return queries.history({
        ...(f.monitorId !== undefined ? { monitorId: f.monitorId } : {}),
        ...(since !== undefined ? { since } : {}),
        limit: f.limit ?? 1_000,
      });
    },
    health: () => health.health(),
    alertLog: (q) => alertLog.list(q),
    nodes: async () => (await store.listNodes()).map(storedNodeView),
    node: async (nodeId) => {
      const node = await store.getNode(nodeId);
      if (!node || node.removedAt !== null)
        throw new AppError('NOT_FOUND', `node ${nodeId} not found`);
      return {
        node: storedNodeView(node),
        events: await store.listNodeEvents(nodeId, 100),
        anomalies: await nodeAnomalies(store, nodeId, Date.now()),
      };
    },
    removeNode: notRunning,
    clusterOverview: () => Promise.resolve(null),
    createJoinToken: notRunning,
    nodeAlertRoutes: async () => ({
      alerts: (await store.nodeAlertRoutes()).map(redactAlertRoute),
    }),
    setNodeAlertRoutes: notRunning,
    close: () => store.close(),
  };
}
