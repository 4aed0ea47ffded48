import fs from 'node:fs';
import { readDaemonInfo } from '../app/daemon-lock.ts';
import { dataDirPaths } from '../config/data-dir.ts';
import type { RecordedResult } from '../domain/check-result.ts';
import type { ConsensusRound, Verdict } from '../domain/consensus.ts';
import type { Incident } from '../domain/incident.ts';
import type { AlertRoute, Monitor } from '../domain/monitor.ts';
import { MONITOR_LIMITS } from '../domain/monitor.ts';
import type { NodeEvent } from '../domain/node.ts';
import type {
  ClusterOverview,
  NodeAnomaly,
  NodeView,
} from '../services/cluster/cluster-service.ts';
import type { AlertLogEntry, AlertLogQuery } from '../services/alert-log-service.ts';
import type { IncidentDetail } from '../services/consensus-views.ts';
import type { MonitorUptimeView } from '../services/uptime-views.ts';
import type { HealthView } from '../services/health-service.ts';
import type { ProbeReport } from '../services/probe-service.ts';
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
  /** One incident with its evidence rounds, oldest first. */
  incident(id: string): Promise<IncidentDetail>;
  /** Uptime of one monitor over a window like `24h`, per region and per node. */
  uptime(monitorId: string, window: string): Promise<MonitorUptimeView>;
  /** Decided rounds of one monitor, newest first. */
  rounds(
    monitorId: string,
    filter: { verdicts?: Verdict[]; limit?: number },
  ): Promise<ConsensusRound[]>;
  /** Runs one check on every online node now (needs the running coordinator). */
  probe(input: {
    type: string;
    target: string;
    options: Record<string, unknown>;
    timeoutMs?: string;
  }): Promise<ProbeReport>;
  history(filter: {
    monitorId?: string;
    since?: string;
    limit?: number;
  }): Promise<RecordedResult[]>;
  health(): Promise<HealthView>;
  /** Every alert decision matching the (already validated) filters, newest first. */
  alertLog(query: AlertLogQuery): Promise<AlertLogEntry[]>;
  nodes(): Promise<NodeView[]>;
  node(id: string): Promise<{ node: NodeView; events: NodeEvent[]; anomalies: NodeAnomaly[] }>;
  removeNode(id: string): Promise<NodeView>;
  /** Null where there is no cluster record (an old single-node data dir read offline). */
  clusterOverview(): Promise<ClusterOverview | null>;
  createJoinToken(
    expires: string | undefined,
    role?: string,
  ): Promise<{ token: string; expiresAt: number }>;
  nodeAlertRoutes(): Promise<{ alerts: AlertRoute[] }>;
  setNodeAlertRoutes(alerts: AlertRoute[]): Promise<{ alerts: AlertRoute[] }>;
  close(): Promise<void>;
}

/**
 * How long the CLI waits for a probe: the longest check timeout plus the daemon's answer
 * margin and some slack. (The probe service is not imported for its constant: it loads every
 * check type, which every CLI command would then pay for.)
 */
const PROBE_CLIENT_WAIT_MS = MONITOR_LIMITS.maxTimeoutMs + 10_000;

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
    uptime: (m, window) =>
      api.request('GET', `/api/v1/monitors/${id(m)}/uptime${query({ window })}`),
    rounds: (m, f) =>
      api.request(
        'GET',
        `/api/v1/monitors/${id(m)}/rounds${query({ verdict: f.verdicts?.join(','), limit: f.limit })}`,
      ),
    // The daemon answers once every node answered or its deadline passed; wait a little longer.
    probe: (input) =>
      api.request('POST', '/api/v1/probe', input, { timeoutMs: PROBE_CLIENT_WAIT_MS }),
    history: (f) =>
      api.request(
        'GET',
        `/api/v1/results${query({ monitor: f.monitorId, since: f.since, limit: f.limit })}`,
      ),
    health: () => api.request('GET', '/api/v1/health'),
    alertLog: (q) => api.request('GET', `/api/v1/alerts${query(q)}`),
    nodes: () => api.request('GET', '/api/v1/nodes'),
    node: (n) => api.request('GET', `/api/v1/nodes/${id(n)}`),
    removeNode: (n) => api.request('DELETE', `/api/v1/nodes/${id(n)}`),
    clusterOverview: () => api.request('GET', '/api/v1/cluster'),
    createJoinToken: (expires, role) =>
      api.request('POST', '/api/v1/cluster/join-tokens', {
        ...(expires === undefined ? {} : { expires }),
        ...(role === undefined ? {} : { role }),
      }),
    nodeAlertRoutes: () => api.request('GET', '/api/v1/cluster/alerts'),
    setNodeAlertRoutes: (alerts) => api.request('PUT', '/api/v1/cluster/alerts', { alerts }),
    close: async () => {},
  };
}
