import type { RecordedResult } from '../domain/check-result.ts';
import type { Incident } from '../domain/incident.ts';
import type { Monitor, MonitorRef } from '../domain/monitor.ts';
import { monitorRef } from '../domain/monitor.ts';
import type { MonitorRuntimeState, MonitorStatus } from '../domain/monitor-state.ts';
import { initialRuntimeState } from '../domain/monitor-state.ts';
import type { Clock } from '../lib/clock.ts';
import { notFound } from '../lib/errors.ts';
import type { IncidentFilter, MonitorFilter, Store } from '../store/types.ts';

/** Uptime windows shown by `status`, by label. */
export const UPTIME_WINDOWS = {
  '24h': 86_400_000,
  '7d': 7 * 86_400_000,
  '30d': 30 * 86_400_000,
} as const;
export type UptimeWindow = keyof typeof UPTIME_WINDOWS;

/** One row of `crosscheck status`. */
export interface MonitorStatusView extends MonitorRef {
  status: MonitorStatus;
  statusSince: number | null;
  lastCheckedAt: number | null;
  lastLatencyMs: number | null;
  lastMessage: string | null;
  openIncidentId: string | null;
  uptime: Record<UptimeWindow, number | null>;
}

/** Where runtime states come from: the daemon's memory when it runs, the store otherwise. */
export type StateSource = (
  monitorIds: readonly string[],
) => Promise<Map<string, MonitorRuntimeState>>;

export interface QueryServiceDeps {
  store: Store;
  clock: Clock;
  states: StateSource;
}

/** Read-only views over monitors, incidents and results. */
export interface QueryService {
  status(filter?: MonitorFilter): Promise<MonitorStatusView[]>;
  incidents(filter?: IncidentFilter): Promise<Incident[]>;
  incident(id: string): Promise<Incident>;
  history(filter: {
    monitorId?: string;
    since?: number;
    limit?: number;
  }): Promise<RecordedResult[]>;
}

/** A state source reading persisted states (used when no daemon runs). */
export function storeStateSource(store: Store): StateSource {
  return async () => new Map((await store.listStates()).map((s) => [s.monitorId, s]));
}

/** Builds the query service. */
export function createQueryService(deps: QueryServiceDeps): QueryService {
  return {
    async status(filter) {
      const monitors = await deps.store.listMonitors(filter);
      const ids = monitors.map((m) => m.id);
      const windows = Object.values(UPTIME_WINDOWS);
      const [states, uptime] = await Promise.all([
        deps.states(ids),
        deps.store.uptime(ids, windows, deps.clock.now()),
      ]);
      return monitors.map((monitor) =>
        statusView(monitor, states.get(monitor.id), uptime.get(monitor.id)),
      );
    },
    incidents: (filter) => deps.store.listIncidents(filter),
    async incident(id) {
      const incident = await deps.store.getIncident(id);
      if (!incident) throw notFound('incident', id);
      return incident;
    },
    history: (filter) => deps.store.listResults(filter),
  };
}

function statusView(
  monitor: Monitor,
  state: MonitorRuntimeState | undefined,
  uptime: { uptime: number | null }[] | undefined,
): MonitorStatusView {
  const runtime = state ?? initialRuntimeState(monitor.id);
  const labels = Object.keys(UPTIME_WINDOWS) as UptimeWindow[];
  return {
    ...monitorRef(monitor),
    status: monitor.paused ? 'paused' : runtime.status,
    statusSince: runtime.statusSince,
    lastCheckedAt: runtime.lastCheckedAt,
    lastLatencyMs: runtime.lastLatencyMs,
    lastMessage: runtime.lastMessage,
    openIncidentId: runtime.openIncident?.id ?? null,
    uptime: Object.fromEntries(
      labels.map((label, i) => [label, uptime?.[i]?.uptime ?? null]),
    ) as Record<UptimeWindow, number | null>,
  };
}
