/**
 * Status page under load: a real daemon with N HTTP monitors checking a loopback target, and a
 * public status page showing 50 of them. A bounded open-loop client asks for the page at a
 * fixed rate (1,000 requests/s) for a bounded time; the scenario reports the rate achieved,
 * request latency, and the checks' schedule accuracy during the load against a window just
 * before it (the page is served from a model rebuilt at most every 10 s, so the checks should
 * not notice).
 */
import path from 'node:path';
import { Pool } from 'undici';
import { benchAuthHeaders, seedMonitors, startDaemon } from '../lib/daemon-process.ts';
import type { DaemonProcess } from '../lib/daemon-process.ts';
import { startLoopbackTarget } from '../lib/loopback-target.ts';
import type { Scenario } from '../lib/scenario.ts';
import { printTable } from '../lib/scenario.ts';
import type { ScheduleAccuracy } from '../lib/schedule-accuracy.ts';
import { scheduleAccuracy } from '../lib/schedule-accuracy.ts';
import type { Distribution } from '../lib/stats.ts';
import { distribution, round } from '../lib/stats.ts';
import { sleep } from '../lib/time-bounds.ts';

const RATE = 1_000;
const INTERVAL_MS = 10_000;
const PAGE_MONITORS = 50;
/** Requests in flight at most; past it a tick's requests are counted as not sent. */
const MAX_IN_FLIGHT = 256;
const CONNECTIONS = 32;
/** Results reach the database after the ingest flush; wait this long past a window. */
const STORE_SETTLE_MS = 2_500;

interface LoadFigures {
  durationMs: number;
  sent: number;
  ok: number;
  failed: number;
  /** Requests not sent because MAX_IN_FLIGHT were outstanding. */
  notSent: number;
  achievedPerSecond: number;
  latencyMs: Distribution;
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

/** Open loop: every millisecond tick sends what the rate owes, never more than the cap in flight. */
async function drive(url: URL, durationMs: number): Promise<LoadFigures> {
  const pool = new Pool(url.origin, { connections: CONNECTIONS, pipelining: 1 });
  const latencies: number[] = [];
  let sent = 0;
  let ok = 0;
  let failed = 0;
  let notSent = 0;
  let inFlight = 0;
  const pending = new Set<Promise<void>>();
  const start = performance.now();
  try {
    for (;;) {
      const elapsed = performance.now() - start;
      if (elapsed >= durationMs) break;
      const owed = Math.floor((elapsed / 1000) * RATE) - sent - notSent;
      for (let i = 0; i < owed; i++) {
        if (inFlight >= MAX_IN_FLIGHT) {
          notSent++;
          continue;
        }
        sent++;
        inFlight++;
        const began = performance.now();
        const request = pool
          // As browsers ask for it: the page is served gzipped from memory.
          .request({ path: url.pathname, method: 'GET', headers: { 'accept-encoding': 'gzip' } })
          .then(async (response) => {
            await response.body.dump();
            if (response.statusCode === 200) ok++;
            else failed++;
            latencies.push(performance.now() - began);
          })
          .catch(() => void failed++)
          .finally(() => {
            inFlight--;
            pending.delete(request);
          });
        pending.add(request);
      }
      await sleep(1);
    }
    await Promise.race([Promise.all(pending), sleep(10_000)]);
  } finally {
    await pool.close();
  }
  const durationMsActual = performance.now() - start;
  return {
    durationMs: round(durationMsActual),
    sent,
    ok,
    failed,
    notSent,
    achievedPerSecond: round((ok / durationMs) * 1000, 1),
    latencyMs: distribution(latencies),
  };
}

export const statusPageLoad: Scenario = {
  name: 'status-page-load',
  description: `real daemon: ${RATE} status-page requests/s, latency, checks' accuracy before vs during`,
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
      daemon = await startDaemon(context.children, dataDir);
      await createPage(daemon, ids.slice(0, PAGE_MONITORS));
      // Let every monitor run at least once before the quiet window.
      await sleep(INTERVAL_MS + 1_000);
      const quietFrom = Date.now();
      await sleep(windowMs);
      const loadFrom = Date.now();
      const load = await drive(new URL(`${daemon.apiUrl}/status/bench`), windowMs);
      const loadTo = loadFrom + windowMs;
      await sleep(STORE_SETTLE_MS);
      const before: ScheduleAccuracy = scheduleAccuracy(dataDir, quietFrom, loadFrom);
      const during: ScheduleAccuracy = scheduleAccuracy(dataDir, loadFrom, loadTo);
      printTable(
        `status-page-load: ${monitors} http monitors every ${INTERVAL_MS / 1000} s, page of ${PAGE_MONITORS}`,
        [
          'window',
          'req/s',
          'p50 ms',
          'p99 ms',
          'failed',
          'not sent',
          'checks %',
          'lag p50',
          'lag p99',
        ],
        [
          [
            'before',
            '-',
            '-',
            '-',
            '-',
            '-',
            before.achievedPercent,
            before.lagMs.p50,
            before.lagMs.p99,
          ],
          [
            'during',
            load.achievedPerSecond,
            load.latencyMs.p50,
            load.latencyMs.p99,
            load.failed,
            load.notSent,
            during.achievedPercent,
            during.lagMs.p50,
            during.lagMs.p99,
          ],
        ],
      );
      const checksUnaffected =
        during.achievedPercent >= 99 && during.lagMs.p99 <= before.lagMs.p99 + 100;
      return {
        figures: { monitors, intervalMs: INTERVAL_MS, rate: RATE, windowMs, load, before, during },
        targets: [
          {
            target: `status page at ${RATE} requests/s`,
            goal: `>= ${RATE * 0.95} req/s, none failed`,
            measured: `${load.achievedPerSecond} req/s, p99 ${load.latencyMs.p99} ms, ${load.failed} failed`,
            pass: load.achievedPerSecond >= RATE * 0.95 && load.failed === 0,
          },
          {
            target: 'checks unaffected by page load',
            goal: '>= 99 % of checks, lag p99 within +100 ms',
            measured: `${during.achievedPercent} % of checks, lag p99 ${during.lagMs.p99} ms (before ${before.lagMs.p99} ms)`,
            pass: checksUnaffected,
          },
        ],
      };
    } finally {
      if (daemon) await context.children.stop(daemon.child);
      await context.children.stop(target.child);
    }
  },
};
