/**
 * Browser benchmark of the dashboard overview at 10,000 monitors (issue 13, "Fast at scale"):
 * a real daemon with the monitors seeded (checks against a loopback target at a long interval,
 * so the machine is not saturated), Debian's Chromium through playwright-core, and in-page
 * timings of the first interactive rows and of each action, next to what users report from
 * other monitors. Also the server's CPU and bytes for one overview call.
 */
import fs from 'node:fs';
import path from 'node:path';
import { chromiumAvailable, launchBrowser } from '../../test/helpers/browser.ts';
import { benchAuthHeaders, seedMonitors, startDaemon } from '../lib/daemon-process.ts';
import type { MonitorSeed } from '../lib/daemon-process.ts';
import {
  armRowState,
  timeOpenMonitor,
  timeScrollTo,
  timeSearch,
  timeSort,
  timeStateFilter,
  timeToInteractiveRows,
} from '../lib/dashboard-timings.ts';
import { startLoopbackTarget } from '../lib/loopback-target.ts';
import { seedHistory } from '../lib/monitor-history.ts';
import { sampleProcess } from '../lib/proc-stats.ts';
import type { Scenario, TargetResult } from '../lib/scenario.ts';
import { printTable } from '../lib/scenario.ts';
import { median, round } from '../lib/stats.ts';
import { sleep } from '../lib/time-bounds.ts';

const MONITORS = 10_000;
const ADMIN = { name: 'bench-admin', password: 'bench password 123' };
const INTERACTIVE_GOAL_MS = 1_000;
const ACTION_GOAL_MS = 200;
const SETTLE_MS = 15_000;
/** Monitors with a week of results and an incident: the first rows by name, whose pages are opened. */
const WITH_HISTORY = 10;
/** What users of other monitors report (issue 13), printed as context. */
const CONTEXT = [
  'Uptime Kuma: 45 s per action at 700 monitors, 50 s render at 1,855 (user reports)',
  'Gatus: status API 10-15 s past 300 endpoints (user reports)',
];

const idOf = (i: number): string => `m-${String(i).padStart(5, '0')}`;

async function apiCall(
  apiUrl: string,
  dataDir: string,
  method: string,
  route: string,
  body?: unknown,
): Promise<Response> {
  const response = await fetch(`${apiUrl}${route}`, {
    method,
    headers: { ...benchAuthHeaders(dataDir), 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!response.ok)
    throw new Error(`${method} ${route}: HTTP ${response.status} ${await response.text()}`);
  return response;
}

/** Server cost of one overview page (50 rows, the dashboard's page): wall ms, daemon CPU ms and bytes, median of n. */
async function overviewCallCost(apiUrl: string, dataDir: string, pid: number, calls: number) {
  const wall: number[] = [];
  const cpu: number[] = [];
  let bytes = 0;
  for (let i = 0; i < calls; i++) {
    const before = sampleProcess(pid);
    const start = performance.now();
    const response = await apiCall(
      apiUrl,
      dataDir,
      'GET',
      `/api/v1/overview?limit=50&offset=${(i * 50) % MONITORS}`,
    );
    bytes = (await response.arrayBuffer()).byteLength;
    wall.push(performance.now() - start);
    const after = sampleProcess(pid);
    if (before && after) cpu.push(after.cpuMs - before.cpuMs);
  }
  return { wallMs: round(median(wall), 1), cpuMs: round(median(cpu), 1), bytes };
}

function target(name: string, ms: number, goalMs: number): TargetResult {
  return {
    target: name,
    measured: `${round(ms, 0)} ms`,
    goal: `< ${goalMs} ms`,
    pass: ms < goalMs,
  };
}

export const dashboardScale: Scenario = {
  name: 'dashboard-scale',
  description:
    'dashboard overview in Chromium at 10,000 monitors: first rows interactive, search, filter, scroll, live row update, a monitor page opened',
  async run(context) {
    if (!chromiumAvailable())
      return { figures: {}, targets: [], skipped: { reason: 'no /usr/bin/chromium' } };
    const loads = context.quick ? 3 : 5;
    const loopback = await startLoopbackTarget(
      context.children,
      path.join(context.workDir, 'target.log'),
    );
    const dataDir = path.join(context.workDir, 'dashboard');
    const seeds: MonitorSeed[] = Array.from({ length: MONITORS }, (_, i) => ({
      id: idOf(i),
      type: 'http',
      target: loopback.httpUrl(i),
      // Long enough that 10,000 checks stay a light load while the browser is measured.
      intervalMs: 300_000,
    }));
    await seedMonitors(dataDir, seeds);
    const history = await seedHistory(
      dataDir,
      seeds.slice(0, WITH_HISTORY).map((s) => s.id),
    );
    const daemon = await startDaemon(context.children, dataDir, { timeoutMs: 120_000 });
    const setupToken = fs.readFileSync(path.join(dataDir, 'setup-token'), 'utf8').trim();
    await apiCall(daemon.apiUrl, dataDir, 'POST', '/api/v1/auth/setup', { setupToken, ...ADMIN });
    // The first round of 10,000 checks runs at start; measure once it has passed.
    await sleep(SETTLE_MS);

    const browser = await launchBrowser();
    try {
      const { page, errors } = await browser.open();
      await page.goto(daemon.apiUrl);
      await page.getByLabel('User name').fill(ADMIN.name);
      await page.getByLabel('Password').fill(ADMIN.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.locator('.overview-row a').first().waitFor();

      const interactive: number[] = [];
      for (let i = 0; i < loads; i++)
        interactive.push(await timeToInteractiveRows(page, daemon.apiUrl));
      const search = await timeSearch(page, idOf(4321), `bench ${idOf(4321)}`);
      await page.goto(daemon.apiUrl);
      await page.locator('.overview-row a').first().waitFor();
      const filter = await timeStateFilter(page);
      await page.goto(daemon.apiUrl);
      await page.locator('.overview-row a').first().waitFor();
      const sortByUptime = await timeSort(page, 'uptime');
      await page.goto(daemon.apiUrl);
      await page.locator('.overview-row a').first().waitFor();
      const scroll = await timeScrollTo(page, 5_000);

      // A row on screen is paused through the API; the page learns it from the event stream.
      const name =
        (await page.locator('[data-index="5000"] .overview-row').getAttribute('data-monitor')) ??
        '';
      await page.waitForTimeout(600); // the live subscription follows the rows after a short settle
      const paused = await armRowState(page, name, 'paused');
      const sentAt = await page.evaluate(() => performance.now());
      await apiCall(
        daemon.apiUrl,
        dataDir,
        'POST',
        `/api/v1/monitors/${name.replace('bench ', '')}/pause`,
        {},
      );
      const liveMs = (await paused()) - sentAt;

      // A monitor page opened from the overview (the first rows by name have a week of history).
      const opens: number[] = [];
      for (let i = 0; i < loads; i++) {
        await page.goto(daemon.apiUrl);
        await page.locator('.overview-row a').first().waitFor();
        opens.push(await timeOpenMonitor(page, i));
      }

      const server = await overviewCallCost(daemon.apiUrl, dataDir, daemon.child.pid, 20);
      const figures = {
        monitors: MONITORS,
        interactiveMs: interactive.map((ms) => round(ms, 0)),
        interactiveP50Ms: round(median(interactive), 0),
        searchMs: round(search, 0),
        filterMs: round(filter.ms, 0),
        filterState: filter.state,
        sortByUptimeMs: round(sortByUptime, 0),
        scrollTo5000Ms: round(scroll, 0),
        livePauseMs: round(liveMs, 0),
        openMonitorMs: opens.map((ms) => round(ms, 0)),
        openMonitorP50Ms: round(median(opens), 0),
        historyResults: history.results,
        overviewCall: server,
        consoleErrors: errors.length,
      };
      printTable(
        `dashboard overview in Chromium, ${MONITORS} monitors (in-page timings)`,
        ['measure', 'ms'],
        [
          [`first rows interactive (p50 of ${loads})`, figures.interactiveP50Ms],
          ['search typed -> rows updated', figures.searchMs],
          [`state filter (${filter.state}) -> rows updated`, figures.filterMs],
          ['sort by uptime -> rows updated', figures.sortByUptimeMs],
          ['scroll to row 5,000 -> row shown', figures.scrollTo5000Ms],
          ['pause via API -> row updated live', figures.livePauseMs],
          [`open a monitor page -> chart + uptime (p50 of ${loads})`, figures.openMonitorP50Ms],
          ['server: one overview call (50 rows), wall', server.wallMs],
          ['server: one overview call, daemon CPU', server.cpuMs],
        ],
      );
      console.log(`overview call: ${round(server.bytes / 1024, 1)} KiB for 50 rows`);
      for (const line of CONTEXT) console.log(`context: ${line}`);
      return {
        figures,
        targets: [
          target('overview interactive at 10k', figures.interactiveP50Ms, INTERACTIVE_GOAL_MS),
          target('search at 10k', figures.searchMs, ACTION_GOAL_MS),
          target('state filter at 10k', figures.filterMs, ACTION_GOAL_MS),
          target('sort by uptime at 10k', figures.sortByUptimeMs, ACTION_GOAL_MS),
          target('scroll to row 5,000 at 10k', figures.scrollTo5000Ms, ACTION_GOAL_MS),
          target('live row update at 10k', figures.livePauseMs, ACTION_GOAL_MS),
          target('open a monitor page at 10k', figures.openMonitorP50Ms, ACTION_GOAL_MS),
        ],
      };
    } finally {
      await browser.close();
      await context.children.stop(daemon.child);
      await context.children.stop(loopback.child);
    }
  },
};
