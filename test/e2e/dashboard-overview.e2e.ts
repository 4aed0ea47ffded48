import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { launchBrowser, seriousA11yViolations } from '../helpers/browser.ts';
import type { BrowserSession } from '../helpers/browser.ts';
import { startDaemon, tempDataDir } from '../helpers/cli.ts';
import type { DaemonProcess } from '../helpers/cli.ts';
import { startHttpServer } from '../helpers/http-servers.ts';
import type { TestServer } from '../helpers/http-servers.ts';
import { localAuthHeaders } from '../helpers/local-api.ts';

// The overview in Debian's Chromium against a real daemon: 30 monitors over two loopback
// targets, search, state filter, sort and a reload keeping the view (all in the URL), a row
// going down and a new monitor going up without a reload (live events), the phone layout, and
// a viewer seeing no Add button.

const ADMIN = { name: 'admin', password: 'correct horse battery' };
const VIEWER = { name: 'watcher', password: 'viewer password 1' };

describe('dashboard overview in Chromium', { timeout: 150_000 }, () => {
  let dataDir: string;
  let daemon: DaemonProcess | undefined;
  let steady: TestServer;
  let flaky: TestServer;
  let flakyUp = true;
  let browser: BrowserSession;

  async function call<T>(method: string, route: string, body?: unknown): Promise<T> {
    assert.ok(daemon);
    const response = await fetch(`${daemon.apiUrl}${route}`, {
      method,
      headers: { ...localAuthHeaders(dataDir), 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    assert.ok(response.ok, `${method} ${route}: ${response.status} ${text}`);
    return JSON.parse(text) as T;
  }

  function monitor(name: string, target: string, group: string, tags: string[]) {
    return {
      op: 'create',
      monitor: {
        name,
        type: 'http',
        target,
        group,
        tags,
        intervalMs: 1_000,
        failureThreshold: 1,
        recoveryThreshold: 1,
      },
    };
  }

  before(async () => {
    dataDir = tempDataDir();
    steady = await startHttpServer((_req, res) => res.end('ok'));
    flaky = await startHttpServer((_req, res) => {
      res.statusCode = flakyUp ? 200 : 503;
      res.end(flakyUp ? 'ok' : 'down');
    });
    daemon = await startDaemon(dataDir);
    const setupToken = fs.readFileSync(path.join(dataDir, 'setup-token'), 'utf8').trim();
    await call('POST', '/api/v1/auth/setup', { setupToken, ...ADMIN });
    await call('POST', '/api/v1/users', { ...VIEWER, role: 'viewer' });
    const items = [
      ...Array.from({ length: 14 }, (_, i) =>
        monitor(`api-${String(i).padStart(2, '0')}`, steady.origin, 'api', ['prod']),
      ),
      ...Array.from({ length: 15 }, (_, i) =>
        monitor(`web-${String(i).padStart(2, '0')}`, steady.origin, 'web', ['edge', 'prod']),
      ),
      monitor('checkout', `${flaky.origin}/pay`, 'web', ['edge']),
    ];
    await call('POST', '/api/v1/monitors/bulk', { items });
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await daemon?.stop('SIGKILL');
    await steady?.close();
    await flaky?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  async function signIn(page: Page, who: { name: string; password: string }): Promise<void> {
    assert.ok(daemon);
    await page.goto(daemon.apiUrl);
    await page.getByLabel('User name').fill(who.name);
    await page.getByLabel('Password').fill(who.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Monitors' }).waitFor();
  }

  const row = (page: Page, name: string) => page.locator(`.overview-row[data-monitor="${name}"]`);

  it('lists, searches, filters, sorts and keeps the view in the URL', async () => {
    const { page, errors } = await browser.open();
    await signIn(page, ADMIN);
    await row(page, 'api-00').waitFor();
    await page.getByText('30 monitors').waitFor();
    // Every row is up once its first checks are in (state chips come from the server's counts).
    await page.getByRole('button', { name: /^up 30$/ }).waitFor({ timeout: 20_000 });
    const strip = row(page, 'api-00').locator('.uptime-bars');
    await strip.locator('path').first().waitFor({ state: 'attached' });
    assert.equal(await strip.getAttribute('data-days'), '90');
    // Pointing at the last bar names today in the strip's title.
    const box = await strip.boundingBox();
    assert.ok(box);
    await page.mouse.move(box.x + box.width - 1, box.y + box.height / 2);
    const today = new Date().toISOString().slice(0, 10);
    assert.match((await strip.locator('title').textContent()) ?? '', new RegExp(`^${today}: `));
    assert.deepEqual(await seriousA11yViolations(page), []);

    // `/` focuses the search box; typing filters on the server.
    await page.locator('body').press('/');
    await page.locator('#overview-search:focus').waitFor();
    // On a slow machine the URL's echo of an earlier keystroke lands after later ones; it must
    // not overwrite them. Throttling the CPU and typing just slower than the debounce makes
    // every echo cross a keystroke (before the fix, the box ended as "we-0").
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 10 });
    await page.keyboard.type('web-0', { delay: 55 });
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
    await page.getByText('10 monitors').waitFor();
    assert.equal(await page.getByLabel('Search').inputValue(), 'web-0');
    assert.equal(await row(page, 'api-00').count(), 0);
    assert.match(page.url(), /q=web-0/);

    // Group filter and descending sort; the first row is the last by name.
    await page.getByLabel('Search').fill('');
    await page.getByLabel('Group').selectOption('web');
    await page.getByText('16 monitors').waitFor();
    await page.getByRole('button', { name: '↑ Ascending' }).click();
    await page.waitForURL(/dir=desc/);
    await page.locator('[data-index="0"] .overview-row[data-monitor="web-14"]').waitFor();

    // The view survives a reload.
    await page.reload();
    await page.locator('[data-index="0"] .overview-row[data-monitor="web-14"]').waitFor();
    assert.equal(await page.getByLabel('Group').inputValue(), 'web');

    // Keyboard: arrows move between rows, Enter opens the monitor.
    await page.locator('[data-index="0"] a').focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('j');
    await page.locator('[data-index="2"] a:focus').waitFor();
    assert.deepEqual(errors, []);
  });

  it('turns a row down and a new monitor up without a reload', async () => {
    const { page, errors } = await browser.open();
    await signIn(page, ADMIN);
    await row(page, 'checkout').waitFor();
    await page.locator('.overview-row[data-monitor="checkout"][data-state="up"]').waitFor();
    // A mark in the page's globals survives only if the page is never loaded again.
    await page.evaluate('globalThis.sameDocument = true');

    flakyUp = false;
    await row(page, 'checkout').locator('.state-down').waitFor({ timeout: 30_000 });

    // The state chip filters to the down monitor only.
    await page.getByRole('button', { name: /^down 1$/ }).click();
    await page.getByText('1 monitor', { exact: true }).waitFor();
    assert.equal(await row(page, 'api-00').count(), 0);
    // A pressed chip says so in its name (✓), not by colour alone.
    await page.getByRole('button', { name: /^✓ down 1$/ }).click();

    await call('POST', '/api/v1/monitors', {
      name: 'aaa-new',
      type: 'http',
      target: steady.origin,
      intervalMs: 1_000,
    });
    await row(page, 'aaa-new').waitFor({ timeout: 15_000 });
    await row(page, 'aaa-new').locator('.state-up').waitFor({ timeout: 20_000 });
    assert.equal(await page.evaluate('globalThis.sameDocument'), true, 'no page load happened');
    flakyUp = true;
    assert.deepEqual(
      errors.filter((text) => !/ERR_NETWORK_CHANGED|EventSource/.test(text)),
      [],
    );
  });

  it('stacks rows on a phone and hides Add from a viewer', async () => {
    const { page, errors } = await browser.open({ viewport: { width: 390, height: 844 } });
    await signIn(page, VIEWER);
    await row(page, 'api-00').waitFor();
    assert.equal(await page.getByRole('link', { name: 'Add monitor' }).count(), 0);
    const overflow = Number(
      await page.evaluate(
        'document.documentElement.scrollWidth - document.documentElement.clientWidth',
      ),
    );
    assert.ok(overflow <= 0, `page scrolls sideways by ${overflow}px`);
    assert.deepEqual(await seriousA11yViolations(page), []);

    const admin = await browser.open();
    await signIn(admin.page, ADMIN);
    await admin.page.getByRole('link', { name: 'Add monitor' }).waitFor();
    assert.deepEqual(errors, []);
    assert.deepEqual(admin.errors, []);
  });
});
