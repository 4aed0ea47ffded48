import fs from 'node:fs';
import { readDaemonInfo } from '../app/daemon-lock.ts';
import { dataDirPaths } from '../config/data-dir.ts';
import type { RecordedResult } from '../domain/check-result.ts';
import type { Incident } from '../domain/incident.ts';
import type { AlertRoute, Monitor } from '../domain/monitor.ts';
import type { NodeEvent } from '../domain/node.ts';
import type { ClusterOverview, NodeView } from '../services/cluster/cluster-service.ts';
import type { HealthView } from '../services/health-service.ts';
import type { MonitorStatusView } from '../services/status-service.ts';
import { ApiClient } from './api-client.ts';

/** What CLI commands need, whether the daemon runs (API) or not (store read directly). */
export interface CliBackend {
  readonly online: boolean;
  listMonitors(filter: { group?: string; tag?: string }): Promise<Monitor[]>;
  getMonitor(id: string): Promise<Monitor>;
  createMonitor(input: Record<string, unknown>): Promise<Monitor>;
  updateMonitor(id: string, input: Record<string, unknown>): Promise<Monitor>;
  pauseMonitor(id: string): Promise<Monitor>;
  resumeMonitor(id: string): Promise<Monitor>;
  deleteMonitor(id: string): Promise<void>;
  status(filter: { group?: string }): Promise<MonitorStatusView[]>;
  incidents(filter: { active?: boolean; monitorId?: string; limit?: number }): Promise<Incident[]>;
  incident(id: string): Promise<Incident>;
  history(filter: {
    monitorId?: string;
    since?: string;
    limit?: number;
  }): Promise<RecordedResult[]>;
  health(): Promise<HealthView>;
  nodes(): Promise<NodeView[]>;
  node(id: string): Promise<{ node: NodeView; events: NodeEvent[] }>;
  removeNode(id: string): Promise<NodeView>;
  /** Null where there is no cluster record (an old single-node data dir read offline). */
  clusterOverview(): Promise<ClusterOverview | null>;
  createJoinToken(expires: string | undefined): Promise<{ token: string; expiresAt: number }>;
  nodeAlertRoutes(): Promise<{ alerts: AlertRoute[] }>;
  setNodeAlertRoutes(alerts: AlertRoute[]): Promise<{ alerts: AlertRoute[] }>;
  close(): Promise<void>;
}

/** A query string from the defined parameters. */
function query(params: Record<string, string | number | boolean | undefined>): string {
  const entries = Object.entries(params).filter(
    (e): e is [string, string | number | boolean] => e[1] !== undefined,
  );
  return entries.length === 0
    ? ''
    : `?${new URLSearchParams(entries.map(([k, v]): [string, string] => [k, String(v)])).toString()}`;
}

/** Talks to the daemon running on the data dir, or reads its store when none runs. */
export async function openBackend(dataDir: string): Promise<CliBackend> {
  const paths = dataDirPaths(dataDir);
  const info = readDaemonInfo(paths.daemonInfo);
  if (info) return apiBackend(new ApiClient(info.apiUrl, readToken(paths.apiToken)));
  // Loaded only when no daemon runs: the store stack is the heaviest part of the CLI.
  const { offlineBackend } = await import('./offline-backend.ts');
  return offlineBackend(dataDir);
}

function readToken(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

function apiBackend(api: ApiClient): CliBackend {
  const id = (value: string) => encodeURIComponent(value);
  return {
    online: true,
    listMonitors: (f) => api.request('GET', `/api/v1/monitors${query(f)}`),
    getMonitor: (m) => api.request('GET', `/api/v1/monitors/${id(m)}`),
    createMonitor: (input) => api.request('POST', '/api/v1/monitors', input),
    updateMonitor: (m, input) => api.request('PATCH', `/api/v1/monitors/${id(m)}`, input),
    pauseMonitor: (m) => api.request('POST', `/api/v1/monitors/${id(m)}/pause`),
    resumeMonitor: (m) => api.request('POST', `/api/v1/monitors/${id(m)}/resume`),
    deleteMonitor: (m) => api.request('DELETE', `/api/v1/monitors/${id(m)}`),
    status: (f) => api.request('GET', `/api/v1/status${query(f)}`),
    incidents: (f) =>
      api.request(
        'GET',
        `/api/v1/incidents${query({ active: f.active, monitor: f.monitorId, limit: f.limit })}`,
      ),
    incident: (i) => api.request('GET', `/api/v1/incidents/${id(i)}`),
    history: (f) =>
      api.request(
        'GET',
        `/api/v1/results${query({ monitor: f.monitorId, since: f.since, limit: f.limit })}`,
      ),
    health: () => api.request('GET', '/api/v1/health'),
    nodes: () => api.request('GET', '/api/v1/nodes'),
    node: (n) => api.request('GET', `/api/v1/nodes/${id(n)}`),
    removeNode: (n) => api.request('DELETE', `/api/v1/nodes/${id(n)}`),
    clusterOverview: () => api.request('GET', '/api/v1/cluster'),
    createJoinToken: (expires) =>
      api.request('POST', '/api/v1/cluster/join-tokens', expires === undefined ? {} : { expires }),
    nodeAlertRoutes: () => api.request('GET', '/api/v1/cluster/alerts'),
    setNodeAlertRoutes: (alerts) => api.request('PUT', '/api/v1/cluster/alerts', { alerts }),
    close: async () => {},
  };
}
