import type { Registry } from 'prom-client';
import { Gauge, Histogram } from 'prom-client';
import type { CheckStatus } from '../domain/check-result.ts';
import type { MonitorRef } from '../domain/monitor.ts';
import type { MonitorRuntimeState } from '../domain/monitor-state.ts';
import type { MonitorUptime } from '../domain/uptime.ts';

/**
 * Monitors that get their own series (`monitor_id` label). Past it, monitors are counted in
 * `crosscheck_monitor_series_dropped`, their latency goes to `monitor_id="_other"`, and the
 * aggregate `crosscheck_monitors{status}` still covers them (docs/metrics.md).
 */
export const MONITOR_SERIES_LIMIT = 1_000;
/** The `monitor_id` latency of monitors past the limit is observed under. */
export const OTHER_MONITORS = '_other';

const DAY_S = 86_400;
/** Uptime windows exported, by label; a few, so the series per monitor stay few. */
const UPTIME_WINDOWS = { '24h': DAY_S * 1_000, '30d': 30 * DAY_S * 1_000 } as const;
/** Uptime reads incidents from the store: at most once per this period, whatever the scrapes. */
const UPTIME_CACHE_MS = 60_000;

const UP_VALUE: Record<MonitorRuntimeState['status'], number> = {
  up: 1,
  degraded: 1,
  down: 0,
  // Down from some regions only: still up for the rest of the world.
  regional: 0,
  flapping: 0,
  unknown: Number.NaN,
  pending: Number.NaN,
};
const STATUSES = Object.keys(UP_VALUE) as MonitorRuntimeState['status'][];

export interface MonitorMetricSources {
  /** Active (not paused) monitors with their consensus state. */
  monitors(): Iterable<{ monitor: MonitorRef; state: MonitorRuntimeState }>;
  uptime(
    ids: readonly string[],
    windowsMs: readonly number[],
  ): Promise<Map<string, MonitorUptime[]>>;
  now(): number;
  /** Defaults to MONITOR_SERIES_LIMIT (tests lower it). */
  limit?: number;
}

/** Coordinator-only: per-monitor consensus state, latency and uptime, with bounded cardinality. */
export interface MonitorMetrics {
  /** A result from any node was accepted (the coordinator sees every vantage point's). */
  observeResult(monitorId: string, status: CheckStatus, latencyMs: number): void;
}

/** Registers the per-monitor metrics on the node's registry. */
export function registerMonitorMetrics(
  registry: Registry,
  sources: MonitorMetricSources,
): MonitorMetrics {
  const limit = sources.limit ?? MONITOR_SERIES_LIMIT;
  const admitted = new Set<string>();
  // Labelled children cached per id: prom-client otherwise hashes the labels on every result.
  const children = new Map<string, Histogram.Internal<'monitor_id'>>();
  let dropped = 0;
  const latency = new Histogram({
    name: 'crosscheck_monitor_latency_seconds',
    help: `Check latency per monitor from every node, errors excluded (monitor_id="${OTHER_MONITORS}": monitors past the series limit).`,
    labelNames: ['monitor_id'] as const,
    buckets: [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
    // Collected first: monitors gone since the last scrape lose their histogram here.
    collect() {
      sync();
    },
  });

  /** Brings the admitted set in line with the monitors now: gone ones free their slot. */
  function sync(): { monitor: MonitorRef; state: MonitorRuntimeState }[] {
    const current = [...sources.monitors()].sort((a, b) => compare(a.monitor.id, b.monitor.id));
    const ids = new Set(current.map((m) => m.monitor.id));
    for (const id of admitted) {
      if (ids.has(id)) continue;
      admitted.delete(id);
      children.delete(id);
      latency.remove({ monitor_id: id });
    }
    for (const { monitor } of current) {
      if (admitted.size >= limit) break;
      admitted.add(monitor.id);
    }
    dropped = current.length - current.filter((m) => admitted.has(m.monitor.id)).length;
    return current.filter((m) => admitted.has(m.monitor.id));
  }

  new Gauge({
    name: 'crosscheck_monitor_info',
    help: 'Always 1 per monitor; carries its name, type and group for joins on monitor_id.',
    labelNames: ['monitor_id', 'name', 'type', 'group'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const { monitor } of sync()) {
        const { id, name, type, group } = monitor;
        this.set({ monitor_id: id, name, type, group: group ?? '' }, 1);
      }
    },
  });
  new Gauge({
    name: 'crosscheck_monitor_up',
    help: 'Consensus state per monitor: 1 up or degraded, 0 down, regional or flapping, NaN pending or unknown.',
    labelNames: ['monitor_id'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const { monitor, state } of sync())
        this.set({ monitor_id: monitor.id }, UP_VALUE[state.status]);
    },
  });
  new Gauge({
    name: 'crosscheck_monitors',
    help: 'Active monitors by consensus status (every monitor, past the series limit too).',
    labelNames: ['status'] as const,
    registers: [registry],
    collect() {
      const counts = new Map(STATUSES.map((s) => [s, 0]));
      for (const { state } of sources.monitors())
        counts.set(state.status, (counts.get(state.status) ?? 0) + 1);
      for (const [status, count] of counts) this.set({ status }, count);
    },
  });
  new Gauge({
    name: 'crosscheck_monitor_series_limit',
    help: 'Monitors that get their own series; the rest are counted in crosscheck_monitor_series_dropped.',
    registers: [registry],
  }).set(limit);
  new Gauge({
    name: 'crosscheck_monitor_series_dropped',
    help: 'Active monitors without their own series because the series limit is reached.',
    registers: [registry],
    collect() {
      sync();
      this.set(dropped);
    },
  });
  registerUptime(registry, sources, () => sync().map((m) => m.monitor.id));

  return {
    observeResult(monitorId, status, latencyMs) {
      // An error means the node could not check: its latency says nothing about the target.
      if (status === 'error') return;
      if (!admitted.has(monitorId) && admitted.size < limit) admitted.add(monitorId);
      const id = admitted.has(monitorId) ? monitorId : OTHER_MONITORS;
      let child = children.get(id);
      if (!child) children.set(id, (child = latency.labels({ monitor_id: id })));
      child.observe(latencyMs / 1000);
    },
  };
}

/** Uptime per monitor and window, from the store, refreshed at most once a minute. */
function registerUptime(
  registry: Registry,
  sources: MonitorMetricSources,
  admittedIds: () => string[],
): void {
  let cache: { at: number; figures: Map<string, MonitorUptime[]> } | undefined;
  const windows = Object.entries(UPTIME_WINDOWS);
  new Gauge({
    name: 'crosscheck_monitor_uptime_ratio',
    help: 'Uptime per monitor over a window (24h, 30d) from confirmed downtime; refreshed every minute.',
    labelNames: ['monitor_id', 'window'] as const,
    registers: [registry],
    async collect() {
      const ids = admittedIds();
      const now = sources.now();
      if (cache === undefined || now - cache.at >= UPTIME_CACHE_MS || !covers(cache.figures, ids)) {
        cache = { at: now, figures: await sources.uptime(ids, Object.values(UPTIME_WINDOWS)) };
      }
      this.reset();
      for (const id of ids) {
        const figures = cache.figures.get(id) ?? [];
        windows.forEach(([window], index) => {
          const uptime = figures[index]?.uptime;
          if (uptime !== undefined && uptime !== null) this.set({ monitor_id: id, window }, uptime);
        });
      }
    },
  });
}

function covers(figures: Map<string, unknown>, ids: readonly string[]): boolean {
  return ids.every((id) => figures.has(id));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
