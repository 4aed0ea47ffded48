import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { CheckStatus } from '../domain/check-result.ts';
import type { MonitorRef } from '../domain/monitor.ts';
import type { MonitorRuntimeState } from '../domain/monitor-state.ts';

/** What the metrics need to read at scrape time (the node's live view of its monitors). */
export interface MetricsSources {
  /** Active (not paused) monitors with their current runtime state. */
  monitors(): Iterable<{ monitor: MonitorRef; state: MonitorRuntimeState }>;
  scheduler(): { jobs: number; inFlight: number; queued: number; lagP99Ms: number };
  ingestPending(): number;
}

/** The node's Prometheus metrics; the hot path only increments counters and observes. */
export interface NodeMetrics {
  readonly registry: Registry;
  /** Records one finished check. */
  observeCheck(type: string, status: CheckStatus, latencyMs: number): void;
  /** Records one batch written to the store. */
  observeCommit(results: number, alerts: number): void;
  /** Prometheus text exposition of every metric. */
  render(): Promise<string>;
  readonly contentType: string;
}

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

/** Builds a registry with process metrics plus Crosscheck's own. */
export function createNodeMetrics(sources: MetricsSources): NodeMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'crosscheck_' });

  const checks = new Counter({
    name: 'crosscheck_checks_total',
    help: 'Checks run by this node, by check type and result status (error: this node could not check).',
    labelNames: ['type', 'status'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'crosscheck_check_duration_seconds',
    help: 'Wall time of checks run by this node, by check type.',
    labelNames: ['type'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  const stored = new Counter({
    name: 'crosscheck_results_stored_total',
    help: 'Results written to the store.',
    registers: [registry],
  });
  const alerts = new Counter({
    name: 'crosscheck_alert_deliveries_queued_total',
    help: 'Alert deliveries queued (stored for sending or as suppressed).',
    registers: [registry],
  });

  new Gauge({
    name: 'crosscheck_monitor_up',
    help: 'Whether a monitor is up (1, degraded counts as up), down (0) or pending (NaN).',
    labelNames: ['monitor_id', 'name', 'type', 'group'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const { monitor, state } of sources.monitors()) {
        this.set(labels(monitor), UP_VALUE[state.status]);
      }
    },
  });
  new Gauge({
    name: 'crosscheck_monitor_latency_seconds',
    help: 'Latency of the latest result of each monitor.',
    labelNames: ['monitor_id', 'name', 'type', 'group'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const { monitor, state } of sources.monitors()) {
        if (state.lastLatencyMs !== null) this.set(labels(monitor), state.lastLatencyMs / 1000);
      }
    },
  });
  new Gauge({
    name: 'crosscheck_scheduler_jobs',
    help: 'Scheduler jobs by state: scheduled, running, queued for a concurrency slot.',
    labelNames: ['state'] as const,
    registers: [registry],
    collect() {
      const s = sources.scheduler();
      this.set({ state: 'scheduled' }, s.jobs);
      this.set({ state: 'running' }, s.inFlight);
      this.set({ state: 'queued' }, s.queued);
    },
  });
  new Gauge({
    name: 'crosscheck_scheduler_lag_p99_seconds',
    help: 'p99 of actual minus planned start over recent check runs.',
    registers: [registry],
    collect() {
      this.set(sources.scheduler().lagP99Ms / 1000);
    },
  });
  new Gauge({
    name: 'crosscheck_ingest_pending_results',
    help: 'Results waiting in memory for the next batched write.',
    registers: [registry],
    collect() {
      this.set(sources.ingestPending());
    },
  });

  // Labelled children, created once per type (and status): prom-client otherwise hashes the
  // label object on every call, which is per check on the daemon's hot path.
  const checkCounters = new Map<string, Counter.Internal>();
  const durations = new Map<string, Histogram.Internal<'type'>>();

  return {
    registry,
    contentType: registry.contentType,
    observeCheck(type, status, latencyMs) {
      const key = `${type}\u0000${status}`;
      let counter = checkCounters.get(key);
      if (!counter) checkCounters.set(key, (counter = checks.labels({ type, status })));
      counter.inc();
      let histogram = durations.get(type);
      if (!histogram) durations.set(type, (histogram = duration.labels({ type })));
      histogram.observe(latencyMs / 1000);
    },
    observeCommit(results, queuedAlerts) {
      stored.inc(results);
      if (queuedAlerts > 0) alerts.inc(queuedAlerts);
    },
    render: () => registry.metrics(),
  };
}

function labels(monitor: MonitorRef) {
  return {
    monitor_id: monitor.id,
    name: monitor.name,
    type: monitor.type,
    group: monitor.group ?? '',
  };
}
