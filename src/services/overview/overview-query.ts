import { selectorMatches } from '../../cluster/assignment.ts';
import type { Monitor } from '../../domain/monitor.ts';
import type { MonitorRuntimeState, MonitorStatus } from '../../domain/monitor-state.ts';
import type { ClusterNode } from '../../domain/node.ts';

export const OVERVIEW_SORTS = ['name', 'state', 'lastCheck', 'latency', 'uptime'] as const;
export type OverviewSort = (typeof OVERVIEW_SORTS)[number];

/**
 * States worst first: an ascending state sort puts what needs a human at the top. Every
 * MonitorStatus has a rank (a missing one is a type error).
 */
const STATE_RANK: Readonly<Record<MonitorStatus, number>> = {
  down: 0,
  regional: 1,
  flapping: 2,
  unknown: 3,
  degraded: 4,
  pending: 5,
  up: 6,
  paused: 7,
};

export const OVERVIEW_STATES = Object.keys(STATE_RANK) as MonitorStatus[];

/** What the overview is asked for: filters over every monitor, then one sorted page. */
export interface OverviewQuery {
  /** Case-insensitive substring of name, target, group or a tag. */
  q?: string | undefined;
  group?: string | undefined;
  /** A whole tag. */
  tag?: string | undefined;
  /** Keep monitors in any of these states (all when absent). */
  states?: readonly MonitorStatus[] | undefined;
  /** Keep monitors checked from this region (some node of it matches their selector). */
  region?: string | undefined;
  /** With `region`: keep only monitors seen down from that region (see `downInRegion`). */
  regionState?: 'down' | undefined;
  sort: OverviewSort;
  dir: 'asc' | 'desc';
  offset: number;
  limit: number;
}

/** The cheap, always-at-hand facts of one monitor that filters and sorts read. */
export interface OverviewRow {
  monitor: Monitor;
  /** Lower-cased name, target, group and tags, one per line (built once per config version). */
  haystack: string;
  state: MonitorStatus;
  runtime: MonitorRuntimeState;
  /** Filled only when sorting by uptime (it costs an uptime read over every monitor). */
  uptime24h: number | null;
}

export interface OverviewSelection {
  /** Monitors matching every filter. */
  total: number;
  /** Monitors per state matching every filter but the state one (for filter chips). */
  counts: Record<MonitorStatus, number>;
  /** The requested page, sorted. */
  page: OverviewRow[];
}

/** The search text of a monitor, for `q`. */
export function haystackOf(monitor: Monitor): string {
  return [monitor.name, monitor.target, monitor.group ?? '', ...monitor.tags]
    .join('\n')
    .toLowerCase();
}

/**
 * "Seen down from region R", from the coordinator's state alone (no result reads): an open
 * `down` incident (every region), an open regional incident naming R, or R among the regions
 * where every counted node failed in the last round.
 */
export function downInRegion(runtime: MonitorRuntimeState, region: string): boolean {
  const incident = runtime.openIncident;
  if (incident?.verdict === 'down') return true;
  if (incident?.verdict === 'regional' && incident.regions.includes(region)) return true;
  return runtime.failingRegions.includes(region);
}

/**
 * Filters, counts and pages the rows (pure): the reference the daemon's `OverviewIndex` must
 * agree with (it keeps the rows sorted and calls `selectSorted` directly).
 */
export function selectOverview(
  rows: readonly OverviewRow[],
  query: OverviewQuery,
  nodes: readonly ClusterNode[],
): OverviewSelection {
  return selectSorted(rows.toSorted(overviewComparator(query.sort, query.dir)), query, nodes);
}

/**
 * Filters, counts and pages rows already in the query's order, in one pass that keeps only
 * the page (pure). Nothing proportional to the rows is allocated, so a page of a 10,000-row
 * list costs a scan, not a copy.
 */
export function selectSorted(
  sorted: readonly OverviewRow[],
  query: OverviewQuery,
  nodes: readonly ClusterNode[],
): OverviewSelection {
  const matchesRest = restFilter(query, nodes);
  const wanted = query.states === undefined ? null : new Set(query.states);
  const counts = Object.fromEntries(OVERVIEW_STATES.map((s) => [s, 0])) as Record<
    MonitorStatus,
    number
  >;
  const end = query.offset + query.limit;
  const page: OverviewRow[] = [];
  let total = 0;
  for (const row of sorted) {
    if (!matchesRest(row)) continue;
    counts[row.state] += 1;
    if (wanted !== null && !wanted.has(row.state)) continue;
    if (total >= query.offset && total < end) page.push(row);
    total += 1;
  }
  return { total, counts, page };
}

/** Every filter but the state one, as one predicate. */
function restFilter(query: OverviewQuery, nodes: readonly ClusterNode[]) {
  const needle = query.q?.trim().toLowerCase() ?? '';
  const region = query.region;
  const regionNodes =
    region === undefined ? [] : nodes.filter((n) => n.removedAt === null && n.region === region);
  return (row: OverviewRow): boolean => {
    const { monitor } = row;
    if (query.group !== undefined && monitor.group !== query.group) return false;
    if (query.tag !== undefined && !monitor.tags.includes(query.tag)) return false;
    if (needle !== '' && !row.haystack.includes(needle)) return false;
    if (region === undefined) return true;
    if (!regionNodes.some((n) => selectorMatches(monitor.nodes, n))) return false;
    return query.regionState !== 'down' || downInRegion(row.runtime, region);
  };
}

export type Comparator = (a: OverviewRow, b: OverviewRow) => number;

/**
 * Name then id by code unit, like the store's `ORDER BY name, id` (so the overview and
 * `monitors.list` agree) and ~10× cheaper than locale collation over 10,000 names.
 */
const byName: Comparator = (a, b) =>
  compareText(a.monitor.name, b.monitor.name) || compareText(a.monitor.id, b.monitor.id);

function compareText(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

/** Sort key per sort; null sorts last in either direction (no data is not "lowest"). */
const SORT_KEYS: Readonly<
  Record<Exclude<OverviewSort, 'name'>, (r: OverviewRow) => number | null>
> = {
  state: (r) => STATE_RANK[r.state],
  lastCheck: (r) => r.runtime.lastCheckedAt,
  latency: (r) => r.runtime.lastLatencyMs,
  uptime: (r) => r.uptime24h,
};

/** The order of a sort and direction: by its key, nulls last, ties by name then id. */
export function overviewComparator(sort: OverviewSort, dir: 'asc' | 'desc'): Comparator {
  const sign = dir === 'asc' ? 1 : -1;
  if (sort === 'name') return (a, b) => sign * byName(a, b);
  const key = SORT_KEYS[sort];
  return (a, b) => {
    const x = key(a);
    const y = key(b);
    if (x !== y) {
      if (x === null) return 1;
      if (y === null) return -1;
      return sign * (x - y);
    }
    return byName(a, b);
  };
}
