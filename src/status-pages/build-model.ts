import type { Incident } from '../domain/incident.ts';
import type { MaintenanceWindow } from '../domain/maintenance.ts';
import type { Monitor } from '../domain/monitor.ts';
import type { MonitorRuntimeState, MonitorStatus } from '../domain/monitor-state.ts';
import type { ClusterNode } from '../domain/node.ts';
import type { IncidentUpdate, IncidentUpdateStatus, StatusPage } from '../domain/status-page.ts';
import { pageMonitorIds } from '../domain/status-page.ts';
import type { MonitorUptime } from '../domain/uptime.ts';
import { activeWindow, covers, nextOccurrence } from '../maintenance/windows.ts';
import type {
  DayBar,
  PublicIncident,
  PublicMaintenance,
  PublicMonitor,
  PublicStatus,
  RegionTrouble,
  StatusPageModel,
} from './model.ts';

export const DAY_MS = 86_400_000;
/** Bars per monitor. */
export const BAR_DAYS = 90;
/** Past incidents shown on the page; feeds carry the longer `FEED_DAYS`. */
export const PAGE_PAST_DAYS = 14;
export const FEED_DAYS = 30;
/** Upcoming maintenance shown this far ahead. */
export const MAINTENANCE_AHEAD_MS = 7 * DAY_MS;

/**
 * The uptime windows the loader asks the store for: k days for k = 1…90. Day bar i is the
 * difference of windows i+1 and i, so bars use the same confirmed-downtime rule as `status`.
 */
export const UPTIME_WINDOWS_MS: readonly number[] = Array.from(
  { length: BAR_DAYS },
  (_, i) => (i + 1) * DAY_MS,
);

/** What the loader read for one page; everything `buildPageModel` needs. */
export interface PageInputs {
  page: StatusPage;
  /** The page's monitors and badge-only monitors that still exist (deleted ones are skipped). */
  monitors: readonly Monitor[];
  states: ReadonlyMap<string, MonitorRuntimeState>;
  /** Per monitor, one figure per `UPTIME_WINDOWS_MS` entry. */
  uptime: ReadonlyMap<string, readonly MonitorUptime[]>;
  /** Incidents of the page's monitors overlapping the feed period (any status). */
  incidents: readonly Incident[];
  /** Public updates of those incidents. */
  updates: readonly IncidentUpdate[];
  windows: readonly MaintenanceWindow[];
  nodes: readonly ClusterNode[];
}

/** Builds the public model of a page (pure): what may be shown, and nothing more. */
export function buildPageModel(inputs: PageInputs, now: number): StatusPageModel {
  const { page } = inputs;
  const byId = new Map(inputs.monitors.map((m) => [m.id, m]));
  const groups = page.groups.map((group) => ({
    name: group.name,
    monitors: group.monitorIds.flatMap((id) => {
      const monitor = byId.get(id);
      return monitor === undefined ? [] : [publicMonitor(monitor, inputs, now)];
    }),
  }));
  const shown = new Set(pageMonitorIds(page));
  const onPage = inputs.monitors.filter((m) => shown.has(m.id));
  const incidents = publicIncidents(inputs, onPage, now);
  const badgeMonitors = page.badgeMonitorIds.flatMap((id) => {
    const monitor = byId.get(id);
    return monitor === undefined || shown.has(id) ? [] : [publicMonitor(monitor, inputs, now)];
  });
  return {
    slug: page.slug,
    title: page.title,
    description: page.description,
    generatedAt: now,
    overall: overallStatus(groups.flatMap((g) => g.monitors.map((m) => m.status))),
    groups,
    activeIncidents: incidents.filter((i) => i.resolvedAt === null),
    pastIncidents: incidents.filter((i) => i.resolvedAt !== null),
    maintenance: publicMaintenance(inputs, onPage, now),
    showRegions: page.showRegions,
    badgeMonitors,
  };
}

const STATUS_WORDS: Record<MonitorStatus, PublicStatus> = {
  pending: 'unknown',
  unknown: 'unknown',
  up: 'operational',
  degraded: 'degraded',
  flapping: 'degraded',
  regional: 'partial-outage',
  down: 'outage',
  paused: 'paused',
};

function subjectOf(monitor: Monitor) {
  return { kind: 'monitor' as const, id: monitor.id, group: monitor.group, tags: monitor.tags };
}

function publicMonitor(monitor: Monitor, inputs: PageInputs, now: number): PublicMonitor {
  const state = inputs.states.get(monitor.id);
  const raw: MonitorStatus = monitor.paused ? 'paused' : (state?.status ?? 'pending');
  const inMaintenance = activeWindow(inputs.windows, subjectOf(monitor), now) !== null;
  const status =
    inMaintenance && raw !== 'down' && raw !== 'regional' ? 'maintenance' : STATUS_WORDS[raw];
  const figures = inputs.uptime.get(monitor.id) ?? [];
  const at = (days: number) => figures[days - 1]?.uptime ?? null;
  return {
    id: monitor.id,
    name: monitor.name,
    status,
    uptime: { '24h': at(1), '7d': at(7), '30d': at(30), '90d': at(90) },
    days: dayBars(figures, now),
    lastLatencyMs: state?.lastLatencyMs ?? null,
    regions: inputs.page.showRegions ? regionTrouble(state) : [],
    detail: inputs.page.showDetails ? detailOf(monitor, state, inputs.nodes) : null,
  };
}

/** Bar i (oldest first) from the difference of two nested windows' observed and down time. */
export function dayBars(figures: readonly MonitorUptime[], now: number): DayBar[] {
  const bars: DayBar[] = [];
  for (let days = BAR_DAYS; days >= 1; days--) {
    const outer = figures[days - 1];
    const inner = days === 1 ? undefined : figures[days - 2];
    const observed = (outer?.observedMs ?? 0) - (inner?.observedMs ?? 0);
    const down = (outer?.downMs ?? 0) - (inner?.downMs ?? 0);
    bars.push({
      from: now - days * DAY_MS,
      to: now - (days - 1) * DAY_MS,
      uptime: observed <= 0 ? null : Math.max(0, 1 - down / observed),
      downMs: Math.max(0, down),
    });
  }
  return bars;
}

function regionTrouble(state: MonitorRuntimeState | undefined): RegionTrouble[] {
  if (state === undefined) return [];
  const down = state.openIncident?.verdict === 'regional' ? state.openIncident.regions : [];
  const degraded = state.status === 'down' ? [] : state.failingRegions;
  const trouble = new Map<string, RegionTrouble['status']>();
  for (const region of degraded) trouble.set(region, 'degraded');
  for (const region of down) trouble.set(region, 'down');
  return [...trouble]
    .map(([region, status]) => ({ region, status }))
    .sort((a, b) => a.region.localeCompare(b.region));
}

function detailOf(
  monitor: Monitor,
  state: MonitorRuntimeState | undefined,
  nodes: readonly ClusterNode[],
) {
  const names = new Map(nodes.map((n) => [n.id, n.name]));
  return {
    target: monitor.target,
    lastMessage: state?.lastMessage ?? null,
    failingNodes: (state?.failingNodes ?? []).map((id) => names.get(id) ?? id),
  };
}

/** The worst of the monitors' states; operational when there are none. */
export function overallStatus(statuses: readonly PublicStatus[]): PublicStatus {
  const order: PublicStatus[] = ['outage', 'partial-outage', 'degraded', 'maintenance'];
  return order.find((s) => statuses.includes(s)) ?? 'operational';
}

function publicIncidents(
  inputs: PageInputs,
  onPage: readonly Monitor[],
  now: number,
): PublicIncident[] {
  const names = new Map(onPage.map((m) => [m.id, m.name]));
  const since = now - FEED_DAYS * DAY_MS;
  return inputs.incidents
    .filter((i) => i.status !== 'retracted' && names.has(i.monitorId))
    .filter((i) => i.resolvedAt === null || (i.endedAt ?? i.resolvedAt) >= since)
    .sort((a, b) => b.startedAt - a.startedAt || a.id.localeCompare(b.id))
    .map((incident) => {
      const updates = inputs.updates
        .filter((u) => u.incidentId === incident.id && u.public)
        .sort((a, b) => b.createdAt - a.createdAt)
        .map((u) => ({ status: u.status, message: u.message, createdAt: u.createdAt }));
      const fallback: IncidentUpdateStatus =
        incident.status === 'resolved' ? 'resolved' : 'investigating';
      return {
        id: incident.id,
        monitorId: incident.monitorId,
        monitorName: names.get(incident.monitorId) ?? incident.monitorId,
        verdict: incident.verdict,
        regions: inputs.page.showRegions ? incident.regions : [],
        startedAt: incident.startedAt,
        resolvedAt:
          incident.status === 'resolved' ? (incident.endedAt ?? incident.resolvedAt) : null,
        status: incident.status === 'resolved' ? 'resolved' : (updates[0]?.status ?? fallback),
        updates,
        cause: inputs.page.showDetails ? incident.cause : null,
      };
    });
}

function publicMaintenance(
  inputs: PageInputs,
  onPage: readonly Monitor[],
  now: number,
): PublicMaintenance[] {
  const list: PublicMaintenance[] = [];
  for (const window of inputs.windows) {
    const touched = onPage.filter((m) => covers(window.scope, subjectOf(m)));
    if (touched.length === 0) continue;
    const next = nextOccurrence(window, now);
    if (next === null || next.start > now + MAINTENANCE_AHEAD_MS) continue;
    list.push({
      name: window.name,
      reason: window.reason,
      start: next.start,
      end: next.end,
      active: next.start <= now,
      monitorNames: touched.map((m) => m.name),
    });
  }
  return list.sort((a, b) => a.start - b.start);
}
