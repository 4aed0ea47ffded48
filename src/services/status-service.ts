import type { RecordedResult } from '../domain/check-result.ts';
import type { ConsensusRound, Verdict } from '../domain/consensus.ts';
import type { Incident } from '../domain/incident.ts';
import type { Monitor, MonitorRef } from '../domain/monitor.ts';
import { monitorRef } from '../domain/monitor.ts';
import type { MonitorRuntimeState, MonitorStatus } from '../domain/monitor-state.ts';
import { initialRuntimeState } from '../domain/monitor-state.ts';
import type { ClusterNode } from '../domain/node.ts';
import type { Clock } from '../lib/clock.ts';
import { notFound } from '../lib/errors.ts';
import type { IncidentFilter, MonitorFilter, RoundFilter, Store } from '../store/types.ts';
import type { FailingView, IncidentDetail, RegionUptimeView } from './consensus-views.ts';
import { failingView, regionUptime } from './consensus-views.ts';

/** Rounds kept with an incident's detail at most (a long flapping incident has many). */
const MAX_EVIDENCE_ROUNDS = 500;

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
  /** The last decided round's verdict; null before the first round. */
  verdict: Verdict | null;
  /** The regions of an open regional incident (sorted); empty otherwise. */
  regions: string[];
  /** Nodes failing below quorum (not down): visible although nobody was paged. */
  failing: FailingView | null;
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
  /** One incident with its evidence (every round that opened, updated or resolved it). */
  incident(id: string): Promise<IncidentDetail>;
  /** Per-region result counts and uptime of one monitor since `now − windowMs`. */
  regions(monitorId: string, windowMs: number): Promise<RegionUptimeView>;
  /** Decided rounds of one monitor, newest first. */
  rounds(monitorId: string, filter?: Omit<RoundFilter, 'monitorId'>): Promise<ConsensusRound[]>;
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
      // Node names are needed only for notes about failing nodes; most calls skip the read.
      const anyFailing = [...states.values()].some((s) => s.failingNodes.length > 0);
      const nodes = anyFailing ? await deps.store.listNodes({ includeRemoved: true }) : [];
      return monitors.map((monitor) =>
        statusView(monitor, states.get(monitor.id), uptime.get(monitor.id), nodes),
      );
    },
    incidents: (filter) => deps.store.listIncidents(filter),
    async incident(id) {
      const incident = await deps.store.getIncident(id);
      if (!incident) throw notFound('incident', id);
      const rounds = await deps.store.listRounds({ incidentId: id, limit: MAX_EVIDENCE_ROUNDS });
      return { ...incident, evidence: rounds.reverse() };
    },
    async regions(monitorId, windowMs) {
      const monitor = await deps.store.getMonitor(monitorId);
      if (!monitor) throw notFound('monitor', monitorId);
      const since = deps.clock.now() - windowMs;
      const [counts, nodes] = await Promise.all([
        deps.store.countResultsByNode(monitorId, since),
        deps.store.listNodes({ includeRemoved: true }),
      ]);
      return {
        monitorId,
        windowMs,
        since,
        regions: regionUptime(counts, nodes, monitor.degradedIsDown),
      };
    },
    async rounds(monitorId, filter = {}) {
      if (!(await deps.store.getMonitor(monitorId))) throw notFound('monitor', monitorId);
      return deps.store.listRounds({ ...filter, monitorId });
    },
    history: (filter) => deps.store.listResults(filter),
  };
}

function statusView(
  monitor: Monitor,
  state: MonitorRuntimeState | undefined,
  uptime: { uptime: number | null }[] | undefined,
  nodes: readonly ClusterNode[],
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
    verdict: runtime.verdict,
    regions: runtime.openIncident?.verdict === 'regional' ? runtime.openIncident.regions : [],
    failing: monitor.paused ? null : failingView(monitor, runtime, nodes),
    uptime: Object.fromEntries(
      labels.map((label, i) => [label, uptime?.[i]?.uptime ?? null]),
    ) as Record<UptimeWindow, number | null>,
  };
}
