/**
 * Bulk create — N monitors created through the public interface of a real daemon.
 *
 * Each phase starts a fresh daemon whose data dir holds RUNNING http monitors at 1 s (seeded
 * before start), waits for them to settle, then creates N http monitors (N = 100,000; quick
 * 10,000) at a 1 h interval (so the new monitors add ~28 checks/s at 100k and the running
 * ones' schedule shows the cost of the creation itself, not of checking the new monitors):
 *   - `rest`: POST /api/v1/monitors/bulk in atomic batches of BATCH_SIZE, one after another;
 *   - `cli-bulk`: `crosscheck monitor bulk -f monitors.json` (the CLI sends the batches);
 *   - `apply`: `crosscheck apply -f monitors.yaml` of a generated config file;
 *   - `dry-run`: `crosscheck apply --dry-run -f monitors.yaml` (what `diff -f` runs): the same
 *     parse, validation and plan as `apply`, nothing written (not in the default set).
 * Meanwhile the bench asks for /api/v1/health and for one running monitor's status every 100 ms
 * and creates a (paused) monitor every second (latency p50/p99/max of each), and samples the
 * daemon's CPU and RSS and its event-loop delay (the longest block, `lib/loop-delay.ts`). After the phase the daemon is stopped (its results flushed) and
 * the running monitors' checks during the creation are compared with the grid.
 */
import BetterSqlite3 from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { MAX_BULK_ITEMS } from '../../src/services/monitors/monitor-bulk.ts';
import type { DaemonProcess } from '../lib/daemon-process.ts';
import { benchAuthHeaders, seedMonitors, startDaemon } from '../lib/daemon-process.ts';
import { createProbe, healthProbe, statusProbe } from '../lib/api-probes.ts';
import { runCli } from '../lib/loopback-cluster.ts';
import type { LoopbackTarget } from '../lib/loopback-target.ts';
import { startLoopbackTarget } from '../lib/loopback-target.ts';
import type { ProcessFigures } from '../lib/proc-stats.ts';
import { ProcessSampler } from '../lib/proc-stats.ts';
import type { Scenario, ScenarioContext } from '../lib/scenario.ts';
import { printTable } from '../lib/scenario.ts';
import type { ScheduleAccuracy } from '../lib/schedule-accuracy.ts';
import { scheduleAccuracy } from '../lib/schedule-accuracy.ts';
import type { Distribution } from '../lib/stats.ts';
import { distribution, round } from '../lib/stats.ts';
import { sleep } from '../lib/time-bounds.ts';
import { maxLoopDelayMs } from '../lib/loop-delay.ts';

const RUNNING = 100;
const RUNNING_INTERVAL_MS = 1_000;
const BULK_INTERVAL_MS = 3_600_000;
/** Items per REST call: the operation's cap, at most 5,000 (a body of about 0.7 MB). */
const BATCH_SIZE = Math.min(MAX_BULK_ITEMS, 5_000);
const SETTLE_MS = 5_000;
/** Kept running after the creation so the window's last checks finish before the stop. */
const TAIL_MS = 3_000;
const PHASE_TIMEOUT_MS = 15 * 60_000;
/** Names of the monitors the create probe makes during a phase. */
const PROBE_PREFIX = 'probe create';

type Driver = 'rest' | 'cli-bulk' | 'apply' | 'dry-run';

interface PhaseFigures {
  driver: Driver;
  monitors: number;
  seconds: number;
  monitorsPerSecond: number;
  daemon: ProcessFigures;
  /** Daemon CPU time over the creation: steadier than wall time on a shared machine. */
  daemonCpuSeconds: number;
  daemonCpuUsPerMonitor: number;
  healthMs: Distribution;
  /** One running monitor's status (`GET /api/v1/monitors/{id}/status`). */
  statusMs: Distribution;
  /** A single create (`POST /api/v1/monitors`), one a second. */
  createMs: Distribution;
  /** The daemon's longest event-loop block during the creation (ms), when it was sampled. */
  loopMaxMs: number | undefined;
  /** Health latency over the settle window before the creation (same machine load). */
  quietHealthMs: Distribution;
  running: ScheduleAccuracy;
  storedMonitors: number;
}

/** The create body of the i-th bulk monitor (what a client would send). */
function monitorBody(target: LoopbackTarget, i: number) {
  return {
    name: `bulk ${i}`,
    type: 'http',
    target: target.httpUrl(i),
    intervalMs: BULK_INTERVAL_MS,
    tags: ['bulk'],
  };
}

async function createOverRest(daemon: DaemonProcess, target: LoopbackTarget, count: number) {
  for (let start = 0; start < count; start += BATCH_SIZE) {
    const items = [];
    for (let i = start; i < Math.min(count, start + BATCH_SIZE); i++)
      items.push({ op: 'create', monitor: monitorBody(target, i) });
    const response = await fetch(`${daemon.apiUrl}/api/v1/monitors/bulk`, {
      method: 'POST',
      headers: { ...benchAuthHeaders(daemon.dataDir), 'content-type': 'application/json' },
      body: JSON.stringify({ items, atomic: true }),
      signal: AbortSignal.timeout(120_000),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`bulk: HTTP ${response.status} ${text.slice(0, 300)}`);
    const { written } = JSON.parse(text) as { written: number };
    if (written !== items.length) throw new Error(`bulk: ${written} of ${items.length} written`);
  }
}

/** A monitors file for `monitor bulk -f` (JSON) or a config file for `apply -f` (YAML). */
function writeInputFile(dir: string, driver: Driver, target: LoopbackTarget, count: number) {
  const bodies = Array.from({ length: count }, (_, i) => monitorBody(target, i));
  if (driver === 'cli-bulk') {
    const file = path.join(dir, 'monitors.json');
    fs.writeFileSync(file, JSON.stringify(bodies));
    return file;
  }
  const file = path.join(dir, 'monitors.yaml');
  const lines = ['version: 1', 'monitors:'];
  for (const b of bodies)
    lines.push(
      `  - name: ${b.name}`,
      `    type: ${b.type}`,
      `    target: ${b.target}`,
      `    intervalMs: ${b.intervalMs}`,
      `    tags: [bulk]`,
    );
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

async function create(
  context: ScenarioContext,
  daemon: DaemonProcess,
  target: LoopbackTarget,
  driver: Driver,
  count: number,
  inputFile: string | undefined,
): Promise<void> {
  if (driver === 'rest') return createOverRest(daemon, target, count);
  const file = inputFile ?? '';
  const args =
    driver === 'cli-bulk'
      ? ['--data-dir', daemon.dataDir, 'monitor', 'bulk', '-f', file]
      : [
          '--data-dir',
          daemon.dataDir,
          'apply',
          '-f',
          file,
          ...(driver === 'dry-run' ? ['--dry-run'] : []),
        ];
  await runCli(
    context.children,
    args,
    path.join(context.workDir, `${driver}-cli.log`),
    PHASE_TIMEOUT_MS,
  );
}

/** Monitors stored, but those the create probe made. */
function countMonitors(dataDir: string): number {
  const db = new BetterSqlite3(path.join(dataDir, 'crosscheck.db'), { readonly: true });
  try {
    const row = db
      .prepare(`select count(*) as n from monitors where name not like '${PROBE_PREFIX} %'`)
      .get() as { n: number };
    return row.n;
  } finally {
    db.close();
  }
}

async function runPhase(
  context: ScenarioContext,
  target: LoopbackTarget,
  driver: Driver,
  count: number,
): Promise<PhaseFigures> {
  const dataDir = path.join(context.workDir, `bulk-${driver}`);
  await seedMonitors(
    dataDir,
    Array.from({ length: RUNNING }, (_, i) => ({
      id: `bench-running-${i}`,
      type: 'http' as const,
      target: target.httpUrl(i),
      intervalMs: RUNNING_INTERVAL_MS,
    })),
  );
  // Generated before the daemon starts: writing the file is not part of the measurement.
  const inputFile =
    driver === 'rest' ? undefined : writeInputFile(context.workDir, driver, target, count);
  const loopDelayFile = path.join(context.workDir, `bulk-${driver}-loop-delay.txt`);
  const daemon = await startDaemon(context.children, dataDir, { loopDelayFile });
  try {
    const quietProbe = healthProbe(daemon);
    await sleep(SETTLE_MS);
    const quietLatencies = await quietProbe.stop();
    const probe = healthProbe(daemon);
    const status = statusProbe(daemon, 'bench-running-0');
    const creates = createProbe(daemon, PROBE_PREFIX, target.httpUrl(0));
    const sampler = new ProcessSampler(daemon.child.pid, 250);
    const from = Date.now();
    const started = performance.now();
    await create(context, daemon, target, driver, count, inputFile);
    const seconds = (performance.now() - started) / 1000;
    const to = Date.now();
    const figures = sampler.stop();
    const latencies = await probe.stop();
    const statusLatencies = await status.stop();
    const createLatencies = await creates.stop();
    await sleep(TAIL_MS);
    await context.children.stop(daemon.child);
    return {
      driver,
      monitors: count,
      seconds: round(seconds),
      monitorsPerSecond: Math.round(count / seconds),
      daemon: figures,
      daemonCpuSeconds: round((figures.cpuPercent / 100) * seconds, 1),
      daemonCpuUsPerMonitor: Math.round(((figures.cpuPercent / 100) * seconds * 1e6) / count),
      healthMs: distribution(latencies),
      statusMs: distribution(statusLatencies),
      createMs: distribution(createLatencies),
      // Intervals ending up to one sample after the creation: its last block lands there.
      loopMaxMs: maxLoopDelayMs(loopDelayFile, from, to + 500),
      quietHealthMs: distribution(quietLatencies),
      running: scheduleAccuracy(dataDir, from, to, (id) => id.startsWith('bench-running-')),
      storedMonitors: countMonitors(dataDir),
    };
  } finally {
    await context.children.stop(daemon.child);
  }
}

/** `p50/p99/max` in whole ms. */
function spread(d: Distribution): string {
  return `${round(d.p50, 0)}/${round(d.p99, 0)}/${round(d.max, 0)}`;
}

export const bulkCreate: Scenario = {
  name: 'bulk-create',
  description: '100,000 monitors through the bulk API, `monitor bulk -f` and `apply -f`',
  async run(context) {
    const count = context.sizes?.[0] ?? (context.quick ? 10_000 : 100_000);
    const drivers = (context.types ?? ['rest', 'cli-bulk', 'apply']) as Driver[];
    const target = await startLoopbackTarget(
      context.children,
      path.join(context.workDir, 'target.log'),
    );
    const phases: (PhaseFigures | { driver: Driver; failed: string })[] = [];
    try {
      for (const driver of drivers) {
        try {
          phases.push(await runPhase(context, target, driver, count));
        } catch (error) {
          phases.push({ driver, failed: String(error).slice(0, 400) });
        }
      }
    } finally {
      await context.children.stop(target.child);
    }
    printTable(
      `bulk-create: ${count} http monitors (batches of ${BATCH_SIZE} over REST), ${RUNNING} running at 1 s`,
      [
        'path',
        'seconds',
        'monitors/s',
        'daemon cpu',
        'cpu µs/monitor',
        'RSS max MB',
        'health p50/p99/max ms',
        'status p50/p99/max ms',
        'create p50/p99/max ms',
        'loop max ms',
        'quiet health p50/p99',
        'running achieved',
        'running lag p99/max ms',
        'stored',
      ],
      phases.map((p) =>
        'failed' in p
          ? [p.driver, 'failed', p.failed.slice(0, 80)]
          : [
              p.driver,
              p.seconds,
              p.monitorsPerSecond,
              `${p.daemon.cpuPercent} %`,
              p.daemonCpuUsPerMonitor,
              p.daemon.rssMaxMb,
              spread(p.healthMs),
              spread(p.statusMs),
              spread(p.createMs),
              p.loopMaxMs === undefined ? '—' : round(p.loopMaxMs, 0),
              `${round(p.quietHealthMs.p50, 0)}/${round(p.quietHealthMs.p99, 0)}`,
              `${p.running.achievedPercent} %`,
              `${p.running.lagMs.p99}/${p.running.lagMs.max}`,
              p.storedMonitors,
            ],
      ),
    );
    return {
      figures: { monitors: count, batchSize: BATCH_SIZE, running: RUNNING, phases },
      targets: phases.map((p) => {
        const goal = '< 60 s';
        if ('failed' in p)
          return {
            target: `bulk create ${count} (${p.driver})`,
            goal,
            measured: 'failed',
            pass: false,
          };
        return {
          target: `bulk create ${count} (${p.driver})`,
          goal,
          measured: `${p.seconds} s (${p.monitorsPerSecond}/s, health p99 ${round(p.healthMs.p99, 0)} ms, max ${round(p.healthMs.max, 0)} ms)`,
          // A dry run writes nothing: only the running monitors are stored after it.
          pass:
            count < 100_000
              ? null
              : p.seconds < 60 &&
                (p.driver === 'dry-run' ? p.storedMonitors === RUNNING : p.storedMonitors >= count),
        };
      }),
    };
  },
};
