import { selectorMatches } from '../../cluster/assignment.ts';
import type { Monitor } from '../../domain/monitor.ts';
import type { ClusterNode } from '../../domain/node.ts';
import type { UptimeFigure } from '../../domain/uptime.ts';
import type { NodeLatestResult, RollupBucket } from '../../store/types.ts';
import { NO_REGION } from '../uptime-views.ts';

// The per-monitor parts of an overview row (pure). They are computed only for the page shown,
// from batched reads (see overview-service.ts), so their cost follows the page size.

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/** Daily bars shown per monitor, oldest first; the last is today (so far). */
export const BAR_DAYS = 90;
/** Hourly latency points the sparkline shows at most (the last 24 hours). */
export const SPARKLINE_HOURS = 24;
/** A node's newest result older than this many intervals says nothing about now. */
export const FRESH_INTERVALS = 3;

/** One day of the uptime strip: confirmed downtime over observed time (as `uptime` reports). */
export interface DayBar {
  /** UTC day, `YYYY-MM-DD`. */
  day: string;
  /** Null when nothing was observed that day (before creation, paused, in maintenance). */
  uptime: number | null;
  downtimeMs: number;
}

/** Starts of the last `BAR_DAYS` UTC days, oldest first, the last holding `now`. */
export function barDayStarts(now: number): number[] {
  const today = Math.floor(now / DAY_MS) * DAY_MS;
  return Array.from({ length: BAR_DAYS }, (_, i) => today - (BAR_DAYS - 1 - i) * DAY_MS);
}

/**
 * The uptime windows (ms lengths ending at `now`) whose figures `dailyBars` turns into days:
 * one per day start. Observed and down time add up over disjoint spans, so a day's figures
 * are the difference of the windows starting at it and at the next day; they are the very
 * figures `uptime` reports for any window.
 */
export function barWindows(now: number, starts: readonly number[]): number[] {
  return starts.map((start) => now - start);
}

/** Day bars from the figures of `barWindows(now, starts)`, in the same order. */
export function dailyBars(starts: readonly number[], figures: readonly UptimeFigure[]): DayBar[] {
  return starts.map((start, i) => {
    const from = figures[i];
    const next = figures[i + 1];
    const observedMs = (from?.observedMs ?? 0) - (next?.observedMs ?? 0);
    const downtimeMs = (from?.downMs ?? 0) - (next?.downMs ?? 0);
    return {
      day: new Date(start).toISOString().slice(0, 10),
      uptime: observedMs <= 0 ? null : 1 - downtimeMs / observedMs,
      downtimeMs,
    };
  });
}

/** One sparkline point: an hour's median latency. */
export interface SparkPoint {
  /** Start of the hour (epoch ms). */
  at: number;
  latencyMs: number;
}

/** Where the sparkline's hour buckets start: the hour 23 hours before the one holding `now`. */
export function sparklineSince(now: number): number {
  return Math.floor(now / HOUR_MS) * HOUR_MS - (SPARKLINE_HOURS - 1) * HOUR_MS;
}

/**
 * Hourly median latency over the last 24 hours, oldest first, from hour rollups (one small
 * indexed read per page; raw results would be thousands of rows per monitor). Hours without
 * results are left out, and the current hour appears once the minutely rollup has run.
 */
export function sparkline(hours: readonly RollupBucket[]): SparkPoint[] {
  return hours
    .filter((h) => h.count > 0 && h.latencyP50 !== null)
    .slice(-SPARKLINE_HOURS)
    .map((h) => ({ at: h.bucketStart, latencyMs: h.latencyP50 ?? 0 }));
}

export type RegionState = 'up' | 'down' | 'unknown';

/** What one region's nodes see of a monitor now, from each node's newest result. */
export interface RegionView {
  region: string;
  /** down: more of its nodes see it down than up; unknown: none has a fresh result. */
  state: RegionState;
  /** Nodes whose newest result is up or degraded. */
  up: number;
  /** Nodes whose newest result is down. */
  down: number;
  /** Nodes of the region that run the monitor. */
  total: number;
}

/**
 * Per-region views of one monitor: its nodes (those whose region and labels match its
 * selector) grouped by region, each counted by its newest result if that is fresh (within
 * FRESH_INTERVALS intervals). An `error` result is the node's own fault and counts for
 * neither side. Regions sorted by name, nodes without one last.
 */
export function regionViews(
  monitor: Pick<Monitor, 'nodes' | 'intervalMs'>,
  nodes: readonly ClusterNode[],
  latest: readonly NodeLatestResult[],
  now: number,
): RegionView[] {
  const freshFrom = now - FRESH_INTERVALS * monitor.intervalMs;
  const statusOf = new Map(
    latest.filter((r) => r.checkedAt >= freshFrom).map((r) => [r.nodeId, r.status]),
  );
  const views = new Map<string, RegionView>();
  for (const node of nodes) {
    if (node.removedAt !== null || !selectorMatches(monitor.nodes, node)) continue;
    const region = node.region ?? NO_REGION;
    const view = views.get(region) ?? { region, state: 'unknown', up: 0, down: 0, total: 0 };
    view.total += 1;
    const status = statusOf.get(node.id);
    if (status === 'up' || status === 'degraded') view.up += 1;
    else if (status === 'down') view.down += 1;
    views.set(region, view);
  }
  return [...views.values()]
    .map((view) => ({ ...view, state: regionState(view) }))
    .sort(
      (a, b) =>
        Number(a.region === NO_REGION) - Number(b.region === NO_REGION) ||
        a.region.localeCompare(b.region),
    );
}

function regionState(view: RegionView): RegionState {
  if (view.up + view.down === 0) return 'unknown';
  return view.down > view.up ? 'down' : 'up';
}
