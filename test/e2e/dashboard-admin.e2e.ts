import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { joinCluster } from '../../src/app/cluster-setup.ts';
import type { RunningNode } from '../../src/app/node.ts';
import { launchBrowser, seriousA11yViolations } from '../helpers/browser.ts';
import type { BrowserSession } from '../helpers/browser.ts';
import { waitFor } from '../helpers/cli.ts';
import {
  ADMIN,
  coordinatorWithAdmin,
  noHorizontalScroll,
  signIn,
  unexpected,
} from '../helpers/dashboard-admin.ts';
import { loopbackCluster } from '../helpers/loopback-cluster.ts';

// The Nodes and Settings pages in Debian's Chromium against a real coordinator with two real
// agents on loopback (in-process, 200 ms heartbeats): the region grid, a join token made in the
// page enrolling an agent, an agent stopping seen without a reload; users and roles, a viewer
// with no edit controls whose API writes are refused. (Tokens, TOTP and status pages:
// dashboard-settings.e2e.ts.)

const VIEWER = { name: 'vera', password: 'viewer password 1' };

describe('dashboard nodes and users in Chromium', { timeout: 90_000 }, () => {
  const cluster = loopbackCluster({ graceCount: 2 });
  let apiUrl: string;
  let browser: BrowserSession;
  const agents = new Map<string, RunningNode>();

  before(async () => {
    ({ apiUrl } = await coordinatorWithAdmin(cluster));
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await cluster.cleanup();
  });

  async function enrol(token: string, name: string, region: string): Promise<void> {
    const dataDir = cluster.dir();
    await joinCluster({ dataDir, token, name, region, labels: {} });
    agents.set(name, (await cluster.run(dataDir)).node);
  }

  it('shows nodes by region, enrols agents with a join token from the page, and follows them live', async () => {
    const { page, errors } = await browser.open();
    await page.goto(apiUrl);
    await signIn(page, ADMIN);
    await page.getByRole('link', { name: 'Nodes' }).click();
    const coordRow = page.locator('tr[data-node-row="coord"]');
    await coordRow.waitFor();
    assert.match((await coordRow.textContent()) ?? '', /online/);
    assert.match((await coordRow.textContent()) ?? '', /coordinator/);
    assert.match((await coordRow.textContent()) ?? '', /\d+\.\d+\.\d+/, 'the version');

    // Two join tokens from the page, each shown once with the command to run.
    for (const [name, region] of [
      ['us-1', 'us'],
      ['ap-1', 'ap'],
    ] as const) {
      const tokenField = page.locator('#join-token');
      const previous = agents.size === 0 ? '' : await tokenField.inputValue();
      await page.getByRole('button', { name: 'Create join token' }).click();
      await waitFor(
        async () => {
          const value = (await tokenField.count()) === 0 ? '' : await tokenField.inputValue();
          return value !== '' && value !== previous ? true : undefined;
        },
        10_000,
        () => 'a new join token on the page',
      );
      const token = await tokenField.inputValue();
      assert.equal(await page.locator('#join-command').inputValue(), `crosscheck join ${token}`);
      await enrol(token, name, region);
    }

    // Both agents appear in their regions through node.state events, no reload.
    for (const region of ['us', 'ap']) {
      const card = page.locator(`[data-region="${region}"]`);
      await card.locator('.state-online').waitFor({ timeout: 15_000 });
    }
    assert.equal(await page.locator('.region-card').count(), 3);
    assert.deepEqual(await seriousA11yViolations(page), []);
    await page.setViewportSize({ width: 390, height: 844 });
    assert.ok(await noHorizontalScroll(page), 'no horizontal scroll at 390 px');
    await page.setViewportSize({ width: 1280, height: 800 });

    // One agent stops: the page shows it leave "online" without being reloaded.
    // A mark on the document: still there later means the page was never reloaded.
    await page.evaluate('window.crosscheckMarker = 42');
    const stopped = agents.get('ap-1');
    assert.ok(stopped);
    await cluster.stop(stopped);
    await page
      .locator('[data-region="ap"] li[data-node="ap-1"]')
      .locator('.state-grace, .state-missing')
      .waitFor({ timeout: 15_000 });
    assert.equal(await page.evaluate('window.crosscheckMarker'), 42, 'no reload');

    // Node detail, with Remove for admins (asks first).
    await page.getByRole('link', { name: 'ap-1' }).first().click();
    await page.getByRole('heading', { name: 'Node ap-1' }).waitFor();
    await page.getByRole('button', { name: 'Remove' }).click();
    await page.getByRole('button', { name: 'Yes, remove' }).click();
    await page.getByRole('heading', { name: 'Nodes', exact: true }).waitFor();
    await page.locator('tr[data-node-row="us-1"]').waitFor();
    assert.equal(await page.locator('tr[data-node-row="ap-1"]').count(), 0);
    assert.deepEqual(unexpected(errors), []);
  });

  it('adds a viewer who sees no edit controls and whose API writes are refused', async () => {
    const { page, errors } = await browser.open();
    await page.goto(`${apiUrl}/settings/users`);
    await signIn(page, ADMIN);
    await page.getByRole('heading', { name: 'Users' }).waitFor();
    await page.locator('#new-user-name').fill(VIEWER.name);
    await page.locator('#new-user-role').selectOption('viewer');
    await page.locator('#new-user-password').fill(VIEWER.password);
    await page.getByRole('button', { name: 'Add user' }).click();
    const row = page.locator(`tr[data-user="${VIEWER.name}"]`);
    await row.waitFor();
    assert.equal(await row.getByLabel(`Role of ${VIEWER.name}`).inputValue(), 'viewer');
    assert.deepEqual(await seriousA11yViolations(page), []);

    // A built-in user cannot be deleted: the API's message is shown.
    const builtIn = page.locator('tr[data-user="local-admin"]');
    await builtIn.getByRole('button', { name: 'Delete local-admin' }).click();
    await page.getByRole('alert').waitFor();
    assert.ok(((await page.getByRole('alert').textContent()) ?? '').length > 0);

    const viewer = await browser.open();
    await viewer.page.goto(`${apiUrl}/nodes`);
    await signIn(viewer.page, VIEWER);
    await viewer.page.locator('tr[data-node-row="coord"]').waitFor();
    const nav = viewer.page.getByRole('navigation', { name: 'Main' });
    assert.equal(await nav.getByRole('link', { name: 'Users' }).count(), 0);
    assert.equal(await viewer.page.getByRole('button', { name: 'Create join token' }).count(), 0);
    await viewer.page.getByRole('link', { name: 'us-1' }).first().click();
    await viewer.page.getByRole('heading', { name: 'Node us-1' }).waitFor();
    assert.equal(await viewer.page.getByRole('button', { name: 'Remove' }).count(), 0);

    const status = await viewer.page.evaluate(async () => {
      const response = await fetch('/api/v1/users', {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-csrf-token': localStorage.getItem('crosscheck.csrf') ?? '',
        },
        body: JSON.stringify({ name: 'mallory', role: 'admin', password: 'long enough pw' }),
      });
      return response.status;
    });
    assert.equal(status, 403);
    assert.deepEqual(unexpected(errors), []);
    assert.deepEqual(unexpected(viewer.errors), []);
  });
});
