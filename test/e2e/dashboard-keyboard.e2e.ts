import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { launchBrowser, seriousA11yViolations, tabThrough } from '../helpers/browser.ts';
import type { BrowserSession, WatchedPage } from '../helpers/browser.ts';
import { ADMIN, coordinatorWithAdmin, signIn } from '../helpers/dashboard-admin.ts';
import { startHttpServer } from '../helpers/http-servers.ts';
import type { TestServer } from '../helpers/http-servers.ts';
import { localApi } from '../helpers/local-api.ts';
import { loopbackCluster } from '../helpers/loopback-cluster.ts';

// The keyboard and accessibility pass over the main pages in Debian's Chromium: every page
// reached with Tab shows a focus ring on each stop, has no serious axe violation and logs no
// console error; the skip link, and a confirm dialog that holds focus, closes on Escape and
// gives focus back. The public status page is checked the same way.

describe('dashboard keyboard and accessibility in Chromium', { timeout: 180_000 }, () => {
  const cluster = loopbackCluster({ graceCount: 2 });
  let site: TestServer;
  let browser: BrowserSession;
  let base: string;
  let monitorId: string;
  let api: ReturnType<typeof localApi>;

  async function signedIn(): Promise<WatchedPage> {
    const watched = await browser.open();
    await watched.page.goto(base);
    await signIn(watched.page, ADMIN);
    return watched;
  }

  before(async () => {
    site = await startHttpServer((_req, res) => res.end('ok'));
    const coordinator = await coordinatorWithAdmin(cluster);
    base = coordinator.apiUrl;
    api = localApi(coordinator.dataDir, base);
    ({ id: monitorId } = await api.request<{ id: string }>('POST', '/api/v1/monitors', {
      name: 'kb-home',
      type: 'http',
      target: site.origin,
      group: 'web',
    }));
    await api.request('POST', '/api/v1/status-pages', {
      slug: 'kb',
      title: 'Keyboard status',
      groups: [{ name: 'Web', monitorIds: [monitorId] }],
    });
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await cluster.cleanup();
    await site?.close();
  });

  it('shows a focus ring at every Tab stop of the main pages, with no serious axe violation', async () => {
    const { page, errors } = await signedIn();
    const pages: [string, string][] = [
      ['/', 'Monitors'],
      [`/monitors/${monitorId}`, 'kb-home'],
      ['/incidents', 'Incidents'],
      ['/nodes', 'Nodes'],
      ['/monitors/new', 'New monitor'],
      [`/monitors/${monitorId}/edit`, 'Edit monitor'],
      ['/alerting', 'Alerting'],
      ['/maintenance', 'Maintenance'],
      ['/status-pages', 'Status pages'],
      ['/settings/users', 'Users'],
      ['/settings/tokens', 'API tokens'],
      ['/settings/account', 'Account'],
    ];
    for (const [route, heading] of pages) {
      await page.goto(`${base}${route}`);
      await page.getByRole('heading', { name: heading, level: 1 }).first().waitFor();
      const stops = await tabThrough(page);
      assert.ok(stops.length >= 5, `${route}: only ${stops.length} Tab stops`);
      assert.deepEqual(
        stops.filter((stop) => !stop.visibleFocus).map((stop) => stop.element),
        [],
        `${route}: focused without a visible ring`,
      );
      assert.deepEqual(await seriousA11yViolations(page), [], route);
    }
    assert.deepEqual(errors, []);
  });

  it('skips to the content, and a confirm dialog holds focus, closes on Escape and gives it back', async () => {
    const { page, errors } = await signedIn();
    await page.goto(`${base}/monitors/${monitorId}`);
    await page.getByRole('heading', { name: 'kb-home', level: 1 }).waitFor();
    await page.keyboard.press('Tab');
    assert.equal(
      await page.evaluate('document.activeElement.textContent.trim()'),
      'Skip to content',
    );
    await page.keyboard.press('Enter');
    assert.equal(new URL(page.url()).hash, '#main');

    const remove = page.getByRole('button', { name: 'Delete', exact: true });
    await remove.focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    const inDialog = 'Boolean(document.activeElement.closest("dialog[open]"))';
    assert.equal(await page.evaluate(inDialog), true, 'focus moves into the dialog');
    for (let i = 0; i < 4; i += 1) {
      await page.keyboard.press('Tab');
      const inside = await page.evaluate(`${inDialog} || document.activeElement === document.body`);
      assert.equal(inside, true, `Tab ${i + 1} stays in the dialog`);
    }
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    assert.equal(
      await page.evaluate('document.activeElement.textContent.trim()'),
      'Delete',
      'focus returns to the button that opened the dialog',
    );
    await page.getByRole('heading', { name: 'kb-home', level: 1 }).waitFor();
    assert.deepEqual(errors, []);
  });

  it('serves a public status page a keyboard and a screen reader can use', async () => {
    const { page, errors } = await browser.open();
    await page.goto(`${base}/status/kb`);
    await page.getByRole('heading', { name: 'Keyboard status' }).waitFor();
    const stops = await tabThrough(page);
    assert.deepEqual(
      stops.filter((stop) => !stop.visibleFocus).map((stop) => stop.element),
      [],
    );
    const violations = () => seriousA11yViolations(page);
    assert.deepEqual(await violations(), []);
    await page.emulateMedia({ colorScheme: 'dark' });
    assert.deepEqual(await violations(), [], 'dark');
    assert.deepEqual(errors, []);
  });

  it('keeps an open status page current without reloading it', async () => {
    const { page, errors } = await browser.open();
    // The page's script runs on the page's clock, which the test moves; the server's cache of
    // the page model runs on real time (rebuilt at most every 10 s).
    await page.clock.install();
    await page.goto(`${base}/status/kb`);
    await page.getByRole('heading', { name: 'Keyboard status' }).waitFor();
    await page.evaluate('globalThis.sameDocument = true');
    await api.request('PATCH', '/api/v1/status-pages/kb', { description: 'Now with a note' });
    const note = page.getByText('Now with a note');
    for (let round = 0; round < 20 && (await note.count()) === 0; round++) {
      await page.clock.runFor(60_000);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
    await note.waitFor({ timeout: 5_000 });
    assert.equal(await page.evaluate('globalThis.sameDocument'), true, 'the page never reloaded');
    assert.equal(await page.locator('meta[http-equiv="refresh"]').count(), 0);
    assert.deepEqual(errors, []);
  });
});
