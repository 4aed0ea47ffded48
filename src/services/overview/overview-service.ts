import type { Verdict } from '../../domain/consensus.ts';
import type { Monitor } from '../../domain/monitor.ts';
import type { MonitorRuntimeState, MonitorStatus } from '../../domain/monitor-state.ts';
import type { ClusterNode } from '../../domain/node.ts';
import type { Clock } from '../../lib/clock.ts';
import type { NodeLatestResult, Store, UptimeSummary } from '../../store/types.ts';
import type { DayBarCache } from './day-bar-cache.ts';
import type { DayBar, RegionView, SparkPoint } from './overview-details.ts';
import {
  barDayStarts,
  barWindows,
  dailyBars,
  FRESH_INTERVALS,
  regionViews,
  sparkline,
  sparklineSince,
} from './overview-details.ts';
import type { OverviewIndex } from './overview-index.ts';
import type { UptimeKeeper } from './uptime-keeper.ts';
import { createOverviewIndex, sortedSet } from './overview-index.ts';
import type { OverviewQuery, OverviewRow, OverviewSelection } from './overview-query.ts';
import { selectOverview } from './overview-query.ts';

const DAY_MS = 86_400_000;

/** One row of the dashboard's overview. */
export interface OverviewItem {
  id: string;
  name: string;
  type: Monitor['type'];
  target: string;
  group: string | null;
  tags: string[];
  paused: boolean;
  state: MonitorStatus;
  stateSince: number | null;
  verdict: Verdict | null;
  openIncidentId: string | null;
  lastCheckAt: number | null;
  latencyMs: number | null;
  uptime24h: number | null;
  bars: DayBar[];
  sparkline: SparkPoint[];
  regions: RegionView[];
}

export interface OverviewPage {
  total: number;
  offset: number;
  counts: Record<MonitorStatus, number>;
  /** Every group, tag and node region known (for filter menus), sorted. */
  groups: string[];
  tags: string[];
  regions: string[];
  items: OverviewItem[];
}

export interface OverviewDeps {
  store: Store;
  clock: Clock;
  /** Runtime states by monitor id (the daemon's memory; the store offline): `StateSource`. */
  states: (monitorIds: readonly string[]) => Promise<Map<string, MonitorRuntimeState>>;
  /**
   * The daemon's rows, kept current from its events: a call then scans one cached order and
   * copies only the page. Without it (offline) an index is built per call from `monitors` (or
   * the store, ~150 ms at 10,000 monitors) and `states`.
   */
  index?: OverviewIndex | undefined;
  /** Past days' uptime bars kept between calls (the daemon invalidates it from its events). */
  bars?: DayBarCache | undefined;
  /** Every monitor's 24 h uptime kept between calls (the daemon, with `index`), for the uptime sort. */
  uptime?: UptimeKeeper | undefined;
  /** Every monitor, from memory, when there is no index. */
  monitors?: (() => Iterable<Monitor>) | undefined;
}

/**
 * The overview: filter and sort over every monitor from cheap data (monitors and runtime
 * states, both in memory in the daemon), then the expensive parts (bars, sparkline, regions)
 * for the page only, in a few batched reads.
 */
export function createOverview(
  deps: OverviewDeps,
): (query: OverviewQuery) => Promise<OverviewPage> {
  async function currentIndex(): Promise<OverviewIndex> {
    if (deps.index !== undefined) return deps.index;
    const monitors =
      deps.monitors === undefined ? await deps.store.listMonitors() : [...deps.monitors()];
    const states = await deps.states(monitors.map((m) => m.id));
    return createOverviewIndex(monitors, states.values());
  }

  async function select(
    index: OverviewIndex,
    query: OverviewQuery,
    nodes: readonly ClusterNode[],
    now: number,
  ): Promise<OverviewSelection> {
    const { sort } = query;
    if (sort !== 'uptime') return index.select({ ...query, sort }, nodes);
    if (deps.index !== undefined && deps.uptime !== undefined)
      return index.selectByUptime({ ...query, sort }, nodes, await deps.uptime.dayUptime(now));
    // Offline: every monitor's uptime read from the store, only to sort by it.
    const rows = index.rows();
    const uptime = await deps.store.uptime(
      rows.map((r) => r.monitor.id),
      [DAY_MS],
      now,
    );
    for (const row of rows) row.uptime24h = uptime.get(row.monitor.id)?.[0]?.uptime ?? null;
    return selectOverview(rows, query, nodes);
  }

  return async (query) => {
    const now = deps.clock.now();
    const [index, nodes] = await Promise.all([currentIndex(), deps.store.listNodes()]);
    const selection = await select(index, query, nodes, now);
    const { groups, tags } = index.facets();
    return {
      total: selection.total,
      offset: query.offset,
      counts: selection.counts,
      groups,
      tags,
      regions: sortedSet(nodes.flatMap((n) => (n.region === null ? [] : [n.region]))),
      items: await pageItems(deps.store, selection.page, nodes, now, deps.bars),
    };
  };
}

/** The page's rows with their bars, sparklines and region views: a few batched reads. */
async function pageItems(
  store: Store,
  page: readonly OverviewRow[],
  nodes: readonly ClusterNode[],
  now: number,
  cache: DayBarCache | undefined,
): Promise<OverviewItem[]> {
  if (page.length === 0) return [];
  const ids = page.map((r) => r.monitor.id);
  const [uptime, hours, latest] = await Promise.all([
    pageUptime(store, ids, now, cache),
    store.listRollupsOf('hour', ids, sparklineSince(now)),
    latestResults(store, page, now),
  ]);
  const hoursOf = groupBy(hours, (h) => h.monitorId);
  const latestOf = groupBy(latest, (r) => r.monitorId);
  return page.map(({ monitor, runtime, state }) => {
    const figures = uptime.get(monitor.id);
    return {
      id: monitor.id,
      name: monitor.name,
      type: monitor.type,
      target: monitor.target,
      group: monitor.group,
      tags: monitor.tags,
      paused: monitor.paused,
      state,
      stateSince: runtime.statusSince,
      verdict: runtime.verdict,
      openIncidentId: runtime.openIncident?.id ?? null,
      lastCheckAt: runtime.lastCheckedAt,
      latencyMs: runtime.lastLatencyMs,
      uptime24h: figures?.uptime24h ?? null,
      bars: figures?.bars ?? [],
      sparkline: sparkline(hoursOf.get(monitor.id) ?? []),
      regions: regionViews(monitor, nodes, latestOf.get(monitor.id) ?? [], now),
    };
  });
}

/**
 * Each page monitor's 90 bars and 24 h uptime. Past days come from the cache when it holds
 * them; the rest are read as `barWindows` differences (91 windows) and cached. Cached rows
 * read only today's window and the 24 h one.
 */
async function pageUptime(
  store: Store,
  ids: readonly string[],
  now: number,
  cache: DayBarCache | undefined,
): Promise<Map<string, { bars: DayBar[]; uptime24h: number | null }>> {
  const starts = barDayStarts(now);
  const today = starts.at(-1) ?? now;
  const cached = new Map<string, readonly DayBar[]>();
  for (const id of ids) {
    const bars = cache?.get(id, today);
    if (bars !== undefined) cached.set(id, bars);
  }
  const missing = ids.filter((id) => !cached.has(id));
  const generation = cache?.generation() ?? 0;
  const [full, recent] = await Promise.all([
    missing.length === 0
      ? new Map<string, UptimeSummary[]>()
      : store.uptime(missing, [...barWindows(now, starts), DAY_MS], now),
    cached.size === 0
      ? new Map<string, UptimeSummary[]>()
      : store.uptime([...cached.keys()], [now - today, DAY_MS], now),
  ]);
  const result = new Map<string, { bars: DayBar[]; uptime24h: number | null }>();
  for (const id of missing) {
    const figures = full.get(id) ?? [];
    const bars = dailyBars(starts, figures.slice(0, starts.length));
    cache?.set(id, today, bars.slice(0, -1), generation);
    result.set(id, { bars, uptime24h: figures.at(-1)?.uptime ?? null });
  }
  for (const [id, pastBars] of cached) {
    const [todaySoFar, day] = recent.get(id) ?? [];
    const bars = [...pastBars, ...dailyBars([today], todaySoFar === undefined ? [] : [todaySoFar])];
    result.set(id, { bars, uptime24h: day?.uptime ?? null });
  }
  return result;
}

/**
 * Each node's newest fresh result of the page's monitors: one read per distinct interval, so a
 * daily monitor's three-day look-back is not applied to the minutely ones beside it.
 */
async function latestResults(
  store: Store,
  page: readonly OverviewRow[],
  now: number,
): Promise<NodeLatestResult[]> {
  const byInterval = groupBy(page, (r) => r.monitor.intervalMs);
  const reads = [...byInterval].map(([intervalMs, rows]) =>
    store.latestNodeResults(
      rows.map((r) => r.monitor.id),
      now - FRESH_INTERVALS * intervalMs,
    ),
  );
  return (await Promise.all(reads)).flat();
}

function groupBy<T, K>(items: readonly T[], keyOf: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const list = groups.get(key) ?? [];
    list.push(item);
    groups.set(key, list);
  }
  return groups;
}
