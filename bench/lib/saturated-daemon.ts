import path from 'node:path';
import type { DaemonProcess } from './daemon-process.ts';
import { fetchHealth, seedMonitors, startDaemon } from './daemon-process.ts';
import type { LoopbackTarget } from './loopback-target.ts';
import { sampleWindow } from './proc-stats.ts';
import type { ScenarioContext } from './scenario.ts';
import { resultsBetween } from './schedule-accuracy.ts';

import { sleep } from './time-bounds.ts';

/** The daemon's figures when it is given more checks than it can run. */
export interface SaturatedRun {
  monitors: number;
  intervalMs: number;
  plannedPerSecond: number;
  checksPerSecond: number;
  notUp: number;
  daemonCpuPercent: number;
  targetCpuPercent: number;
  rssMaxMb: number;
  runsSkipped: number;
  ingestDropped: number;
}

/**
 * Runs the daemon over-subscribed (monitors / interval far above what it can do) and counts
 * the results it stored with a start time inside the window.
 */
export async function measureSaturated(
  context: ScenarioContext,
  target: LoopbackTarget,
  plan: {
    monitors: number;
    intervalMs: number;
    concurrency: number;
    warmupMs: number;
    windowMs: number;
  },
): Promise<SaturatedRun> {
  const dataDir = path.join(context.workDir, `saturated-${plan.monitors}`);
  await seedMonitors(
    dataDir,
    Array.from({ length: plan.monitors }, (_, i) => ({
      id: `bench-sat-${i}`,
      type: 'http' as const,
      target: target.httpUrl(i),
      intervalMs: plan.intervalMs,
      timeoutMs: 5_000,
    })),
  );
  let daemon: DaemonProcess | undefined;
  try {
    daemon = await startDaemon(context.children, dataDir, {
      extraArgs: ['--concurrency', String(plan.concurrency)],
    });
    const window = await sampleWindow(
      daemon.child.pid,
      target.child.pid,
      plan.warmupMs,
      plan.windowMs,
    );
    const { from, to } = window;
    const daemonFigures = window.daemon;
    const targetFigures = window.target;
    const health = await fetchHealth(daemon);
    // Checks started just before `to` finish before the SIGTERM aborts whatever is in flight.
    await sleep(1_000);
    await context.children.stop(daemon.child, 30_000);
    const stored = resultsBetween(dataDir, from, to);
    return {
      monitors: plan.monitors,
      intervalMs: plan.intervalMs,
      plannedPerSecond: Math.round((plan.monitors / plan.intervalMs) * 1000),
      checksPerSecond: Math.round((stored.total / (to - from)) * 1000),
      notUp: stored.notUp,
      daemonCpuPercent: daemonFigures.cpuPercent,
      targetCpuPercent: targetFigures.cpuPercent,
      rssMaxMb: daemonFigures.rssMaxMb,
      runsSkipped: health.runtime?.scheduler.runsSkipped ?? 0,
      ingestDropped: health.runtime?.ingest.dropped ?? 0,
    };
  } finally {
    if (daemon) await context.children.stop(daemon.child, 30_000);
  }
}
