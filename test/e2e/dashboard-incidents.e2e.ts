import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { launchBrowser, seriousA11yViolations } from '../helpers/browser.ts';
import type { BrowserSession, PageDocument } from '../helpers/browser.ts';
import {
  crosscheckJson,
  runCrosscheck,
  startDaemon,
  tempDataDir,
  waitFor,
} from '../helpers/cli.ts';
import type { DaemonProcess } from '../helpers/cli.ts';
import { startHttpServer } from '../helpers/http-servers.ts';
import type { TestServer } from '../helpers/http-servers.ts';
import { startWebhookReceiver } from '../helpers/webhook-receiver.ts';
import type { WebhookReceiver } from '../helpers/webhook-receiver.ts';

/** The page's document, inside `page.evaluate` callbacks. */
declare const document: PageDocument;

// The monitor page and the incident pages in Debian's Chromium against a real daemon: the
// latency chart, uptime and node views, pause/resume and probe now; a target going down shows
// up on /incidents without a reload, its page explains the verdict, lists the evidence and the
// webhook sent, and an admin acknowledges it; a viewer sees none of the buttons.

const PASSWORD = 'correct horse battery';

describe('dashboard monitor and incident pages in Chromium', { timeout: 120_000 }, () => {
  let dataDir: string;
  let daemon: DaemonProcess | undefined;
  let target: TestServer;
  let receiver: WebhookReceiver;
  let browser: BrowserSession;
  let monitorId = '';
  let targetUp = true;
  const env = () => ({ CROSSCHECK_DATA_DIR: dataDir });

  before(async () => {
    dataDir = tempDataDir();
    target = await startHttpServer((_req, res) => {
      res.statusCode = targetUp ? 200 : 503;
      res.end(targetUp ? 'ok' : 'down');
    });
    receiver = await startWebhookReceiver();
    daemon = await startDaemon(dataDir);
    const passwordFile = path.join(dataDir, 'password.txt');
    fs.writeFileSync(passwordFile, `${PASSWORD}\n`, { mode: 0o600 });
    const addUsers = async (): Promise<void> => {
      for (const args of [
        ['user', 'create-admin', '--name', 'admin', '--password-file', passwordFile],
        ['user', 'add', '--name', 'viewer1', '--role', 'viewer', '--password-file', passwordFile],
      ]) {
        const run = await runCrosscheck(args, env());
        assert.equal(run.code, 0, run.stderr);
      }
    };
    // Independent steps run side by side: each CLI run is a Node start.
    const [, monitor, launched] = await Promise.all([
      addUsers(),
      crosscheckJson<{ id: string }>(
        [
          'monitor',
          'add',
          '--name',
          'Shop',
          '--type',
          'http',
          '--target',
          target.origin,
          '--interval',
          '1s',
          '--timeout',
          '500ms',
          '--group',
          'web',
          '--webhook',
          receiver.url,
        ],
        env(),
      ),
      launchBrowser(),
    ]);
    monitorId = monitor.id;
    browser = launched;
  });

  after(async () => {
    await browser?.close();
    await daemon?.stop('SIGKILL');
    await receiver?.close();
    await target?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  function apiUrl(): string {
    assert.ok(daemon);
    return daemon.apiUrl;
  }

  async function signIn(page: Page, name: string, to: string): Promise<void> {
    await page.goto(`${apiUrl()}${to}`);
    await page.getByLabel('User name').fill(name);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }

  async function noHorizontalScroll(page: Page): Promise<void> {
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow}px`);
  }

  it('shows the chart, uptime and node views; pauses, resumes and probes', async () => {
    const { page, errors } = await browser.open();
    await signIn(page, 'admin', `/monitors/${monitorId}`);
    await page.getByRole('heading', { name: 'Shop', level: 1 }).waitFor();
    await page.locator('.chart-host canvas').first().waitFor({ timeout: 15_000 });
    assert.ok(Number(await page.locator('.chart-host').getAttribute('data-series')) >= 1);
    await page.locator('.latency-chart tbody th[scope="row"]').first().waitFor();
    await page.locator('.uptime-table tbody tr', { hasText: 'Overall' }).waitFor();
    assert.match((await page.locator('.uptime-table').textContent()) ?? '', /%/);
    await page.locator('.node-views tbody tr').first().waitFor();
    assert.match((await page.locator('.node-views').textContent()) ?? '', /up/);
    // New results arrive through the live stream: the newest row changes without a reload.
    const newest = page.locator('.results-table tbody tr').first();
    const firstId = await newest.getAttribute('data-result');
    await waitFor(
      async () => ((await newest.getAttribute('data-result')) !== firstId ? true : undefined),
      10_000,
      () => 'a newer result on the page',
    );
    await page.locator('.rounds-table, .rounds-table + *, #rounds-title').first().waitFor();
    // The per-region view and the wider range redraw the same chart.
    await page.getByLabel('Lines').selectOption('region');
    await page.getByLabel('Range').selectOption('24h');
    await page.locator('.chart-host canvas').first().waitFor();
    assert.deepEqual(await seriousA11yViolations(page), []);

    await page.getByRole('button', { name: 'Pause' }).click();
    await page.getByRole('button', { name: 'Resume' }).waitFor();
    await page.locator('.monitor-facts .state-paused').waitFor();
    await page.getByRole('button', { name: 'Resume' }).click();
    await page.getByRole('button', { name: 'Pause' }).waitFor();

    // Probe now asks the daemon by id (the stored settings), not with the page's masked copy.
    const probed = page.waitForResponse(
      (response) =>
        response.url().endsWith(`/api/v1/monitors/${monitorId}/probe`) &&
        response.request().method() === 'POST',
    );
    await page.getByRole('button', { name: 'Probe now' }).click();
    assert.equal((await probed).status(), 200);
    await page.locator('.probe-answers tbody tr').first().waitFor({ timeout: 15_000 });
    assert.ok((await page.locator('.probe-answers tr[data-probe-node]').count()) >= 1);
    assert.match((await page.locator('.probe-answers h2').textContent()) ?? '', /Probe: /);
    assert.match((await page.locator('.probe-answers tbody').textContent()) ?? '', /ok/);
    assert.deepEqual(errors, []);
  });

  it('shows a new incident live, explains it, lists the alert sent, and acknowledges it', async () => {
    const { page, errors } = await browser.open();
    await signIn(page, 'admin', '/incidents');
    await page.getByRole('heading', { name: 'Incidents', level: 1 }).waitFor();
    await page.getByText('No incidents.').waitFor();

    targetUp = false;
    // No reload: the row arrives through the live event stream.
    const row = page.locator('tr[data-incident]').first();
    await row.waitFor({ timeout: 30_000 });
    assert.match((await row.textContent()) ?? '', /Shop.*open.*down for everyone/);
    assert.deepEqual(await seriousA11yViolations(page), []);

    await row.getByRole('link', { name: 'Shop' }).click();
    await page.getByRole('heading', { name: 'Incident: Shop' }).waitFor();
    await page.locator('.explain-summary').waitFor();
    assert.ok((await page.locator('.evidence-table tbody tr').count()) >= 1);
    assert.match((await page.locator('.evidence-table').textContent()) ?? '', /down/);
    await page.locator('tr[data-alert-status="sent"]').first().waitFor({ timeout: 20_000 });
    assert.ok(receiver.requests.length >= 1);
    assert.deepEqual(await seriousA11yViolations(page), []);

    await page.getByLabel('Note (optional)').fill('looking at it');
    await page.getByRole('button', { name: 'Acknowledge' }).click();
    await page.locator('.acknowledged', { hasText: 'admin' }).waitFor();
    assert.match((await page.locator('.acknowledged').textContent()) ?? '', /looking at it/);
    assert.equal(await page.getByRole('button', { name: 'Acknowledge' }).count(), 0);

    // A second person (another browser context) watches the same incident and the timeline.
    const incidentUrl = page.url();
    const watcher = await browser.open();
    await signIn(watcher.page, 'admin', new URL(incidentUrl).pathname);
    await watcher.page.getByRole('heading', { name: 'Incident: Shop' }).waitFor();
    await watcher.page.getByText('No updates or notes yet.').waitFor();
    const timeline = await browser.open();
    await signIn(timeline.page, 'admin', '/incidents');
    const timelineRow = timeline.page.locator('tr[data-incident]').first();
    await timelineRow.waitFor();
    assert.doesNotMatch((await timelineRow.textContent()) ?? '', /answers 503/);

    // A public update for status pages, then an internal note.
    await page.getByLabel('Status', { exact: true }).selectOption('identified');
    await page.getByLabel('Message').fill('The shop backend answers 503.');
    await page.getByRole('button', { name: 'Post update' }).click();
    await page.locator('li[data-update="public"]', { hasText: 'answers 503' }).waitFor();
    // No reload on either: the update arrives through the live event stream.
    await watcher.page
      .locator('li[data-update="public"]', { hasText: 'answers 503' })
      .waitFor({ timeout: 10_000 });
    await timelineRow
      .locator('.latest-update', { hasText: /identified.*answers 503/ })
      .waitFor({ timeout: 10_000 });
    assert.deepEqual(watcher.errors, []);
    assert.deepEqual(timeline.errors, []);
    await page.getByRole('checkbox', { name: /Public/ }).uncheck();
    await page.getByLabel('Message').fill('Paged the shop team.');
    await page.getByRole('button', { name: 'Add note' }).click();
    await page.locator('li[data-update="note"]', { hasText: 'shop team' }).waitFor();
    assert.match(
      (await page.locator('li[data-update="public"]').textContent()) ?? '',
      /identified.*public update.*admin/,
    );
    assert.deepEqual(await seriousA11yViolations(page), []);
    assert.deepEqual(errors, []);
  });

  it('shows a viewer no edit buttons, and the API refuses them anyway; phones fit', async () => {
    const { page, errors } = await browser.open({ viewport: { width: 390, height: 844 } });
    await signIn(page, 'viewer1', `/monitors/${monitorId}`);
    await page.getByRole('heading', { name: 'Shop', level: 1 }).waitFor();
    await page.locator('.node-views tbody tr').first().waitFor();
    for (const name of ['Pause', 'Resume', 'Delete', 'Probe now', 'Edit'])
      assert.equal(await page.getByRole('button', { name, exact: true }).count(), 0, name);
    await noHorizontalScroll(page);
    assert.deepEqual(await seriousA11yViolations(page), []);
    const status = await page.evaluate(async (id) => {
      const response = await fetch(`/api/v1/monitors/${id}/pause`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-csrf-token': localStorage.getItem('crosscheck.csrf') ?? '',
        },
        body: '{}',
      });
      return response.status;
    }, monitorId);
    assert.equal(status, 403);

    await page.goto(`${apiUrl()}/incidents`);
    const link = page.locator('tr[data-incident] a').first();
    await link.waitFor();
    await noHorizontalScroll(page);
    await link.click();
    await page.locator('.acknowledged').waitFor();
    assert.equal(await page.getByRole('button', { name: 'Acknowledge' }).count(), 0);
    await page.locator('li[data-update="note"]').waitFor();
    assert.equal(await page.getByRole('button', { name: 'Post update' }).count(), 0);
    await noHorizontalScroll(page);
    assert.deepEqual(await seriousA11yViolations(page), []);
    // The refused pause above is the only error the console may show.
    assert.deepEqual(
      errors.filter((text) => !/status of 403/.test(text)),
      [],
    );
  });

  it('deletes the monitor after confirming, and goes back to the overview', async () => {
    const { page, errors } = await browser.open();
    await signIn(page, 'admin', `/monitors/${monitorId}`);
    await page.getByRole('heading', { name: 'Shop', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Delete' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete Shop?' });
    await dialog.waitFor();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    await page.getByRole('button', { name: 'Delete' }).click();
    await dialog.getByRole('button', { name: 'Delete monitor' }).click();
    await page.getByRole('heading', { name: 'Monitors', level: 1 }).waitFor();
    const gone = await page.evaluate(
      async (id) => (await fetch(`/api/v1/monitors/${id}`)).status,
      monitorId,
    );
    assert.equal(gone, 404);
    assert.deepEqual(
      errors.filter((text) => !/status of 404/.test(text)),
      [],
      'only the check that it is gone may fail',
    );
  });
});
