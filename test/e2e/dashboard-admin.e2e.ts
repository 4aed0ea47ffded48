import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { joinCluster } from '../../src/app/cluster-setup.ts';
import type { RunningNode } from '../../src/app/node.ts';
import { totpCode } from '../../src/services/auth/totp.ts';
import { launchBrowser, seriousA11yViolations } from '../helpers/browser.ts';
import type { BrowserSession } from '../helpers/browser.ts';
import { waitFor } from '../helpers/cli.ts';
import { loopbackCluster } from '../helpers/loopback-cluster.ts';

// The Nodes and Settings pages in Debian's Chromium against a real coordinator with two real
// agents on loopback (in-process, 200 ms heartbeats): the region grid, a join token made in the
// page enrolling an agent, an agent stopping seen without a reload; users and roles, API
// tokens shown once, and TOTP enrolment followed by a sign-in with the code.

const ADMIN = { name: 'admin', password: 'correct horse battery' };
const VIEWER = { name: 'vera', password: 'viewer password 1' };

/** Chromium logs every 4xx answer as a console error; the tests cause some on purpose. */
function unexpected(errors: string[]): string[] {
  return errors.filter((text) => !/status of 40[0-9]/.test(text));
}

async function signIn(page: Page, user: { name: string; password: string }): Promise<void> {
  await page.getByLabel('User name').fill(user.name);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}

async function noHorizontalScroll(page: Page): Promise<boolean> {
  // A string, evaluated in the page: this file is type-checked without the DOM library.
  const fits = await page.evaluate(
    'document.documentElement.scrollWidth <= document.documentElement.clientWidth',
  );
  return fits === true;
}

describe('dashboard nodes, users, tokens and account in Chromium', { timeout: 90_000 }, () => {
  const cluster = loopbackCluster({ graceCount: 2 });
  let apiUrl: string;
  let browser: BrowserSession;
  const agents = new Map<string, RunningNode>();

  before(async () => {
    const coordinator = await cluster.startCoordinator('coord', 'eu');
    apiUrl = coordinator.node.apiUrl;
    const setupToken = fs
      .readFileSync(path.join(coordinator.dataDir, 'setup-token'), 'utf8')
      .trim();
    const setup = await fetch(`${apiUrl}/api/v1/auth/setup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ setupToken, ...ADMIN }),
    });
    assert.equal(setup.status, 201, await setup.text());
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

  it('creates an API token shown once, which works until revoked', async () => {
    const { page, errors } = await browser.open({ viewport: { width: 390, height: 844 } });
    await page.goto(`${apiUrl}/settings/tokens`);
    await signIn(page, ADMIN);
    await page.getByRole('heading', { name: 'API tokens' }).waitFor();
    await page.locator('#token-name').fill('ci-script');
    await page.locator('#token-access').selectOption('write');
    await page.getByRole('button', { name: 'Create token' }).click();
    await page.locator('tr[data-token="ci-script"]').waitFor();
    const token = await page.locator('#created-token').inputValue();
    const asBearer = () =>
      fetch(`${apiUrl}/api/v1/auth/me`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal((await asBearer()).status, 200);
    assert.ok(await noHorizontalScroll(page), 'no horizontal scroll at 390 px');
    assert.deepEqual(await seriousA11yViolations(page), []);

    // Shown once: a reload lists the token without its value.
    await page.reload();
    await page.locator('tr[data-token="ci-script"]').waitFor();
    assert.equal(await page.locator('#created-token').count(), 0);
    assert.equal((await page.content()).includes(token), false);

    await page.getByRole('button', { name: 'Revoke' }).click();
    await page.getByRole('button', { name: 'Yes, revoke' }).click();
    await page.locator('tr[data-token="ci-script"]', { hasText: 'revoked' }).waitFor();
    assert.equal((await asBearer()).status, 401);
    assert.deepEqual(unexpected(errors), []);
  });

  it('enrols TOTP with a code and then signs in with the second factor', async () => {
    const { page, errors } = await browser.open();
    await page.goto(`${apiUrl}/settings/account`);
    await signIn(page, VIEWER);
    await page.getByRole('heading', { name: 'Account' }).waitFor();
    await page.getByRole('button', { name: 'Set up two-factor sign-in' }).click();
    const secret = await page.locator('#totp-secret').inputValue();
    assert.match(await page.locator('#totp-uri').inputValue(), /^otpauth:\/\/totp\//);
    assert.deepEqual(await seriousA11yViolations(page), []);

    await page.getByLabel('Code from the app').fill('000000');
    await page.getByRole('button', { name: 'Turn on' }).click();
    await page.getByRole('alert').waitFor();
    await page.getByLabel('Code from the app').fill(totpCode(secret, Date.now()));
    await page.getByRole('button', { name: 'Turn on' }).click();
    await page.locator('[data-totp="on"]').waitFor();

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('User name').fill(VIEWER.name);
    await page.getByLabel('Password').fill(VIEWER.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    // A code is used once: sign in with the next period's (the server accepts one step ahead).
    await page.getByLabel('Authenticator code').fill(totpCode(secret, Date.now() + 30_000));
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Account' }).waitFor();
    assert.deepEqual(unexpected(errors), []);
  });
});
