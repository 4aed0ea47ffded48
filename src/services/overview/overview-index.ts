import type { Monitor } from '../../domain/monitor.ts';
import type { MonitorRuntimeState } from '../../domain/monitor-state.ts';
import { initialRuntimeState } from '../../domain/monitor-state.ts';
import type { ClusterNode } from '../../domain/node.ts';
import type {
  OverviewQuery,
  OverviewRow,
  OverviewSelection,
  OverviewSort,
} from './overview-query.ts';
import { haystackOf, overviewComparator, selectSorted } from './overview-query.ts';

/** The sorts the index keeps orders for from its own rows; `uptime` takes figures per call. */
export type IndexedSort = Exclude<OverviewSort, 'uptime'>;

/**
 * Every monitor's overview row, kept in memory and updated from the events the daemon already
 * has (monitor changes, committed runtime states), so a call filters and pages without reading
 * or copying all of them: one scan over a cached order. Orders are re-sorted only when a key
 * they sort by changed (the previous order is the starting point: nearly sorted, so cheap).
 * `selectOverview` over fresh rows is the reference it must agree with (property-tested).
 */
export interface OverviewIndex {
  /** A monitor was created or changed (a changed monitor is a new object). */
  setMonitor(monitor: Monitor): void;
  removeMonitor(id: string): void;
  /** Runtime states committed (any monitor; states of unknown monitors wait for them). */
  setStates(states: Iterable<MonitorRuntimeState>): void;
  /** One filtered, counted page; the page's rows are snapshots (later updates leave them be). */
  select(
    query: OverviewQuery & { sort: IndexedSort },
    nodes: readonly ClusterNode[],
  ): OverviewSelection;
  /**
   * One page sorted by 24 h uptime, from every monitor's figure (`UptimeKeeper`; a monitor it
   * has none for sorts with the nulls). When a figure moved, the order is re-sorted from the
   * previous one: nearly sorted already, so close to one pass.
   */
  selectByUptime(
    query: OverviewQuery & { sort: 'uptime' },
    nodes: readonly ClusterNode[],
    uptime: ReadonlyMap<string, number | null>,
  ): OverviewSelection;
  /** Snapshots of every row (for a sort the index does not keep). */
  rows(): OverviewRow[];
  /** Every group and tag, sorted (filter menus). */
  facets(): { groups: string[]; tags: string[] };
  readonly size: number;
}

interface Order {
  rows: OverviewRow[];
  /** False once a key it sorts by changed: re-sorted before its next use. */
  fresh: boolean;
  /** The membership it holds: a monitor added or removed since means rebuilding it. */
  membership: number;
}

/** Which cached orders a state change makes stale. */
function staleSorts(before: OverviewRow, runtime: MonitorRuntimeState): IndexedSort[] {
  const sorts: IndexedSort[] = [];
  if (before.runtime.status !== runtime.status) sorts.push('state');
  if (before.runtime.lastCheckedAt !== runtime.lastCheckedAt) sorts.push('lastCheck');
  if (before.runtime.lastLatencyMs !== runtime.lastLatencyMs) sorts.push('latency');
  return sorts;
}

const stateOf = (monitor: Monitor, runtime: MonitorRuntimeState): OverviewRow['state'] =>
  monitor.paused ? 'paused' : runtime.status;

export function createOverviewIndex(
  monitors: Iterable<Monitor> = [],
  states: Iterable<MonitorRuntimeState> = [],
): OverviewIndex {
  // Mutable rows, shared by every cached order, so a state update is one assignment.
  const entries = new Map<string, OverviewRow>();
  const runtimes = new Map<string, MonitorRuntimeState>();
  const orders = new Map<string, Order>();
  let membership = 0;
  let facets: { groups: string[]; tags: string[] } | undefined;

  function markStale(sorts: readonly OverviewSort[]): void {
    for (const [key, order] of orders) {
      if (sorts.some((sort) => key.startsWith(`${sort}:`))) order.fresh = false;
    }
  }

  function ordered(sort: OverviewSort, dir: 'asc' | 'desc'): OverviewRow[] {
    const key = `${sort}:${dir}`;
    const known = orders.get(key);
    if (known?.fresh === true && known.membership === membership) return known.rows;
    const rows = known?.membership === membership ? known.rows : [...entries.values()];
    rows.sort(overviewComparator(sort, dir));
    orders.set(key, { rows, fresh: true, membership });
    return rows;
  }

  function pageOf(query: OverviewQuery, nodes: readonly ClusterNode[]): OverviewSelection {
    const selection = selectSorted(ordered(query.sort, query.dir), query, nodes);
    return { ...selection, page: selection.page.map((row) => ({ ...row })) };
  }

  const index: OverviewIndex = {
    setMonitor(monitor) {
      const runtime = runtimes.get(monitor.id) ?? initialRuntimeState(monitor.id);
      const row = entries.get(monitor.id);
      if (row === undefined) {
        entries.set(monitor.id, {
          monitor,
          haystack: haystackOf(monitor),
          runtime,
          state: stateOf(monitor, runtime),
          uptime24h: null,
        });
        membership += 1;
      } else {
        row.monitor = monitor;
        row.haystack = haystackOf(monitor);
        row.state = stateOf(monitor, runtime);
        // A rename or a pause moves a row in every order (ties sort by name).
        for (const order of orders.values()) order.fresh = false;
      }
      facets = undefined;
    },
    removeMonitor(id) {
      runtimes.delete(id);
      if (!entries.delete(id)) return;
      membership += 1;
      facets = undefined;
    },
    setStates(next) {
      for (const runtime of next) {
        runtimes.set(runtime.monitorId, runtime);
        const row = entries.get(runtime.monitorId);
        if (row === undefined) continue;
        markStale(staleSorts(row, runtime));
        row.runtime = runtime;
        row.state = stateOf(row.monitor, runtime);
      }
    },
    select: (query, nodes) => pageOf(query, nodes),
    selectByUptime(query, nodes, uptime) {
      let changed = false;
      for (const row of entries.values()) {
        const figure = uptime.get(row.monitor.id) ?? null;
        if (figure !== row.uptime24h) changed = true;
        row.uptime24h = figure;
      }
      // Most figures stay at 100 % between calls: no re-sort when none moved.
      if (changed) markStale(['uptime']);
      return pageOf(query, nodes);
    },
    rows: () => [...entries.values()].map((row) => ({ ...row })),
    facets() {
      facets ??= {
        groups: sortedSet([...entries.values()].flatMap((r) => r.monitor.group ?? [])),
        tags: sortedSet([...entries.values()].flatMap((r) => r.monitor.tags)),
      };
      return facets;
    },
    get size() {
      return entries.size;
    },
  };
  index.setStates(states);
  for (const monitor of monitors) index.setMonitor(monitor);
  return index;
}

export function sortedSet(values: readonly string[]): string[] {
  return [...new Set(values)].sort((a, b) => a.localeCompare(b));
}
