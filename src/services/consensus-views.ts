import { selectorMatches } from '../cluster/assignment.ts';
import type { ConsensusRound } from '../domain/consensus.ts';
import type { Incident } from '../domain/incident.ts';
import type { Monitor } from '../domain/monitor.ts';
import type { MonitorRuntimeState } from '../domain/monitor-state.ts';
import type { ClusterNode } from '../domain/node.ts';
import type { NodeResultCounts } from '../store/types.ts';

/** How results of nodes without a region (or no longer known) are grouped. */
export const NO_REGION = '(none)';

/** An incident with the rounds behind it, oldest first: who voted what, when, and why. */
export interface IncidentDetail extends Incident {
  evidence: ConsensusRound[];
}

/** One region's share of a monitor's results over a window. */
export interface RegionUptime {
  region: string;
  /** Nodes of the region that reported results in the window. */
  nodes: number;
  checks: number;
  /** Results that count as failures (`down`, and `degraded` when the monitor says so). */
  failures: number;
  /** (checks − failures) / checks; null without checks. */
  uptime: number | null;
}

/** Per-region uptime of one monitor (`GET /api/v1/monitors/:id/regions`). */
export interface RegionUptimeView {
  monitorId: string;
  windowMs: number;
  since: number;
  regions: RegionUptime[];
}

/** A node as a status note names it. */
export interface NodeRef {
  id: string;
  name: string;
  region: string | null;
}

/**
 * Sub-quorum trouble: the nodes (and whole regions) that failed in the monitor's last round,
 * out of the nodes that run it. Shown although nobody was paged.
 */
export interface FailingView {
  regions: string[];
  nodes: NodeRef[];
  /** Nodes that run the monitor (never fewer than the failing ones). */
  of: number;
}

/** Groups per-node result counts by the nodes' regions (pure); sorted, "(none)" last. */
export function regionUptime(
  counts: readonly NodeResultCounts[],
  nodes: readonly Pick<ClusterNode, 'id' | 'region'>[],
  degradedIsDown: boolean,
): RegionUptime[] {
  const regionOf = new Map(nodes.map((n) => [n.id, n.region ?? NO_REGION]));
  const byRegion = new Map<string, RegionUptime>();
  for (const count of counts) {
    const region = regionOf.get(count.nodeId) ?? NO_REGION;
    const entry = byRegion.get(region) ?? {
      region,
      nodes: 0,
      checks: 0,
      failures: 0,
      uptime: null,
    };
    entry.nodes++;
    entry.checks += count.total;
    entry.failures += count.failures + (degradedIsDown ? count.degraded : 0);
    byRegion.set(region, entry);
  }
  return [...byRegion.values()]
    .map((entry) => ({
      ...entry,
      uptime: entry.checks === 0 ? null : (entry.checks - entry.failures) / entry.checks,
    }))
    .sort(
      (a, b) =>
        Number(a.region === NO_REGION) - Number(b.region === NO_REGION) ||
        a.region.localeCompare(b.region),
    );
}

/**
 * The sub-quorum view of a monitor (pure): null unless its last round had failing nodes and
 * it is not down. Node ids are resolved to names; an id no longer known is shown as is.
 */
export function failingView(
  monitor: Pick<Monitor, 'nodes'>,
  state: Pick<MonitorRuntimeState, 'status' | 'failingNodes' | 'failingRegions'>,
  nodes: readonly ClusterNode[],
): FailingView | null {
  if (state.status === 'down' || state.failingNodes.length === 0) return null;
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const failing = state.failingNodes.map((id): NodeRef => {
    const node = byId.get(id);
    return { id, name: node?.name ?? id, region: node?.region ?? null };
  });
  const running = nodes.filter(
    (n) => n.removedAt === null && selectorMatches(monitor.nodes, n),
  ).length;
  return {
    regions: [...state.failingRegions],
    nodes: failing,
    of: Math.max(running, failing.length),
  };
}
