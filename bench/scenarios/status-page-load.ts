/**
 * Status page under load: a real daemon with N HTTP monitors checking a loopback target, and a
 * public status page showing 50 of them. An open-loop client in its own process
 * (`lib/open-loop-client.ts`) asks for the page at a fixed rate (1,000 requests/s, as a browser
 * asks: `Accept-Encoding: gzip, deflate, br`) for a bounded time, first on the API listener, then
 * on `--public-listen`; the scenario reports the rate achieved, request latency, and the checks'
 * schedule accuracy during each load against a quiet window just before (the page is served
 * from bytes prebuilt once per model rebuild, at most every 10 s, so the checks should not
 * notice).
 */
import net from 'node:net';
import path from 'node:path';
import type { BenchChild } from '../lib/child-processes.ts';
import { firstJsonLine } from '../lib/child-processes.ts';
import { benchAuthHeaders, seedMonitors, startDaemon } from '../lib/daemon-process.ts';
import type { DaemonProcess } from '../lib/daemon-process.ts';
import { startLoopbackTarget } from '../lib/loopback-target.ts';
import type { OpenLoopFigures } from '../lib/open-loop-client.ts';
import { cpuPercent, sampleProcess } from '../lib/proc-stats.ts';
import type { ScenarioContext, TargetResult } from '../lib/scenario.ts';
import type { Scenario } from '../lib/scenario.ts';
import { printTable, verdict } from '../lib/scenario.ts';
import type { ScheduleAccuracy } from '../lib/schedule-accuracy.ts';
import { scheduleAccuracy } from '../lib/schedule-accuracy.ts';
import { round } from '../lib/stats.ts';
import { sleep } from '../lib/time-bounds.ts';

const RATE = 1_000;
const INTERVAL_MS = 10_000;
const PAGE_MONITORS = 50;
/** Requests in flight at most; past it a tick's requests are counted as not sent. */
const MAX_IN_FLIGHT = 256;
const CONNECTIONS = 32;
/** Results reach the database after the ingest flush; wait this long past a window. */
const STORE_SETTLE_MS = 2_500;
/** Between two loads, so one's tail does not fall into the next window. */
const GAP_MS = 2_000;
/** "Checks unaffected": this share of the expected checks at least, and lag p99 within the margin. */
const MIN_CHECKS_PERCENT = 99;
const LAG_P99_MARGIN_MS = 100;
const CLIENT = path.join(import.meta.dirname, '..', 'lib', 'open-loop-client.ts');

/** One load window on one listener. */
interface LoadWindow {
  listener: 'api' | 'public';
  from: number;
  to: number;
  load: OpenLoopFigures;
  daemonCpuPercent: number;
}

async function createPage(daemon: DaemonProcess, monitorIds: string[]): Promise<void> {
  const response = await fetch(`${daemon.apiUrl}/api/v1/status-pages`, {
    method: 'POST',
    headers: { ...benchAuthHeaders(daemon.dataDir), 'content-type': 'application/json' },
    body: JSON.stringify({
      slug: 'bench',
      title: 'Bench status',
      groups: [{ name: 'Services', monitorIds }],
      showRegions: true,
    }),
  });
  if (response.status !== 201) throw new Error(`page not created: ${await response.text()}`);
}

/** A port free right now on loopback, for `--public-listen` (the bench owns the machine's ports it asks for). */
async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (typeof address !== 'object' || address === null) throw new Error('no port');
  return address.port;
}

/** Runs the open-loop client against `url` for `windowMs`, sampling the daemon's CPU. */
async function loadWindow(
  context: ScenarioContext,
  daemon: DaemonProcess,
  listener: LoadWindow['listener'],
  url: string,
  windowMs: number,
): Promise<LoadWindow> {
  const before = sampleProcess(daemon.child.pid);
  const from = Date.now();
  const child: BenchChild = context.children.spawnNode({
    name: `open-loop-client-${listener}`,
    args: [
      CLIENT,
      '--url',
      url,
      '--rate',
      String(RATE),
      '--duration-ms',
      String(windowMs),
      '--connections',
      String(CONNECTIONS),
      '--max-in-flight',
      String(MAX_IN_FLIGHT),
    ],
    logFile: path.join(context.workDir, `open-loop-client-${listener}.log`),
    readStdout: true,
  });
  try {
    // The client's start (Node boot, ~0.3 s) falls inside the window; it measures its own span.
    const load = await firstJsonLine<OpenLoopFigures>(child, windowMs + 30_000);
    const after = sampleProcess(daemon.child.pid);
    const daemonCpuPercent =
      before !== undefined && after !== undefined ? round(cpuPercent(before, after), 1) : -1;
    return { listener, from, to: Date.now(), load, daemonCpuPercent };
  } finally {
    await context.children.stop(child);
  }
}

function rateTarget(window: LoadWindow): TargetResult {
  const { load } = window;
  return {
    target: `status page at ${RATE} requests/s (${window.listener} listener)`,
    goal: `>= ${RATE * 0.95} req/s, none failed`,
    measured: `${load.achievedPerSecond} req/s, p50 ${load.latencyMs.p50} ms, p99 ${load.latencyMs.p99} ms, ${load.failed} failed, ${load.notSent} not sent`,
    pass: load.achievedPerSecond >= RATE * 0.95 && load.failed === 0,
  };
}

function checksTarget(
  listener: LoadWindow['listener'],
  before: ScheduleAccuracy,
  during: ScheduleAccuracy,
): TargetResult {
  return {
    target: `checks unaffected by page load (${listener} listener)`,
    goal: `>= ${MIN_CHECKS_PERCENT} % of checks, lag p99 within +${LAG_P99_MARGIN_MS} ms of quiet`,
    measured: `${during.achievedPercent} % of checks, lag p99 ${during.lagMs.p99} ms (quiet ${before.lagMs.p99} ms)`,
    pass:
      during.achievedPercent >= MIN_CHECKS_PERCENT &&
      during.lagMs.p99 <= before.lagMs.p99 + LAG_P99_MARGIN_MS,
  };
}

export const statusPageLoad: Scenario = {
  name: 'status-page-load',
  description: `real daemon: ${RATE} status-page requests/s on the API and public listeners, latency, checks' accuracy vs quiet`,
  async run(context) {
    const monitors = context.quick ? 200 : 1_000;
    const windowMs = context.quick ? 5_000 : 10_000;
    const target = await startLoopbackTarget(
      context.children,
      path.join(context.workDir, 'target.log'),
    );
    const dataDir = path.join(context.workDir, 'daemon');
    const ids = Array.from({ length: monitors }, (_, i) => `bench-page-${i}`);
    await seedMonitors(
      dataDir,
      ids.map((id, i) => ({
        id,
        type: 'http' as const,
        target: target.httpUrl(i),
        intervalMs: INTERVAL_MS,
      })),
    );
    let daemon: DaemonProcess | undefined;
    try {
      const publicPort = await freePort();
      daemon = await startDaemon(context.children, dataDir, {
        extraArgs: ['--public-listen', `127.0.0.1:${publicPort}`],
      });
      await createPage(daemon, ids.slice(0, PAGE_MONITORS));
      // Let every monitor run at least once before the quiet window.
      await sleep(INTERVAL_MS + 1_000);
      const quietFrom = Date.now();
      await sleep(windowMs);
      const quietTo = Date.now();
      const windows: LoadWindow[] = [];
      for (const [listener, base] of [
        ['api', daemon.apiUrl],
        ['public', `http://127.0.0.1:${publicPort}`],
      ] as const) {
        if (windows.length > 0) await sleep(GAP_MS);
        windows.push(await loadWindow(context, daemon, listener, `${base}/status/bench`, windowMs));
      }
      await sleep(STORE_SETTLE_MS);
      const quiet = scheduleAccuracy(dataDir, quietFrom, quietTo);
      const during = windows.map((w) => scheduleAccuracy(dataDir, w.from, w.to));
      printTable(
        `status-page-load: ${monitors} http monitors every ${INTERVAL_MS / 1000} s, page of ${PAGE_MONITORS}, ${RATE} req/s for ${windowMs / 1000} s`,
        [
          'window',
          'req/s',
          'p50 ms',
          'p99 ms',
          'failed',
          'not sent',
          'daemon cpu %',
          'client cpu %',
          'checks %',
          'lag p50',
          'lag p99',
        ],
        [
          [
            'quiet',
            '-',
            '-',
            '-',
            '-',
            '-',
            '-',
            '-',
            quiet.achievedPercent,
            quiet.lagMs.p50,
            quiet.lagMs.p99,
          ],
          ...windows.map((w, i) => [
            `${w.listener} listener`,
            w.load.achievedPerSecond,
            w.load.latencyMs.p50,
            w.load.latencyMs.p99,
            w.load.failed,
            w.load.notSent,
            w.daemonCpuPercent,
            w.load.clientCpuPercent,
            during[i]?.achievedPercent ?? '-',
            during[i]?.lagMs.p50 ?? '-',
            during[i]?.lagMs.p99 ?? '-',
          ]),
        ],
      );
      const targets = windows.flatMap((w, i) => {
        const accuracy = during[i];
        return accuracy === undefined
          ? [rateTarget(w)]
          : [rateTarget(w), checksTarget(w.listener, quiet, accuracy)];
      });
      for (const t of targets) console.log(`${verdict(t.pass)}  ${t.target}: ${t.measured}`);
      return {
        figures: {
          monitors,
          intervalMs: INTERVAL_MS,
          rate: RATE,
          windowMs,
          quiet,
          windows: windows.map((w, i) => ({ ...w, accuracy: during[i] })),
        },
        targets,
      };
    } finally {
      if (daemon) await context.children.stop(daemon.child);
      await context.children.stop(target.child);
    }
  },
};
