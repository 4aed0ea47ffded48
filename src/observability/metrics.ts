import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { CheckStatus } from '../domain/check-result.ts';

/** What every node's metrics read at scrape time. */
export interface MetricsSources {
  scheduler(): { jobs: number; inFlight: number; queued: number };
  /** Coordinator: results waiting in memory for the next batched write. */
  ingestPending?: () => number;
  /** Coordinator: agents' results refused at the backlog bound, waiting in their outboxes. */
  ingestWaiting?: () => number;
  /** Coordinator: its own results dropped at the backlog bound since start. */
  ingestShed?: () => number;
  /** Agent: results in its durable outbox not yet acknowledged by the coordinator. */
  outboxDepth?: () => number;
  /** Agent: results held in memory after a failed outbox write (a full disk). */
  outboxHeld?: () => number;
  /** The package version, exported as `crosscheck_build_info`. */
  version: string;
}

/** The node's Prometheus metrics; the hot path only increments counters and observes. */
export interface NodeMetrics {
  readonly registry: Registry;
  /** Records one finished check and how late it started against its plan. */
  observeCheck(type: string, status: CheckStatus, latencyMs: number, startLagMs: number): void;
  /** Records one batch written to the store. */
  observeCommit(results: number, alerts: number): void;
  /** Prometheus text exposition of every metric. */
  render(): Promise<string>;
  readonly contentType: string;
}

/**
 * prom-client's default gauges that end in `_total` although they are not counters, which
 * `promtool check metrics` rejects; the same figures stay available by type (sum them).
 */
const NON_COUNTER_TOTALS = [
  'crosscheck_nodejs_active_handles_total',
  'crosscheck_nodejs_active_requests_total',
  'crosscheck_nodejs_active_resources_total',
];

/** Builds a registry with process metrics plus the metrics every node has. */
export function createNodeMetrics(sources: MetricsSources): NodeMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'crosscheck_' });
  for (const name of NON_COUNTER_TOTALS) registry.removeSingleMetric(name);

  new Gauge({
    name: 'crosscheck_build_info',
    help: 'Always 1; the version label is the running Crosscheck version.',
    labelNames: ['version'] as const,
    registers: [registry],
  }).set({ version: sources.version }, 1);
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
  const lag = new Histogram({
    name: 'crosscheck_scheduler_lag_seconds',
    help: 'How late checks started against their planned time (an overloaded node starts them late).',
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  const stored = new Counter({
    name: 'crosscheck_results_stored_total',
    help: 'Results written to the store (coordinator).',
    registers: [registry],
  });
  const alerts = new Counter({
    name: 'crosscheck_alert_deliveries_queued_total',
    help: 'Alert deliveries stored by confirmation rounds, to send or as suppressed (coordinator).',
    registers: [registry],
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
  registerQueueGauges(registry, sources);

  // Labelled children, created once per type (and status): prom-client otherwise hashes the
  // label object on every call, which is per check on the daemon's hot path.
  const checkCounters = new Map<string, Counter.Internal>();
  const durations = new Map<string, Histogram.Internal<'type'>>();

  return {
    registry,
    contentType: registry.contentType,
    observeCheck(type, status, latencyMs, startLagMs) {
      const key = `${type}\u0000${status}`;
      let counter = checkCounters.get(key);
      if (!counter) checkCounters.set(key, (counter = checks.labels({ type, status })));
      counter.inc();
      let histogram = durations.get(type);
      if (!histogram) durations.set(type, (histogram = duration.labels({ type })));
      histogram.observe(latencyMs / 1000);
      lag.observe(Math.max(0, startLagMs) / 1000);
    },
    observeCommit(results, queuedAlerts) {
      stored.inc(results);
      if (queuedAlerts > 0) alerts.inc(queuedAlerts);
    },
    render: () => registry.metrics(),
  };
}

/** The coordinator's write queue or the agent's outbox, whichever this node has. */
function registerQueueGauges(registry: Registry, sources: MetricsSources): void {
  const { ingestPending, outboxDepth } = sources;
  registerBacklogGauges(registry, sources);
  if (ingestPending) {
    new Gauge({
      name: 'crosscheck_ingest_pending_results',
      help: 'Results waiting in memory for the next batched write (coordinator).',
      registers: [registry],
      collect() {
        this.set(ingestPending());
      },
    });
  }
  if (outboxDepth) {
    new Gauge({
      name: 'crosscheck_outbox_results',
      help: 'Results in the durable outbox of this agent that the coordinator has not acknowledged.',
      registers: [registry],
      collect() {
        this.set(outboxDepth());
      },
    });
  }
}

/** How far a failing store (a full disk) has pushed results back; zero while it writes. */
function registerBacklogGauges(registry: Registry, sources: MetricsSources): void {
  const gauges: [string, string, (() => number) | undefined][] = [
    [
      'crosscheck_ingest_waiting_results',
      "Agents' results refused at the coordinator's backlog bound, kept in their outboxes.",
      sources.ingestWaiting,
    ],
    [
      'crosscheck_ingest_shed_results',
      "The coordinator's own results dropped at the backlog bound since start.",
      sources.ingestShed,
    ],
    [
      'crosscheck_outbox_held_results',
      'Results held in memory after a failed outbox write (a full disk), retried (agent).',
      sources.outboxHeld,
    ],
  ];
  for (const [name, help, read] of gauges) {
    if (read === undefined) continue;
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        this.set(read());
      },
    });
  }
}
