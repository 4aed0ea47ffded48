import { AppError } from '../lib/errors.ts';
import type { RecordedResult } from '../domain/check-result.ts';
import type { ConsensusRound, Verdict } from '../domain/consensus.ts';
import type { Incident } from '../domain/incident.ts';
import type { IncidentUpdate } from '../domain/status-page.ts';
import type { Monitor, MonitorRef } from '../domain/monitor.ts';
import { monitorRef } from '../domain/monitor.ts';
import type { MonitorRuntimeState, MonitorStatus } from '../domain/monitor-state.ts';
import { initialRuntimeState } from '../domain/monitor-state.ts';
import type { MaintenanceWindow } from '../domain/maintenance.ts';
import type { ClusterNode } from '../domain/node.ts';
import type { Clock } from '../lib/clock.ts';
import { notFound } from '../lib/errors.ts';
import { activeWindow } from '../maintenance/windows.ts';
import type {
  EvidenceEntry,
  IncidentFilter,
  MonitorFilter,
  ResultFilter,
  RoundFilter,
  Store,
  UptimeSummary,
} from '../store/types.ts';
import type { FailingView, IncidentDetail, NodeRef } from './consensus-views.ts';
import { failingView } from './consensus-views.ts';
import type { MonitorUptimeView, NodeUptime } from './uptime-views.ts';
import { nodeUptime, regionUptime } from './uptime-views.ts';
import type { LastResultOutcome } from './node-trouble.ts';
import type { DayBarCache } from './overview/day-bar-cache.ts';
import type { UptimeKeeper } from './overview/uptime-keeper.ts';
import type { OverviewIndex } from './overview/overview-index.ts';
import type { OverviewPage } from './overview/overview-service.ts';
import { createOverview } from './overview/overview-service.ts';
import type { OverviewQuery } from './overview/overview-query.ts';
import { lastResultOutcome, troubledMonitors } from './node-trouble.ts';
import { causeGroupView } from './cause-group-view.ts';
import type { CauseGroupView } from '../domain/cause-group.ts';

/** Rounds kept with an incident's detail at most (a long flapping incident has many). */
const MAX_EVIDENCE_ROUNDS = 500;

const DAY_MS = 86_400_000;

/** Uptime windows shown by `status`, by label. */
export const UPTIME_WINDOWS = {
  '24h': DAY_MS,
  '7d': 7 * DAY_MS,
  '30d': 30 * DAY_MS,
  '90d': 90 * DAY_MS,
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
  /** The node that reported the last result; null before the first result. */
  lastNode: NodeRef | null;
  /** How that last result went, whatever the monitor's status (`node-error`: the node's fault). */
  lastResult: LastResultOutcome;
  /** Confirmed downtime over observed time, per window (docs/api.md, "Uptime"). */
  uptime: Record<UptimeWindow, number | null>;
  /** Regions a regional incident named, with their own uptime per window (others have `uptime`). */
  regionUptime: { region: string; uptime: Record<UptimeWindow, number | null> }[];
  /**
   * Each node's own figures over the last 24 h, for a monitor with node trouble (its last
   * result failed, its last round had failing nodes, or a round was decided `local`); empty
   * otherwise (see `QueryService.uptime` for any monitor).
   */
  nodes: NodeUptime[];
  /** The maintenance window covering it now (nothing pages until `until`); null when none. */
  maintenance: { id: string; name: string; until: number } | null;
}

/** Where runtime states come from: the daemon's memory when it runs, the store otherwise. */
export type StateSource = (
  monitorIds: readonly string[],
) => Promise<Map<string, MonitorRuntimeState>>;

export interface QueryServiceDeps {
  store: Store;
  clock: Clock;
  states: StateSource;
  /** Every monitor from the daemon's memory, for the overview; read from the store when absent. */
  monitors?: () => Iterable<Monitor>;
  /** The daemon's overview rows, kept current from its events (see `OverviewIndex`). */
  overviewIndex?: OverviewIndex;
  /** The daemon's cached past-day uptime bars, invalidated from its events. */
  overviewBars?: DayBarCache;
  /** The daemon's kept uptime records, for sorting the overview by uptime. */
  overviewUptime?: UptimeKeeper;
}

/** Read-only views over monitors, incidents and results. */
export interface QueryService {
  status(filter?: MonitorFilter): Promise<MonitorStatusView[]>;
  /** One monitor's status view (the dashboard's monitor page); NOT_FOUND when it does not exist. */
  statusOf(id: string): Promise<MonitorStatusView>;
  /** The dashboard's overview: filters and sorts every monitor, details for one page only. */
  overview(query: OverviewQuery): Promise<OverviewPage>;
  incidents(filter?: IncidentFilter): Promise<Incident[]>;
  /** The newest update or note of each incident that has one (one query for a page). */
  latestUpdates(incidentIds: readonly string[]): Promise<Map<string, IncidentUpdate>>;
  /** One incident with its evidence (every round that opened, updated or resolved it). */
  incident(id: string): Promise<IncidentDetail>;
  /** A group of incidents sharing a cause with its first `limit` members; NOT_FOUND when absent. */
  causeGroup(id: string, limit: number): Promise<CauseGroupView>;
  /** A failed browser check's screenshots and console errors kept with an incident. */
  checkEvidence(incidentId: string): Promise<EvidenceEntry[]>;
  /** One screenshot of an incident's evidence (JPEG), or undefined. */
  evidenceScreenshot(incidentId: string, resultId: string): Promise<Uint8Array | undefined>;
  /** Uptime of one monitor over [now − windowMs, now), per region and per node. */
  uptime(monitorId: string, windowMs: number): Promise<MonitorUptimeView>;
  /** Decided rounds of one monitor, newest first. */
  rounds(monitorId: string, filter?: Omit<RoundFilter, 'monitorId'>): Promise<ConsensusRound[]>;
  /** Results newest first, from a position (`after`) when paging. */
  history(filter: ResultFilter): Promise<RecordedResult[]>;
}

/** A state source reading persisted states (used when no daemon runs). */
export function storeStateSource(store: Store): StateSource {
  return async () => new Map((await store.listStates()).map((s) => [s.monitorId, s]));
}

/** Monitors whose per-node figures `status` reads at most (two small queries each). */
const MAX_NODE_DETAIL = 100;

/** Builds the query service. */
export function createQueryService(deps: QueryServiceDeps): QueryService {
  async function nodeFigures(
    monitor: Monitor,
    since: number,
    nodes: readonly ClusterNode[],
  ): Promise<NodeUptime[]> {
    const [counts, localRounds] = await Promise.all([
      deps.store.countResultsByNode(monitor.id, since),
      deps.store.listRounds({ monitorId: monitor.id, verdicts: ['local'], since, limit: 1_000 }),
    ]);
    return nodeUptime(counts, localRounds, nodes, monitor.degradedIsDown);
  }

  /** Status views of these monitors: state, uptime windows, node detail for troubled ones. */
  async function statusViews(monitors: Monitor[]): Promise<MonitorStatusView[]> {
    const now = deps.clock.now();
    const ids = monitors.map((m) => m.id);
    const [states, uptime, nodes, localRounds, windows] = await Promise.all([
      deps.states(ids),
      deps.store.uptime(ids, Object.values(UPTIME_WINDOWS), now),
      deps.store.listNodes({ includeRemoved: true }),
      deps.store.listRounds({ verdicts: ['local'], since: now - DAY_MS, limit: 1_000 }),
      deps.store.listMaintenanceWindows(),
    ]);
    const troubled = troubledMonitors(monitors, states, localRounds).slice(0, MAX_NODE_DETAIL);
    const detail = new Map(
      await Promise.all(
        troubled.map(async (m) => [m.id, await nodeFigures(m, now - DAY_MS, nodes)] as const),
      ),
    );
    return monitors.map((monitor) => ({
      ...statusView(monitor, states.get(monitor.id), uptime.get(monitor.id), nodes, detail),
      maintenance: maintenanceNow(windows, monitor, now),
    }));
  }

  return {
    async status(filter) {
      return statusViews(await deps.store.listMonitors(filter));
    },
    async statusOf(id) {
      const monitor = await deps.store.getMonitor(id);
      const [view] = monitor === undefined ? [] : await statusViews([monitor]);
      if (view === undefined) throw new AppError('NOT_FOUND', `no monitor ${id}`);
      return view;
    },
    overview: createOverview({
      ...deps,
      index: deps.overviewIndex,
      bars: deps.overviewBars,
      uptime: deps.overviewUptime,
    }),
    incidents: (filter) => deps.store.listIncidents(filter),
    async latestUpdates(incidentIds) {
      const latest = new Map<string, IncidentUpdate>();
      if (incidentIds.length === 0) return latest;
      // Oldest first: the last one written per incident wins.
      for (const update of await deps.store.listIncidentUpdates(incidentIds))
        latest.set(update.incidentId, update);
      return latest;
    },
    async incident(id) {
      const incident = await deps.store.getIncident(id);
      if (!incident) throw notFound('incident', id);
      const rounds = await deps.store.listRounds({ incidentId: id, limit: MAX_EVIDENCE_ROUNDS });
      return { ...incident, evidence: rounds.reverse() };
    },
    async causeGroup(id, limit) {
      const stored = await deps.store.getCauseGroup(id);
      if (stored === undefined) throw notFound('incident group', id);
      return causeGroupView(stored, await deps.store.listMonitors(), limit);
    },
    checkEvidence(incidentId) {
      return deps.store.incidentEvidence(incidentId, deps.clock.now());
    },
    evidenceScreenshot(incidentId, resultId) {
      return deps.store.evidenceScreenshot(incidentId, resultId, deps.clock.now());
    },
    async uptime(monitorId, windowMs) {
      const monitor = await deps.store.getMonitor(monitorId);
      if (!monitor) throw notFound('monitor', monitorId);
      const now = deps.clock.now();
      const since = now - windowMs;
      const [figures, nodes] = await Promise.all([
        deps.store.uptime([monitorId], [windowMs], now),
        deps.store.listNodes({ includeRemoved: true }),
      ]);
      const figure = figures.get(monitorId)?.[0];
      const perNode = await nodeFigures(monitor, since, nodes);
      const reporting = perNode.filter((n) => n.checks + n.errors > 0).map((n) => n.nodeId);
      return {
        monitorId,
        windowMs,
        since,
        uptime: figure?.uptime ?? null,
        observedMs: figure?.observedMs ?? 0,
        downMs: figure?.downMs ?? 0,
        regions: figure ? regionUptime(figure, monitor, reporting, nodes) : [],
        nodes: perNode,
      };
    },
    async rounds(monitorId, filter = {}) {
      if (!(await deps.store.getMonitor(monitorId))) throw notFound('monitor', monitorId);
      return deps.store.listRounds({ ...filter, monitorId });
    },
    history: (filter) => deps.store.listResults(filter),
  };
}

function maintenanceNow(
  windows: readonly MaintenanceWindow[],
  monitor: Monitor,
  now: number,
): MonitorStatusView['maintenance'] {
  if (windows.length === 0) return null;
  const { id, group, tags } = monitor;
  const active = activeWindow(windows, { kind: 'monitor', id, group, tags }, now);
  if (active === null) return null;
  return { id: active.window.id, name: active.window.name, until: active.occurrence.end };
}

function statusView(
  monitor: Monitor,
  state: MonitorRuntimeState | undefined,
  uptime: UptimeSummary[] | undefined,
  nodes: readonly ClusterNode[],
  detail: ReadonlyMap<string, NodeUptime[]>,
): Omit<MonitorStatusView, 'maintenance'> {
  const runtime = state ?? initialRuntimeState(monitor.id);
  const labels = Object.keys(UPTIME_WINDOWS) as UptimeWindow[];
  const perWindow = (figure: (i: number) => number | null) =>
    Object.fromEntries(labels.map((label, i) => [label, figure(i)])) as Record<
      UptimeWindow,
      number | null
    >;
  const named = [...new Set((uptime ?? []).flatMap((w) => w.regions.map((r) => r.region)))].sort();
  const last =
    runtime.lastNodeId === null ? undefined : nodes.find((n) => n.id === runtime.lastNodeId);
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
    lastNode:
      runtime.lastNodeId === null
        ? null
        : {
            id: runtime.lastNodeId,
            name: last?.name ?? runtime.lastNodeId,
            region: last?.region ?? null,
          },
    lastResult: lastResultOutcome(monitor, runtime),
    uptime: perWindow((i) => uptime?.[i]?.uptime ?? null),
    regionUptime: named.map((region) => ({
      region,
      uptime: perWindow((i) => {
        const window = uptime?.[i];
        return window?.regions.find((r) => r.region === region)?.uptime ?? window?.uptime ?? null;
      }),
    })),
    nodes: detail.get(monitor.id) ?? [],
  };
}
