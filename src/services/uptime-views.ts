import { selectorMatches } from '../cluster/assignment.ts';
import type { ConsensusRound } from '../domain/consensus.ts';
import type { Monitor } from '../domain/monitor.ts';
import type { ClusterNode } from '../domain/node.ts';
import type { MonitorUptime } from '../domain/uptime.ts';
import type { NodeResultCounts } from '../store/types.ts';

/** How nodes without a region (or no longer known) are grouped. */
export const NO_REGION = '(none)';

/** One region's uptime: time in a `down` incident, or in a `regional` one naming it. */
export interface RegionUptime {
  region: string;
  /** Nodes of the region that run the monitor or reported results in the window. */
  nodes: number;
  downMs: number;
  /** 1 − downMs ÷ observed time; null when nothing was observed. */
  uptime: number | null;
}

/**
 * One node's own view of a monitor over a window: not uptime (no quorum confirmed it), but
 * what that node saw, so one node's trouble is visible and named.
 */
export interface NodeUptime {
  nodeId: string;
  name: string;
  region: string | null;
  /** Results that passed or failed (node errors left out). */
  checks: number;
  /** Results that failed (`down`, and `degraded` when the monitor says so). */
  failures: number;
  /** Results with status `error`: the check could not run because of this node. */
  errors: number;
  /** (checks − failures) ÷ checks: the node's share of passing results; null without checks. */
  passing: number | null;
  /** Rounds decided `local` in the window in which this node's counted vote failed. */
  localFailures: number;
}

/** A monitor's uptime over a window with its per-region and per-node figures. */
export interface MonitorUptimeView {
  monitorId: string;
  windowMs: number;
  since: number;
  /** Confirmed downtime over observed time (docs/api.md, "Uptime"). */
  uptime: number | null;
  observedMs: number;
  downMs: number;
  regions: RegionUptime[];
  nodes: NodeUptime[];
}

/**
 * Per-region uptime (pure): every region of a node that runs the monitor or reported results,
 * and every region a regional incident named. A region no regional incident named has the
 * monitor's own figure. Sorted, "(none)" last.
 */
export function regionUptime(
  figure: MonitorUptime,
  monitor: Pick<Monitor, 'nodes'>,
  reporting: readonly string[],
  nodes: readonly ClusterNode[],
): RegionUptime[] {
  const reported = new Set(reporting);
  const members = nodes.filter(
    (n) => reported.has(n.id) || (n.removedAt === null && selectorMatches(monitor.nodes, n)),
  );
  const known = new Set(nodes.map((n) => n.id));
  const countOf = new Map<string, number>();
  for (const n of members)
    countOf.set(n.region ?? NO_REGION, (countOf.get(n.region ?? NO_REGION) ?? 0) + 1);
  // A node that reported but is no longer known still counts, under "(none)".
  const unknown = reporting.filter((id) => !known.has(id)).length;
  if (unknown > 0) countOf.set(NO_REGION, (countOf.get(NO_REGION) ?? 0) + unknown);
  const named = new Map(figure.regions.map((r) => [r.region, r]));
  const regions = new Set([...countOf.keys(), ...named.keys()]);
  return [...regions]
    .map((region) => {
      const own = named.get(region) ?? figure;
      return { region, nodes: countOf.get(region) ?? 0, downMs: own.downMs, uptime: own.uptime };
    })
    .sort(
      (a, b) =>
        Number(a.region === NO_REGION) - Number(b.region === NO_REGION) ||
        a.region.localeCompare(b.region),
    );
}

/**
 * Per-node figures (pure): each node's share of passing results, its node errors, and the
 * `local` rounds it failed in. Nodes are named (an id no longer known is shown as is), sorted
 * by name.
 */
export function nodeUptime(
  counts: readonly NodeResultCounts[],
  localRounds: readonly ConsensusRound[],
  nodes: readonly ClusterNode[],
  degradedIsDown: boolean,
): NodeUptime[] {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const figures = new Map<string, NodeUptime>();
  const entry = (nodeId: string): NodeUptime => {
    const existing = figures.get(nodeId);
    if (existing) return existing;
    const node = byId.get(nodeId);
    const fresh: NodeUptime = {
      nodeId,
      name: node?.name ?? nodeId,
      region: node?.region ?? null,
      checks: 0,
      failures: 0,
      errors: 0,
      passing: null,
      localFailures: 0,
    };
    figures.set(nodeId, fresh);
    return fresh;
  };
  for (const count of counts) {
    const figure = entry(count.nodeId);
    figure.errors = count.errors;
    figure.checks = count.total - count.errors;
    figure.failures = count.failures + (degradedIsDown ? count.degraded : 0);
    figure.passing = figure.checks === 0 ? null : (figure.checks - figure.failures) / figure.checks;
  }
  for (const round of localRounds) {
    if (round.verdict !== 'local') continue;
    for (const vote of round.votes) {
      if (vote.outcome === 'fail' && !vote.late && vote.setAside === null)
        entry(vote.nodeId).localFailures++;
    }
  }
  return [...figures.values()].sort(
    (a, b) => a.name.localeCompare(b.name) || a.nodeId.localeCompare(b.nodeId),
  );
}
