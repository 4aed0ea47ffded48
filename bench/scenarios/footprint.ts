/**
 * Scenario 4 — footprint of a small node: 100 HTTP monitors every 30 s.
 *
 * Each repetition seeds a fresh data dir, spawns `crosscheck start` and times: spawn → API
 * answering, spawn → first check started (its stored start time) and spawn → first result
 * visible (stored, so the API shows it). The daemon's database is polled read-only, so the
 * measurement puts no load on the daemon. Part of the wait for the first check is the grid:
 * a monitor runs at its phase slot, not at start, so the wait until the first slot is reported
 * too. Then, after a settle time, idle RSS (100 monitors at 30 s is nearly idle).
 */
import BetterSqlite3 from 'better-sqlite3';
import path from 'node:path';
import { lastRunAtOrBefore, phaseOffset } from '../../src/scheduler/plan.ts';
import type { DaemonProcess } from '../lib/daemon-process.ts';
import { seedMonitors, startDaemon } from '../lib/daemon-process.ts';
import type { LoopbackTarget } from '../lib/loopback-target.ts';
import { startLoopbackTarget } from '../lib/loopback-target.ts';
import { sampleProcess } from '../lib/proc-stats.ts';
import type { Scenario, ScenarioContext } from '../lib/scenario.ts';
import { printTable } from '../lib/scenario.ts';
import { median } from '../lib/stats.ts';
import { sleep } from '../lib/time-bounds.ts';

const MONITORS = 100;
const INTERVAL_MS = 30_000;
const FIRST_RESULT_TIMEOUT_MS = 45_000;

interface StartupRun {
  readyMs: number;
  firstCheckStartedMs: number;
  firstResultVisibleMs: number;
  /** From spawn to the planned slot of the first check (the grid's share of the wait). */
  firstSlotMs: number;
  idleRssMb: number;
  idleCpuPercent: number;
}

/** Polls the database (read-only) until a result is stored; bounded in time. */
async function firstStoredResult(
  dataDir: string,
  deadline: number,
): Promise<{ monitorId: string; checkedAt: number; seenAt: number }> {
  const db = new BetterSqlite3(path.join(dataDir, 'crosscheck.db'), { readonly: true });
  try {
    const query = db.prepare(
      'select monitor_id as monitorId, checked_at as checkedAt from results order by seq limit 1',
    );
    while (Date.now() < deadline) {
      const row = query.get() as { monitorId: string; checkedAt: number } | undefined;
      if (row) return { ...row, seenAt: Date.now() };
      await sleep(10);
    }
  } finally {
    db.close();
  }
  throw new Error(`no result stored within ${FIRST_RESULT_TIMEOUT_MS} ms`);
}

async function measureStartup(
  context: ScenarioContext,
  target: LoopbackTarget,
  run: number,
  settleMs: number,
): Promise<StartupRun> {
  const dataDir = path.join(context.workDir, `footprint-${run}`);
  await seedMonitors(
    dataDir,
    Array.from({ length: MONITORS }, (_, i) => ({
      id: `bench-small-${run}-${i}`,
      type: 'http' as const,
      target: target.httpUrl(i),
      intervalMs: INTERVAL_MS,
    })),
  );
  let daemon: DaemonProcess | undefined;
  try {
    daemon = await startDaemon(context.children, dataDir);
    const spawnedAt = daemon.child.spawnedAt;
    const first = await firstStoredResult(dataDir, spawnedAt + FIRST_RESULT_TIMEOUT_MS);
    const slot = lastRunAtOrBefore(
      first.checkedAt,
      INTERVAL_MS,
      phaseOffset(first.monitorId, INTERVAL_MS),
    );
    await sleep(settleMs);
    const before = sampleProcess(daemon.child.pid);
    await sleep(2_000);
    const after = sampleProcess(daemon.child.pid);
    return {
      readyMs: daemon.readyAfterMs,
      firstCheckStartedMs: first.checkedAt - spawnedAt,
      firstResultVisibleMs: first.seenAt - spawnedAt,
      firstSlotMs: slot - spawnedAt,
      idleRssMb: Math.round((after?.rssBytes ?? 0) / 2 ** 20),
      idleCpuPercent:
        before && after
          ? Math.round(((after.cpuMs - before.cpuMs) / (after.at - before.at)) * 1000) / 10
          : 0,
    };
  } finally {
    if (daemon) await context.children.stop(daemon.child);
  }
}

export const footprint: Scenario = {
  name: 'footprint',
  description: 'real daemon with 100 monitors: startup to first check, idle RSS',
  async run(context) {
    const repetitions = context.quick ? 2 : 5;
    const settleMs = context.quick ? 2_000 : 8_000;
    const target = await startLoopbackTarget(
      context.children,
      path.join(context.workDir, 'target.log'),
    );
    const runs: StartupRun[] = [];
    try {
      for (let run = 0; run < repetitions; run++)
        runs.push(await measureStartup(context, target, run, settleMs));
    } finally {
      await context.children.stop(target.child);
    }
    const summary = {
      readyMs: median(runs.map((r) => r.readyMs)),
      firstCheckStartedMs: median(runs.map((r) => r.firstCheckStartedMs)),
      firstResultVisibleMs: median(runs.map((r) => r.firstResultVisibleMs)),
      idleRssMb: median(runs.map((r) => r.idleRssMb)),
    };
    printTable(
      `footprint: ${MONITORS} http monitors every ${INTERVAL_MS / 1000} s (ms from spawn)`,
      ['run', 'API ready', 'first slot', 'first check', 'first result', 'idle RSS MB', 'idle cpu'],
      [
        ...runs.map((r, i) => [
          `#${i + 1}`,
          r.readyMs,
          r.firstSlotMs,
          r.firstCheckStartedMs,
          r.firstResultVisibleMs,
          r.idleRssMb,
          `${r.idleCpuPercent} %`,
        ]),
        [
          'median',
          summary.readyMs,
          '',
          summary.firstCheckStartedMs,
          summary.firstResultVisibleMs,
          summary.idleRssMb,
          '',
        ],
      ],
    );
    return {
      figures: { monitors: MONITORS, intervalMs: INTERVAL_MS, settleMs, runs, median: summary },
      targets: [
        {
          target: 'idle RSS, 100 monitors',
          goal: '< 80 MB',
          measured: `${summary.idleRssMb} MB (median)`,
          pass: summary.idleRssMb < 80,
        },
        {
          target: 'startup to first check (result visible)',
          goal: '< 1.5 s',
          measured: `${(summary.firstResultVisibleMs / 1000).toFixed(2)} s (median)`,
          pass: summary.firstResultVisibleMs < 1_500,
        },
      ],
    };
  },
};
