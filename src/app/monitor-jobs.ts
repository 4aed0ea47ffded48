import type { Monitor } from '../domain/monitor.ts';
import type { SchedulerJob } from '../scheduler/types.ts';

/** A scheduler job carrying the monitor it runs (the latest definition after every edit). */
export interface MonitorJob extends SchedulerJob {
  monitor: Monitor;
}

/** The scheduler job of a monitor. */
export function jobOf(monitor: Monitor): MonitorJob {
  return { id: monitor.id, intervalMs: monitor.intervalMs, timeoutMs: monitor.timeoutMs, monitor };
}
