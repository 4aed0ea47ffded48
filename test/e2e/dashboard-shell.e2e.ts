import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { launchBrowser, seriousA11yViolations } from '../helpers/browser.ts';
import type { BrowserSession } from '../helpers/browser.ts';
import { crosscheckJson, startDaemon, tempDataDir } from '../helpers/cli.ts';
import type { DaemonProcess } from '../helpers/cli.ts';
import { startHttpServer } from '../helpers/http-servers.ts';
import type { TestServer } from '../helpers/http-servers.ts';

// The dashboard's frame in Debian's Chromium against a real daemon: first-run setup with the
// one-time token, sign-out and sign-in, deep links that survive a reload, the theme switch and
// its tokens, and no console errors or serious accessibility violations on the way.

const ADMIN = { name: 'admin', password: 'correct horse battery' };

describe('dashboard shell in Chromium', { timeout: 90_000 }, () => {
  let dataDir: string;
  let daemon: DaemonProcess | undefined;
  let target: TestServer;
  let browser: BrowserSession;

  before(async () => {
    dataDir = tempDataDir();
    target = await startHttpServer((_req, res) => res.end('ok'));
    daemon = await startDaemon(dataDir);
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await daemon?.stop('SIGKILL');
    await target?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  function apiUrl(): string {
    assert.ok(daemon);
    return daemon.apiUrl;
  }

  it('creates the first admin with the setup token, signs out and in again', async () => {
    const { page, errors } = await browser.open();
    await page.goto(apiUrl());
    await page.getByRole('heading', { name: 'First-run setup' }).waitFor();
    assert.deepEqual(await seriousA11yViolations(page), []);

    // A wrong token is refused with the API's message, and nothing is created.
    await page.getByLabel('Setup token').fill('not-the-token');
    await page.getByLabel('Password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Create admin and sign in' }).click();
    await page.getByRole('alert').waitFor();

    const token = fs.readFileSync(path.join(dataDir, 'setup-token'), 'utf8').trim();
    await page.getByLabel('Setup token').fill(token);
    await page.getByRole('button', { name: 'Create admin and sign in' }).click();
    await page.getByRole('heading', { name: 'Monitors' }).waitFor();
    assert.match((await page.locator('.who').textContent()) ?? '', /admin/);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    assert.deepEqual(await seriousA11yViolations(page), []);

    await page.getByLabel('User name').fill(ADMIN.name);
    await page.getByLabel('Password').fill('wrong password!');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').waitFor();
    await page.getByLabel('Password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Monitors' }).waitFor();

    // The failed attempts above answered 4xx, which Chromium logs; nothing else may appear.
    assert.deepEqual(
      errors.filter((text) => !/status of 40[13]/.test(text)),
      [],
    );
  });

  it('shows monitors, keeps the session across a reload and deep links, and switches theme', async () => {
    await crosscheckJson(
      ['monitor', 'add', '--name', 'web-home', '--type', 'http', '--target', target.origin],
      { CROSSCHECK_DATA_DIR: dataDir },
    );
    const { page, errors } = await browser.open();
    await page.goto(apiUrl());
    await page.getByLabel('User name').fill(ADMIN.name);
    await page.getByLabel('Password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('.overview-row[data-monitor="web-home"]').waitFor();
    assert.deepEqual(await seriousA11yViolations(page), []);

    // A dashboard URL the server has no route for still loads the app (history routing).
    await page.goto(`${apiUrl()}/no/such/page`);
    await page.getByRole('heading', { name: 'Not found' }).waitFor();
    await page.getByRole('link', { name: 'Back to the monitors' }).click();
    await page.locator('.overview-row[data-monitor="web-home"]').waitFor();

    const html = page.locator('html');
    await page.getByRole('button', { name: /Theme: system/ }).click();
    assert.equal(await html.getAttribute('data-theme'), 'dark');
    await page.reload();
    await page.locator('.overview-row[data-monitor="web-home"]').waitFor();
    assert.equal(await html.getAttribute('data-theme'), 'dark', 'the choice survives a reload');
    assert.deepEqual(await seriousA11yViolations(page), []);
    assert.deepEqual(errors, []);
  });

  it('applies the dark tokens from the system preference or the choice, light when picked', async () => {
    // The dark block is written once; the build copies it under the media query.
    const background = async (scheme: 'light' | 'dark', choice: string | null) => {
      const { page, errors } = await browser.open({ colorScheme: scheme });
      await page.goto(apiUrl());
      await page.locator('h1').first().waitFor(); // setup or sign-in: the stylesheet is in
      // Page-side code as text: the tests compile without DOM types.
      const root = 'document.documentElement';
      if (choice !== null) await page.evaluate(`${root}.setAttribute('data-theme', '${choice}')`);
      const value = await page.evaluate<string>(
        `getComputedStyle(${root}).getPropertyValue('--bg').trim()`,
      );
      assert.deepEqual(errors, []);
      await page.close();
      return value;
    };
    const [light, dark] = ['#f6f7f9', '#0f1216'];
    assert.equal(await background('light', null), light);
    assert.equal(await background('dark', null), dark);
    assert.equal(await background('dark', 'light'), light);
    assert.equal(await background('light', 'dark'), dark);
  });

  it('serves pages and assets with caching and CSP, and still guards the API', async () => {
    const page = await fetch(`${apiUrl()}/incidents/x`, { headers: { accept: 'text/html' } });
    assert.equal(page.status, 200);
    assert.match(
      page.headers.get('content-security-policy') ?? '',
      /script-src|default-src 'self'/,
    );
    assert.equal(page.headers.get('cache-control'), 'no-cache');
    const body = await page.text();
    const asset = /src="(\/assets\/[^"]+\.js)"/.exec(body)?.[1];
    assert.ok(asset, body);
    const script = await fetch(`${apiUrl()}${asset}`);
    assert.equal(script.status, 200);
    assert.match(script.headers.get('cache-control') ?? '', /immutable/);
    const favicon = await fetch(`${apiUrl()}/favicon.svg`);
    assert.equal(favicon.status, 200);

    // Neither the page fallback nor the static files open the API.
    const api = await fetch(`${apiUrl()}/api/v1/monitors`, { headers: { accept: 'text/html' } });
    assert.equal(api.status, 401);
    const unknownApi = await fetch(`${apiUrl()}/api/v1/nope`, { headers: { accept: 'text/html' } });
    assert.equal(unknownApi.status, 401);
  });
});
